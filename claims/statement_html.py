"""The statement page's table rows written by a function rather than the template loop.

A plant's statement shows a hundred pairs and every unit of the month (~140), eight and
four figures a row: through the template engine (a ``{% blocktranslate %}`` and a ``num``
filter per cell) that was a third of the page's time. The rows here are the same cells
and text (only the whitespace between tags differs); the figures are written by
:func:`enterprise.numbers.figure`, as the ``num`` filter writes them.
"""

from __future__ import annotations

from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from enterprise.numbers import figure


def _text(value) -> str:
    """A value as the template writes it: localized and escaped."""
    if type(value) is int and -1000 < value < 1000:
        return str(value)
    return escape(str(localize(value)))


def pair_rows(pairs) -> SafeString:
    """The ``<tr>`` of each pair of units shown (a page of them)."""
    settled = escape(_("погашены полностью"))
    who = _("%(d)s → %(c)s")
    rows = []
    for pair in pairs:
        direction = (
            who % {"d": escape(pair.debtor), "c": escape(pair.creditor)}
            if pair.balance
            else settled
        )
        rows.append(
            f"    <tr>\n"
            f"      <td>{escape(pair.first)}</td><td>{escape(pair.second)}</td>\n"
            f'      <td class="num">{figure(pair.first_to_second, 2)}</td>\n'
            f'      <td class="num">{figure(pair.second_to_first, 2)}</td>\n'
            f'      <td class="num">{figure(pair.offset, 2)}</td>\n'
            f'      <td class="num fw-semibold">{figure(pair.balance, 2)}</td>\n'
            f'      <td class="small">{direction}</td>\n'
            f'      <td class="num">{_text(pair.claims)}</td>\n'
            f"    </tr>"
        )
    return mark_safe("\n".join(rows))  # nosec B308 B703: every text above is escaped


def unit_rows(units) -> SafeString:
    """The ``<tr>`` of each unit: what the month's claims add to or take from its result."""
    rows = []
    for unit in units:
        tone = " text-danger" if unit.net < 0 else " text-success" if unit.net > 0 else ""
        rows.append(
            f"    <tr>\n"
            f"      <td>{escape(unit.label)}</td>\n"
            f'      <td class="num">{figure(unit.credited, 2)}</td>\n'
            f'      <td class="num">{figure(unit.charged, 2)}</td>\n'
            f'      <td class="num fw-semibold{tone}">{figure(unit.net, 2)}</td>\n'
            f"    </tr>"
        )
    return mark_safe("\n".join(rows))  # nosec B308 B703: every text above is escaped
