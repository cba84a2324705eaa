"""Permission-matrix rows of the entry of a section's month and of the incentive fund
(``khozraschet/views/months.py``).

Who may do what (``khozraschet/permissions.py``): ``khz.enter`` — the shop's bureau
(dispatcher) and economist, within their shop; ``khz.fund`` — labour & wages and the
deputy director, plant-wide. Whoever lacks the action, or the section is outside his
scope, gets 404. A closed month is shown read-only; a post to it says why not and goes
back.

The objects: the URL takes a section, a year and a month — a tuple of the section and
two :class:`Arg` (whose ``pk`` is the number); the fund's URL takes the year and month.
«A1, September» is closed in the world.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Arg:
    """A plain URL argument among objects (``url_args`` reads ``.pk``)."""

    pk: int


OBJECTS = frozenset(
    {
        "khz: A1, October",
        "khz: A1, September (closed)",
        "khz: A2, October",
        "khz: B1, October",
        "khz: other plant, October",
        "khz: A1, a month not opened",
        "khz indicator",
        "khz funds: October",
        "khz funds: September (closed)",
        "khz funds: a month not opened",
        "khz funds: other plant, October",
        "khz: the other plant",
    }
)


def objects(world) -> dict:
    from enterprise.models import Period
    from tests.khozraschet.factories import IndicatorFactory

    Period.objects.get_or_create(enterprise=world.other_enterprise, year=2026, month=10)
    units = world.units
    year = Arg(2026)
    october, september, never = Arg(10), Arg(9), Arg(1)
    indicator = IndicatorFactory(
        enterprise=world.enterprise, code="matrix", name="Объём выпуска", unit="нормо-ч"
    )
    return {
        "khz: A1, October": (units["A1"], year, october),
        "khz: A1, September (closed)": (units["A1"], year, september),
        "khz: A2, October": (units["A2"], year, october),
        "khz: B1, October": (units["B1"], year, october),
        "khz: other plant, October": (units["other_section"], year, october),
        "khz: A1, a month not opened": (units["A1"], year, never),
        "khz indicator": indicator,
        "khz funds: October": (year, october),
        "khz funds: September (closed)": (year, september),
        "khz funds: a month not opened": (year, never),
        # The other plant's month, asked for with ?enterprise= (nobody here sees it).
        "khz funds: other plant, October": (year, october),
        "khz: the other plant": world.other_enterprise,
    }


# A posted grid of one row left empty (no entry): valid, saves nothing, goes back.
IDLE_ROW = {
    "rows-TOTAL_FORMS": "1",
    "rows-INITIAL_FORMS": "0",
    "rows-0-cause": "no_work",
    "rows-0-hours": "",
}
ENERGY_ROW = {
    "rows-TOTAL_FORMS": "1",
    "rows-INITIAL_FORMS": "0",
    "rows-0-resource": "fuel",
    "rows-0-saved_value": "",
    "rows-0-percent": "",
}
SHEET = {
    "plan_decade_1": "1 000",
    "plan_decade_2": "1 000",
    "plan_decade_3": "1 000",
    "productivity_wage_deviation": "0",
}
FUND = {"amount": "150 000,00"}


def _rows():
    from tests.permission_matrix import BACK, LOGIN, Pk, get, post

    indicator_row = {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-0-indicator": Pk("khz indicator"),
        "rows-0-plan": "",
        "rows-0-actual": "",
    }
    L, BK, ok, NF, NA = LOGIN, BACK, 200, 404, 405
    assert NA
    rows = []
    posted = {
        "khozraschet:month_indicators": indicator_row,
        "khozraschet:month_sheet": SHEET,
        "khozraschet:month_idle": IDLE_ROW,
        "khozraschet:month_energy": ENERGY_ROW,
    }
    # fmt: off
    for name in ("khozraschet:month_entry", *posted):
        rows += [
            # url name, object,                         anon wrk brg mst shp dsp eco lab prh dep adm
            get(name, "khz: A1, October",               L,  NF, NF, NF, NF, ok, ok, NF, NF, NF, NF),
            get(name, "khz: A1, September (closed)",   L,  NF, NF, NF, NF, ok, ok, NF, NF, NF, NF),
            get(name, "khz: A2, October",               L,  NF, NF, NF, NF, ok, ok, NF, NF, NF, NF),
            get(name, "khz: B1, October",               L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
            get(name, "khz: other plant, October",      L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
            get(name, "khz: A1, a month not opened",    L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        ]
    for name, data in posted.items():
        rows += [
            post(name, "khz: A1, October",              L,  NF, NF, NF, NF, BK, BK, NF, NF, NF, NF,
                 data=data),
            post(name, "khz: A1, September (closed)",   L,  NF, NF, NF, NF, BK, BK, NF, NF, NF, NF,
                 data=data),
            post(name, "khz: B1, October",              L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
                 data=data),
            post(name, "khz: other plant, October",     L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
                 data=data),
        ]
    rows += [
        # The incentive fund: labour & wages and the deputy director, for their plant.
        get("khozraschet:funds", "khz funds: October",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, NF, ok, NF),
        get("khozraschet:funds", "khz funds: September (closed)",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, NF, ok, NF),
        get("khozraschet:funds", "khz funds: a month not opened",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        get("khozraschet:funds", "khz funds: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
            query={"enterprise": Pk("khz: the other plant")}),
        post("khozraschet:funds", "khz funds: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data={**FUND, "enterprise": Pk("khz: the other plant")}),
        post("khozraschet:funds", "khz funds: October",
                                                        L,  NF, NF, NF, NF, NF, NF, BK, NF, BK, NF,
             data=FUND),
        post("khozraschet:funds", "khz funds: September (closed)",
                                                        L,  NF, NF, NF, NF, NF, NF, BK, NF, BK, NF,
             data=FUND),
    ]
    # fmt: on
    return rows


def __getattr__(name):
    # ROWS is built on first use (tests.permission_matrix imports the project's factories).
    if name == "ROWS":
        return _rows()
    raise AttributeError(name)
