"""The «Совещания» menu: which of its items the user's roles allow (no queries: the user's
scope is cached for the request; a seat on a commission is not asked here — the bureau
finds its proposals from the home page and the proposals' list)."""

from django import template

from enterprise.scoping import scope_of

from ..permissions import ACTIONS

register = template.Library()


@register.simple_tag
def meetings_menu(user) -> dict:
    scope = scope_of(user)

    def holds(action: str) -> bool:
        return scope.everything or bool(scope.roles & ACTIONS[action])

    return {
        "show": scope.everything or bool(scope.roles),
        "stats": holds("meeting.stats"),
        "file": holds("proposal.file"),
        "overdue": holds("proposal.overdue"),
    }
