"""Permission-matrix rows of the plan sheets and their batches (planning/urls_print.py).

Also the plans these rows and the printing tests use: :func:`coil_winder_plan` — the
coil winder of table 24 (2517 norm-hours, growth 5.5 %, hourly output 1.27) — and
:func:`plant_plans`, one plan in force for every worker of the world's plant.

Who may do what (planning/permissions.py, ``plan.print_batch``): the master of A1 prints
his section, the shop head and the economist of shop A its shop and sections, labour &
wages and the administrator the whole plant; the worker, the brigade leader, the
dispatcher, the head of production and the deputy director order no batches. One
worker's sheet goes to whoever sees the plan (``selectors.plans_for``). A batch and its
file are its requester's alone: anybody else gets 404.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from planning.models import OutputUnit, PersonalPlan, PrintJob

D = Decimal
SIGNED_AT = timezone.make_aware(datetime.datetime(2026, 2, 10, 10, 0))

OBJECTS = frozenset(
    {
        "own plan (A1)",
        "plan of A1",
        "plan of A2",
        "plan of B1",
        "plan of other plant",
        "batch of the master (A1)",
        "batch of the economist (shop A)",
        "finished batch of the economist",
        "batch of other plant",
    }
)


def coil_winder_plan(world, *, signed: bool = True, worker=None, **fields) -> PersonalPlan:
    """The coil winder of table 24: 2517 norm-hours of current labour intensity, growth
    5.5 %, 1982 hours → 1.27 norm-hours an hour; signed by the master, the economist and
    the shop head of the world (unless ``signed=False``: a draft)."""
    from tests.factories import ProfessionFactory, WorkerFactory
    from tests.planning.factories import PersonalPlanFactory

    if worker is None:
        winder = ProfessionFactory(
            enterprise=world.enterprise, name="Намотчик катушек", code="15522"
        )
        worker = WorkerFactory(
            section=world.units["A1"],
            personnel_number="2417",
            last_name="Кузнецова",
            first_name="Анна",
            middle_name="Петровна",
            profession=winder,
            pay_condition=world.conditions["piece"],
            grade=4,
        )
    values = {
        "worker": worker,
        "year": 2026,
        "five_year_from": 2026,
        "output_unit": OutputUnit.LABOUR_INTENSITY,
        "unit": "нормо-ч",
        "method": PersonalPlan.Method.AVERAGE,
        "average_output": D("2386.000"),
        "growth_percent": D("5.500"),
        "annual_volume": D("2517.000"),
        "annual_time_fund": D("1982.0"),
        "production_task": "Намотка катушек реле РЭС-22 по графику участка",
        "scrap_reduction_percent": D("15.000"),
        "labour_reduction_hours": D("40.000"),
        "materials_savings": D("120.00"),
        "proposals": 2,
    }
    if signed:
        values |= {
            "status": PersonalPlan.Status.SIGNED,
            "worker_agreed_at": SIGNED_AT - datetime.timedelta(days=3),
            "master_signed_by": world.users["master"],
            "master_signed_at": SIGNED_AT - datetime.timedelta(days=2),
            "economist_signed_by": world.users["economist"],
            "economist_signed_at": SIGNED_AT - datetime.timedelta(days=1),
            "shop_head_signed_by": world.users["shop_head"],
            "shop_head_signed_at": SIGNED_AT,
            "signed_at": SIGNED_AT,
        }
    values |= fields
    return PersonalPlanFactory(**values)


def plant_plans(world, year: int = 2026) -> list[PersonalPlan]:
    """A draft plan of ``year`` for every worker of the world's plant (six workers: two in
    each of A1, A2, B1), 2400 + 10 × n norm-hours."""
    from tests.planning.factories import PersonalPlanFactory

    plans = []
    for n, worker in enumerate(world.all_workers()):
        plans.append(
            PersonalPlanFactory(
                worker=worker, year=year, annual_volume=D(2400 + 10 * n), five_year_from=2026
            )
        )
    return plans


def _job(world, role: str, **unit) -> PrintJob:
    return PrintJob.objects.create(
        enterprise=world.enterprise, year=2026, requested_by=world.users[role], total=2, **unit
    )


def objects(world) -> dict:
    """The plans of the world's plant and three batches (queued and finished)."""
    from tests.factories import UserFactory
    from tests.planning.factories import PersonalPlanFactory

    plans = {plan.worker_id: plan for plan in plant_plans(world)}
    a1_other = next(w for w in world.workers["A1"] if w.pk != world.worker.pk)
    finished = _job(world, "economist", shop=world.units["A"])
    finished.status = PrintJob.Status.DONE
    finished.done = finished.total
    finished.file.save("matrix-batch.pdf", _pdf_bytes(), save=False)
    finished.save()
    other = PrintJob.objects.create(
        enterprise=world.other_enterprise,
        year=2026,
        requested_by=UserFactory(username="other-plant-economist"),
        total=1,
        done=1,
        status=PrintJob.Status.DONE,
    )
    other.file.save("other-plant-batch.pdf", _pdf_bytes())
    return {
        "own plan (A1)": plans[world.worker.pk],
        "plan of A1": plans[a1_other.pk],
        "plan of A2": plans[world.workers["A2"][0].pk],
        "plan of B1": plans[world.workers["B1"][0].pk],
        "plan of other plant": PersonalPlanFactory(worker=world.other_worker),
        "batch of the master (A1)": _job(world, "master", section=world.units["A1"]),
        "batch of the economist (shop A)": _job(world, "economist", shop=world.units["A"]),
        "finished batch of the economist": finished,
        "batch of other plant": other,
    }


