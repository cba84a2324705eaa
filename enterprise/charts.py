"""The product's charts: SVG drawn on the server by pygal, one chart for the page and the PDF.

Every function takes figures (Decimals; None for a missing one) and labels the caller has
already translated, and returns the SVG markup as a ``SafeString`` to inline, or None when
there is nothing to draw. The module is presentation only: no queries, no rules.

What every chart is held to:

* no ``<script>`` and no external reference: pygal's tooltips script is off (``js=[]``:
  plant networks are closed and the CSP allows scripts only from the site with a nonce)
  and the inline script with its config, which pygal writes even then, is taken out, with
  its comments (they carry its site's addresses); no ``style`` attribute either (the CSP
  forbids inline styles);
* its ``<style>`` element needs the page's CSP nonce: write it with ``{% chart svg %}``
  (``enterprise/templatetags/charts.py``), which adds ``csp_nonce`` when the context has
  one, and the same markup goes into a WeasyPrint PDF as it is;
* numbers in Russian (``1 234,5``: a no-break space between thousands, a decimal comma),
  every figure as exact as the Decimal given (the caller rounds);
* the site's palette (Bootstrap's) and its printed font (PT Sans, as the PDFs);
* ``role="img"`` with the title as its accessible name, and each bar or point carries a
  ``<title>`` (the browser's own tooltip): «category — series: value unit».
"""

from __future__ import annotations

import functools
import math
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from decimal import Decimal

import pygal
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from pygal.style import Style

from . import numbers
from .chart_drawing import (
    GROUP_GAP,
    LABEL_FONT_SIZE,
    LABEL_ROOM,
    LEGEND_FONT_SIZE,
    VALUE_FONT_SIZE,
    Bar,
    HorizontalBar,
    text_width,
)
from .money import HUNDRED, TENTH, ZERO, half_up

__all__ = ["bars", "cumulative_percentages", "decades", "number", "pareto", "trend"]

type Number = Decimal | int | None
type Series = Sequence[tuple[str, Sequence[Number]]]

# The site's palette (Bootstrap 5, as static/vendor/bootstrap and static/css/app.css use it).
BLUE = "#0d6efd"
GREEN = "#198754"
ORANGE = "#fd7e14"
RED = "#dc3545"
GREY = "#6c757d"
LIGHT_GREY = "#adb5bd"
PURPLE = "#6f42c1"
TEAL = "#20c997"
INK = "#212529"
GUIDE = "#dee2e6"
PALETTE = (BLUE, ORANGE, GREEN, PURPLE, TEAL, RED, GREY)

# The PDFs' font (static/css/pdf.css); a page falls back to the system's sans-serif.
FONT_FAMILY = '"PT Sans", system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'

WIDTH = 800  # user units of the viewBox; the SVG scales to its box
# A chart drawn for a narrow box (a phone's screen, a column beside a table): its text keeps
# a readable size where an 800-wide chart would be drawn at half its size.
NARROW_WIDTH = 400


def number(value: Decimal | float | int) -> str:
    """``value`` in Russian: «1 234,56» (no-break space between thousands, decimal comma),
    a true minus sign (:func:`enterprise.numbers.figure`)."""
    return numbers.figure(value)


def _tick(value: float) -> str:
    """An axis graduation (pygal computes them as floats): to 6 places, no trailing zeros."""
    exact = Decimal(repr(round(value, 6)))
    whole = exact == exact.to_integral_value()
    return number(exact.quantize(Decimal(1)) if whole else exact.normalize())


def _step(span: float, steps: int, factors=(1, 2, 2.5, 5)) -> float:
    """A round step (by default 1, 2, 2.5, 5 × 10ⁿ) covering ``span`` in ``steps`` steps."""
    raw = span / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (*factors, 10):
        if factor * magnitude * steps >= span:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover


