"""What the close page shows: per shop, the state of its sections' results of a month."""

from __future__ import annotations

from dataclasses import dataclass, field

from enterprise.models import Period, Section, Shop
from enterprise.permissions import can

from ..models import ResultRun, SectionResult
from .plant import read_month

MISSING, STALE, CURRENT = "missing", "stale", "current"


def result_states(period: Period) -> list[tuple[Section, SectionResult | None, str]]:
    """Every self-financing section of ``period`` with its stored result and whether that
    result is ``MISSING``, ``STALE`` (its inputs changed since: its fingerprint differs
    from the month's inputs as they are now) or ``CURRENT``. Nothing is evaluated: the
    fingerprints say it. The close page and the month's close read this one answer."""
    month = read_month(period.enterprise_id, period)
    if not month.inputs:
        return []
    stored = {r.section_id: r for r in SectionResult.objects.filter(period=period).defer("details")}
    states = []
    for item in month.inputs:
        section = item.section
        result = stored.get(section.pk)
        if result is None:
            state = MISSING
        elif result.digest != month.digests[section.pk]:
            state = STALE
        else:
            state = CURRENT
        states.append((section, result, state))
    return states


@dataclass
class ShopState:
    shop: Shop
    sections: int = 0
    current: int = 0
    missing: int = 0
    stale: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    may_close: bool = False

    @property
    def ready(self) -> bool:
        return self.sections and self.current == self.sections and not self.problems


def month_state(user, period: Period) -> list[ShopState]:
    """Each shop with self-financing sections that ``user`` sees: how many results are
    current, missing or outdated, and the problems that stop the close (computed from the
    month's inputs as they are now)."""
    states: dict[int, ShopState] = {}
    for section, result, found in result_states(period):
        shop = section.shop
        if not (can(user, "khz.view", shop) or can(user, "khz.close_plant", shop)):
            continue
        state = states.get(shop.pk)
        if state is None:
            state = states[shop.pk] = ShopState(
                shop=shop, may_close=can(user, "khz.close_shop", shop)
            )
        state.sections += 1
        if found == MISSING:
            state.missing += 1
        elif found == STALE:
            state.stale += 1
        else:
            state.current += 1
            for problem in result.problems:
                state.problems.append((f"№ {section.number} «{section.name}»", problem))
    return sorted(states.values(), key=lambda s: s.shop.number)


def runs_of(user, period: Period, limit: int = 10) -> list[ResultRun]:
    return list(
        ResultRun.objects.visible_to(user)
        .filter(period=period)
        .select_related("shop", "requested_by")
        .order_by("-created_at")[:limit]
    )


def run_for(user, pk) -> ResultRun | None:
    return (
        ResultRun.objects.visible_to(user)
        .select_related("shop", "period", "requested_by")
        .filter(pk=pk)
        .first()
    )
