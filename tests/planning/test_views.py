"""The plan pages: a section set by a method (preview, then drafts), one plan drafted,
agreed and signed through the pages, the §4 verdicts, the home page's tasks."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from enterprise.models.roles import Role
from planning.models import PersonalPlan
from planning.plans import services
from tests.factories import PeriodFactory, WorkerFactory
from tests.planning.factories import (
    CorrectionCellFactory,
    MonthlyOutputFactory,
    PersonalPlanFactory,
    SectionTaskFactory,
)

D = Decimal
P = PersonalPlan


@pytest.fixture
def as_role(client, world):
    def login(role):
        client.force_login(world.users[role])
        return client

    return login


def _section_url(section, year=2026):
    return reverse("planning:section_plans", args=[section.pk]) + f"?year={year}"


def _base_year(world):
    """Last year's output of A1: 1.36 and 1.00 norm-hours per hour worked."""
    first, second = world.workers["A1"]
    for month, worker, output in ((6, first, "2448"), (7, second, "1800")):
        period = PeriodFactory(enterprise=world.enterprise, year=2025, month=month)
        MonthlyOutputFactory(
            worker=worker, period=period, output=D(output), hours_worked=D("1800.0")
        )
    CorrectionCellFactory(enterprise=world.enterprise, worker_from=D("1.30"), coefficient=D("0.87"))
    CorrectionCellFactory(
        enterprise=world.enterprise, worker_from=None, worker_to=D("1.10"), coefficient=D("1.26")
    )


TABLE_FORM = {
    "method": "table",
    "annual_time_fund": "1 982,0",
    "five_year_from": "2026",
    "section_growth_percent": "5,0",
    "section_norm_fulfilment": "1,22",
}


