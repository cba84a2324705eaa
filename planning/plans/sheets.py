"""The signed plan sheet (table 24) as data: everything one sheet shows, loaded in bulk.

:func:`sheets_for` builds the :class:`PlanSheet` of many plans in two queries — the plans
with their worker, profession, section, shop, enterprise and signers, then the plans of
their five-year frames — whatever their number (a third for a closed year: the workers
as its December's close wrote them down); the PDF code (:mod:`planning.pdf`)
renders them and runs no queries. Figures are kept as :class:`~decimal.Decimal` trimmed
for display (2517.230 → 2517.23, 5.500 → 5.5); the hourly output is rounded to two places
as the sheet prints it (2517 / 1982 → 1.27). Labels are in the active language.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from enterprise.closing import year_end_snapshots
from enterprise.models import Period, WorkerSnapshot
from enterprise.money import KOPECK, NIL, half_up
from planning.numbers import GROWTH_PLACES, fmt_plain, plain

from .models import PersonalPlan

Status = PersonalPlan.Status
Method = PersonalPlan.Method
MONEY_PLACES = 2
"""Money on the sheet: exactly two places (kopecks), as on every page."""


def trim(value: Decimal | None, places: int = 3) -> Decimal | None:
    """A figure of the sheet: at most ``places`` places, trailing zeros dropped (2517.000
    → 2517, 5.500 → 5.5)."""
    return plain(value, places)


@dataclass(frozen=True, slots=True)
class Commitment:
    """A line of the other commitments: label, value (text, number or None) and unit.

    ``places`` is set for money: it is printed with exactly that many places («30,00 руб.»,
    as the plan's page shows it); any other figure with at most two, trailing zeros dropped."""

    label: str
    value: object
    unit: str = ""
    places: int | None = None


@dataclass(frozen=True, slots=True)
class FrameYear:
    """A year of the five-year frame with the worker's plan in force for it."""

    year: int
    volume: Decimal | None
    signed: bool
    current: bool


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature line: who signs (the role), and who signed and when, once signed."""

    role: str
    name: str
    signed_at: datetime.datetime | None
    note: str = ""


@dataclass(frozen=True)
class PlanSheet:
    """One worker's plan sheet (table 24), ready to print."""

    plan_id: int
    enterprise: str
    shop_number: int
    shop_name: str
    section_number: int
    section_name: str
    worker_name: str
    worker_short_name: str
    personnel_number: str
    profession: str
    grade: int
    year: int
    version: int
    status: str
    status_label: str
    signed_at: datetime.datetime | None
    output_unit: str
    unit: str
    annual_volume: Decimal
    growth_percent: Decimal | None
    annual_time_fund: Decimal
    hourly_output: Decimal | None
    method: str
    calculation: str
    commitments: tuple[Commitment, ...]
    five_year_from: int
    frame: tuple[FrameYear, ...]
    frame_total: Decimal
    signatures: tuple[Signature, ...]

    @property
    def is_project(self) -> bool:
        """A draft or agreed plan: printed with the «ПРОЕКТ» mark."""
        return self.status in (Status.DRAFT, Status.AGREED)

    @property
    def is_signed(self) -> bool:
        return self.status == Status.SIGNED

    @property
    def five_year_to(self) -> int:
        return self.five_year_from + 4

    @property
    def frame_complete(self) -> bool:
        return all(item.volume is not None for item in self.frame)

    @property
    def mark(self) -> str:
        """The big mark across the sheet: «проект» before signing, «заменён» after revision."""
        if self.is_project:
            return _("проект")
        if self.status == Status.SUPERSEDED:
            return _("заменён")
        return ""


def _calculation(plan: PersonalPlan) -> str:
    """The method's inputs and result in one line — the steps of
    :func:`planning.calculation.steps_of`, as the plan's page writes them out."""
    from .calculation import steps_of

    steps = steps_of(plan)
    if not steps:
        return _("объём продукции года: %(volume)s %(unit)s") % {
            "volume": fmt_plain(plan.annual_volume, 3),
            "unit": plan.unit,
        }
    return "; ".join(f"{step.label}: {step.formula}" for step in steps)


def _commitments(plan: PersonalPlan) -> tuple[Commitment, ...]:
    rub = _("руб.")
    return (
        Commitment(_("Производственное задание"), plan.production_task or None),
        Commitment(_("Снижение брака"), trim(plan.scrap_reduction_percent, 2), "%"),
        Commitment(_("Снижение трудоёмкости"), trim(plan.labour_reduction_hours, 2), _("нормо-ч")),
        Commitment(_("Экономия материалов"), plan.materials_savings, rub, MONEY_PLACES),
        Commitment(_("Экономия инструмента"), plan.tools_savings, rub, MONEY_PLACES),
        Commitment(_("Экономия электроэнергии"), plan.energy_savings, rub, MONEY_PLACES),
        Commitment(_("Рационализаторские предложения"), plan.proposals, _("шт.")),
        Commitment(_("Другие обязательства"), plan.other_commitments or None),
    )


def _name(user) -> str:
    """A signer as a signature is spelled out under it: the surname and the initial."""
    if user is None:
        return ""
    if user.last_name:
        initial = f" {user.first_name[0]}." if user.first_name else ""
        return f"{user.last_name}{initial}"
    return user.get_full_name() or user.username


def _signatures(plan: PersonalPlan, worker_name: str) -> tuple[Signature, ...]:
    """Shop head, master, economist, then the worker (his agreement with the plan)."""
    lines = [
        Signature(title, _name(user) if when else "", when)
        for _key, title, user, when in plan.signatures()
    ]
    agreed = plan.worker_agreed_at
    lines.append(Signature(_("Рабочий"), worker_name, agreed, _("с планом ознакомлен и согласен")))
    return tuple(lines)


def _frames(plans: list[PersonalPlan]) -> dict[tuple[int, int], PersonalPlan]:
    """(worker id, year) → the plan in force for every year of the plans' frames (one query):
    the signed version if there is one, else the open one."""
    if not plans:
        return {}
    first = min(p.five_year_from for p in plans)
    last = max(p.five_year_from + 4 for p in plans)
    chosen: dict[tuple[int, int], PersonalPlan] = {}
    for other in (
        PersonalPlan.objects.filter(
            worker_id__in={p.worker_id for p in plans}, year__gte=first, year__lte=last
        )
        .exclude(status=Status.SUPERSEDED)
        .only("pk", "worker_id", "year", "status", "annual_volume")
        .order_by()
    ):
        key = (other.worker_id, other.year)
        held = chosen.get(key)
        if held is None or (other.status == Status.SIGNED and held.status != Status.SIGNED):
            chosen[key] = other
    return chosen


def _sheet(
    plan: PersonalPlan,
    frames: dict[tuple[int, int], PersonalPlan],
    snapshot: WorkerSnapshot | None = None,
) -> PlanSheet:
    worker, section = plan.worker, plan.section
    if snapshot is not None:
        # The year is closed: the sheet shows the worker as its December's close left him.
        worker = snapshot.as_worker(worker)
        if snapshot.section_id == section.pk:
            section = worker.section
    frame = []
    for year in range(plan.five_year_from, plan.five_year_from + 5):
        # The sheet's own year shows the sheet's own plan (a revision being signed, say).
        held = plan if year == plan.year else frames.get((plan.worker_id, year))
        frame.append(
            FrameYear(
                year=year,
                volume=trim(held.annual_volume) if held is not None else None,
                signed=held is not None and held.status == Status.SIGNED,
                current=year == plan.year,
            )
        )
    hourly = plan.hourly_output
    return PlanSheet(
        plan_id=plan.pk,
        enterprise=plan.enterprise.name,
        shop_number=section.shop.number,
        shop_name=section.shop.name,
        section_number=section.number,
        section_name=section.name,
        worker_name=worker.full_name,
        worker_short_name=worker.short_name,
        personnel_number=worker.personnel_number,
        profession=worker.profession.name,
        grade=worker.grade,
        year=plan.year,
        version=plan.version,
        status=plan.status,
        status_label=plan.get_status_display(),
        signed_at=plan.signed_at,
        output_unit=plan.get_output_unit_display(),
        unit=plan.unit,
        annual_volume=trim(plan.annual_volume),
        growth_percent=trim(plan.growth_percent, GROWTH_PLACES),
        annual_time_fund=trim(plan.annual_time_fund, 1),
        hourly_output=(half_up(hourly, KOPECK) if hourly is not None else None),
        method=plan.get_method_display(),
        calculation=_calculation(plan),
        commitments=_commitments(plan),
        five_year_from=plan.five_year_from,
        frame=tuple(frame),
        frame_total=sum((item.volume for item in frame if item.volume is not None), NIL),
        signatures=_signatures(plan, worker.short_name),
    )


def sheets_for(plan_ids: Iterable[int]) -> list[PlanSheet]:
    """The sheets of the plans ``plan_ids``, in the order given (two queries for any number).

    Ids of plans that do not exist are skipped. No scoping here: the caller passes plans
    the user may see (a view) or a batch the user was allowed to order (a print job).
    """
    ids = list(plan_ids)
    year_closed = Period.objects.filter(
        enterprise_id=OuterRef("enterprise_id"),
        year=OuterRef("year"),
        month=12,
        status=Period.Status.CLOSED,
    )
    plans = {
        plan.pk: plan
        for plan in PersonalPlan.objects.filter(pk__in=ids)
        .select_related(
            "enterprise",
            "worker__profession",
            "section__shop",
            "master_signed_by",
            "economist_signed_by",
            "shop_head_signed_by",
        )
        .annotate(year_closed=Exists(year_closed))
    }
    frames = _frames(list(plans.values()))
    # A closed year's sheets print its workers as they were (a third query, only then).
    snapshots = year_end_snapshots(
        (p.enterprise_id, p.year, p.worker_id) for p in plans.values() if p.year_closed
    )
    return [
        _sheet(plans[pk], frames, snapshots.get((p.enterprise_id, p.year, p.worker_id)))
        for pk in ids
        if (p := plans.get(pk)) is not None
    ]


def sheet_for(plan: PersonalPlan) -> PlanSheet:
    """One plan's sheet (the same two queries as :func:`sheets_for`)."""
    return sheets_for([plan.pk])[0]
