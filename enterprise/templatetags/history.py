"""``{% history_page history as panel %}``: one page of an object's «История» panel.

The page number is the request's ``?history_page=`` (a wrong one shows the first page);
the links keep the page's other parameters and return to the panel."""

from django import template

from enterprise.history import PAGE_PARAMETER

register = template.Library()


@register.simple_tag(takes_context=True)
def history_page(context, history) -> dict:
    """The entries of the asked page and the links to the newer and older ones."""
    request = context.get("request")
    number = request.GET.get(PAGE_PARAMETER) if request is not None else None
    page, entries = history.page(number)

    def link(to: int) -> str:
        query = request.GET.copy() if request is not None else None
        if query is None:
            return f"?{PAGE_PARAMETER}={to}#history"
        query[PAGE_PARAMETER] = to
        return f"?{query.urlencode()}#history"

    return {
        "entries": entries,
        "number": page.number,
        "newer": link(page.number - 1) if page.has_previous() else "",
        "older": link(page.number + 1) if page.has_next() else "",
    }
