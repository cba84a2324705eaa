"""``{% frozen_note period %}``: a closed month's document says why it is frozen and who
can reopen it, where its forms would be (:func:`enterprise.closing.frozen_note`)."""

from __future__ import annotations

from django import template

from enterprise.closing import frozen_note as note_of

register = template.Library()


@register.inclusion_tag("enterprise/_frozen.html", takes_context=True)
def frozen_note(context, period, lead="", testid="frozen-note"):
    """``lead`` — the page's own first line (what is frozen on it), instead of the
    general one; who closed the month and who may reopen it follow."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "note": note_of(period, user) if user is not None else None,
        "lead": lead,
        "testid": testid,
    }
