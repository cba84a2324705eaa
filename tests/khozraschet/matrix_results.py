"""Permission-matrix rows of the result pages (``khozraschet/views/results.py``).

Who may do what (``khozraschet/permissions.py``): ``khz.view`` — the master of the
section, the shop's head, dispatcher and economist, and the plant's labour & wages,
production head, deputy director, administrator; the plant's summary is for the
plant-wide readers only. ``khz.board`` — everyone of the unit, workers and brigade
leaders too: the board of a shop is open to whoever works in it.

The objects: a section (or a shop) with a year and a month as one tuple (the URL takes
the three); A1 has results for October and November (the close was run), September none.
"""

from __future__ import annotations

from dataclasses import dataclass

from enterprise.models import Period

OBJECTS = frozenset(
    {
        "khz: A1, November",
        "khz: A1, September (no result)",
        "khz: A2, November",
        "khz: B1, November",
        "khz: other plant, November",
        "khz: shop A, November",
        "khz: shop B, November",
        "khz: shop of other plant, November",
        "khz: November",
        "khz: November (other plant)",
        "khz: other plant",
    }
)


@dataclass(frozen=True)
class Arg:
    """A URL's plain argument (a year, a month) where the matrix expects an object."""

    pk: int


Y, NOV, SEP = Arg(2026), Arg(11), Arg(9)


def objects(world) -> dict:
    from tests.khozraschet.results_world import results_world

    results_world(world)
    Period.objects.get_or_create(enterprise=world.other_enterprise, year=2026, month=11)
    units = world.units
    return {
        "khz: A1, November": (units["A1"], Y, NOV),
        "khz: A1, September (no result)": (units["A1"], Y, SEP),
        "khz: A2, November": (units["A2"], Y, NOV),
        "khz: B1, November": (units["B1"], Y, NOV),
        "khz: other plant, November": (units["other_section"], Y, NOV),
        "khz: shop A, November": (units["A"], Y, NOV),
        "khz: shop B, November": (units["B"], Y, NOV),
        "khz: shop of other plant, November": (units["other_shop"], Y, NOV),
        "khz: November": (Y, NOV),
        "khz: November (other plant)": (Y, NOV),
        "khz: other plant": world.other_enterprise,
    }


def _rows():
    from tests.permission_matrix import BACK, LOGIN, Pk, Redirect, get

    L, BK, ok, NF = LOGIN, BACK, 200, 404
    BD = Redirect("khozraschet:board_index")
    # fmt: off
    return [
        # url name, object,                             anon wrk brg mst shp dsp eco lab prh dep adm
        # The entry point: the readers; a worker and a brigade leader go to the board.
        get("khozraschet:index", None,                  L,  BD, BD, ok, ok, ok, ok, ok, ok, ok, ok),
        # A section's month: khz.view on the section (a month without a result says so).
        get("khozraschet:section_month", "khz: A1, November",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:section_month", "khz: A1, September (no result)",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:section_month", "khz: A2, November",
                                                        L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:section_month", "khz: B1, November",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("khozraschet:section_month", "khz: other plant, November",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # Its PDF: the same readers, only for a month with a result.
        get("khozraschet:section_month_pdf", "khz: A1, November",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:section_month_pdf", "khz: A1, September (no result)",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        get("khozraschet:section_month_pdf", "khz: B1, November",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("khozraschet:section_month_pdf", "khz: other plant, November",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # The shop's summary: khz.view on the shop itself (not a section's master).
        get("khozraschet:shop_month", "khz: shop A, November",
                                                        L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:shop_month", "khz: shop B, November",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("khozraschet:shop_month", "khz: shop of other plant, November",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # The plant's summary: the plant-wide readers only.
        get("khozraschet:plant_month", "khz: November", L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("khozraschet:plant_month", "khz: November (other plant)",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
            query={"enterprise": Pk("khz: other plant")}),
        # The board: everyone of the shop; the index opens the user's own shop.
        get("khozraschet:board_index", None,            L,  BK, BK, BK, BK, BK, BK, BK, BK, BK, BK),
        get("khozraschet:board", "khz: shop A, November",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:board", "khz: shop A, November",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok,
            query={"screen": "1"}),
        get("khozraschet:board", "khz: shop B, November",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("khozraschet:board", "khz: shop of other plant, November",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    ]
    # fmt: on


def __getattr__(name):
    # ROWS is built on first use (tests.permission_matrix imports the whole suite's factories).
    if name == "ROWS":
        return _rows()
    raise AttributeError(name)
