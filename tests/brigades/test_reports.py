"""«Сравнение бригад» (table 15, domain/brigades.md §5): figures, scope, queries, export.

The months are closed through the services (open → timesheet → earnings → agreed →
approved), so the figures are those a real sheet leaves behind.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from brigades import reports
from brigades.models import Distribution
from brigades.services import distribution_agree, distribution_approve, earnings_save
from enterprise.models.roles import Role
from tests.factories import RoleAssignmentFactory, UserFactory

D = Decimal
URL = reverse("brigades:report")

# The figures of the two brigades (tables 18 and 19 of the booklet, section A1):
# hours 1150 and 720; norm-hours give 110.0 % and 95.0 %.
EARNINGS_18 = {"piecework": "1053.84", "bonus": "105.38", "savings": "0", "norm_hours": "1265"}
EARNINGS_19 = {"piecework": "520.00", "bonus": "60.00", "savings": "12.40", "norm_hours": "684"}


def close_month(crew, period, master, shop_head, *, approve=True, agree=True, **earnings):
    """The brigade's month as the master and the shop head leave it."""
    distribution = crew.open(master, period)
    distribution = earnings_save(
        distribution=distribution,
        method=distribution.method,
        piecework=D(earnings.get("piecework", "1000.00")),
        bonus=D(earnings.get("bonus", "0")),
        savings=D(earnings.get("savings", "0")),
        norm_hours=D(earnings.get("norm_hours", "0")),
        user=master,
        confirmed=True,  # the reports' figures, not their plausibility, are tested here
    )
    if agree:
        distribution = distribution_agree(distribution=distribution, minutes="№ 1", user=master)
    if agree and approve:
        distribution = distribution_approve(distribution=distribution, user=shop_head)
    return distribution


@pytest.fixture
def two_brigades(world, table18, table19, october, master, shop_head):
    close_month(table18, october, master, shop_head, **EARNINGS_18)
    close_month(table19, october, master, shop_head, **EARNINGS_19)
    return table18, table19


@pytest.fixture
def economist(world):
    return world.users[Role.ECONOMIST]


def other_shop_head(world):
    user = UserFactory(username="shop_head_b")
    RoleAssignmentFactory(user=user, role=Role.SHOP_HEAD, shop=world.units["B"])
    return user


# --- the figures ---------------------------------------------------------------------------


def test_it_compares_two_brigades_with_exact_figures(two_brigades, economist, october):
    comparison = reports.brigade_comparison(economist, october)

    assert [row.brigade.number for row in comparison] == [18, 19]
    first, second = comparison
    assert (first.headcount, first.hours, first.norm_hours) == (7, D("1150.00"), D("1265.00"))
    assert first.piecework == D("1053.84")
    # the split and the leader's surcharge (table 16: 0.767 × 167 = 128.09 × 10 % = 12.81)
    assert first.total_pay == D("1172.03")
    assert first.norms_met_percent == D("110.0")
    assert first.average_pay == D("167.43")  # 1172.03 / 7 = 167.4328…
    assert (second.headcount, second.hours) == (5, D("720.00"))
    assert second.total_pay == D("592.40")
    assert second.norms_met_percent == D("95.0")
    assert second.average_pay == D("118.48")
    assert first.shop == second.shop == economist.role_assignments.get().shop


def test_the_totals_row_sums_and_recomputes_the_ratios(two_brigades, economist, october):
    totals = reports.brigade_comparison(economist, october).totals

    assert totals.is_totals
    assert totals.headcount == 12
    assert totals.hours == D("1870.00")
    assert totals.piecework == D("1573.84")
    assert totals.piecework_thousands == D("1.574")
    assert totals.total_pay == D("1764.43")
    assert totals.norms_met_percent == D("104.2")  # 1949 / 1870
    assert totals.average_pay == D("147.04")  # 1764.43 / 12


