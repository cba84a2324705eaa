"""Addresses resolved once, not on every use: a row's detail page by its id, and a route
whose address depends only on its arguments (the admin's sidebar).

Lists link each row to its page (``get_absolute_url``), and Django's ``reverse`` looks the
route up, checks its converters and quotes the result on every call: about a twentieth of
a plant user's request went there (py-spy over the load mix). A route with one id gives
the same address around whatever id it is given, so :func:`object_url` resolves it once,
with a marker id, and afterwards writes the id between the two halves.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse

# An id no table reaches, written where the real one goes: a route whose address would
# hold it anywhere else (or not at all) is resolved by ``reverse`` every time.
_MARKER = "2147480009"
_UNUSABLE = None

# (view name, resolver, script prefix) → (head, tail) or _UNUSABLE. The resolver is the
# one ``reverse`` would use (a test's own URLconf gets its own); the script prefix is the
# address the application is mounted at.
_HALVES: dict = {}


def object_url(viewname: str, pk: int) -> str:
    """``reverse(viewname, args=[pk])`` for a route that takes one integer id."""
    key = (viewname, get_resolver(get_urlconf()), get_script_prefix())
    halves = _HALVES.get(key, False)
    if halves is False:
        halves = _halves(viewname)
        _HALVES[key] = halves
    if halves is _UNUSABLE or pk is None:
        return reverse(viewname, args=[pk])
    return f"{halves[0]}{int(pk)}{halves[1]}"


def _halves(viewname: str):
    url = reverse(viewname, args=[int(_MARKER)])
    head, found, tail = url.partition(_MARKER)
    if not found or _MARKER in tail:
        return _UNUSABLE
    return head, tail


# (view name, arguments, current app, resolver, script prefix) → the address, or None when
# the route does not exist there.
_FIXED: dict = {}


def fixed_url(viewname: str, current_app: str | None = None, **kwargs) -> str | None:
    """``reverse(viewname, kwargs=kwargs, current_app=…)`` remembered for the resolver and
    script prefix it was reversed under; None when there is no such route (as the admin's
    app list leaves a URL it cannot reverse)."""
    key = (viewname, *kwargs.items(), current_app, get_resolver(get_urlconf()),
           get_script_prefix())  # fmt: skip
    try:
        return _FIXED[key]
    except KeyError:
        pass
    try:
        url = reverse(viewname, kwargs=kwargs or None, current_app=current_app)
    except NoReverseMatch:
        url = None
    _FIXED[key] = url
    return url
