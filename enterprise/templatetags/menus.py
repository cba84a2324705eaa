"""The key of the main menu's rendered markup (``base.html``).

The menu is drawn from the items the user's roles allow — the ``nav`` context and the
apps' menu tags, computed first, with no query but the worker's own plan — and from
nothing else: its markup is a function of those answers, of the language and of the site's
address prefix. ``base.html`` keeps the markup in the process's cache under that key
(``{% cache %}``), so each combination of answers is rendered once and not on every page
(some forty links and labels, ~3 ms a page). Two users share a rendering only when every
answer is the same, that is when they see the same menu; an answer that changes (a role
granted, a plan of the year made) is a different key. The kept markup lives in the
default cache, the process's own memory (``CACHES`` is not set): a new release starts new
processes. A cache shared between releases would need the release in the key.
"""

from django import template
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()


def _plain(value):
    """The answer as text; callables (``nav.has_role``) are not answers and are left out."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}={_plain(v)}" for k, v in value.items() if not callable(v)) + "}"
    return repr(value)


@register.simple_tag
def menu_key(*answers) -> str:
    """A key naming everything the menu's markup depends on."""
    return "|".join([get_language() or "", get_script_prefix(), *map(_plain, answers)])