def _ticks(values: Sequence[float], *, room: float, steps: int = 5) -> list[float]:
    """Graduations of a value axis from 0 (or below it) past the values with ``room`` left.

    The largest value keeps ``room`` (a share of the axis) free for its printed figure.
    """
    low = min(0.0, *values)
    high = max(0.0, *values)
    span = (high - low) * (1 + room) or 1.0
    step = _step(span, steps)
    first = math.floor(low / step) if low < 0 else 0
    last = max(math.ceil(high * (1 + room) / step), first + 1)
    return [round(i * step, 9) for i in range(first, last + 1)]


def _level_ticks(values: Sequence[float], steps: int = 5) -> list[float]:
    """Graduations around the values, not from 0 (a trend's level, its ups and downs)."""
    low, high = min(values), max(values)
    span = (high - low) or abs(high) or 1.0
    step = _step(span, steps)
    first, last = math.floor(low / step), math.ceil(high / step)
    return [round(i * step, 9) for i in range(first, max(last, first + 1) + 1)]


def _with_unit(text: str, unit: str) -> str:
    return f"{text}\N{NO-BREAK SPACE}{unit}" if unit else text


def _style(**overrides) -> Style:
    options = {
        "background": "transparent",
        "plot_background": "transparent",
        "foreground": INK,
        "foreground_strong": INK,
        "foreground_subtle": GREY,
        "font_family": FONT_FAMILY,
        "label_font_size": LABEL_FONT_SIZE,
        "major_label_font_size": LABEL_FONT_SIZE,
        "value_font_size": VALUE_FONT_SIZE,
        "value_label_font_size": 12,
        "legend_font_size": LEGEND_FONT_SIZE,
        "title_font_size": 15,
        "tooltip_font_size": 13,
        "no_data_font_size": 13,
        "guide_stroke_color": GUIDE,
        "major_guide_stroke_color": GUIDE,
        "guide_stroke_dasharray": "none",
        "major_guide_stroke_dasharray": "none",
        "opacity": "1",
        "opacity_hover": "1",
        "stroke_opacity": "1",
        "stroke_opacity_hover": "1",
        "stroke_width": "1",
        "stroke_width_hover": "1",
        "transition": "0s",
        "colors": PALETTE,
        "value_colors": (INK,) * 10,
    }
    options.update(overrides)
    return Style(**options)


def _extra_css(chart_id: str, line_width: float) -> str:
    scope = f"#{chart_id}"
    return (
        "inline:"
        f"{scope} .reference{{stroke:{RED};stroke-width:1.5;stroke-dasharray:6,4;fill:none}}"
        f"{scope} text.reference{{fill:{RED};stroke:none;font-size:12px;font-weight:600}}"
        f"{scope} .below{{fill:{ORANGE};stroke:{ORANGE}}}"
        f"{scope} .series .line{{stroke-width:{line_width}}}"
        f"{scope} .axis .line{{stroke:{LIGHT_GREY}}}"
        f"{scope} .axis.y2 text{{fill:{GREY}}}"
        f"{scope} .legends .legend rect{{stroke-width:0}}"
        f"{scope} text.category{{fill:{INK};font-size:{LABEL_FONT_SIZE}px}}"
    )


def _cleaned(title: str, classes: str):
    """The XML filter every chart goes through: accessible, inert and self-contained."""

    def clean(root):
        for node in list(root):
            if not isinstance(node.tag, str):  # pygal's comments (with its site's addresses)
                root.remove(node)
        for parent in root.iter():
            for child in list(parent):
                if not isinstance(child.tag, str):
                    parent.remove(child)
                elif child.tag.endswith("script"):
                    parent.remove(child)  # pygal's config for its script, even with js=[]
                elif "tooltip" in child.get("class", "").split():
                    parent.remove(child)  # the script's tooltip box: inert without it
                elif child.tag.endswith("title") and "guides" in parent.get("class", ""):
                    parent.remove(child)  # an axis graduation's value again, or a fraction
            parent.attrib.pop("style", None)
            if parent.get("id", "").startswith("activate-serie"):
                del parent.attrib["id"]  # the script's hooks: twice in a page of two charts
        title_id = f"{root.get('id')}-title"
        for node in root:
            if node.tag.endswith("title"):
                node.text = title
                node.set("id", title_id)
                break
        root.set("role", "img")
        root.set("aria-labelledby", title_id)
        root.set("class", f"{root.get('class', '')} {classes}".strip())
        return root

    return clean