def test_it_counts_a_worker_in_two_brigades_once_in_the_totals(
    world, table18, table19, october, master, shop_head, economist
):
    from brigades.models import Line

    close_month(table18, october, master, shop_head, **EARNINGS_18)
    close_month(table19, october, master, shop_head, **EARNINGS_19)
    # A line of brigade 19 re-pointed at a member of 18 (as after a transfer mid-month).
    line = Line.objects.filter(distribution__brigade=table19.brigade).first()
    Line.objects.filter(pk=line.pk).update(worker=table18.workers[1])

    comparison = reports.brigade_comparison(economist, october)

    assert [row.headcount for row in comparison] == [7, 5]
    assert comparison.totals.headcount == 11


def test_norms_and_average_are_none_without_hours_or_people():
    assert reports.norms_met_percent(D("10"), D("0")) is None
    assert reports.average_pay(D("10"), 0) is None
    assert reports.norms_met_percent(D("1"), D("3")) == D("33.3")
    assert reports.average_pay(D("10.00"), 3) == D("3.33")
    assert reports.average_pay(D("0.05"), 2) == D("0.03")  # half up


def test_it_shows_only_approved_months_unless_asked(
    world, table18, table19, october, master, shop_head, economist
):
    close_month(table18, october, master, shop_head, **EARNINGS_18)
    close_month(table19, october, master, shop_head, approve=False, **EARNINGS_19)

    approved = reports.brigade_comparison(economist, october)
    everything = reports.brigade_comparison(economist, october, include_unapproved=True)

    assert [row.brigade.number for row in approved] == [18]
    assert [(row.brigade.number, row.status) for row in everything] == [
        (18, Distribution.Status.APPROVED),
        (19, Distribution.Status.AGREED),
    ]


def test_it_filters_by_shop_and_section(two_brigades, economist, october, world):
    a1, a2, shop_b = world.units["A1"], world.units["A2"], world.units["B"]

    assert len(reports.brigade_comparison(economist, october, section=a1)) == 2
    assert len(reports.brigade_comparison(economist, october, shop=world.units["A"])) == 2
    assert reports.brigade_comparison(economist, october, section=a2) == []
    assert reports.brigade_comparison(economist, october, shop=shop_b) == []


# --- scope ---------------------------------------------------------------------------------


def test_a_shop_head_of_another_shop_sees_no_brigades(two_brigades, world, october, client):
    user = other_shop_head(world)

    assert reports.brigade_comparison(user, october) == []
    client.force_login(user)
    response = client.get(URL, {"period": october.pk})
    assert response.status_code == 200
    assert not response.context["comparison"]
    assert "report-table" not in response.content.decode()


def test_a_worker_gets_404(two_brigades, world, client):
    client.force_login(world.users[Role.WORKER])
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"_export": "xlsx"}).status_code == 404
    assert reports.brigade_comparison(world.users[Role.WORKER], world.period(2026, 10)) == []


def test_a_user_without_roles_gets_404(two_brigades, client):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(URL).status_code == 404


def test_the_login_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_brigade_leader_sees_only_the_brigade_he_leads(two_brigades, leader, october):
    assert [row.brigade.number for row in reports.brigade_comparison(leader, october)] == [18]


def test_an_enterprise_role_of_the_other_plant_sees_nothing(two_brigades, world, october, client):
    user = UserFactory(username="other_labour")
    RoleAssignmentFactory(user=user, role=Role.LABOUR, enterprise=world.other_enterprise)

    assert reports.brigade_comparison(user, october) == []
    client.force_login(user)
    # Another plant's month is not among the choices: the form refuses it, nothing leaks.
    response = client.get(URL, {"period": october.pk})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not response.context["comparison"]


def test_the_filters_offer_only_units_the_user_sees(two_brigades, world, client):
    client.force_login(world.users[Role.SHOP_HEAD])
    form = client.get(URL).context["form"]

    assert list(form.fields["shop"].queryset) == [world.units["A"]]
    assert set(form.fields["section"].queryset) == {world.units["A1"], world.units["A2"]}
    response = client.get(URL, {"section": world.units["B1"].pk})
    assert "section" in response.context["form"].errors


# --- the page ------------------------------------------------------------------------------


