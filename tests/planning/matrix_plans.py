"""Permission-matrix rows of the personal plans' pages (wired into tests/permission_matrix.py).

Objects: plans of section A1 in each state of signing (the world's worker's own draft,
a colleague's draft, an agreed and a signed plan), a draft of B1 and of the other plant.
"""

from __future__ import annotations

from decimal import Decimal

from enterprise.models.roles import Role

D = Decimal

OBJECTS = frozenset(
    {
        "draft plan of the worker (A1)",
        "draft plan of a colleague (A1)",
        "agreed plan of A1",
        "signed plan of A1",
        "plan of B1",
        "plan of other plant",
    }
)

PREVIEW = {"method": "average", "annual_time_fund": "1982", "growth_percent": "5", "preview": "1"}
REASON = {"reason": "Уточнить базу"}


# The rows (tests/permission_matrix.py imports this module after defining get/post).
from tests.permission_matrix import BK, CONFIRMED, NA, NF, L, Pk, get, ok, post  # noqa: E402

# fmt: off
ROWS = [
    get("planning:plan_list", None,                   L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:plan_checks", None,                 L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    # A section's plans: not the worker's (he sees his own plan); a unit's roles.
    get("planning:section_plans", "section A1",       L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:section_plans", "section B1",       L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("planning:section_plans", "section of other plant",
                                                      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # Setting a section's plans by a method: the master and the shop's economist.
    post("planning:section_plans", "section A1",      L,  NF, NF, ok, NF, NF, ok, NF, NF, NF, NF,
         data=PREVIEW),
    post("planning:section_plans", "section B1",      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=PREVIEW),
    post("planning:section_plans", "section of other plant",
                                                      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=PREVIEW),
    get("planning:section_task_edit", "section A1",   L,  NF, NF, NF, NF, NF, ok, NF, NF, NF, NF),
    get("planning:section_task_edit", "section B1",   L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:section_task_edit", "section of other plant",
                                                      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:plan_create", "worker of A1",       L,  NF, NF, ok, NF, NF, ok, NF, NF, NF, NF),
    get("planning:plan_create", "worker of B1",       L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:plan_create", "worker of other plant",
                                                      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:plan_detail", "draft plan of the worker (A1)",
                                                      L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:plan_detail", "draft plan of a colleague (A1)",
                                                      L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:plan_detail", "plan of B1",         L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("planning:plan_detail", "plan of other plant",
                                                      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:plan_edit", "draft plan of the worker (A1)",
                                                      L,  NF, NF, ok, NF, NF, ok, NF, NF, NF, NF),
    get("planning:plan_edit", "plan of B1",           L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:plan_edit", "plan of other plant",  L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # The worker agrees with his own plan; the master or the economist records it.
    get("planning:plan_agree", "draft plan of the worker (A1)",
                                                      L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("planning:plan_agree", "draft plan of the worker (A1)",
                                                      L,  ok, NF, ok, NF, NF, ok, NF, NF, NF, NF),
    post("planning:plan_agree", "draft plan of the worker (A1)",
                                                      L,  BK, NF, BK, NF, NF, BK, NF, NF, NF, NF,
         data=CONFIRMED),
    post("planning:plan_agree", "draft plan of a colleague (A1)",
                                                      L,  NF, NF, BK, NF, NF, BK, NF, NF, NF, NF,
         data=CONFIRMED),
    post("planning:plan_agree", "plan of other plant",
                                                      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=CONFIRMED),
    # Each signature is its role's.
    post("planning:plan_sign", "agreed plan of A1",   L,  NF, NF, ok, NF, NF, NF, NF, NF, NF, NF,
         data={"role": "master"}),
    post("planning:plan_sign", "agreed plan of A1",   L,  NF, NF, BK, NF, NF, NF, NF, NF, NF, NF,
         data={"role": "master", **CONFIRMED}),
    post("planning:plan_sign", "agreed plan of A1",   L,  NF, NF, NF, NF, NF, BK, NF, NF, NF, NF,
         data={"role": "economist", **CONFIRMED}),
    post("planning:plan_sign", "agreed plan of A1",   L,  NF, NF, NF, BK, NF, NF, NF, NF, NF, NF,
         data={"role": "shop_head", **CONFIRMED}),
    post("planning:plan_sign", "plan of other plant", L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={"role": "master", **CONFIRMED}),
    # Signing a section's agreed plans at once: the section's signers (as their role);
    # the POST asks to confirm, the confirmed one goes back to the list with each outcome.
    get("planning:section_sign", "section A1",        L,  NF, NF, ok, ok, NF, ok, NF, NF, NF, NF),
    get("planning:section_sign", "section B1",        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:section_sign", "section of other plant",
                                                      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    post("planning:section_sign", "section A1",       L,  NF, NF, ok, ok, NF, ok, NF, NF, NF, NF,
         data={"pk": Pk("agreed plan of A1")}),
    post("planning:section_sign", "section A1",       L,  NF, NF, BK, BK, NF, BK, NF, NF, NF, NF,
         data={"pk": Pk("agreed plan of A1"), **CONFIRMED}),
    post("planning:section_sign", "section of other plant",
                                                      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={"pk": Pk("plan of other plant"), **CONFIRMED}),
    post("planning:plan_return", "agreed plan of A1", L,  NF, NF, BK, BK, NF, BK, NF, NF, NF, NF,
         data=REASON),
    post("planning:plan_return", "plan of other plant",
                                                      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=REASON),
    post("planning:plan_revise", "signed plan of A1", L,  NF, NF, BK, NF, NF, BK, NF, NF, NF, NF,
         data=REASON),
    post("planning:plan_revise", "plan of other plant",
                                                      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=REASON),
]
# fmt: on


def objects(world) -> dict:
    from planning.models import PersonalPlan
    from planning.plans import services
    from tests.factories import WorkerFactory
    from tests.planning.factories import PersonalPlanFactory

    a1 = world.units["A1"]
    economist, master = world.users[Role.ECONOMIST], world.users[Role.MASTER]

    def draft(worker):
        return services.plan_save_draft(
            worker=worker,
            year=2026,
            method=PersonalPlan.Method.AVERAGE,
            values={"average_output": D("2386"), "growth_percent": D("5.5")},
            user=economist if worker.section.shop_id == a1.shop_id else world.users[Role.LABOUR],
        )

    def colleague():
        return WorkerFactory(
            section=a1,
            profession=world.professions["turner"],
            pay_condition=world.conditions["piece"],
        )

    agreed = services.plan_agree(plan=draft(colleague()), user=master)
    signed = services.plan_agree(plan=draft(colleague()), user=master)
    for role, user in (("master", master), ("economist", economist)):
        signed = services.plan_sign(plan=signed, role=role, user=user)
    signed = services.plan_sign(plan=signed, role="shop_head", user=world.users[Role.SHOP_HEAD])
    return {
        "draft plan of the worker (A1)": draft(world.worker),
        "draft plan of a colleague (A1)": draft(colleague()),
        "agreed plan of A1": agreed,
        "signed plan of A1": signed,
        "plan of B1": PersonalPlanFactory(worker=world.workers["B1"][0]),
        "plan of other plant": PersonalPlanFactory(worker=world.other_worker),
    }
