"""What the rules of planning's features share: how a number is written in their messages.

The rules modules know nothing of Django; their error messages are plain Russian strings,
so a caller that shows them in another language translates at its own boundary.
"""

from __future__ import annotations

from decimal import Decimal

from enterprise.money import TENTH, half_up


def decimal_text(x: Decimal) -> str:
    """A decimal as written in Russian: decimal comma, never an exponent."""
    return format(x, "f").replace(".", ",")


def percent_text(x: Decimal) -> str:
    """A percentage rounded half-up to one place, with a decimal comma: ``7,5 %``."""
    return f"{decimal_text(half_up(x, TENTH))} %"
