"""What the load test's users change when they write (apart from locust, which patches the
standard library when imported: the tests import this alone)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

HALF_HOUR = Decimal("0.5")
TURN_DOWN_AT = Decimal("150")


def one_more_half_hour(fields: list[tuple[str, str]], choose) -> list[tuple[str, str]]:
    """A timesheet's fields as shown, with one worker's hours (the row ``choose`` picks)
    moved by half an hour — up, or down from 150 h on — so that saving it writes: the
    lines, the shares, the history, as a leader's correction does. The figure stays within
    the month's fund (no confirmation is asked)."""
    rows = [i for i, (name, value) in enumerate(fields) if name.endswith("-hours") and value]
    if not rows:
        return fields
    i = choose(rows)
    name, value = fields[i]
    try:
        hours = Decimal(value.replace("\xa0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return fields
    hours = hours - HALF_HOUR if hours >= TURN_DOWN_AT else hours + HALF_HOUR
    changed = list(fields)
    changed[i] = (name, f"{hours:.1f}".replace(".", ","))
    return changed