def _values(
    values: Sequence[Number],
    categories: Sequence[str],
    name: str,
    unit: str,
    *,
    flagged: float | None = None,
    above: bool = False,
) -> list[dict | None]:
    """pygal's values with their metadata: exact printed text, the tooltip, the flag."""
    shown = []
    for category, value in zip(categories, values, strict=True):
        if value is None:
            shown.append(None)
            continue
        text = number(value)
        item = {
            "value": float(value),
            "formatter": lambda _v, text=text: text,
            "tooltip": f"{category} — {name}: {_with_unit(text, unit)}"
            if name
            else f"{category}: {_with_unit(text, unit)}",
        }
        if flagged is not None and (float(value) > flagged if above else float(value) < flagged):
            item["node"] = {"class": "rect reactive tooltip-trigger below"}
        shown.append(item)
    return shown


def _spaced(points: list[dict], gap: float) -> list[dict]:
    """A line's figures written only where they stand ``gap`` or more above the last one
    written: on a narrow chart the flat tail of a cumulative line (99,0 · 99,9 · 100,0)
    wrote its figures into one another («99,9100,0»). The tooltips keep every figure."""
    last = None
    for point in points:
        if last is not None and point["value"] - last < gap:
            point["formatter"] = lambda _v: ""
        else:
            last = point["value"]
    return points


def _render(chart, title: str, classes: str = "chart") -> SafeString:
    chart.add_xml_filter(_cleaned(title, classes))
    svg = chart.render(is_unicode=True)
    # pygal escapes the text it writes (tests/enterprise/test_charts.py)
    return mark_safe(svg)  # nosec B308 B703


def _config(chart_id: str, *, line_width: float, **options) -> dict:
    return {
        "js": [],  # no script: its tooltips come from a public address (STACK.md)
        "disable_xml_declaration": True,
        "css": ["file://style.css", "file://graph.css", _extra_css(chart_id, line_width)],
        "style": _style(),
        "value_formatter": _tick,
        "no_data_text": "",
        "truncate_legend": -1,
        "legend_at_bottom": True,
        "legend_box_size": 12,
        "spacing": 12,
        "margin": 8,
        "include_x_axis": True,
        **options,
    }


def _new(kind, *, line_width: float = 2.5, **options):
    """A pygal chart whose id (the scope of its CSS) is known before it is drawn."""
    chart_uuid = str(uuid.uuid4())
    chart = kind(**_config(f"chart-{chart_uuid}", line_width=line_width, **options))
    chart.uuid = chart_uuid
    return chart


# --- charts drawn once ---------------------------------------------------------------------
#
# pygal takes milliseconds a chart (a home page's sparklines, a worker's plan): a chart is a
# pure function of its figures, labels and options, so the SVG of the same arguments is
# drawn once per process and kept (the most recently used ``_CACHE_SIZE``). The key is the
# arguments themselves, written exactly (a Decimal by its digits: 1.10 and 1.1 print
# differently) with the language, so a kept chart is what drawing it again would give —
# nothing of one user's can reach another whose figures differ, and changed figures are a
# different key. Each chart handed out gets a fresh id (the scope of its CSS), as drawn.

_CACHE_SIZE = 512
_drawn: OrderedDict = OrderedDict()
_drawn_lock = threading.Lock()
_CHART_ID = re.compile(r'id="chart-([0-9a-f-]{36})"')


class _Unkeyable(Exception):
    """An argument the cache cannot write exactly: the chart is drawn as it is."""


