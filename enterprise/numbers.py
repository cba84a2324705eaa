"""How every figure is written: pages, PDFs, table columns and exports go through here.

One rounding — half-up at the precision shown (2106.866 at one place is 2106.9 on every
page, the list included, never cut to 2106.8) — and one form per language: in Russian the
thousands grouped by a no-break space and a decimal comma («2 106,9»), in English as the
English page reads («2,106.9»); a negative figure carries the true minus sign «−»
(U+2212), not a hyphen, and a figure that rounds to zero has no sign at all.

Three shapes, the same three as the template filters (``enterprise/templatetags/numbers.py``):

- :func:`figure` — exactly ``places`` places (money: «1 234,50»), or the figure's own;
- :func:`figure_plain` — at most ``max_places`` places, trailing zeros dropped («6,3» %
  growth whether it is stored as 6.30 or 6.300);
- :func:`figure_signed` — a deviation, «+1,5» / «−2».

Exports keep numbers as numbers: :func:`export_value` gives the rounded ``Decimal`` for a
typed spreadsheet cell, :func:`excel_number_format` its format (``#,##0.00``, which Excel
shows in the reader's own locale: «1 234,50» in a Russian one), :func:`csv_number` the text
Russian Excel reads back as a number («-1234,5»: a CSV cell with «−» or a grouping space
would be text to it).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

from . import money

MINUS = "\N{MINUS SIGN}"
DASH = "—"
PLUS = "+"

type Figure = Decimal | int | float | str | None


def to_decimal(value: Figure) -> Decimal | None:
    """``value`` as a finite ``Decimal``; None for a missing, empty or non-numeric one.

    A float is read through its shortest text (0.1 → ``Decimal("0.1")``, not the binary
    0.1000000000000000055…); a bool is not a number here."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    try:
        number = Decimal(str(value).strip().replace(MINUS, "-"))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def rounded(value: Decimal, places: int) -> Decimal:
    """``value`` half-up to ``places`` places (0.05 → 0.1 at one place, −0.05 → −0.1); a
    figure that rounds to zero is a plain zero (−0.04 → 0.0, never −0.0)."""
    return value.quantize(money.places(places), rounding=ROUND_HALF_UP) + 0


def trimmed(value: Decimal, max_places: int | None = None) -> Decimal:
    """``value`` (half-up to ``max_places`` first, when given) without trailing zeros and
    never in exponent form: 216900.000 → 216900, 6.300 → 6.3, 0.9500 → 0.95."""
    if max_places is not None:
        value = rounded(value, max_places)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1)) + 0
    return value.normalize()


# The active language's (decimal separator, thousands separator, grouping), read once per
# language: Django's ``number_format`` looks the three up and groups digit by digit for
# every figure, which made it the costliest call of a page of a few thousand figures.
_separators: dict[str | None, tuple[str, str, object]] = {}


@receiver(setting_changed)
def _forget_separators(**kwargs) -> None:
    _separators.clear()


def _separators_of(language: str | None) -> tuple[str, str, object]:
    found = _separators.get(language)
    if found is None:
        found = _separators[language] = (
            get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
            get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
            get_format("NUMBER_GROUPING", language, use_l10n=True),
        )
    return found


def _written(value: Decimal) -> str:
    """A rounded ``Decimal`` in the active language, grouped, with a true minus sign
    (what Django's ``number_format(…, force_grouping=True)`` writes, made in one step
    where the grouping is by threes, as in Russian and English)."""
    _sign, digits, exponent = value.as_tuple()
    places = max(0, -exponent)
    decimal_separator, thousands, grouping = _separators_of(get_language())
    if grouping == 3 and len(digits) + abs(exponent) <= 200:
        whole, _point, fraction = f"{abs(value):,.{places}f}".partition(".")
        text = whole.replace(",", thousands)
        if fraction:
            text = f"{text}{decimal_separator}{fraction}"
    else:
        text = number_format(abs(value), places, use_l10n=True, force_grouping=True)
    return f"{MINUS}{text}" if value < 0 else text


def figure(value: Figure, places: int | None = None) -> str:
    """``value`` with exactly ``places`` places, rounded half-up (2106.866 at 1 → «2 106,9»),
    or with its own places when ``places`` is None; «—» for a missing one; −5 → «−5»."""
    number = to_decimal(value)
    if number is None:
        return DASH
    return _written(rounded(number, places) if places is not None else number + 0)


def figure_plain(value: Figure, max_places: int | None = None) -> str:
    """``value`` with at most ``max_places`` places and no trailing zeros (6.30 → «6,3»,
    1000.000 → «1 000»); «—» for a missing one."""
    number = to_decimal(value)
    if number is None:
        return DASH
    return _written(trimmed(number, max_places))


def figure_signed(value: Figure, places: int | None = None) -> str:
    """A deviation: «+1,5», «−2», «0» (a figure that rounds to zero has no sign)."""
    number = to_decimal(value)
    if number is None:
        return DASH
    text = figure(number, places)
    shown = rounded(number, places) if places is not None else number
    return f"{PLUS}{text}" if shown > 0 else text


# --- exports -----------------------------------------------------------------------------------

DATE_FORMAT_EXCEL = "DD.MM.YYYY"
DATETIME_FORMAT_EXCEL = "DD.MM.YYYY HH:MM"
DATE_FORMAT_CSV = "%d.%m.%Y"
DATETIME_FORMAT_CSV = "%d.%m.%Y %H:%M"


def export_value(value: Figure, places: int | None = None) -> Decimal | None:
    """The figure a spreadsheet cell holds: the ``Decimal`` rounded as the page shows it
    (``places``), or as it is; None for a missing one."""
    number = to_decimal(value)
    if number is None:
        return None
    return rounded(number, places) if places is not None else number + 0


def excel_number_format(value: Decimal | int | float) -> str:
    """The cell format of a number: its places, thousands grouped («#,##0.00» for money,
    «#,##0» for a count). Excel writes it in the reader's locale: «1 234,50» in Russian."""
    if isinstance(value, int):
        return "#,##0"
    number = value if isinstance(value, Decimal) else to_decimal(value)
    places = max(0, -number.as_tuple().exponent) if number is not None else 2
    return "#,##0." + "0" * places if places else "#,##0"


def csv_number(value: Decimal | int | float) -> str:
    """A number as Russian Excel reads it from a CSV: its places, a decimal comma, no
    grouping, an ASCII minus, never an exponent (``Decimal("-1234.50")`` → «-1234,50»,
    ``Decimal("1.5E+3")`` → «1500»). Round it first where the page rounds it (the export's
    columns do: :class:`enterprise.columns.NumberColumn`)."""
    number = to_decimal(value)
    if number is None:
        return ""
    return format(number + 0, "f").replace(".", ",")


def csv_cell(value) -> object:
    """A cell of a CSV export: numbers as :func:`csv_number`, dates as dd.mm.yyyy, the rest
    as it is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal | int | float):
        return csv_number(value)
    if isinstance(value, datetime.datetime):
        return value.strftime(DATETIME_FORMAT_CSV)
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT_CSV)
    return value