def test_the_economist_previews_then_saves_a_section_by_table_25(world, as_role):
    _base_year(world)
    a1 = world.units["A1"]
    SectionTaskFactory(section=a1, task=D("4800"))
    client = as_role(Role.ECONOMIST)
    response = client.post(_section_url(a1), {**TABLE_FORM, "preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "5 × 0,870 = 4,35 %" in html.replace("\xa0", " ") or "4,35" in html
    assert "К(1,22; 1,36) = 0,870" in html
    assert "2\xa0812,8" in html  # 2695.52 × 1.0435
    assert "2,5 %" in html  # the preview's §4 check: sound, +2.5 %
    assert not P.objects.exists()  # a preview writes nothing

    response = client.post(_section_url(a1), {**TABLE_FORM, "save": "1"})
    assert response.status_code == 302
    plans = P.objects.filter(section=a1).order_by("annual_volume")
    assert [p.annual_volume for p in plans] == [D("2106.866"), D("2812.775")]
    assert {p.status for p in plans} == {P.Status.DRAFT}
    page = client.get(_section_url(a1)).content.decode()
    assert "обоснованы" in page


def test_a_method_without_its_inputs_is_refused_next_to_the_field(world, as_role):
    client = as_role(Role.MASTER)
    response = client.post(
        _section_url(world.units["A1"]),
        {"method": "average", "annual_time_fund": "1982", "save": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["growth_percent"] == ["Нужно для выбранного способа."]
    assert not P.objects.exists()


def test_a_plan_drafted_through_the_form_shows_its_calculation(world, as_role):
    client = as_role(Role.ECONOMIST)
    url = reverse("planning:plan_create", args=[world.worker.pk]) + "?year=2026"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "method": "average",
            "output_unit": "labour_intensity",
            "unit": "нормо-ч",
            "five_year_from": "2026",
            "annual_time_fund": "1982,0",
            "average_output": "2 386",
            "growth_percent": "5,5",
            "materials_savings": "120,50",
        },
    )
    plan = P.objects.get(worker=world.worker)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.annual_volume == D("2517.230") and plan.materials_savings == D("120.50")
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "2\xa0386 × (1 + 5,5 / 100) = 2\xa0517,23" in html
    assert 'data-testid="hourly">1,27<' in html


def test_a_plan_s_page_writes_its_growth_as_its_sheet_does(world, as_role):
    """Пр = Пу × К keeps three places (4,592 %); the plan's page, like its sheet and the
    list's column, writes two: «4,59»."""
    plan = services.plan_save_draft(
        worker=world.worker,
        year=2026,
        method=P.Method.MANUAL,
        values={"annual_volume": D("2517"), "growth_percent": D("4.592")},
        user=world.users[Role.ECONOMIST],
    )
    assert plan.growth_percent == D("4.592")
    html = as_role(Role.ECONOMIST).get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="growth">4,59<' in html


def test_the_section_s_volumes_share_one_precision_down_the_column(world, as_role):
    """A whole volume beside a fractional one: «2 517,0» above «2 517,2», so that the
    right-aligned figures line up by their places."""
    first, second = world.workers["A1"]
    PersonalPlanFactory(worker=first, annual_volume=D("2517.000"))
    PersonalPlanFactory(worker=second, annual_volume=D("2517.230"))
    html = as_role(Role.ECONOMIST).get(_section_url(first.section)).content.decode()
    volumes = re.findall(r'<td class="num">([^<]*?) <span class="text-body-secondary small">', html)
    assert volumes == ["2\xa0517,0", "2\xa0517,2"] or volumes == ["2\xa0517,2", "2\xa0517,0"]


def test_the_signing_goes_through_the_pages(world, client):
    plan = services.plan_save_draft(
        worker=world.worker,
        year=2026,
        method=P.Method.MANUAL,
        values={"annual_volume": D("2517")},
        user=world.users[Role.ECONOMIST],
    )
    client.force_login(world.users[Role.WORKER])
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Я согласен с планом" in page
    asked = client.post(reverse("planning:plan_agree", args=[plan.pk]))
    assert "Вы согласны с планом?" in asked.content.decode()  # asked first, nothing done
    plan.refresh_from_db()
    assert plan.status == P.Status.DRAFT
    client.post(reverse("planning:plan_agree", args=[plan.pk]), {"confirm": "1"})
    for role, key in (
        (Role.MASTER, "master"),
        (Role.ECONOMIST, "economist"),
        (Role.SHOP_HEAD, "shop_head"),
    ):
        client.force_login(world.users[role])
        page = client.get(plan.get_absolute_url()).content.decode()
        assert f'data-testid="sign-{key}-button"' in page
        response = client.post(
            reverse("planning:plan_sign", args=[plan.pk]), {"role": key, "confirm": "1"}
        )
        assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == P.Status.SIGNED
    page = client.get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="sign-' not in page.replace('data-testid="sign-shop_head"', "").replace(
        'data-testid="sign-master"', ""
    ).replace('data-testid="sign-economist"', "")


def test_a_worker_sees_only_his_own_plan(world, client):
    own = PersonalPlanFactory(worker=world.worker)
    other = PersonalPlanFactory(worker=world.workers["A1"][1])
    client.force_login(world.users[Role.WORKER])
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    listing = client.get(reverse("planning:plan_list")).content.decode()
    assert f'href="{own.get_absolute_url()}"' in listing
    assert f'href="{other.get_absolute_url()}"' not in listing


def test_a_worker_s_plan_links_to_its_section_only_for_those_who_may_open_it(world, client):
    plan = PersonalPlanFactory(worker=world.worker)
    section_url = reverse("planning:section_plans", args=[plan.section_id])
    client.force_login(world.users[Role.WORKER])
    page = client.get(plan.get_absolute_url()).content.decode()
    assert str(plan.section) in page
    assert section_url not in page
    assert client.get(section_url).status_code == 404
    client.force_login(world.users[Role.MASTER])
    assert section_url in client.get(plan.get_absolute_url()).content.decode()
    assert client.get(section_url).status_code == 200


def test_the_checks_page_gives_every_section_its_verdict(world, as_role):
    a1, a2 = world.units["A1"], world.units["A2"]
    SectionTaskFactory(section=a1, task=D("4000"))
    SectionTaskFactory(section=a2, task=D("5000"))
    for worker in world.workers["A1"]:
        PersonalPlanFactory(worker=worker, annual_volume=D("2100"))
    PersonalPlanFactory(worker=world.workers["A2"][0], annual_volume=D("2000"))
    html = as_role(Role.SHOP_HEAD).get(reverse("planning:plan_checks") + "?year=2026")
    html = html.content.decode()
    assert "обоснованы" in html and "5,0" in html  # A1: 4200 vs 4000
    assert "занижены" in html and "60,0" in html  # A2: 2000 vs 5000
    assert world.units["B1"].name not in html


def test_home_lists_plans_waiting_for_a_signature(world, client):
    plan = services.plan_agree(
        plan=services.plan_save_draft(
            worker=world.worker,
            year=2026,
            method=P.Method.MANUAL,
            values={"annual_volume": D("2517")},
            user=world.users[Role.ECONOMIST],
        ),
        user=world.users[Role.MASTER],
    )
    client.force_login(world.users[Role.SHOP_HEAD])
    html = client.get(reverse("home")).content.decode()
    assert "Подписать личные планы: цех 6, участок 1, 2026 год" in html
    services.plan_return(plan=plan, reason="Уточнить", user=world.users[Role.MASTER])
    client.force_login(world.users[Role.WORKER])
    html = client.get(reverse("home")).content.decode()
    assert "Ваш личный план на 2026 год ждёт согласия" in html


def test_a_signed_plan_offers_a_revision_and_the_revision_is_listed(world, client):
    plan = PersonalPlanFactory(worker=world.worker)
    plan = services.plan_agree(plan=plan, user=world.users[Role.MASTER])
    for role, key in (
        (Role.MASTER, "master"),
        (Role.ECONOMIST, "economist"),
        (Role.SHOP_HEAD, "shop_head"),
    ):
        plan = services.plan_sign(plan=plan, role=key, user=world.users[role])
    client.force_login(world.users[Role.ECONOMIST])
    assert 'data-testid="revise"' in client.get(plan.get_absolute_url()).content.decode()
    response = client.post(
        reverse("planning:plan_revise", args=[plan.pk]), {"reason": "Перевод на новый станок"}
    )
    revision = P.objects.get(worker=world.worker, version=2)
    assert response["Location"] == revision.get_absolute_url()
    html = client.get(revision.get_absolute_url()).content.decode()
    assert "Редакции:" in html


def test_a_worker_s_home_shows_his_plan_year_to_date(world, client, monkeypatch):
    from django.utils import timezone

    from tests.factories import reopened

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 11, 20))
    plan = PersonalPlanFactory(
        worker=world.worker, annual_volume=D("1982"), annual_time_fund=D("1982")
    )
    plan = services.plan_agree(plan=plan, user=world.users[Role.MASTER])
    months = [world.period(2026, month) for month in range(6, 11)]
    with reopened(*[p for p in months if p.is_closed]):
        for period in months:  # 10 % over the month's plan (= its hours) every month
            MonthlyOutputFactory(
                worker=world.worker, period=period, output=period.working_hours * D("1.1")
            )
    client.force_login(world.users[Role.WORKER])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home")).content.decode()
    # his worker record: its ids for the scope, then once whole for his card and menu; his
    # plan's months take it with the plan (they read it a third time)
    workers = [
        q for q in queries if q["sql"].split(" FROM ", 1)[1].startswith('"enterprise_worker"')
    ]
    assert len(workers) == 2, [q["sql"][:120] for q in workers]
    assert 'data-testid="my-plan"' in html
    assert "Мой личный план на 2026 год" in html
    assert 'data-testid="my-plan-fulfilment">110,0 %<' in html
    assert "дней опережения" in html
    assert plan.get_absolute_url() in html
    client.force_login(world.users[Role.MASTER])  # no worker of his own: no card
    assert 'data-testid="my-plan"' not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(("role", "pinned"), [(Role.WORKER, 9), (Role.MASTER, 12)])