def _frozen(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return ("D", str(value))
    if isinstance(value, float):
        return ("F", repr(value))
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    raise _Unkeyable


def _drawn_once(draw):
    """Keep ``draw``'s SVG per exact arguments (see above); None is kept too."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        try:
            key = (
                draw.__name__,
                get_language(),
                _frozen(args),
                tuple(sorted((name, _frozen(value)) for name, value in kwargs.items())),
            )
        except _Unkeyable:
            return draw(*args, **kwargs)
        with _drawn_lock:
            found = _drawn.get(key, _Unkeyable)
            if found is not _Unkeyable:
                _drawn.move_to_end(key)
        if found is _Unkeyable:
            found = draw(*args, **kwargs)
            with _drawn_lock:
                _drawn[key] = found
                while len(_drawn) > _CACHE_SIZE:
                    _drawn.popitem(last=False)
            return found
        if found is None:
            return None
        match = _CHART_ID.search(found)
        if match is None:  # pragma: no cover - every chart has its id
            return found
        return mark_safe(found.replace(match.group(1), str(uuid.uuid4())))  # nosec B308 B703

    return wrapper


def _has_values(series: Series) -> bool:
    return any(value is not None for _name, values in series for value in values)


@_drawn_once
def bars(
    categories: Sequence[str],
    series: Series,
    *,
    title: str,
    unit: str = "",
    horizontal: bool = False,
    height: int | None = None,
    reference: Decimal | None = None,
    reference_label: str | None = None,
    colors: Sequence[str] | None = None,
    width: int = WIDTH,
    flag_above: bool = False,
) -> SafeString | None:
    """Grouped bars: one group a category, one bar a series (plan and actual, brigades).

    ``series`` is ``[(name, values), …]`` with a value (Decimal or None) per category; the
    legend shows the names when there are several. Values are printed at the bars' ends
    as given (the caller rounds them); ``unit`` follows them in the tooltips.
    ``reference`` draws a dashed line at that value (the norm, 100 %), labelled
    ``reference_label`` (by default the value and the unit); with one series, the bars
    short of it are drawn orange (with ``flag_above``, those beyond it: a load over the
    fund). ``height`` is in the same
    units as the width (800); by default it follows the number of bars. A narrower
    ``width`` (``NARROW_WIDTH``: a phone's screen, a column beside a table) keeps the
    figures readable where the chart is drawn small: the text keeps its size in the
    chart's units.

    Where the text would not fit it is laid otherwise, not shrunk: horizontal bars whose
    categories' names would take over a third of the width get each name above its bars;
    vertical bars whose figures are wider than a bar get them written upwards (with the
    room above the highest bar for them).
    """
    if not categories or not _has_values(series):
        return None
    categories = list(categories)
    series = [(name, list(values)) for name, values in series]
    single = len(series) == 1
    if horizontal:
        # pygal lays the first category at the bottom: the caller's first goes on top.
        categories.reverse()
        for _name, values in series:
            values.reverse()
    longest = max(len(label) for label in categories)
    labels_above = (
        horizontal and max(text_width(label, LABEL_FONT_SIZE) for label in categories) > width / 3
    )
    # The widest figure against a bar's room across (pygal: 6 % of a category's width at
    # either side of its bars, 6 % of a bar's at either side of it; 90 for the value axis).
    printed = [number(value) for _name, values in series for value in values if value is not None]
    widest = max(text_width(text, VALUE_FONT_SIZE) for text in printed)
    pitch = (width - 90) / len(categories) * (1 - 2 * 0.06) / len(series)
    upright = not horizontal and widest > pitch
    if height is None:
        bars_shown = len(categories) * len(series)
        if labels_above:
            height = 40 + bars_shown * 20 + len(categories) * (LABEL_ROOM + GROUP_GAP)
        else:
            height = 40 + bars_shown * 26 + len(categories) * 8 if horizontal else 320
        height += 0 if single else 34  # the legend
        height += 26 if horizontal and reference is not None else 0  # the reference's label
    figures = [float(v) for _name, values in series for v in values if v is not None]
    if upright:
        # The highest figure's length above its bar: a share of the plot's height (less
        # its legend, its categories' labels and margins).
        plot = height - (0 if single else 34) - 60
        headroom = min((widest + 8) / max(plot - widest - 8, 1), 1.0)
    else:
        headroom = 0.1 if horizontal else 0.08
    ticks = _ticks(
        [*figures, float(reference)] if reference is not None else figures, room=headroom
    )
    options = {}
    if horizontal:
        if labels_above:
            options["show_y_labels"] = False  # the categories: written above the bars
        else:
            options["truncate_label"] = 48
        if reference is not None:
            options["margin_top"] = 26  # the reference's label, above the plot
    else:
        room = (width - 80) / len(categories) / 7.5  # characters a category has below
        if longest > room and room < 14:
            options.update(x_label_rotation=-25, truncate_label=36)
        else:
            options["truncate_label"] = max(int(room), 6)
    chart = _new(
        HorizontalBar if horizontal else Bar,
        width=width,
        height=max(height, 120),
        show_legend=not single,
        legend_at_bottom_columns=_legend_columns([name for name, _values in series], width),
        print_values=True,
        print_values_position="top",
        style=_style(colors=tuple(colors) if colors else PALETTE),
        y_labels=ticks,
        range=(ticks[0], ticks[-1]),
        **options,
    )
    chart.x_labels = categories
    chart.labels_above = labels_above
    chart.upright_values = upright
    flagged = float(reference) if reference is not None and single else None
    for name, values in series:
        chart.add(
            name,
            _values(
                values, categories, "" if single else name, unit, flagged=flagged, above=flag_above
            ),
        )
    if reference is not None:
        label = reference_label
        if label is None:
            label = _with_unit(number(reference), unit)
        chart.reference = (float(reference), label)
    return _render(chart, title, "chart chart-narrow" if width <= NARROW_WIDTH else "chart")


def _legend_columns(names: Sequence[str], width: int) -> int:
    """The legend's names side by side when each fits its column, else one under another:
    on a phone's width «Проект плана с начала года» ran into the next name's colour box."""
    column = (width - 40) / len(names)  # the plot's margins; a name's box and gap below
    widest = max(text_width(str(name), LEGEND_FONT_SIZE) for name in names)
    return len(names) if widest + 24 <= column else 1


DECADES = (gettext_lazy("1-я декада"), gettext_lazy("2-я декада"), gettext_lazy("3-я декада"))


def decades(
    planned: Sequence[Number],
    actual: Sequence[Number],
    *,
    title: str,
    planned_label: str | None = None,
    actual_label: str | None = None,
    width: int = WIDTH,
) -> SafeString | None:
    """Rhythmicity: each decade's share of the month, %, planned beside actual.

    ``planned`` and ``actual`` hold three shares each (Decimals, % of the month). The
    planned bars are grey, the actual ones blue. ``width``: as :func:`bars`.
    """
    if len(planned) != 3 or len(actual) != 3:
        raise ValueError("three decades a month")
    categories = [str(name) for name in DECADES]
    # The legend says what the bars measure: beside a table of norm-hours (or in a PDF,
    # pages from its table) the bare «План» and «Факт» read as the month's figures.
    with_unit = _("%(name)s, %% месяца")
    return bars(
        categories,
        [
            (with_unit % {"name": planned_label or _("План")}, planned),
            (with_unit % {"name": actual_label or _("Факт")}, actual),
        ],
        title=title,
        unit="%",
        colors=(LIGHT_GREY, BLUE),
        height=300 if width > NARROW_WIDTH else 260,
        width=width,
    )


def cumulative_percentages(hours: Sequence[Decimal]) -> list[Decimal]:
    """Running share of the total, % to 0.1 (the Pareto line); the last one is 100."""
    total = sum(hours, ZERO)
    if not total:
        return [ZERO for _hours in hours]
    running = ZERO
    shares = []
    for value in hours:
        running += value
        shares.append(half_up(running / total * HUNDRED, TENTH))
    return shares


@_drawn_once
def pareto(
    causes: Sequence[tuple[str, Decimal]],
    *,
    title: str,
    unit: str | None = None,
    cumulative_label: str | None = None,
    width: int = WIDTH,
) -> SafeString | None:
    """The idle-time Pareto chart: causes by hours, largest first, and the cumulative %.

    ``causes`` is ``[(label, hours), …]`` in any order; causes of zero hours are left out.
    The bars are on the left axis (``unit``, «ч» by default), the cumulative percentage
    is a line on the right axis (0–100 %). ``width``: as :func:`bars` (narrow, the
    causes' names are written steeper, so that they fit under their bars).
    """
    narrow = width <= NARROW_WIDTH
    rows = sorted(((label, hours) for label, hours in causes if hours), key=lambda row: -row[1])
    if not rows:
        return None
    unit = _("ч") if unit is None else unit
    labels = [label for label, _hours in rows]
    hours = [value for _label, value in rows]
    shares = cumulative_percentages(hours)
    # The left axis goes past the total (a Pareto chart's proportions): each dot of the
    # line stands above its bar, and their figures do not meet.
    step = _step(float(sum(hours)) * 1.2, 4, factors=(1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8))
    ticks = [i * step for i in range(5)]
    name = _("Простои, %(unit)s") % {"unit": unit}
    cumulative = cumulative_label or _("Накопленный итог, %")
    chart = _new(
        Bar,
        width=width,
        height=460 if narrow else 360,
        print_values=True,
        print_values_position="top",
        secondary_range=(0, 100),
        # Four steps on both axes: the percentages read 0, 25, 50, 75, 100.
        y_labels=ticks,
        range=(0, ticks[-1]),
        truncate_label=-1,
        legend_at_bottom_columns=1 if narrow else 2,
        x_label_rotation=-45 if narrow and len(rows) > 2 else -25 if len(rows) > 4 else 0,
        style=_style(colors=(BLUE, ORANGE)),
        dots_size=3.5,
        margin_top=20,  # the figure of a dot at 100 %, above the plot
    )
    chart.secondary_as_line = True
    chart.x_labels = labels
    chart.add(name, _values(hours, labels, "", unit))
    chart.add(
        cumulative,
        _spaced(_values(shares, labels, cumulative, "%"), 4 if narrow else 0),
        secondary=True,
        print_values=False,
    )
    return _render(chart, title, "chart chart-narrow" if narrow else "chart")


@_drawn_once
def trend(
    labels: Sequence[str],
    series: Series,
    *,
    title: str,
    unit: str = "",
    small: bool = False,
) -> SafeString | None:
    """A line a series over the last months (``labels``: the months, oldest first).

    ``small`` draws a sparkline for a home page's card (240 × 60, its own size on a page
    and in a PDF): no axes, no legend, no guides; the tooltips still tell every month's
    figure. A missing month (None) breaks the line.
    """
    if not labels or not _has_values(series):
        return None
    single = len(series) == 1
    if small:
        chart = _new(
            pygal.Line,
            width=240,
            height=60,
            show_legend=False,
            show_x_labels=False,
            show_y_labels=False,
            show_y_guides=False,
            show_x_guides=False,
            include_x_axis=False,
            margin=5,
            spacing=0,
            dots_size=2,
            allow_interruptions=True,
            line_width=2,
            explicit_size=True,
        )
    else:
        chart = _new(
            pygal.Line,
            width=WIDTH,
            height=300,
            show_legend=not single,
            show_x_guides=False,
            include_x_axis=False,
            truncate_label=-1,
            x_label_rotation=-30 if len(labels) > 8 else 0,
            dots_size=3.5,
            allow_interruptions=True,
            margin_right=32,  # the last month's label is centred on the plot's edge
            y_labels=_level_ticks(
                [float(v) for _name, values in series for v in values if v is not None]
            ),
        )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, _values(values, labels, "" if single else name, unit))
    return _render(chart, title, "chart chart-small" if small else "chart")
