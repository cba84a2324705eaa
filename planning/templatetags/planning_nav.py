"""The «Личные планы» menu: which of its items the user's roles allow (no queries: the
user's scope is already cached for the request)."""

from django import template

from enterprise.permissions import can
from enterprise.scoping import scope_of

register = template.Library()


@register.simple_tag
def planning_menu(user) -> dict:
    """The menu's items; «Мой личный план» opens the worker's plan of this year itself
    (one query, only for a user with a worker record and no section's plans to see)."""
    own = sorted(scope_of(user).workers)
    sections = can(user, "plan.view_section")
    own_plan_url = None
    if own and not sections:
        own_plan_url = own_plan_link(own[0])
    return {
        "sections": sections,
        "output": can(user, "output.edit"),
        "shifts": can(user, "shift.view"),
        "print": can(user, "plan.print_batch"),
        "bonuses": can(user, "bonus.view"),
        "measures": sections,
        "own_worker": own[0] if own else None,
        "own_plan_url": own_plan_url,
    }


def own_plan_link(worker_id: int) -> str:
    """His plan of this year, else the list of his plans (of other years, or none yet)."""
    from django.urls import reverse
    from django.utils import timezone

    from planning.home import plan_of_year

    plan = plan_of_year(worker_id, timezone.localdate().year)
    return plan.get_absolute_url() if plan else reverse("planning:plan_list")


@register.inclusion_tag("planning/_my_plan_card.html")
def my_plan_card(worker) -> dict:
    """The home page's card of a worker's plan for this year: the plan in force, its year
    to date (fulfilment, lead or lag in days, the day it was reached). Three queries."""
    from django.utils import timezone

    from planning.home import plan_of_year, tracking_of
    from planning.tracking.selectors import plan_reached_on

    if worker is None:
        return {"plan": None}
    year = timezone.localdate().year
    plan = plan_of_year(worker.pk, year)
    if plan is None:
        return {"plan": None, "year": year}
    rows = tracking_of(plan)
    tracked = [row for row in rows if row.cumulative_fulfilment is not None]
    return {
        "plan": plan,
        "year": year,
        "latest": tracked[-1] if tracked else None,
        "reached_on": plan_reached_on(plan, rows),
    }


@register.simple_tag
def operational_menu(user) -> dict:
    """The «Оперативное планирование» menu's items (no queries)."""
    return {
        "view": can(user, "operational.view"),
        "record_stock": can(user, "operational.record_stock"),
    }
