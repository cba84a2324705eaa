"""The competition board as a PDF (A4 landscape): one template, rendered from
:func:`planning.tracking.board`'s :class:`~planning.tracking.Board`.

The PDF code runs no queries: everything it shows is loaded by the selector.
"""

from __future__ import annotations

from django.utils import timezone

from enterprise.pdf import render_pdf

from .selectors import Board

TEMPLATE = "planning/pdf/board.html"
STYLESHEET = "css/pdf.css"


def render_board(board: Board) -> bytes:
    """The shop's board for the month as PDF bytes, in the active language."""
    context = {
        "board": board,
        "shop": board.shop,
        "period": board.period,
        "printed_at": timezone.localtime(),
    }
    return render_pdf(TEMPLATE, context, (STYLESHEET,))
