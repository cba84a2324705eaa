"""The product's charts (enterprise/charts.py): what they draw, in Russian, and nothing else.

The charts are pure presentation: no database here. Numbers are read back from the SVG
text as a reader sees them («1 234,5» with a no-break space, a decimal comma).
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation
from pypdf import PdfReader

from enterprise import charts
from enterprise.pdf import html_to_pdf

D = Decimal
NBSP = "\N{NO-BREAK SPACE}"

INDICATORS = ["Товарная продукция", "Фонд оплаты труда", "Себестоимость"]
PLAN_FACT = [
    ("План", [D("1234.5"), D("45678.90"), D("3050")]),
    ("Факт", [D("1300.2"), D("44000"), None]),
]
CAUSES = [
    ("Отсутствие материалов", D("42.5")),
    ("Ремонт оборудования", D("120")),
    ("Нет заданий", D("8")),
    ("Отсутствие инструмента", D("15.25")),
    ("Прочие причины", D("3")),
    ("Отключение электроэнергии", D("0")),
]
MONTHS = ["июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]


@pytest.fixture(autouse=True)
def _russian():
    with translation.override("ru"):
        yield


def texts(svg: str) -> list[str]:
    """The text nodes of the chart, as drawn."""
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


def tooltips(svg: str) -> list[str]:
    return re.findall(r"<title>(.*?)</title>", svg)[1:]  # the first is the chart's name


def all_charts() -> dict[str, str]:
    return {
        "bars": charts.bars(INDICATORS, PLAN_FACT, title="План и факт", unit="тыс. руб."),
        "horizontal": charts.bars(
            ["№ 18 «Сборщики»", "№ 19 «Токари»"],
            [("Выполнение норм, %", [D("110.0"), D("95.0")])],
            title="Выполнение норм",
            unit="%",
            horizontal=True,
            reference=D(100),
            reference_label="норма 100 %",
        ),
        "decades": charts.decades(
            [D("33.3"), D("33.3"), D("33.4")], [D("20.5"), D("30.1"), D("49.4")], title="Ритм"
        ),
        "pareto": charts.pareto(CAUSES, title="Простои по причинам"),
        "trend": charts.trend(MONTHS, [("Выпуск", [D(i) for i in range(6)])], title="Выпуск"),
        "sparkline": charts.trend(
            MONTHS, [("Выпуск", [D(98), None, D(131), 1, 2, 3])], title="Выпуск", small=True
        ),
    }


# --- each chart -----------------------------------------------------------------------------


def test_grouped_bars_print_each_figure_in_russian_and_name_it_in_the_tooltip():
    svg = charts.bars(INDICATORS, PLAN_FACT, title="План и факт", unit="тыс. руб.")

    drawn = texts(svg)
    assert f"1{NBSP}234,5" in drawn
    assert f"45{NBSP}678,90" in drawn  # as exact as the Decimal given
    assert f"44{NBSP}000" in drawn
    assert f"50{NBSP}000" in drawn  # an axis graduation
    assert {"Товарная продукция", "План", "Факт"} <= set(drawn)
    assert f"Фонд оплаты труда — Факт: 44{NBSP}000{NBSP}тыс. руб." in tooltips(svg)
    assert svg.count('class="rect reactive tooltip-trigger"') == 5  # the missing one is not drawn


def test_horizontal_bars_keep_the_callers_order_top_down_and_mark_the_norm():
    svg = all_charts()["horizontal"]

    labels = [t for t in texts(svg) if t.startswith("№")]
    # pygal draws the bottom category first: the caller's first is drawn last, on top.
    assert labels == ["№ 19 «Токари»", "№ 18 «Сборщики»"]
    assert "110,0" in texts(svg) and "95,0" in texts(svg)
    assert "норма 100 %" in texts(svg)
    assert svg.count('class="reference"') == 2  # the dashed line and its label
    assert svg.count("tooltip-trigger below") == 1  # 95 % is short of the norm: orange


def test_decades_compare_the_planned_and_actual_shares():
    svg = charts.decades(
        [D("33.3"), D("33.3"), D("33.4")], [D("20.5"), D("30.1"), D("49.4")], title="Ритм"
    )

    drawn = texts(svg)
    assert {"1-я декада", "2-я декада", "3-я декада"} <= set(drawn)
    assert {"План, % месяца", "Факт, % месяца"} <= set(drawn)  # what the bars measure
    assert [t for t in drawn if re.fullmatch(r"\d+,\d", t)] == [
        "33,3",
        "33,3",
        "33,4",
        "20,5",
        "30,1",
        "49,4",
    ]
    assert f"3-я декада — Факт, % месяца: 49,4{NBSP}%" in tooltips(svg)
    with pytest.raises(ValueError):
        charts.decades([D(50), D(50)], [D(50), D(50)], title="Ритм")


def test_pareto_sorts_the_causes_and_draws_the_cumulative_line_on_the_right_axis():
    svg = charts.pareto(CAUSES, title="Простои по причинам")

    labels = [t for t, _h in sorted(CAUSES, key=lambda c: -c[1]) if _h]
    drawn = texts(svg)
    assert [t for t in drawn if t in dict(CAUSES)] == labels  # largest first, none of 0 h
    assert "Отключение электроэнергии" not in svg
    # 120 / 188.75 = 63.6 %, then 86.1, 94.2, 98.4 and 100.0.
    assert [t for t in drawn if re.fullmatch(r"\d+,\d", t) and t not in ("42,5",)] == [
        "63,6",
        "86,1",
        "94,2",
        "98,4",
        "100,0",
    ]
    assert {"0", "25", "50", "75", "100"} <= set(drawn)  # the percentage axis
    assert "Простои, ч" in drawn and "Накопленный итог, %" in drawn
    assert svg.count('class="line reactive nofill"') == 1  # one line, not a second bar set
    assert svg.count('class="rect reactive tooltip-trigger"') == 5
    assert f"Ремонт оборудования — Накопленный итог, %: 63,6{NBSP}%" in tooltips(svg)


def test_cumulative_percentages_are_exact_to_a_tenth():
    shares = charts.cumulative_percentages([D(120), D("42.5"), D("15.25"), D(8), D(3)])

    assert shares == [D("63.6"), D("86.1"), D("94.2"), D("98.4"), D("100.0")]
    assert charts.cumulative_percentages([D(0)]) == [D(0)]


def test_a_trend_draws_a_line_a_series_and_a_sparkline_for_home_pages():
    svg = charts.trend(
        MONTHS,
        [("План", [D(100)] * 6), ("Факт", [D("98.5"), D(115), None, D(117), D(128), D(131)])],
        title="Выпуск по месяцам",
        unit="тыс. руб.",
    )
    small = charts.trend(
        MONTHS, [("Выпуск", [D(98), D(115), D(131)] * 2)], title="Выпуск", small=True
    )

    assert set(MONTHS) <= set(texts(svg))
    assert svg.count('class="line reactive nofill"') == 3  # the plan, and the actual broken
    assert f"июль — Факт: 98,5{NBSP}тыс. руб." in tooltips(svg)
    assert 'class="pygal-chart chart"' in svg
    assert 'class="pygal-chart chart chart-small"' in small
    assert 'viewBox="0 0 240 60"' in small
    assert not set(MONTHS) & set(texts(small))  # no axes on a sparkline
    assert "сентябрь: 131" in tooltips(small)


# --- text that would not fit ---------------------------------------------------------------

YEAR = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя"]
YEAR_PLAN = [D(0)] * 4 + [
    D(v) for v in ("160.5", "338.0", "533.6", "712.2", "899.3", "1086.4", "1255.4")
]
YEAR_ACTUAL = [D(0)] * 4 + [
    D(v) for v in ("178.6", "370.4", "440.0", "630.8", "836.3", "1039.2", "1221.2")
]
LONG_NAMES = [
    "Выпуск продукции в нормо-часах",
    "Производительность труда (выработка на рабочего)",
    "Себестоимость (затраты участка по смете)",
]


def _values_drawn(svg: str) -> list[str]:
    return re.findall(r'<text[^>]*class="value"[^>]*>', svg)


def test_figures_wider_than_their_bars_are_written_upwards_with_room_above_the_highest():
    # A worker's year: 11 months of two bars; «1 255,4» written across is twice a bar's width
    # and ran into the next bar's figure.
    svg = charts.bars(YEAR, [("План", YEAR_PLAN), ("Факт", YEAR_ACTUAL)], title="Т", unit="ч")

    values = _values_drawn(svg)
    assert len(values) == 22
    assert all(re.search(r'transform="rotate\(-90 [\d.]+ [\d.]+\)"', v) for v in values)
    assert all('text-anchor="start"' in v for v in values)
    assert f"1{NBSP}255,4" in texts(svg) and f"1{NBSP}221,2" in texts(svg)  # the same figures
    # The axis goes on past 1 255,4 so that the figure has its length above the bar.
    assert (
        max(int(t.replace(NBSP, "")) for t in texts(svg) if t.replace(NBSP, "").isdigit()) >= 1750
    )


def test_figures_that_fit_their_bars_stay_across_and_negative_ones_go_down_when_upright():
    assert not any("rotate" in v for v in _values_drawn(all_charts()["bars"]))
    svg = charts.bars(
        YEAR, [("План", [D("-1200.5"), *YEAR_PLAN[1:]]), ("Факт", YEAR_ACTUAL)], title="Т"
    )
    below = [v for v in _values_drawn(svg) if 'text-anchor="end"' in v]
    assert len(below) == 1  # the negative bar's figure, under its end


def test_long_category_names_are_written_above_their_bars_not_in_a_column_beside_them():
    svg = charts.bars(
        LONG_NAMES,
        [("План", [D(100)] * 3), ("Факт", [D("115.0"), D("95.0"), D("101.2")])],
        title="Т",
        unit="%",
        horizontal=True,
        reference=D(100),
        width=charts.NARROW_WIDTH,
    )

    assert 'viewBox="0 0 400 ' in svg
    assert 'class="pygal-chart chart chart-narrow"' in svg
    names = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" class="category">([^<]*)</text>', svg)
    # the caller's order top-down, whole, from the plot's left edge
    assert [name for _x, _y, name in names] == list(reversed(LONG_NAMES))
    assert [float(y) for _x, y, _name in names] == sorted(
        (float(y) for _x, y, _name in names), reverse=True
    )
    # the plot takes the chart's width: no column of names on its left
    left = float(re.search(r'transform="translate\(([\d.]+), [\d.]+\)" class="plot"', svg)[1])
    assert left < 40
    # each name stands above its own two bars (the first series on top)
    bars = sorted(
        float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)"[^>]*class="rect', svg)
    )
    tops = [*sorted(float(y) for _x, y, _name in names), float("inf")]
    for index in range(3):
        assert tops[index] < bars[2 * index] < bars[2 * index + 1] < tops[index + 1]
    assert f"Производительность труда (выработка на рабочего) — Факт: 95,0{NBSP}%" in tooltips(svg)


def test_a_bar_short_of_the_norm_is_flagged_under_a_name_written_above_it():
    svg = charts.bars(
        LONG_NAMES,
        [("Выполнение, %", [D("115.0"), D("95.0"), D("101.2")])],
        title="Т",
        horizontal=True,
        reference=D(100),
    )

    assert svg.count('class="category"') == 3
    assert svg.count("tooltip-trigger below") == 1


def test_short_category_names_keep_their_column():
    svg = all_charts()["horizontal"]
    assert 'class="category"' not in svg
    assert svg.count("tooltip-trigger below") == 1


# --- what every chart is held to -------------------------------------------------------------


def test_no_chart_carries_a_script_a_style_attribute_or_an_external_reference():
    for name, svg in all_charts().items():
        assert svg.startswith("<svg"), name  # no XML declaration: inlined as it is
        assert "<script" not in svg, name
        assert "<!--" not in svg, name
        assert " style=" not in svg, name
        assert "href" not in svg and "url(" not in svg and "@import" not in svg, name
        # The only address is the SVG namespace.
        assert re.findall(r"https?://[^\s\"'<>]+", svg) == ["http://www.w3.org/2000/svg"], name


def test_every_chart_is_an_image_named_by_its_title():
    for name, svg in all_charts().items():
        chart_id = re.search(r'id="(chart-[0-9a-f-]+)"', svg).group(1)
        assert 'role="img"' in svg, name
        assert f'aria-labelledby="{chart_id}-title"' in svg, name
        assert f'<title id="{chart_id}-title">' in svg, name
        assert "Pygal" not in svg, name
        assert f"#{chart_id} " in svg, name  # the chart's CSS is scoped to it
        assert '"PT Sans"' in svg.replace("&quot;", '"'), name


def test_the_labels_are_escaped():
    svg = charts.bars(["<b>Цех & Ко</b>"], [("Факт", [D(1)])], title="<i>Т</i>")

    assert "<b>" not in svg and "<i>" not in svg
    assert "&lt;b&gt;Цех &amp; Ко&lt;/b&gt;" in svg


def test_nothing_to_draw_gives_none():
    assert charts.bars([], [("Факт", [])], title="Т") is None
    assert charts.bars(INDICATORS, [("Факт", [None, None, None])], title="Т") is None
    assert charts.bars(INDICATORS, [], title="Т") is None
    assert charts.pareto([], title="Т") is None
    assert charts.pareto([("Ремонт", D(0))], title="Т") is None
    assert charts.trend([], [], title="Т") is None
    assert charts.trend(MONTHS, [("Факт", [None] * 6)], title="Т", small=True) is None


def test_decimals_ints_and_negative_figures_are_accepted():
    svg = charts.bars(
        ["Прибыль", "Убыток"], [("Факт", [D("1500.25"), D("-320.5")])], title="Т", unit="руб."
    )

    assert f"1{NBSP}500,25" in texts(svg) and "\N{MINUS SIGN}320,5" in texts(svg)
    assert charts.number(D("1234567.891")) == f"1{NBSP}234{NBSP}567,891"
    assert charts.number(7) == "7"


# --- in a page and in a PDF -----------------------------------------------------------------


def render(template: str, **context) -> str:
    return engines["django"].from_string("{% load charts %}" + template).render(context)


def test_the_chart_tag_gives_the_style_the_pages_nonce_and_writes_nothing_for_none():
    svg = charts.pareto(CAUSES, title="Простои")

    assert '<style nonce="abc123"' in render("{% chart svg %}", svg=svg, csp_nonce="abc123")
    assert render("{% chart svg %}", svg=svg) == svg  # a PDF: as it is
    assert render("[{% chart svg %}]", svg=None) == "[]"


def test_a_chart_inlined_in_a_pdf_renders_with_its_cyrillic_text():
    svg = charts.bars(
        ["№ 18 «Сборщики»", "№ 19 «Токари»"],
        [("Средняя заработная плата, руб.", [D("165.60"), D("118.48")])],
        title="Средняя заработная плата",
        horizontal=True,
    )
    html = render("<html><body><h1>Сравнение бригад</h1>{% chart svg %}</body></html>", svg=svg)

    document = PdfReader(io.BytesIO(html_to_pdf(html, ("css/pdf.css",))))

    assert len(document.pages) == 1
    text = document.pages[0].extract_text()
    assert "№ 18 «Сборщики»" in text and "№ 19 «Токари»" in text
    assert "165,60" in text and "118,48" in text


def test_a_narrow_pareto_writes_its_causes_steeply():
    causes = [(f"причина простоя № {n}", Decimal(10 * n)) for n in range(1, 6)]
    wide = charts.pareto(causes, title="Простои")
    narrow = charts.pareto(causes, title="Простои", width=charts.NARROW_WIDTH)
    assert 'viewBox="0 0 800 ' in wide and "rotate(335 " in wide  # -25°
    assert 'viewBox="0 0 400 ' in narrow and "rotate(315 " in narrow  # -45°
    assert "chart-narrow" in narrow and "chart-narrow" not in wide
    assert "причина простоя № 5" in narrow


def test_a_narrow_pareto_line_writes_no_figure_into_the_last_one_written():
    """The table 11 vector: 87,9 · 94,1 · 99,0 · 99,9 · 100,0 — on a narrow chart the flat
    tail's figures ran into one another («99,9100,0»); the tooltips keep every figure."""
    causes = [
        ("внеплановый ремонт", Decimal("792.6")),
        ("отсутствие работы, заготовок", Decimal("56")),
        ("наладка сверх нормы", Decimal("44")),
        ("отсутствие рабочего", Decimal("8")),
        ("отсутствие энергии", Decimal("1")),
    ]

    def line_figures(svg):
        printed = re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]*)</text>', svg)
        return [text for text in printed if "," in text and text != "792,6"]

    narrow = charts.pareto(causes, title="Простои", width=charts.NARROW_WIDTH)
    assert set(line_figures(narrow)) == {"87,9", "94,1", "99,0"}
    assert f"отсутствие энергии — Накопленный итог, %: 100,0{NBSP}%" in tooltips(narrow)
    # drawn wide, the tail has room: every figure is written
    wide = charts.pareto(causes, title="Простои")
    assert {"99,9", "100,0"} <= set(line_figures(wide))