def test_the_page_shows_the_latest_month_with_the_table_and_the_charts(
    two_brigades, world, client, economist, master, shop_head, november
):
    table18, _table19 = two_brigades
    close_month(table18, november, master, shop_head, **EARNINGS_18)
    client.force_login(economist)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["period"] == november
    html = response.content.decode()
    assert "Сравнение бригад" in html
    assert 'data-testid="report-chart"' in html
    assert "норма 100 %" in html
    assert "167,43" in html  # Russian decimal comma
    assert "110,0" in html
    october = client.get(URL, {"period": world.period(2026, 10).pk})
    assert len(october.context["comparison"]) == 2
    assert "118,48" in october.content.decode()


def chart_of(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[html.index("<svg", start) : html.index("</svg>", start) + len("</svg>")]


def test_the_charts_show_each_brigade_s_norms_and_average_pay(two_brigades, client, economist):
    """The bars of the page (enterprise.charts, inline SVG) tell the table's figures."""
    client.force_login(economist)

    response = client.get(URL)

    html = response.content.decode()
    norms, pay = chart_of(html, "chart-norms"), chart_of(html, "chart-pay")
    for svg in (norms, pay):
        assert "№ 18 «" in svg and "№ 19 «" in svg
        assert "<script" not in svg
        # The chart's <style> carries the nonce of the response's CSP (no inline style else).
        nonce = svg.split('<style nonce="', 1)[1].split('"', 1)[0]
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    assert ">110,0<" in norms and ">95,0<" in norms  # % of norms met, printed at the bars
    assert "норма 100 %" in norms
    assert norms.count('class="rect reactive tooltip-trigger below"') == 1  # 95 % < 100 %
    assert ">167,43<" in pay and ">118,48<" in pay
    assert "118,48\N{NO-BREAK SPACE}руб." in pay  # the bar's tooltip


def test_the_charts_are_drawn_from_the_rows(two_brigades, economist, october):
    comparison = reports.brigade_comparison(economist, october)

    drawn = reports.comparison_charts(comparison)

    labels = [row.brigade_label for row in comparison]
    for svg in (drawn.norms, drawn.pay):
        assert all(label.replace("«", "«") in svg for label in labels)
    assert "Выполнение норм по бригадам, %" in drawn.norms  # its accessible name
    assert "110,0" in drawn.norms and "95,0" in drawn.norms
    assert "167,43" in drawn.pay and "118,48" in drawn.pay
    assert reports.comparison_charts([]) is None


def test_the_page_notes_unapproved_months_when_they_are_included(
    world, table18, october, master, shop_head, economist, client
):
    close_month(table18, october, master, shop_head, agree=False, **EARNINGS_18)
    client.force_login(economist)

    default = client.get(URL)
    assert not default.context["comparison"]
    assert default.context["unapproved"] == 1
    assert "ещё нет утверждённых распределений" in default.content.decode()

    included = client.get(URL, {"status": "all"})
    assert len(included.context["comparison"]) == 1
    html = included.content.decode()
    assert 'data-testid="unapproved-note"' in html
    assert "черновик" in html


def test_the_empty_page_says_what_will_appear(world, client, economist):
    client.force_login(economist)
    response = client.get(URL)

    assert response.status_code == 200
    assert "Отчёт появится, когда бригады закроют месяц" in response.content.decode()


def test_it_exports_the_table_as_a_workbook(two_brigades, economist, october, client):
    client.force_login(economist)

    response = client.get(URL, {"period": october.pk, "_export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "brigades-2026-10.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Бригада", "Цех, участок", "Численность, чел.")
    assert len(rows) == 4  # header, two brigades, totals
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    totals = dict(zip(header, rows[3], strict=True))
    assert first["Численность, чел."] == 7
    assert D(str(first["Средняя заработная плата, руб."])) == D("167.43")
    assert D(str(first["Выполнение норм, %"])) == D("110.0")
    assert totals["Бригада"] == "Итого"
    assert totals["Численность, чел."] == 12


def test_it_exports_csv_for_russian_excel(two_brigades, economist, october, client):
    client.force_login(economist)
    response = client.get(URL, {"period": october.pk, "_export": "csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffБригада;")


LINK = '=HYPERLINK("http://evil.example/","click")'


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_a_brigade_named_as_a_formula_is_exported_as_text(world, table18, master):
    table18.brigade.name = LINK
    table18.brigade.save()
    client = Client()
    client.force_login(master)
    url = reverse("brigades:brigade_list")
    response = client.get(url, {"_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert cells, "the brigade is in the export"
    for cell in cells:
        assert cell.data_type != "f"
        assert cell.value == "'" + LINK
    rows = _csv_rows(client.get(url, {"_export": "csv"}))
    assert [cell for row in rows for cell in row if "HYPERLINK" in cell] == ["'" + LINK]


def test_the_report_exports_a_formula_name_as_text_and_numbers_as_numbers(
    world, table18, october, master, shop_head, economist
):
    close_month(table18, october, master, shop_head, piecework="1000.00")
    table18.brigade.name = LINK
    table18.brigade.save()
    client = Client()
    client.force_login(economist)
    url = reverse("brigades:report")
    response = client.get(url, {"period": october.pk, "_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, (cell for cell in sheet[2]), strict=True))
    assert first["Численность, чел."].data_type == "n"
    assert first["Выработка, руб."].data_type == "n"
    rows = _csv_rows(client.get(url, {"period": october.pk, "_export": "csv"}))
    assert rows[1][0] == f"№ 18 «{LINK}»"  # starts with «№»: nothing to escape


# --- queries -------------------------------------------------------------------------------


def _page_queries(client, user, period) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"period": period.pk})
    assert response.status_code == 200
    return len(queries)


MAX_QUERIES = 12


def test_the_report_runs_a_constant_number_of_queries(
    world, crew_of, october, master, shop_head, economist, client, django_assert_max_num_queries
):
    crews = [crew_of(3, number=30 + n) for n in range(10)]
    for crew in crews[:2]:
        close_month(crew, october, master, shop_head, norm_hours="500")
    # the user's roles (once per request), the rows, the distinct workers of the totals
    with django_assert_max_num_queries(3):
        assert len(reports.brigade_comparison(economist, october)) == 2
    two = _page_queries(client, economist, october)

    for crew in crews[2:]:
        close_month(crew, october, master, shop_head, norm_hours="500")
    economist._khz_scope_cache = None
    with django_assert_max_num_queries(3):
        assert len(reports.brigade_comparison(economist, october)) == 10
    ten = _page_queries(client, economist, october)

    assert two == ten
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(URL, {"period": october.pk})
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(URL, {"period": october.pk, "_export": "xlsx"})


def test_the_report_exports_typed_cells_and_csv_numbers_at_the_pages_places(
    two_brigades, economist, october, client
):
    client.force_login(economist)
    response = client.get(URL, {"period": october.pk, "_export": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.title == "Сравнение бригад"
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, sheet[2], strict=True))
    average = first["Средняя заработная плата, руб."]
    # 1 172,03 rub. over 7 people: the leader's surcharge (12,81) is part of the pay
    assert (average.data_type, average.value, average.number_format) == ("n", 167.43, "#,##0.00")
    norms = first["Выполнение норм, %"]
    assert (norms.data_type, norms.number_format) == ("n", "#,##0.0")
    assert first["Численность, чел."].number_format == "#,##0"

    rows = _csv_rows(client.get(URL, {"period": october.pk, "_export": "csv"}))
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Средняя заработная плата, руб."] == "167,43"
    assert line["Выполнение норм, %"] == "110,0"
    assert line["Численность, чел."] == "7"
    assert not any("0000" in cell or "." in cell for row in rows[1:] for cell in row[2:])


def test_the_reports_month_select_names_months_lower_case(two_brigades, october, economist):
    """«октябрь 2026» as every period label (Period.__str__), not «Октябрь 2026»."""
    client = Client()
    client.force_login(economist)
    html = client.get(URL).content.decode()
    assert f">{october}</option>" in html
    assert ">Октябрь 2026</option>" not in html
