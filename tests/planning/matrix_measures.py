"""Permission-matrix rows of org-technical measures and the workers' accounts.

Objects (see :func:`objects`): the shuttle-spring measure of §5 in sections A1, A2, B1
and in the other plant; October savings on the accounts of a worker of A1, of B1 and of
the other plant. The rows also name the world's own objects of
``tests.permission_matrix.matrix_objects`` (the workers, section A1, the periods).

Who (``planning/permissions.py``): measures are seen by whoever sees their section (a
worker: his own section's); ``measure.edit`` is the master of the section, the shop head
and the shop's economist. An account is seen by whoever sees the worker (the worker his
own); ``savings.edit`` is the master and the economist of the worker's unit. The summary
is open to everyone with a unit to sum up (a worker: his own section).
"""

from __future__ import annotations

import datetime

from tests.permission_matrix import BACK, LOGIN, Pk, get, post

L, BK, ok, NF, NA = LOGIN, BACK, 200, 404, 405

MEASURE = {
    "section": Pk("section A1"),
    "year": "2026",
    "name": "Полирование пружины челнока алмазной лентой",
    "factor": "progressive_technology",
    "workplaces": "",
    "responsible": "Технолог Петров П. П.",
    "deadline": "2026-12-01",
    "labour_before": "0,45",
    "labour_after": "0,29",
    "annual_quantity": "216 900",
    "annual_time_fund": "1 807",
    "norm_fulfilment": "1,2",
    "headcount": "5 321",
    "economic_effect": "",
    "version": "",
}
STATUS = {"status": "in_progress", "completed_on": ""}
SAVING = {
    "period": Pk("open period"),
    "kind": "materials",
    "amount": "150,25",
    "description": "Раскрой листа без отходов",
    "measure": "",
}
SAVING_CLOSED = {**SAVING, "period": Pk("closed period")}

# fmt: off
ROWS = [
    # url name, object,                                 anon wrk brg mst shp dsp eco lab prh dep adm
    get("planning:measure_list", None,                  L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:measure_list", None,                  L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"_export": "xlsx"}),
    get("planning:measure_summary", None,               L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:measure_summary", None,               L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"year": "2026", "_export": "xlsx"}),
    get("planning:measure_detail", "measure of A1",     L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:measure_detail", "measure of A2",     L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
    get("planning:measure_detail", "measure of B1",     L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("planning:measure_detail", "measure of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # measure.edit: the master of the section, the shop head, the shop's economist.
    get("planning:measure_create", None,                L,  NF, NF, ok, ok, NF, ok, NF, NF, NF, NF),
    post("planning:measure_create", None,               L,  NF, NF, BK, BK, NF, BK, NF, NF, NF, NF,
         data=MEASURE),
    get("planning:measure_edit", "measure of A1",       L,  NF, NF, ok, ok, NF, ok, NF, NF, NF, NF),
    get("planning:measure_edit", "measure of A2",       L,  NF, NF, NF, ok, NF, ok, NF, NF, NF, NF),
    get("planning:measure_edit", "measure of B1",       L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:measure_edit", "measure of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("planning:measure_status", "measure of A1",     L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("planning:measure_status", "measure of A1",    L,  NF, NF, BK, BK, NF, BK, NF, NF, NF, NF,
         data=STATUS),
    post("planning:measure_status", "measure of B1",    L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=STATUS),
    post("planning:measure_status", "measure of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=STATUS),
    # The accounts: whoever sees the worker; the worker his own.
    get("planning:account", "own worker record (A1)",   L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:account", "worker of A1",             L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("planning:account", "worker of A2",             L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
    get("planning:account", "worker of B1",             L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("planning:account", "worker of other plant",    L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # savings.edit: the master and the economist of the worker's unit. A closed month is
    # refused next to the form (the page again, 200).
    get("planning:savings_add", "worker of A1",         L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("planning:savings_add", "worker of A1",        L,  NF, NF, BK, NF, NF, BK, NF, NF, NF, NF,
         data=SAVING),
    post("planning:savings_add", "worker of A1",        L,  NF, NF, ok, NF, NF, ok, NF, NF, NF, NF,
         data=SAVING_CLOSED),
    post("planning:savings_add", "worker of B1",        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=SAVING),
    post("planning:savings_add", "worker of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=SAVING),
    get("planning:savings_delete", "savings of worker of A1",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("planning:savings_delete", "savings of worker of A1",
                                                        L,  NF, NF, BK, NF, NF, BK, NF, NF, NF, NF),
    post("planning:savings_delete", "savings of worker of B1",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    post("planning:savings_delete", "savings of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
]
# fmt: on

OBJECTS = frozenset(
    {
        "measure of A1",
        "measure of A2",
        "measure of B1",
        "measure of other plant",
        "savings of worker of A1",
        "savings of worker of B1",
        "savings of other plant",
    }
)


def objects(world) -> dict:
    """The measures and savings the rows name (October 2026, the first open month)."""
    from enterprise.models import Period
    from tests.planning.factories import OrgMeasureFactory, SavingsEntryFactory

    units, workers = world.units, world.workers

    def measure(section, authors=()):
        row = OrgMeasureFactory(section=section, deadline=datetime.date(2026, 12, 1))
        row.authors.set(authors)
        return row

    a1_worker = next(w for w in workers["A1"] if w.pk != world.worker.pk)
    other_october, _ = Period.objects.get_or_create(
        enterprise=world.other_enterprise, year=2026, month=10
    )
    return {
        "measure of A1": measure(units["A1"], authors=[world.worker]),
        "measure of A2": measure(units["A2"]),
        "measure of B1": measure(units["B1"]),
        "measure of other plant": measure(units["other_section"]),
        "savings of worker of A1": SavingsEntryFactory(worker=a1_worker),
        "savings of worker of B1": SavingsEntryFactory(worker=workers["B1"][0]),
        "savings of other plant": SavingsEntryFactory(
            worker=world.other_worker, period=other_october
        ),
    }
