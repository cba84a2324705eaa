"""Money and the precision figures are kept and shown to, for every app. Pure: no Django.

Money is ``Decimal`` rubles with two places (kopecks), never float. Figures are computed
unrounded and rounded once, at the end, to the places their column or page shows; the
places are named here so that every app rounds a volume, a percent or a coefficient alike.

Two ways of rounding to the kopeck are in use and both are kept, by name:

- :func:`half_up` is ``Decimal.quantize(places, ROUND_HALF_UP)`` as is: −0.004 gives
  ``-0.00``. The brigades' figures (the generator, the demo, the reports) and the plans'
  money use it.
- :func:`to_kopecks` rounds the same way but never gives a negative zero (−0.004 →
  ``0.00``): the claims' amounts, which people read in formulas, use it.

The two agree on every value except a negative one that rounds to zero.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
"""Zero rubles, with the two places of money (``str(ZERO) == "0.00"``)."""
NIL = Decimal(0)
"""Zero without places (``str(NIL) == "0"``): the start of a sum of volumes, hours or
outputs, which keeps the places of what is summed (the plans' sums start from it)."""
ONE = Decimal("1.00")
"""One, with two places: the base KTU as a KTU column keeps it."""
HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)

# --- places: the exponent a figure is rounded to (what ``Decimal.quantize`` takes) ----------------

KOPECK = Decimal("0.01")
"""Money: two places."""
TENTH = Decimal("0.1")
"""One place: the percent of norms met (table 15), fulfilment percents, a work grade."""
THOUSANDTH = Decimal("0.001")
"""Three places: volumes of output, the plans' growth percents, thousands of rubles."""
NORM_HOURS_PLACES = KOPECK
"""Norm-hours of a brigade's month (the document's column keeps two places)."""
RATE_PLACES = THOUSANDTH
"""An hourly tariff rate (the grid keeps three places)."""
COEFFICIENT_PLACES = Decimal("1E-8")
"""A distribution's coefficient (K, Кп) as its column stores it (8 places)."""
COEFFICIENT_SHOWN = 4
"""A coefficient shown on a page: four places."""


def places(count: int) -> Decimal:
    """The exponent of ``count`` places: ``places(2) == KOPECK``, ``places(0) == 1``."""
    if count < 0:
        raise ValueError(f"places must be >= 0, got {count}")
    return Decimal(1).scaleb(-count)


def half_up(value: Decimal, exponent: Decimal = KOPECK) -> Decimal:
    """``value`` rounded half-up to ``exponent`` (``KOPECK``, ``TENTH`` …): 0.125 → 0.13.

    Exactly ``Decimal.quantize(exponent, ROUND_HALF_UP)``: a negative value that rounds to
    zero keeps its sign (−0.004 → ``-0.00``; see :func:`to_kopecks`).
    """
    return value.quantize(exponent, rounding=ROUND_HALF_UP)


def to_kopecks(value: Decimal | int) -> Decimal:
    """``value`` rounded half-up to the kopeck; a negative zero comes out as ``0.00``."""
    return Decimal(value).quantize(KOPECK, rounding=ROUND_HALF_UP) + 0


def half_even(value: Decimal, exponent: Decimal) -> Decimal:
    """``value`` rounded half-even (banker's) to ``exponent``: 0.125 → 0.12, 0.135 → 0.14.

    What ``value.quantize(exponent)`` gives without a rounding named (the ``decimal``
    module's default): the stored coefficients, a generated work grade and the plans'
    exports round so.
    """
    return value.quantize(exponent, rounding=ROUND_HALF_EVEN)


def to_coefficient(value: Decimal) -> Decimal:
    """A coefficient as its column stores it: 8 places, rounded half-even."""
    return half_even(value, COEFFICIENT_PLACES)