def _pdf_bytes():
    from django.core.files.base import ContentFile

    return ContentFile(b"%PDF-1.7\n%%EOF\n")


def _rows():
    from tests.permission_matrix import BACK, LOGIN, Pk, get, post

    L, BK, ok, NF, NA = LOGIN, BACK, 200, 404, 405
    shop_a = {"year": "2026", "shop": Pk("shop A")}
    section_a1 = {"year": "2026", "section": Pk("section A1")}
    plant = {"year": "2026"}
    # fmt: off
    return [
        # url name, object,                         anon wrk brg mst shp dsp eco lab prh dep adm
        # One worker's sheet: whoever sees the plan (his own for the worker).
        get("planning:plan_pdf", "own plan (A1)",   L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:plan_pdf", "plan of A1",      L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:plan_pdf", "plan of A2",      L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
        get("planning:plan_pdf", "plan of B1",      L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("planning:plan_pdf", "plan of other plant",
                                                    L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # Batches: the roles of plan.print_batch, each within its unit.
        get("planning:print_list", None,            L,  NF, NF, ok, ok, NF, ok, ok, NF, NF, ok),
        get("planning:print_create", None,          L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
        post("planning:print_create", None,         L,  NF, NF, BK, BK, NF, BK, BK, NF, NF, BK,
             data=section_a1),
        post("planning:print_create", None,         L,  NF, NF, NF, BK, NF, BK, BK, NF, NF, BK,
             data=shop_a),
        # The whole plant: enterprise-level roles only.
        post("planning:print_create", None,         L,  NF, NF, NF, NF, NF, NF, BK, NF, NF, BK,
             data=plant),
        # A batch and its file are its requester's.
        get("planning:print_detail", "batch of the master (A1)",
                                                    L,  NF, NF, ok, NF, NF, NF, NF, NF, NF, NF),
        get("planning:print_detail", "batch of the economist (shop A)",
                                                    L,  NF, NF, NF, NF, NF, ok, NF, NF, NF, NF),
        get("planning:print_status", "batch of the master (A1)",
                                                    L,  NF, NF, ok, NF, NF, NF, NF, NF, NF, NF),
        get("planning:print_status", "batch of the economist (shop A)",
                                                    L,  NF, NF, NF, NF, NF, ok, NF, NF, NF, NF),
        get("planning:print_detail", "batch of other plant",
                                                    L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        get("planning:print_status", "batch of other plant",
                                                    L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        get("planning:print_download", "batch of other plant",
                                                    L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        get("planning:print_download", "finished batch of the economist",
                                                    L,  NF, NF, NF, NF, NF, ok, NF, NF, NF, NF),
        # Resuming a stopped batch: its requester (not stalled here: a message, back).
        get("planning:print_resume", "batch of the economist (shop A)",
                                                    L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
        post("planning:print_resume", "batch of the economist (shop A)",
                                                    L,  NF, NF, NF, NF, NF, BK, NF, NF, NF, NF),
        post("planning:print_resume", "batch of other plant",
                                                    L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # Not printed yet: no file to give, even to the requester.
        get("planning:print_download", "batch of the economist (shop A)",
                                                    L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    ]
    # fmt: on


def __getattr__(name):
    # ROWS is built on first use: tests.permission_matrix imports the whole project's
    # factories, and this module is imported by the printing tests as well.
    if name == "ROWS":
        return _rows()
    raise AttributeError(name)
