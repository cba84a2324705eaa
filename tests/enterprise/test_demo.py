"""The demo plant (``load_demo``) and the plant generator (``generate_plant``)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.utils import timezone

from enterprise import demo
from enterprise.models import (
    Enterprise,
    Period,
    RoleAssignment,
    Section,
    Shop,
    TariffRate,
    Worker,
)
from enterprise.models.roles import Role
from tests.conftest import GENERATED_MONTHS, GENERATED_SEED, GENERATED_WORKERS

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = MD5


@pytest.fixture
def plant(loaded_demo):
    return Enterprise.objects.get(name=demo.ENTERPRISE_NAME)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _rate(enterprise, code: str, grade: int) -> TariffRate:
    return TariffRate.objects.get(
        enterprise=enterprise, pay_condition__code=code, grade=grade, valid_from=demo.RATES_FROM
    )


# --- load_demo ---------------------------------------------------------------------------


def test_it_changes_nothing_when_run_twice(loaded_demo):
    # The first run is the session's: ``manage.py load_demo`` into empty tables.
    counts = _row_counts()
    passwords = dict(get_user_model().objects.values_list("username", "password"))
    workers = list(Worker.objects.order_by("pk").values())
    assert counts["enterprise.Worker"] == len(demo.roster())
    assert counts["enterprise.HistoryRecord"] > 0

    call_command("load_demo", stdout=io.StringIO())

    assert _row_counts() == counts  # no duplicates, and no new history either
    assert dict(get_user_model().objects.values_list("username", "password")) == passwords
    assert list(Worker.objects.order_by("pk").values()) == workers
    assert "worker61" in loaded_demo.value and demo.DEMO_URL in loaded_demo.value


@pytest.mark.django_db
def test_app_steps_run_before_the_demo_months_are_closed(monkeypatch):
    seen = []

    def app_step(ctx):
        seen.append(ctx.periods[2026, 6].status)
        ctx.add_login("extra", "роль", "где-то")

    monkeypatch.setattr(demo, "app_steps", lambda: [app_step])
    ctx = demo.load_demo()
    assert seen == [Period.Status.OPEN]
    assert ctx.periods[2026, 6].is_closed
    assert ctx.logins[-1].username == "extra"


def test_the_logins_table_names_a_user_once():
    ctx = demo.DemoContext(stdout=io.StringIO())
    ctx.add_login("master62", "мастер", "Цех 6, участок № 2")
    ctx.add_login("master62", "мастер", "Цех 6, участок № 2")  # another app's step
    ctx.add_login("shop6", "начальник цеха", "Цех № 6")
    assert [login.username for login in ctx.logins] == ["master62", "shop6"]
    assert demo.logins_table(ctx.logins).count("master62") == 1


@pytest.mark.django_db
def test_it_has_60_to_80_workers_with_unique_personnel_numbers_and_grades_1_to_6(plant):
    workers = Worker.objects.filter(enterprise=plant)
    numbers = list(workers.values_list("personnel_number", flat=True))
    assert 60 <= len(numbers) <= 80
    assert len(set(numbers)) == len(numbers)
    assert set(workers.values_list("grade", flat=True)) == {1, 2, 3, 4, 5, 6}
    today = datetime.date(2026, 11, 1)
    assert any(w.is_young(today) for w in workers)
    assert any(w.seniority_years(today) >= 30 for w in workers)
    for worker in workers:
        worker.full_clean()


@pytest.mark.django_db
def test_shop_6_is_the_main_machining_shop_with_sections_1_to_3(plant):
    shop = Shop.objects.get(enterprise=plant, number=6)
    assert shop.kind == Shop.Kind.MAIN
    assert shop.name == "Механический"
    assert list(shop.sections.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    kinds = dict(Shop.objects.filter(enterprise=plant).values_list("number", "kind"))
    assert kinds[12] == kinds[14] == Shop.Kind.AUXILIARY
    assert kinds[1] == kinds[3] == Shop.Kind.MAIN


EXPECTED_USERS = {
    # username: (role, shop number, (shop, section))
    "admin": (Role.ADMINISTRATOR, None, None),
    "otiz": (Role.LABOUR, None, None),
    "deputy": (Role.DEPUTY_DIRECTOR, None, None),
    "prodhead": (Role.PRODUCTION_HEAD, None, None),
    "pdb6": (Role.DISPATCHER, 6, None),
    "economist6": (Role.ECONOMIST, 6, None),
    "shop6": (Role.SHOP_HEAD, 6, None),
    "master61": (Role.MASTER, None, (6, 1)),
    "leader61": (Role.BRIGADE_LEADER, None, (6, 1)),
    "worker61": (Role.WORKER, None, None),
    "shop1": (Role.SHOP_HEAD, 1, None),
    "master11": (Role.MASTER, None, (1, 1)),
}


@pytest.mark.django_db
def test_each_demo_user_logs_in_and_holds_the_role(plant, client):
    for username, (role, shop, section) in EXPECTED_USERS.items():
        assert client.login(
            request=HttpRequest(), username=username, password=demo.DEMO_PASSWORD
        ), username
        client.logout()
        user = get_user_model().objects.get(username=username)
        assert user.first_name and user.last_name
        (assignment,) = RoleAssignment.objects.filter(user=user)
        assert assignment.role == role, username
        assert assignment.enterprise == plant
        assert assignment.valid_from == datetime.date(2026, 1, 1)
        assert (assignment.shop.number if assignment.shop else None) == shop, username
        unit = assignment.section
        assert ((unit.shop.number, unit.number) if unit else None) == section, username
        assignment.full_clean()  # the role is allowed at that level
        assert RoleAssignment.objects.current(datetime.date(2026, 11, 1)).filter(user=user)


@pytest.mark.django_db
def test_heads_and_the_workers_own_record_are_linked(plant):
    users = {u.username: u for u in get_user_model().objects.all()}
    assert Shop.objects.get(enterprise=plant, number=6).head == users["shop6"]
    assert Shop.objects.get(enterprise=plant, number=1).head == users["shop1"]
    assert (
        Section.objects.get(shop__enterprise=plant, shop__number=6, number=1).head
        == (users["master61"])
    )
    assert (
        Section.objects.get(shop__enterprise=plant, shop__number=1, number=1).head
        == (users["master11"])
    )
    own = Worker.objects.get(user=users["worker61"])
    assert (own.section.shop.number, own.section.number) == (6, 1)


@pytest.mark.django_db
def test_the_tariff_grid_has_the_booklet_rates(plant):
    # table 18 (time workers)
    assert _rate(plant, "time", 3).hourly_rate == Decimal("0.539")
    assert _rate(plant, "time", 4).hourly_rate == Decimal("0.596")
    assert _rate(plant, "time", 5).hourly_rate == Decimal("0.670")
    assert _rate(plant, "time", 6).hourly_rate == Decimal("0.767")
    # tables 19 and 16 (piece workers)
    assert _rate(plant, "piece", 2).hourly_rate == Decimal("0.548")
    assert _rate(plant, "piece", 3).hourly_rate == Decimal("0.606")
    assert _rate(plant, "piece", 4).hourly_rate == Decimal("0.670")
    assert _rate(plant, "piece", 5).hourly_rate == Decimal("0.754")
    assert TariffRate.objects.filter(enterprise=plant).count() == 12
    for code in ("piece", "time"):
        rates = [_rate(plant, code, grade).hourly_rate for grade in range(1, 7)]
        assert rates == sorted(rates)


def _tariff_earnings(worker: Worker, hours: int) -> Decimal:
    rate = _rate(worker.enterprise, worker.pay_condition.code, worker.grade).hourly_rate
    return (rate * hours).quantize(Decimal("0.01"))


@pytest.mark.django_db
def test_the_fitters_brigade_of_table_18_is_in_shop_6_section_3(plant):
    members = [
        Worker.objects.get(enterprise=plant, personnel_number=number)
        for number, _ in demo.TABLE_18_BRIGADE
    ]
    assert [m.grade for m in members] == [6, 4, 3, 3, 4, 5, 4]
    assert {m.profession.name for m in members} == {"слесарь-сборщик"}
    assert {(m.section.shop.number, m.section.number) for m in members} == {(6, 3)}
    earnings = [
        _tariff_earnings(m, hours)
        for m, (_, hours) in zip(members, demo.TABLE_18_BRIGADE, strict=True)
    ]
    assert earnings == [
        Decimal(x) for x in ("128.09", "95.96", "90.01", "90.01", "91.78", "111.89", "99.53")
    ]
    assert sum(earnings) == Decimal("707.27")


@pytest.mark.django_db
def test_the_milling_brigade_of_table_19_is_in_shop_6_section_1(plant):
    members = [
        Worker.objects.get(enterprise=plant, personnel_number=number)
        for number, _, _ in demo.TABLE_19_BRIGADE
    ]
    assert [m.grade for m in members] == [3, 4, 2, 3, 2]
    assert {m.profession.name for m in members} == {"фрезеровщик"}
    assert {(m.section.shop.number, m.section.number) for m in members} == {(6, 1)}
    earnings = [
        _tariff_earnings(m, hours)
        for m, (_, hours, _) in zip(members, demo.TABLE_19_BRIGADE, strict=True)
    ]
    assert earnings == [Decimal(x) for x in ("106.66", "37.52", "74.53", "106.66", "96.45")]
    assert sum(earnings) == Decimal("421.82")
    assert members[0].user.username == "leader61"


@pytest.mark.django_db
def test_june_to_september_are_closed_and_october_november_open(plant):
    periods = {p.month: p for p in Period.objects.filter(enterprise=plant, year=2026)}
    # January–May come from the personal plans' tracking (their output is in, closed too)
    assert sorted(periods) == list(range(1, 12))
    otiz = get_user_model().objects.get(username="otiz")
    for month in range(1, 10):
        assert periods[month].is_closed
        assert periods[month].closed_by == otiz
        assert periods[month].closed_at.astimezone(demo.PLANT_TZ).date() == (
            datetime.date(2026, month + 1, 5)
        )
    for month in (10, 11):
        assert periods[month].status == Period.Status.OPEN
    assert (periods[6].working_days, periods[6].working_hours) == (21, Decimal("167"))
    assert (periods[11].working_days, periods[11].working_hours) == (20, Decimal("159"))


@pytest.mark.parametrize(
    ("year", "month", "days", "hours"),
    [
        (2026, 6, 21, 167),
        (2026, 7, 23, 184),
        (2026, 8, 21, 168),
        (2026, 9, 22, 176),
        (2026, 10, 22, 176),
        (2026, 11, 20, 159),
    ],
)
def test_month_calendar_follows_the_russian_2026_calendar(year, month, days, hours):
    assert demo.month_calendar(year, month) == (days, Decimal(hours))


# --- generate_plant ------------------------------------------------------------------------


# The rebuild with --replace and another seed: tests/test_generate_plant.py (small plants).


def test_generate_plant_builds_16_shops_120_sections_and_the_workers(generated_plant):
    plant = generated_plant
    shops = Shop.objects.filter(enterprise=plant)
    assert shops.count() == 16
    assert shops.filter(kind=Shop.Kind.MAIN).count() == 12
    assert shops.filter(kind=Shop.Kind.AUXILIARY).count() == 4
    assert Section.objects.filter(shop__enterprise=plant).count() == 120
    assert Worker.objects.filter(enterprise=plant).count() == GENERATED_WORKERS
    numbers = Worker.objects.filter(enterprise=plant).values_list("personnel_number", flat=True)
    assert len(set(numbers)) == GENERATED_WORKERS
    assert 12 <= plant.professions.count() <= 18
    assert TariffRate.objects.filter(enterprise=plant).count() == 12
    assert plant.scales.filter(code="bonus-plan").exists()
    periods = list(Period.objects.filter(enterprise=plant).order_by("year", "month"))
    assert len(periods) == GENERATED_MONTHS == 3
    assert [p.is_closed for p in periods] == [True, False, False]
    assert periods[-1].contains(timezone.localdate())
    otiz = get_user_model().objects.get(username=f"gen-otiz-{GENERATED_SEED}")
    assert periods[0].closed_by == otiz
    assert RoleAssignment.objects.filter(user=otiz, enterprise=plant, role=Role.LABOUR).exists()
    roles = set(RoleAssignment.objects.filter(enterprise=plant).values_list("role", flat=True))
    assert roles == set(Role.values)
    for worker in Worker.objects.filter(enterprise=plant)[:50]:
        worker.full_clean()