def test_the_plan_page_keeps_its_queries_whatever_the_versions_and_months(
    world, client, role, pinned, django_assert_max_num_queries
):
    """Session, user and roles; the plan; its versions and five-year frame (one query); the
    year's months and outputs (December among them); the history panel — as many with a
    revision, other years' plans and a year of output (issue 16: was 11 and 14)."""
    plan = services.plan_agree(
        plan=PersonalPlanFactory(worker=world.worker), user=world.users[Role.MASTER]
    )
    for signer, key in ((Role.MASTER, "master"), (Role.ECONOMIST, "economist")):
        plan = services.plan_sign(plan=plan, role=key, user=world.users[signer])
    plan = services.plan_sign(plan=plan, role="shop_head", user=world.users[Role.SHOP_HEAD])
    for year in (2027, 2028):
        PersonalPlanFactory(worker=world.worker, year=year)
    MonthlyOutputFactory(worker=world.worker)
    client.force_login(world.users[role])
    url = plan.get_absolute_url()
    client.get(url)  # the per-process caches
    with django_assert_max_num_queries(pinned) as first:
        assert client.get(url).status_code == 200
    PersonalPlanFactory(worker=world.worker, year=2026, version=2, revises=plan)
    PersonalPlanFactory(worker=world.worker, year=2029)
    with django_assert_max_num_queries(len(first)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("leavers", [1, 4])
def test_the_section_plans_keep_their_queries_whatever_the_leavers(
    world, as_role, leavers, django_assert_num_queries
):
    """The plans of workers who have left the section are listed with their professions,
    fetched with the plans: a leaver's profession was a query of its own (the bench saw 15
    queries at 3,500 workers and 14 at 7,000 — its largest section had one leaver)."""
    from tests.factories import WorkerFactory

    section = world.units["A1"]
    gone = []
    for _n in range(leavers):  # each with a profession of his own
        worker = WorkerFactory(section=section, dismissal_date=datetime.date(2026, 3, 31))
        PersonalPlanFactory(worker=worker, section=section)
        gone.append(worker)
    client = as_role(Role.MASTER)
    url = _section_url(section)
    client.get(url)  # the per-process caches
    with django_assert_num_queries(13):
        html = client.get(url).content.decode()
    for worker in gone:
        assert worker.full_name in html and str(worker.profession) in html


def _growth_cells(html: str, testid: str | None = None) -> list[str]:
    """The «Рост, %» column of the page's table (``testid``: that table), top to bottom."""
    if testid is not None:
        html = html[html.index(f'data-testid="{testid}"') :]
    table = html[: html.index("</table>")]
    head = re.findall(r"<th[^>]*>(.*?)</th>", table[: table.index("</thead>")], re.S)
    column = next(i for i, cell in enumerate(head) if "Рост, %" in cell)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table[table.index("<tbody") :], re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [re.sub(r"<[^>]+>", "", row[column]).strip() for row in cells if len(row) > column]


def test_the_growth_column_writes_every_plan_to_one_precision(world, as_role):
    """«5» beside «5,25» (each at its own places, up to three) read as different measures:
    the column writes two places, as the plan sheet does — 4,592 % is «4,59»."""
    first, second = world.workers["A1"]
    third = WorkerFactory(section=world.units["A1"], last_name="Яковлев")
    for worker, growth in ((first, "5.000"), (second, "5.250"), (third, "4.592")):
        PersonalPlanFactory(worker=worker, growth_percent=D(growth))
    client = as_role(Role.ECONOMIST)

    listing = client.get(reverse("planning:plan_list") + "?sort=worker").content.decode()
    section = client.get(_section_url(world.units["A1"])).content.decode()

    for html, testid in ((listing, None), (section, "plans")):
        cells = _growth_cells(html, testid)
        assert sorted(cells) == ["4,59", "5,00", "5,25"], (testid, cells)