def _legend_boxes(svg: str) -> list[tuple[float, float]]:
    legends = svg[svg.index('class="legends"') :]
    return [
        (float(x), float(y))
        for x, y in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="12" height="12"', legends)
    ]


def test_a_legend_whose_names_do_not_fit_side_by_side_goes_one_under_another():
    """On a phone's width (400) «Проект плана с начала года» ran into the next name's
    colour box; the names that fit their column stay side by side."""
    long = [
        ("Проект плана с начала года", [D("1"), D("2")]),
        ("Факт с начала года", [D("1"), D("2")]),
    ]
    short = [("План с начала года", [D("1"), D("2")]), ("Факт с начала года", [D("1"), D("2")])]
    narrow = charts.bars(["янв", "фев"], long, title="t", width=400, horizontal=True)
    (x0, y0), (x1, y1) = _legend_boxes(narrow)
    assert x0 == x1 and y1 > y0  # one under another
    for svg in (
        charts.bars(["янв", "фев"], short, title="t", width=400, horizontal=True),
        charts.bars(["янв", "фев"], long, title="t"),  # the full width: room for both
    ):
        (x0, y0), (x1, y1) = _legend_boxes(svg)
        assert y0 == y1 and x1 > x0  # side by side


def _values_at(svg: str) -> dict[str, tuple[float, float]]:
    return {
        text: (float(x), float(y))
        for x, y, text in re.findall(
            r'<text[^>]*?x="([\d.]+)" y="([\d.]+)" class="value">([^<]*)<', svg
        )
    }


def test_the_reference_line_does_not_cross_a_figure_just_short_of_it():
    """A 97,5 % bar's figure sat on the red 100 % line, which ran through its digits. It
    moves clear of the line: above it (upright bars), after it (horizontal bars); the
    others stay at their bars."""
    series = [("Выполнение", [D("97.5"), D("50"), D("120")])]
    upright = charts.bars(["а", "б", "в"], series, title="t", unit="%", reference=D("100"))
    line = float(re.search(r'<path d="M0 ([\d.]+) h[\d.]+" class="reference"', upright)[1])
    values = _values_at(upright)
    baseline = values["97,5"][1]
    assert baseline < line and baseline - 0.75 * 13 > line - 20  # above it, and near it
    assert values["50"][1] > line + 20  # a figure far from the line is left where it was
    across = charts.bars(
        ["а", "б", "в"], series, title="t", unit="%", reference=D("100"), horizontal=True
    )
    line = float(re.search(r'<path d="M([\d.]+) -4 v[\d.]+" class="reference"', across)[1])
    assert line < _values_at(across)["97,5"][0] < line + 6  # starts just after the line
