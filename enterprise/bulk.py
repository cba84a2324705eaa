"""Acting on many documents at once (approving a shop's agreed distributions, signing a
section's agreed plans): a list with checkboxes, the step confirmed like a single one
(:func:`enterprise.web.confirm_page`), then each ticked document run through the same
service as on its own page — which still checks it (its status, its month, who signed
it before) — and the result listed document by document: done, or refused and why (on
the list's page, which the POST redirects to: the outcome waits in the session, once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import web
from .fields import safe_int

PARAMETER = "pk"


@dataclass
class Row:
    """A document of the list: its checkbox value, what it is, its figures, and — when
    the user may not act on it — why (no checkbox then)."""

    pk: int
    label: str
    url: str
    cells: list[str] = field(default_factory=list)
    blocked: str | None = None


@dataclass
class Outcome:
    row: Row
    done: bool
    reason: str = ""


@dataclass
class Bulk:
    """One bulk page: its title, the columns of its list, the confirmation's words."""

    title: str
    intro: str
    headers: list[str]
    button: str
    effects: list[str]
    done_word: str
    cancel_url: str
    # sent again with the list (the role one signs as); links to the same list otherwise
    # (url, label, current) — one per role, when the user holds several
    hidden: list[tuple[str, str]] = field(default_factory=list)
    choices: list[tuple[str, str, bool]] = field(default_factory=list)
    # the columns (indexes into ``headers``) that hold figures: right-aligned, as figures
    # are on every list; a text column (a section, a council's minutes) reads from the left
    numeric: tuple[int, ...] = ()

    def __str__(self) -> str:
        return self.title

    def columns(self) -> list[tuple[str, bool]]:
        """Each header and whether its column holds figures."""
        return [(header, index in self.numeric) for index, header in enumerate(self.headers)]

    def cells(self, row: Row) -> list[tuple[str, bool]]:
        """Each cell of ``row`` and whether it is a figure."""
        return [(cell, index in self.numeric) for index, cell in enumerate(row.cells)]


def ticked(request, rows: Iterable[Row]) -> list[Row]:
    """The rows the user ticked, of those he was offered (other ids are dropped)."""
    wanted = {safe_int(value) for value in request.POST.getlist(PARAMETER)}
    return [row for row in rows if row.pk in wanted]


def refusal_of(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    if isinstance(error, PermissionDenied) and error.args:
        return str(error.args[0])
    return _("Нет права на это действие.")


def run_each(rows: list[Row], call: Callable[[int], Any]) -> list[Outcome]:
    """``call(pk)`` for each row — a service that locks, checks and saves its document in
    its own transaction — and what came of it; one refusal does not stop the others."""
    outcomes = []
    for row in rows:
        try:
            call(row.pk)
        except (ValidationError, PermissionDenied) as error:
            outcomes.append(Outcome(row, False, refusal_of(error)))
        else:
            outcomes.append(Outcome(row, True))
    return outcomes


def _session_key(request) -> str:
    return f"bulk-outcomes:{request.path}"


def _keep(request, outcomes: list[Outcome]) -> None:
    """The outcome, for the page the POST redirects to (read once)."""
    request.session[_session_key(request)] = [
        {"pk": o.row.pk, "label": o.row.label, "url": o.row.url, "done": o.done,
         "reason": o.reason}
        for o in outcomes
    ]  # fmt: skip


def _kept(request) -> list[Outcome] | None:
    saved = request.session.pop(_session_key(request), None)
    if not isinstance(saved, list):
        return None
    return [
        Outcome(Row(item["pk"], item["label"], item["url"]), item["done"], item["reason"])
        for item in saved
    ]


def page(request, bulk: Bulk, rows: list[Row], call: Callable[[int], Any]):
    """GET: the list (and, once, the outcome of the step just run); POST: the
    confirmation of the ticked ones; POST with ``confirm=1``: run them and redirect to
    the list, which shows the outcome row by row."""
    context = {
        "bulk": bulk,
        "rows": rows,
        "columns": bulk.columns(),
        "table": [(row, bulk.cells(row)) for row in rows],
    }
    if request.method == "GET" and (outcomes := _kept(request)) is not None:
        context["outcomes"] = outcomes
        context["done_count"] = sum(1 for o in outcomes if o.done)
        context["refused_count"] = sum(1 for o in outcomes if not o.done)
    if request.method == "POST":
        chosen = ticked(request, rows)
        if not chosen:
            context["nothing_ticked"] = True
        elif not web.confirmed(request):
            confirmation = web.Confirmation(
                title=bulk.title,
                effects=bulk.effects,
                button=bulk.button,
                details=[(_("Отмечено"), str(len(chosen)))],
                items=[row.label for row in chosen],
            )
            return web.confirm_page(
                request, bulk, confirmation, cancel_url=request.path, subject=False
            )
        else:
            _keep(request, run_each(chosen, call))
            query = urlencode(bulk.hidden)
            return redirect(f"{request.path}?{query}" if query else request.path)
    return render(request, "enterprise/bulk.html", context)
