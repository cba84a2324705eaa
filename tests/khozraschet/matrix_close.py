"""Permission-matrix rows of the monthly close of self-financing (khozraschet/views/close.py).

Who may do what (khozraschet/permissions.py): the economist and the head of shop A sum
up shop A (``khz.close_shop``); labour & wages, the head of production and the deputy
director sum up the plant (``khz.close_plant``). The close page is theirs; a run's page
is for whoever sees its unit whole (a shop's run: the shop's roles and the plant's; the
plant's run: the plant's roles). Everybody else gets 404.
"""

from __future__ import annotations

from enterprise.models import Period
from khozraschet.models import ResultRun
from tests.permission_matrix import BK, CONFIRMED, NA, NF, L, Pk, get, ok, post

OBJECTS = frozenset(
    {
        "october",
        "october of other plant",
        "other plant",
        "run of shop A",
        "run of shop B",
        "plant run",
        "run of other plant",
    }
)


def objects(world) -> dict:
    october = world.period(2026, 10)
    labour, economist = world.users["labour"], world.users["economist"]
    other_october = Period.objects.get_or_create(
        enterprise=world.other_enterprise, year=2026, month=10
    )[0]
    return {
        "october": (2026, 10),
        # The other plant's month, asked for with ?enterprise= (nobody here sees it).
        "october of other plant": (2026, 10),
        "other plant": world.other_enterprise,
        "run of other plant": ResultRun.objects.create(
            enterprise=world.other_enterprise, period=other_october, requested_by=None
        ),
        "run of shop A": ResultRun.objects.create(
            enterprise=world.enterprise,
            period=october,
            shop=world.units["A"],
            requested_by=economist,
        ),
        "run of shop B": ResultRun.objects.create(
            enterprise=world.enterprise,
            period=october,
            shop=world.units["B"],
            requested_by=labour,
        ),
        "plant run": ResultRun.objects.create(
            enterprise=world.enterprise, period=october, requested_by=labour
        ),
    }


# fmt: off
ROWS = [
    # url name, object,                          anon wrk brg mst shp dsp eco lab prh dep adm
    # To the earliest open month's close page (October in the world).
    get("khozraschet:close_index", None,           L,  NF, NF, NF, BK, NF, BK, BK, BK, BK, NF),
    get("khozraschet:close", "october",          L,  NF, NF, NF, ok, NF, ok, ok, ok, ok, NF),
    # A plant's close (no shop posted): the plant's roles; a shop's: the shop's.
    post("khozraschet:close_start", "october",   L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, NF),
    post("khozraschet:close_start", "october",   L,  NF, NF, NF, NF, NF, NF, BK, BK, BK, NF,
         data=CONFIRMED),
    post("khozraschet:close_start", "october",   L,  NF, NF, NF, BK, NF, BK, NF, NF, NF, NF,
         data={"shop": Pk("shop A"), "confirm": "1"}),
    get("khozraschet:close", "october of other plant",
                                                 L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
        query={"enterprise": Pk("other plant")}),
    post("khozraschet:close_start", "october of other plant",
                                                 L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={"enterprise": Pk("other plant")}),
    get("khozraschet:run_detail", "run of other plant",
                                                 L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("khozraschet:run_status", "run of other plant",
                                                 L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("khozraschet:close_start", "october",    L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    get("khozraschet:run_detail", "run of shop A",
                                                 L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
    get("khozraschet:run_detail", "run of shop B",
                                                 L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("khozraschet:run_detail", "plant run",   L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("khozraschet:run_status", "run of shop A",
                                                 L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
    get("khozraschet:run_status", "plant run",   L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
]
# fmt: on
