"""The home page's card of proposals: the author's own (where each stands, what is past its
term) and those waiting on the user's step (the bureau, the factory committee, the
administration, the implementation), marked when held past their term."""

from __future__ import annotations

from django.utils import timezone

from enterprise.scoping import scope_of

from ..permissions import ACTIONS, may_see_stats
from . import access, selectors

MINE_SHOWN = 8
HELD_SHOWN = 10


def home_panel(user) -> dict | None:
    """None for a user with no proposals of his own and none waiting on him."""
    scope = scope_of(user)
    today = timezone.localdate()
    mine_rows = []
    mine_total = 0
    if scope.workers or access.may_file(user):
        mine = selectors.mine(user).order_by("-submitted_on", "-number")
        shown = list(mine[:MINE_SHOWN])
        if shown:
            mine_total = mine.count() if len(shown) == MINE_SHOWN else len(shown)
            mine_rows = selectors.home_rows(shown, today)
    held = []
    if access.has_seat(user) or scope.everything or scope.roles - {"worker", "brigade_leader"}:
        held = selectors.held_by(user)
    if not mine_rows and not held:
        return None
    return {
        "template": "meetings/proposals/_home_panel.html",
        "mine": mine_rows,
        "mine_total": mine_total,
        "held": selectors.home_rows(held[:HELD_SHOWN], today),
        "held_total": len(held),
        "held_overdue": sum(1 for p in held if p.is_overdue(today)),
        "may_file": access.may_file(user),
        # the bureau's members read the statistics by their seat, which the menu (asking
        # roles only, with no query) does not know: the card links them
        "stats_by_seat": not (scope.everything or scope.roles & ACTIONS["meeting.stats"])
        and may_see_stats(user),
    }
