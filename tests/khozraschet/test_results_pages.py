"""The pages a manager reads: the booklet's figures on the section's page, the shop's and
the plant's summaries, the board; 404 outside the scope; pinned query counts."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from khozraschet.models import SectionResult

from .results_world import results_world

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def plant(world):
    world.extras["months"] = results_world(world)
    return world


def _page(client, user, name, *args, status=200):
    client.force_login(user)
    response = client.get(reverse(f"khozraschet:{name}", args=args))
    assert response.status_code == status, response.status_code
    return response.content.decode() if status == 200 else response


# --- a section's month -------------------------------------------------------------------------


def test_the_section_s_november_shows_the_booklet_s_plan_tension_and_the_month(client, plant):
    html = _page(client, plant.users["shop_head"], "section_month", plant.units["A1"].pk, 2026, 11)
    assert 'data-testid="tension">1,3378<' in html
    # factors: 1.2, 1.15, 0.95 and 0.98 (the cost per ruble, lower is better)
    for ratio in ("1,2000", "1,1500", "0,9500", "0,9800"):
        assert ratio in html
    assert "серийное (Кз = 18,26" in html
    assert 'data-testid="capacity">0,7667' in html
    assert 'data-testid="completeness">0,8000' in html
    assert 'data-testid="rhythmicity">1,0000' in html
    # the recalculated cost plan and its correction with reason and author
    assert "1\N{NO-BREAK SPACE}050,00" in html  # 1000 + 50
    assert "Подорожание проката по письму поставщика" in html
    economist = plant.users["economist"]
    assert (economist.get_full_name() or economist.username) in html
    assert "\N{MINUS SIGN}60,00" in html  # 990 against 1050
    # competition: 1.0 + output 15 × 0.01 + productivity 20 × 0.01 + cost 57 × 0.01 ...
    assert 'data-testid="competition">1,970<' in html
    assert "1-е место в цехе" in html
    # the energy bonus (outside the wage fund): 4000 × 30 %
    assert "1\N{NO-BREAK SPACE}200,00" in html
    # the incentive fund (10 000) split ∝ planned wage fund × Кнапр: 60000 × 1.3378 of
    # 60000 × 1.3378 + 40000 × 1.0710
    assert 'data-testid="incentive">6\N{NO-BREAK SPACE}520,13<' in html
    # idle hours: Pareto chart and table; decades and plan-vs-actual charts
    assert "внеплановый ремонт" in html
    for chart in ("chart-plan-actual", "chart-decades", "chart-pareto"):
        section = html.split(f'data-testid="{chart}"', 1)[1][:300]
        assert "<svg" in section, chart
    assert "месяц открыт" in html
    assert "итоги подведены" in html
    assert 'data-testid="problems"' not in html


def test_the_plan_actual_chart_is_drawn_narrow_with_the_names_above_the_bars(client, plant):
    """Its box is a column beside the table (a phone's width): drawn 800 wide with the names
    in a column on the left, its names and figures came out at half their size."""
    html = _page(client, plant.users["shop_head"], "section_month", plant.units["A1"].pk, 2026, 11)
    chart = html.split('data-testid="chart-plan-actual"', 1)[1].split("</svg>", 1)[0]
    assert 'viewBox="0 0 400 ' in chart
    assert "chart-narrow" in chart
    names = re.findall(r'<text[^>]*class="category"[^>]*>([^<]*)</text>', chart)
    assert "Производительность" in names and "Фондоотдача" in names


def test_the_decades_and_pareto_charts_are_drawn_narrow_for_their_half_columns(client, plant):
    """Each sits in half the page's width beside its table: drawn 800 wide, the decades'
    figures and the causes' names came out at half their size."""
    html = _page(client, plant.users["shop_head"], "section_month", plant.units["A1"].pk, 2026, 11)
    for name in ("chart-decades", "chart-pareto"):
        chart = html.split(f'data-testid="{name}"', 1)[1].split("</svg>", 1)[0]
        assert 'viewBox="0 0 400 ' in chart, name
        assert "chart-narrow" in chart, name
    pareto = html.split('data-testid="chart-pareto"', 1)[1].split("</svg>", 1)[0]
    assert "внеплановый ремонт" in pareto  # a cause's name whole under its bar


def test_the_section_s_october_gives_the_master_26_25_percent(client, plant):
    html = _page(client, plant.users["master"], "section_month", plant.units["A1"].pk, 2026, 10)
    masters = html.split('data-testid="bonus-masters"', 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="bonus-percent">26,25<' in masters
    assert ">0,75<" in masters  # the correction for Ккоэкт 0.73
    assert ">0,73<" in masters
    # October is the quarter's first month: 75 % now, the rest withheld to the quarter
    assert ">19,69<" in masters and ">6,56<" in masters
    scorecard = html.split('data-testid="scorecard-master"', 1)[1].split("</section>", 1)[0]
    assert ">11<" in scorecard and ">15<" in scorecard and ">0,73<" in scorecard


def test_month_navigation_links_the_neighbouring_months(client, plant):
    html = _page(client, plant.users["economist"], "section_month", plant.units["A1"].pk, 2026, 11)
    assert reverse("khozraschet:section_month", args=[plant.units["A1"].pk, 2026, 10]) in html
    # December does not exist yet: no link forward
    assert reverse("khozraschet:section_month", args=[plant.units["A1"].pk, 2026, 12]) not in html


def test_a_month_without_a_result_says_so(client, plant):
    html = _page(client, plant.users["economist"], "section_month", plant.units["A1"].pk, 2026, 9)
    assert "Итоги месяца ещё не подведены" in html
    assert "месяц закрыт" in html
    assert 'data-testid="overdue"' in html  # due on 12 October


def test_a_problem_is_listed_in_red(client, plant):
    result = SectionResult.objects.get(
        section=plant.units["A2"], period__year=2026, period__month=11
    )
    result.details["problems"] = ["Не введён Ккт (коллектив): премия «ИТР» не рассчитывается."]
    SectionResult.objects.filter(pk=result.pk).update(details=result.details)
    html = _page(client, plant.users["economist"], "section_month", plant.units["A2"].pk, 2026, 11)
    assert 'data-testid="problems"' in html
    assert "Не введён Ккт (коллектив)" in html


def test_outside_the_scope_the_section_page_is_not_there(client, plant):
    a1, a2, b1 = (plant.units[key].pk for key in ("A1", "A2", "B1"))
    _page(client, plant.users["master"], "section_month", a2, 2026, 11, status=404)
    _page(client, plant.users["worker"], "section_month", a1, 2026, 11, status=404)
    _page(client, plant.users["shop_head"], "section_month", b1, 2026, 11, status=404)
    _page(client, plant.users["labour"], "section_month", b1, 2026, 11)
    _page(client, plant.users["economist"], "section_month", a1, 2030, 1, status=404)


def test_the_section_page_s_queries_are_pinned(client, plant, django_assert_max_num_queries):
    client.force_login(plant.users["shop_head"])
    url = reverse("khozraschet:section_month", args=[plant.units["A1"].pk, 2026, 11])
    client.get(url)
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200


# --- the shop's month --------------------------------------------------------------------------


def test_the_shop_s_summary_has_a_row_per_section_and_the_shop_s_totals(client, plant):
    html = _page(client, plant.users["shop_head"], "shop_month", plant.units["A"].pk, 2026, 11)
    row = html.split('data-testid="row-1"', 1)[1].split("</tr>", 1)[0]
    assert "1,3378" in row and "0,8000" in row and "1,0000" in row
    assert "\N{MINUS SIGN}60,00" in row  # cost against the recalculated plan
    assert "1,970" in row and ">31,5<" in row  # masters' bonus: 42 % × 0.75
    assert "6\N{NO-BREAK SPACE}520,13" in row
    total = html.split('data-testid="shop-total"', 1)[1].split("</tr>", 1)[0]
    assert "2 из 2" in total and "1,654" in total and "1 среди цехов" in total
    assert "10\N{NO-BREAK SPACE}000,00" in total
    assert 'data-testid="chart-tension"' in html


def test_the_shop_s_summary_flags_late_and_overdue_sections(client, plant):
    october = plant.period(2026, 10)
    SectionResult.objects.filter(section=plant.units["A1"], period=october).update(
        computed_at=timezone.make_aware(datetime.datetime(2026, 11, 14, 10, 0))
    )
    SectionResult.objects.filter(section=plant.units["A2"], period=october).delete()
    html = _page(client, plant.users["economist"], "shop_month", plant.units["A"].pk, 2026, 10)
    first = html.split('data-testid="row-1"', 1)[1].split("</tr>", 1)[0]
    second = html.split('data-testid="row-2"', 1)[1].split("</tr>", 1)[0]
    assert "с опозданием" in first  # due on 12 November
    assert "просрочено" in second and "итоги не подведены" in second


def test_the_shop_s_summary_is_for_the_shop_s_readers(client, plant):
    shop_a, shop_b = plant.units["A"].pk, plant.units["B"].pk
    _page(client, plant.users["master"], "shop_month", shop_a, 2026, 11, status=404)
    _page(client, plant.users["worker"], "shop_month", shop_a, 2026, 11, status=404)
    _page(client, plant.users["economist"], "shop_month", shop_b, 2026, 11, status=404)
    _page(client, plant.users["deputy_director"], "shop_month", shop_b, 2026, 11)


def test_the_shop_page_s_queries_are_pinned(client, plant, django_assert_max_num_queries):
    client.force_login(plant.users["shop_head"])
    url = reverse("khozraschet:shop_month", args=[plant.units["A"].pk, 2026, 11])
    client.get(url)
    # 10: the worker's menu links «Мой личный план» to his plan of the year (one query)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


# --- the plant's month -------------------------------------------------------------------------


def test_the_plant_s_summary_ranks_the_shops(client, plant):
    html = _page(client, plant.users["production_head"], "plant_month", 2026, 11)
    shop_6 = html.split('data-testid="row-6"', 1)[1].split("</tr>", 1)[0]
    shop_7 = html.split('data-testid="row-7"', 1)[1].split("</tr>", 1)[0]
    assert "1,654" in shop_6 and "2 из 2" in shop_6 and "в срок" in shop_6
    assert "1,260" in shop_7 and "1 из 1" in shop_7
    assert 'data-testid="chart-competition"' in html


def test_the_plant_s_summary_is_for_the_plant_s_readers_only(client, plant):
    for role in ("shop_head", "economist", "master", "worker"):
        _page(client, plant.users[role], "plant_month", 2026, 11, status=404)
    for role in ("labour", "production_head", "deputy_director", "administrator"):
        _page(client, plant.users[role], "plant_month", 2026, 11)


def test_the_plant_page_s_queries_are_pinned(client, plant, django_assert_max_num_queries):
    client.force_login(plant.users["production_head"])
    url = reverse("khozraschet:plant_month", args=[2026, 11])
    client.get(url)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


# --- the board and the index -----------------------------------------------------------------


def test_a_worker_sees_the_board_of_his_shop_only(client, plant):
    html = _page(client, plant.users["worker"], "board", plant.units["A"].pk, 2026, 11)
    board = html.split('data-testid="board"', 1)[1]
    assert board.index("Токарный участок") < board.index("Фрезерный участок")
    assert "место цеха среди цехов с итогами: 1 из 2" in html
    # a phone hides the table's head: each figure carries its heading (as the planning board)
    row = board.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    for heading in ("Коэффициент соревнования", "Кнапр", "План"):
        assert f'data-label="{heading}"' in row
    _page(client, plant.users["worker"], "board", plant.units["B"].pk, 2026, 11, status=404)


def test_the_board_names_why_a_section_is_not_ranked(client, plant):
    result = SectionResult.objects.get(
        section=plant.units["A2"], period__year=2026, period__month=11
    )
    result.details["competition"]["reason"] = "Ккт ниже 0,5 — участок не участвует в соревновании"
    SectionResult.objects.filter(pk=result.pk).update(rank=None, details=result.details)
    html = _page(client, plant.users["master"], "board", plant.units["A"].pk, 2026, 11)
    unranked = html.split('data-testid="unranked"', 1)[1].split("</tr>", 1)[0]
    assert "Фрезерный участок" in unranked
    assert "Ккт ниже 0,5" in unranked


def test_a_coefficient_below_the_base_is_not_shown_as_met(client, plant):
    """Green is for 1,0 and over: a section that lost points (down to a negative
    coefficient, which table 8 allows) reads as below the base (the walk of issue 13)."""
    from decimal import Decimal

    SectionResult.objects.filter(
        section=plant.units["A2"], period__year=2026, period__month=11
    ).update(competition=Decimal("-1.010"))
    html = _page(client, plant.users["master"], "board", plant.units["A"].pk, 2026, 11)
    rows = html.split('data-testid="board"', 1)[1].split("<tbody>", 1)[1].split("</tr>")
    lost = next(row for row in rows if "Фрезерный участок" in row)
    assert 'class="num pct unmet"' in lost and "\u2212" in lost
    kept = next(row for row in rows if "Токарный участок" in row)
    assert 'class="num pct met"' in kept


def test_the_board_index_opens_the_user_s_shop_on_the_latest_month_with_results(client, plant):
    client.force_login(plant.users["worker"])
    response = client.get(reverse("khozraschet:board_index"))
    assert response.status_code == 302
    assert response.url == reverse("khozraschet:board", args=[plant.units["A"].pk, 2026, 11])


def test_the_board_s_queries_are_pinned(client, plant, django_assert_max_num_queries):
    client.force_login(plant.users["worker"])
    url = reverse("khozraschet:board", args=[plant.units["A"].pk, 2026, 11])
    client.get(url)
    # 10: the worker's menu links «Мой личный план» to his plan of the year (one query)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_the_index_leads_to_the_latest_month(client, plant):
    html = _page(client, plant.users["shop_head"], "index")
    assert "Последние итоги — за ноябрь 2026" in html
    assert reverse("khozraschet:shop_month", args=[plant.units["A"].pk, 2026, 11]) in html
    assert reverse("khozraschet:section_month", args=[plant.units["A2"].pk, 2026, 11]) in html
    assert reverse("khozraschet:plant_month", args=[2026, 11]) not in html
    html = _page(client, plant.users["production_head"], "index")
    assert reverse("khozraschet:plant_month", args=[2026, 11]) in html
    # a worker reads the board only
    client.force_login(plant.users["worker"])
    assert client.get(reverse("khozraschet:index")).url == reverse("khozraschet:board_index")


def test_the_menu_offers_the_results_and_the_board(client, plant):
    html = _page(client, plant.users["economist"], "index")
    assert 'data-testid="khozraschet-menu"' in html
    assert reverse("khozraschet:board_index") in html


def test_the_section_page_links_the_entry_and_the_close_to_who_may_use_them(client, plant):
    a1 = plant.units["A1"].pk
    html = _page(client, plant.users["economist"], "section_month", a1, 2026, 11)
    assert reverse("khozraschet:close", args=[2026, 11]) in html
    assert reverse("khozraschet:month_entry", args=[a1, 2026, 11]) in html
    html = _page(client, plant.users["master"], "section_month", a1, 2026, 11)
    assert reverse("khozraschet:close", args=[2026, 11]) not in html
    assert reverse("khozraschet:month_entry", args=[a1, 2026, 11]) not in html
    # a closed month is not summed up again
    html = _page(client, plant.users["economist"], "section_month", a1, 2026, 9)
    assert reverse("khozraschet:close", args=[2026, 9]) not in html


def test_a_result_computed_by_the_system_says_so(client, plant):
    SectionResult.objects.filter(section=plant.units["A1"]).update(computed_by=None)
    html = _page(client, plant.users["economist"], "section_month", plant.units["A1"].pk, 2026, 11)
    assert "автоматически" in html
    pdf = client.get(
        reverse("khozraschet:section_month_pdf", args=[plant.units["A1"].pk, 2026, 11])
    )
    assert pdf.status_code == 200


def test_a_month_without_figures_shows_its_problems_and_dashes(client, world):
    from khozraschet.services.close import results_compute

    from .terms import install_terms, passport

    install_terms(world.enterprise)
    passport(world.units["A1"], 767, 42)  # a passport, and no figure of the month
    november = world.period(2026, 11)
    results_compute(period=november, user=world.users["economist"])
    user = world.users["economist"]
    html = _page(client, user, "section_month", world.units["A1"].pk, 2026, 11)
    problems = html.split('data-testid="problems"', 1)[1].split("</ul>", 1)[0]
    assert "Обязательный показатель" in problems
    assert "Кнапр не рассчитан" in problems
    assert 'data-testid="tension">—<' in html
    assert "не рассчитана" in html  # the bonuses
    html = _page(client, user, "shop_month", world.units["A"].pk, 2026, 11)
    assert "text-bg-danger" in html.split('data-testid="row-1"', 1)[1].split("</tr>", 1)[0]
    _page(client, user, "board", world.units["A"].pk, 2026, 11)
    pdf = client.get(
        reverse("khozraschet:section_month_pdf", args=[world.units["A1"].pk, 2026, 11])
    )
    assert pdf.status_code == 200


def test_a_closed_month_s_result_reads_frozen(client, plant):
    from tests.factories import close_as_is

    close_as_is(plant.period(2026, 10), plant.users["labour"])
    html = _page(client, plant.users["economist"], "section_month", plant.units["A1"].pk, 2026, 10)
    assert "месяц закрыт" in html
    assert 'data-testid="bonus-percent">26,25<' in html
    assert reverse("khozraschet:close", args=[2026, 10]) not in html


def test_an_auxiliary_section_without_claims_of_its_consumers_met_its_plan(client, plant):
    result = SectionResult.objects.get(
        section=plant.units["A2"], period__year=2026, period__month=11
    )
    result.details["auxiliary_met"] = True
    SectionResult.objects.filter(pk=result.pk).update(details=result.details)
    html = _page(client, plant.users["economist"], "section_month", plant.units["A2"].pk, 2026, 11)
    assert "потребители не предъявили претензий — план выполнен" in html


def _indicator_cells(html: str) -> dict[str, list[str]]:
    table = html.split('data-testid="indicators"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S):
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        rows[cells[0].rstrip("*").strip()] = cells[2:4]
    return rows


def test_the_indicators_are_written_at_their_units_places(client, plant):
    """Each row's plan and actual at its unit's places, as the entry grid writes them:
    norm-hours to a tenth, rubles a worker to the kopeck, rubles a ruble to the thousandth;
    kopecks (a unit of no known places) as stored."""
    html = _page(client, plant.users["shop_head"], "section_month", plant.units["A1"].pk, 2026, 11)
    rows = _indicator_cells(html)
    nbsp = "\N{NO-BREAK SPACE}"
    assert rows["Выпуск"][0] == f"1{nbsp}000,0"  # нормо-ч
    assert rows["Производительность"][0] == "100,00"  # руб./чел.
    assert rows["Фондоотдача"][0] == "1,000"  # руб./руб.
    assert rows["Затраты на 1 руб."][0] == "1"  # коп.


def test_a_closed_month_keeps_the_places_its_indicators_were_written_with(client, plant):
    """The places are frozen with the month's result: the plant setting an indicator's
    places afterwards («знаков после запятой») changes the open months' pages, not a
    closed one."""
    from khozraschet.models import Indicator

    indicator = Indicator.objects.get(enterprise=plant.enterprise, name="Затраты на 1 руб.")
    args = ("section_month", plant.units["A1"].pk, 2026, 11)
    before = _indicator_cells(_page(client, plant.users["shop_head"], *args))
    assert before["Затраты на 1 руб."][0] == "1"
    indicator.shown_places = 2
    indicator.save()
    assert indicator.places == 2
    after = _indicator_cells(_page(client, plant.users["shop_head"], *args))
    assert after == before
