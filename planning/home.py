"""A worker's home card of his personal plan: the year's plan and fact month by month, as
a chart (``enterprise.charts``), with the figures of the latest month."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise import charts
from enterprise.memo import memoised
from enterprise.models.periods import MONTH_NAMES
from enterprise.money import TENTH, half_up
from enterprise.scoping import scope_of

from .plans.selectors import current_plan
from .tracking.selectors import worker_tracking

PHONE_WIDTH = 400  # the chart's units across a phone's screen


def plan_of_year(worker_id: int, year: int):
    """The worker's plan of ``year`` in force (:func:`current_plan`), read once per request:
    his menu, his home page's card and its chart all ask for it."""
    return memoised(
        ("planning.current_plan", worker_id, year), lambda: current_plan(worker_id, year)
    )


def tracking_of(plan):
    """The plan's months (:func:`worker_tracking`), read once per request."""
    return memoised(("planning.worker_tracking", plan.pk), lambda: worker_tracking(plan))


def progress_chart(plan, rows, *, phone: bool = False):
    """Bars of the plan and the fact from the year's start, by month (to the latest month
    with output; the months after it have no fact yet). None with no output at all.
    ``phone``: drawn narrow with the months down the side, a month a row, so that each
    figure has the room of its bar's length (eleven months of two upright bars on a
    phone's width ran their figures into one unreadable line); the months before the
    plan's first, with neither a plan nor a fact, are left out there."""
    tracked = [row for row in rows if row.actual is not None]
    if not tracked:
        return None
    shown = rows[: rows.index(tracked[-1]) + 1]
    if phone:
        while len(shown) > 1 and not shown[0].cumulative_plan and not shown[0].cumulative_actual:
            shown = shown[1:]
    labels = [str(MONTH_NAMES[row.period.month - 1])[:3] for row in shown]
    # Until it is signed the plan is a proposal: its bars say so, not only the card's note.
    planned = _("План с начала года") if signed(plan) else _("Проект плана с начала года")
    return charts.bars(
        labels,
        [
            (planned, [half_up(row.cumulative_plan, TENTH) for row in shown]),
            (_("Факт с начала года"), [half_up(row.cumulative_actual, TENTH) for row in shown]),
        ],
        title=_("Выполнение личного плана на %(year)s год, %(unit)s")
        % {"year": plan.year, "unit": plan.unit},
        unit=plan.unit,
        colors=(charts.LIGHT_GREY, charts.BLUE),
        width=PHONE_WIDTH if phone else charts.WIDTH,
        height=None if phone else 320,
        horizontal=phone,
    )


def signed(plan) -> bool:
    return plan.status == plan.Status.SIGNED


def home_panel(user) -> dict | None:
    """The worker's plan progress (None for a user with no plan; with no query for a user
    who is no worker)."""
    own = scope_of(user).workers
    if not own:
        return None
    plan = plan_of_year(min(own), timezone.localdate().year)
    if plan is None:
        return None
    rows = tracking_of(plan)
    return {
        "template": "planning/_home_progress.html",
        "plan": plan,
        "signed": signed(plan),
        "chart": progress_chart(plan, rows),
        "phone_chart": progress_chart(plan, rows, phone=True),
    }
