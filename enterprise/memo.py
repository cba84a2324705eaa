"""Answers computed once per request: what the menus, the home page's panels and cards ask
for several times (the worker's plan of the year, its months) is read once.

``ActorMiddleware`` opens a memo for each request that changes nothing (GET, HEAD): a page
that writes may read the same thing before and after its write, so it gets no memo. Outside
a request (services, commands, tests calling a selector) there is no memo and every call
computes afresh. The memo lives as long as its request and is never shared with another
one, so it cannot carry one user's answers to another; keys still name everything an answer
depends on (the worker, the year), as a cache's keys must.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("khozraschet_request_memo", default=None)

SAFE_METHODS = frozenset({"GET", "HEAD"})


@contextmanager
def request_memo(active: bool = True) -> Iterator[None]:
    """A fresh memo for the block (none when ``active`` is false)."""
    token = _memo.set({} if active else None)
    try:
        yield
    finally:
        _memo.reset(token)


def memoised[T](key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s answer, computed once per request for ``key``."""
    memo = _memo.get()
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        memo[key] = value = compute()
        return value
