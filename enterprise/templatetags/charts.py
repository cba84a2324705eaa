"""``{% chart svg %}``: a chart of ``enterprise.charts`` inlined in a page or a PDF.

A chart's SVG carries its own ``<style>`` element; the site's CSP lets a page apply only
stylesheets of the site and inline ones with the request's nonce. The tag adds the
context's ``csp_nonce`` to that element (a PDF's context has none: WeasyPrint applies
the style as it is). Nothing is written for a missing chart (None).
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def chart(context, svg: SafeString | None) -> str:
    if not svg:
        return ""
    nonce = context.get("csp_nonce")
    if nonce is not None:  # a LazyNonce is falsy until read: reading it here makes it
        svg = svg.replace("<style", f'<style nonce="{escape(str(nonce))}"', 1)
    # the markup of enterprise.charts (pygal escapes its text) and the nonce escaped here
    return mark_safe(svg)  # nosec B308 B703
