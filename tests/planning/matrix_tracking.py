"""Permission-matrix rows of the tracking pages (``planning/urls_tracking.py``), and the
helpers the tracking tests share.

Who may do what (``planning/permissions.py``): ``output.edit`` — the master of the
section, the shop's dispatcher and economist; ``board.view`` — every role, and the board
of a shop is open to whoever sees the shop (a worker and the section roles: their own
shop only); ``bonus.view`` — labour & wages plant-wide, the shop's economist and head.

The objects: a section and a month as one tuple (the URL takes both); «A1, September» is
a closed month (its pages are read-only; a POST is refused with a message and goes back).
"""

from __future__ import annotations

from enterprise.models import Period

OBJECTS = frozenset(
    {
        "output: A1, October",
        "output: A1, September (closed)",
        "output: A2, October",
        "output: B1, October",
        "output: other plant, October",
        "board: shop A",
        "board: shop B",
        "board: shop of other plant",
    }
)

# One row of the grid, left empty (no entry): a grid of a section with workers must send
# rows (an empty post is refused as an incomplete table).
EMPTY_GRID_ROW = {"rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0", "rows-0-output": ""}


def objects(world) -> dict:
    other_october, _ = Period.objects.get_or_create(
        enterprise=world.other_enterprise, year=2026, month=10
    )
    october, september = world.period(2026, 10), world.period(2026, 9)
    units = world.units
    return {
        "output: A1, October": (units["A1"], october),
        "output: A1, September (closed)": (units["A1"], september),
        "output: A2, October": (units["A2"], october),
        "output: B1, October": (units["B1"], october),
        "output: other plant, October": (units["other_section"], other_october),
        "board: shop A": units["A"],
        "board: shop B": units["B"],
        "board: shop of other plant": units["other_shop"],
    }


def _rows():
    from tests.permission_matrix import BACK, LOGIN, Pk, Redirect, get, post

    EMPTY_GRID = {**EMPTY_GRID_ROW, "rows-0-worker": Pk("worker of A1")}

    L, BK, ok, NF, NA = LOGIN, BACK, 200, 404, 405
    IMPORT = Redirect("planning:output_import")
    # fmt: off
    return [
        # url name, object,                             anon wrk brg mst shp dsp eco lab prh dep adm
        # Where output is entered: output.edit.
        get("planning:output", None,                    L,  NF, NF, ok, NF, ok, ok, NF, NF, NF, NF),
        # The month's grid of a section: output.edit within the unit; a closed month is
        # shown read-only, and a POST to it says why not and goes back.
        get("planning:output_entry", "output: A1, October",
                                                        L,  NF, NF, ok, NF, ok, ok, NF, NF, NF, NF),
        get("planning:output_entry", "output: A1, September (closed)",
                                                        L,  NF, NF, ok, NF, ok, ok, NF, NF, NF, NF),
        get("planning:output_entry", "output: A2, October",
                                                        L,  NF, NF, NF, NF, ok, ok, NF, NF, NF, NF),
        get("planning:output_entry", "output: B1, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        get("planning:output_entry", "output: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        post("planning:output_entry", "output: A1, October",
                                                        L,  NF, NF, BK, NF, BK, BK, NF, NF, NF, NF,
             data=EMPTY_GRID),
        post("planning:output_entry", "output: A1, September (closed)",
                                                        L,  NF, NF, BK, NF, BK, BK, NF, NF, NF, NF,
             data=EMPTY_GRID),
        post("planning:output_entry", "output: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data=EMPTY_GRID),
        # Import from a file: output.edit (the rows are checked against the user's units).
        get("planning:output_import", None,             L,  NF, NF, ok, NF, ok, ok, NF, NF, NF, NF),
        # The confirmation is POST-only; without a previewed file it sends back to the upload.
        get("planning:output_import_confirm", None,     L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
        post("planning:output_import_confirm", None,
             L, NF, NF, IMPORT, NF, IMPORT, IMPORT, NF, NF, NF, NF, data={"token": "0" * 32}),
        # The section's days: whoever sees the section reads them; output.edit writes.
        get("planning:section_days", "output: A1, October",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:section_days", "output: A1, September (closed)",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:section_days", "output: A2, October",
                                                        L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
        get("planning:section_days", "output: B1, October",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("planning:section_days", "output: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        post("planning:section_days", "output: A1, October",
                                                        L,  NF, NF, BK, NF, BK, BK, NF, NF, NF, NF),
        post("planning:section_days", "output: A1, September (closed)",
                                                        L,  NF, NF, BK, NF, BK, BK, NF, NF, NF, NF),
        post("planning:section_days", "output: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # The competition board: public within the shop — a worker and the section roles
        # see their own shop's board, the shop roles theirs, the plant's roles any.
        get("planning:board_index", None,               L,  BK, BK, BK, BK, BK, BK, BK, BK, BK, BK),
        get("planning:board", "board: shop A",          L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:board", "board: shop A",          L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok,
            query={"screen": "1"}),
        get("planning:board", "board: shop B",          L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("planning:board", "board: shop of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        get("planning:board_pdf", "board: shop A",      L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
        get("planning:board_pdf", "board: shop B",      L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("planning:board_pdf", "board: shop of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # Bonus proposals: labour & wages (the plant), the shop's economist and head.
        get("planning:bonuses", None,                   L,  NF, NF, NF, ok, NF, ok, ok, NF, NF, NF),
        get("planning:bonuses", None,                   L,  NF, NF, NF, ok, NF, ok, ok, NF, NF, NF,
            query={"_export": "xlsx"}),
    ]
    # fmt: on


def __getattr__(name):
    # ROWS is built on first use: tests.permission_matrix imports the whole project's test
    # factories, which the tracking tests need not load.
    if name == "ROWS":
        return _rows()
    raise AttributeError(name)


# --- helpers of the tracking tests -----------------------------------------------------------
