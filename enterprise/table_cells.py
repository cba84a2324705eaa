"""django-tables2 asks for the signature of a column's ``render``/``value`` method for
every cell it renders (``django_tables2.utils.call_with_appropriate``): 91,000 calls of
``inspect.signature`` for the plant's 7,000 workers exported, most of the export's time.
A function's signature does not change, so it is read once per function here.
"""

from __future__ import annotations

from functools import lru_cache

from django_tables2 import utils

UNCACHED = utils.signature


@lru_cache(maxsize=2048)
def signature_of(function, bound: bool):
    if bound:
        # the signature of the method bound to any instance: ``self`` is left out
        return UNCACHED(function.__get__(object()))
    return UNCACHED(function)


def signature(fn):
    """``django_tables2.utils.signature``, computed once per function (and per bound or not)."""
    function = getattr(fn, "__func__", None)
    if function is not None and getattr(fn, "__self__", None) is not None:
        return signature_of(function, True)
    try:
        return signature_of(fn, False)
    except TypeError:  # an unhashable callable
        return UNCACHED(fn)


def install() -> None:
    """Have django-tables2 use the cached signature (called from the app's ``ready()``)."""
    utils.signature = signature
