"""What section self-financing tells the month's close (``enterprise.closing``).

A month closes only with every self-financing section's result computed, current (its
inputs have not changed since) and without problems: the results are then frozen with
the month. This is a kind that cannot be carried over: the results are summed up in
their own month. Reopening a month queues its close again, so its results follow any
correction made while it is open.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from enterprise.closing import OpenItem

from .models import SectionResult
from .selectors.closing import MISSING, STALE, result_states


def _state(found: str, stored: SectionResult | None) -> str | None:
    if found == MISSING:
        return _("итоги не подведены")
    if found == STALE:
        return _("данные изменились после подведения итогов")
    if stored.problems:
        return _("расчёт не завершён: %(problem)s") % {"problem": stored.problems[0]}
    return None


def open_in(period) -> list[OpenItem]:
    """The self-financing sections whose result of ``period`` is missing, outdated or
    incomplete (computed from the month's inputs as they are now)."""
    url = reverse("khozraschet:close", args=[period.year, period.month])
    items = []
    for section, stored, found in result_states(period):
        state = _state(found, stored)
        if state is None:
            continue
        items.append(
            OpenItem(
                pk=section.pk,
                label=_("Участок № %(number)s «%(name)s»")
                % {"number": section.number, "name": section.name},
                unit=str(section.shop),
                status=state,
                url=url,
            )
        )
    return items


def finished_in(period) -> int:
    """How many sections' results of ``period`` are stored without problems."""
    return SectionResult.objects.filter(period=period, problems=[]).count()
