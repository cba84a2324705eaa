"""The «Личные планы» menu: which of its items the user's roles allow (no queries: the
user's scope is already cached for the request)."""

from django import template

from enterprise.permissions import can
from enterprise.scoping import scope_of

register = template.Library()


@register.simple_tag
def planning_menu(user) -> dict:
    own = sorted(scope_of(user).workers)
    return {
        "sections": can(user, "plan.view_section"),
        "output": can(user, "output.edit"),
        "print": can(user, "plan.print_batch"),
        "bonuses": can(user, "bonus.view"),
        "measures": can(user, "plan.view_section"),
        "own_worker": own[0] if own else None,
    }


@register.inclusion_tag("planning/_my_plan_card.html")
def my_plan_card(worker) -> dict:
    """The home page's card of a worker's plan for this year: the plan in force, its year
    to date (fulfilment, lead or lag in days, the day it was reached). Three queries."""
    from django.utils import timezone

    from planning.plans.models import PersonalPlan
    from planning.tracking.selectors import plan_reached_on, worker_tracking

    if worker is None:
        return {"plan": None}
    year = timezone.localdate().year
    versions = PersonalPlan.objects.filter(
        worker=worker,
        year=year,
        status__in=[
            PersonalPlan.Status.SIGNED,
            PersonalPlan.Status.AGREED,
            PersonalPlan.Status.DRAFT,
        ],
    ).order_by("-version")
    plan = next((p for p in versions if p.status == PersonalPlan.Status.SIGNED), None)
    plan = plan or next(iter(versions), None)
    if plan is None:
        return {"plan": None, "year": year}
    rows = worker_tracking(plan)
    tracked = [row for row in rows if row.cumulative_fulfilment is not None]
    return {
        "plan": plan,
        "year": year,
        "latest": tracked[-1] if tracked else None,
        "reached_on": plan_reached_on(plan, rows),
    }
