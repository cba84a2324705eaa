"""``{% status_badge obj %}``: a document's status as a coloured badge.

The colour is the model's own ``status_colour`` (a Bootstrap colour name), so the
status → colour mapping lives once, beside the statuses, and no template compares
status letters."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def status_badge(obj, css: str = "", testid: str = "status"):
    """``<span class="badge text-bg-…">`` with the status's label; ``css`` adds classes."""
    classes = f"badge text-bg-{obj.status_colour}"
    if css:
        classes = f"{classes} {css}"
    if testid:
        return format_html(
            '<span class="{}" data-testid="{}">{}</span>', classes, testid, obj.get_status_display()
        )
    return format_html('<span class="{}">{}</span>', classes, obj.get_status_display())
