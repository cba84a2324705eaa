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
