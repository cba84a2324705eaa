"""Entering a section's month (khozraschet/views/months.py, services/months.py): the
indicators' grid with Russian figures and the confirmation of unlikely ones, the month's
sheet, idle hours, energy savings within the plant's range, the incentive fund; the
closed month, two sessions saving one grid, the scope (404) — and, on PostgreSQL, the
same post ten times at once.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from enterprise.models.roles import Role
from enterprise.tracking import PeriodClosedError
from khozraschet.models import (
    EnergySaving,
    IdleRecord,
    IncentiveFund,
    Indicator,
    IndicatorValue,
    SectionMonth,
)
from khozraschet.selectors.months import settings_for, unlikely
from khozraschet.services import months as services
from tests.factories import close_as_is
from tests.khozraschet.factories import IndicatorFactory, IndicatorValueFactory
from tests.pages import form_data, formset_data, messages_of, text_of

D = Decimal
STALE = "уже изменил другой пользователь"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name, section, period):
    return reverse(f"khozraschet:{name}", args=[section.pk, period.year, period.month])


@pytest.fixture
def catalogue(world):
    """Three indicators of the plant: two entered by hand, one from the output records."""
    enterprise = world.enterprise
    return {
        "volume": IndicatorFactory(
            enterprise=enterprise, code="volume", name="Объём в нормо-часах", unit="нормо-ч",
            order=1, source=Indicator.Source.OUTPUT, role=Indicator.Role.VOLUME,
        ),
        "productivity": IndicatorFactory(
            enterprise=enterprise, code="productivity", name="Производительность труда",
            unit="руб./чел.", order=2,
        ),
        "cost": IndicatorFactory(
            enterprise=enterprise, code="cost", name="Себестоимость", unit="тыс. руб.",
            order=3, direction="lower",
        ),
    }  # fmt: skip


def _grid_post(client, url, values: dict) -> dict:
    """The grid as the page draws it, with ``values`` typed: code → (plan, actual)."""
    page = client.get(url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {**formset_data(formset), **form_data(page.context["version"])}
    data.update(form_data(page.context["confirm"]))
    codes = {i.pk: i.code for i in Indicator.objects.all()}
    for form in formset.forms:
        code = codes[form.initial["indicator"]]
        if code in values:
            plan, actual = values[code]
            data[form.add_prefix("plan")] = plan
            data[form.add_prefix("actual")] = actual
    return data


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan", "actual", "far"),
    [
        ("100", "150", False),  # exactly 1.5 times: still likely
        ("100", "150.001", True),
        ("100", "66.667", False),  # 100 / 1.5 = 66.666…
        ("100", "66.666", True),
        ("0", "0", False),
        ("0", "0.001", True),
        ("100", None, False),
    ],
)
def test_unlikely_is_farther_than_the_ratio_either_way(plan, actual, far):
    assert unlikely(D(plan), None if actual is None else D(actual), D("1.5")) is far


# --- indicators --------------------------------------------------------------------------------


def test_the_grid_stores_decimals_typed_in_russian(world, catalogue):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.DISPATCHER])
    url = _url("month_indicators", a1, october)
    data = _grid_post(
        client,
        url,
        {"volume": ("12 500", "99999"), "productivity": ("1 234,5", "1 300,25"), "cost": ("", "")},
    )
    response = client.post(url, data)
    assert response.status_code == 302, text_of(response.content)
    assert "новых строк 2" in " ".join(messages_of(response))
    values = {v.indicator.code: v for v in IndicatorValue.objects.filter(section=a1)}
    assert set(values) == {"volume", "productivity"}
    assert values["productivity"].plan == D("1234.500")
    assert values["productivity"].actual == D("1300.250")
    # The volume's actual comes from the output records at the close: not typed here.
    assert values["volume"].plan == D("12500")
    assert values["volume"].actual is None
    assert not values["productivity"].confirmed_unlikely

    page = client.get(url)
    text = text_of(page.content)
    assert "из учёта выработки" in text
    assert "105,3" in text  # 1300.25 / 1234.5 = 105.3 %
    plan_input = page.context["formset"].forms[1]["plan"].value()
    assert plan_input == D("1234.5")

    # Emptying a row removes the stored value.
    data = _grid_post(client, url, {"productivity": ("", "")})
    assert client.post(url, data).status_code == 302
    assert not IndicatorValue.objects.filter(section=a1, indicator__code="productivity").exists()


def test_an_unlikely_actual_asks_for_confirmation_then_is_stored_confirmed(world, catalogue):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.ECONOMIST])
    url = _url("month_indicators", a1, october)
    data = _grid_post(client, url, {"productivity": ("1 000", "1 600"), "cost": ("0", "5")})

    asked = client.post(url, data)
    assert asked.status_code == 200
    assert not IndicatorValue.objects.filter(section=a1).exists()
    text = text_of(asked.content)
    assert "Факт 1 600 далёк от плана 1 000 (больше чем в 1,5 раза)" in text
    assert "Факт 5 далёк от плана 0" in text
    assert "Подтверждаю цифры" in text
    assert "дальше от плана чем в 1,5 раза" in text
    assert asked.content.decode().count("data-unlikely") == 2
    confirm = asked.context["confirm"]
    assert not confirm.is_bound

    # Sent again without the tick: asked again, nothing stored.
    again = {**data, **form_data(confirm)}
    assert client.post(url, again).status_code == 200
    assert not IndicatorValue.objects.filter(section=a1).exists()

    # With the tick: stored, marked confirmed.
    again["confirm-confirm"] = "on"
    response = client.post(url, again)
    assert response.status_code == 302, text_of(response.content)
    stored = {v.indicator.code: v for v in IndicatorValue.objects.filter(section=a1)}
    assert stored["productivity"].actual == D("1600")
    assert stored["productivity"].confirmed_unlikely
    assert stored["cost"].plan == D(0) and stored["cost"].actual == D(5)
    assert stored["cost"].confirmed_unlikely

    # Saved again unchanged: not asked again, still confirmed.
    data = _grid_post(client, url, {})
    assert client.post(url, data).status_code == 302
    assert IndicatorValue.objects.get(pk=stored["productivity"].pk).confirmed_unlikely

    # A new far figure after the tick was given is asked about anew.
    data = _grid_post(client, url, {"productivity": ("1 000", "400")})
    data["confirm-confirm"] = "on"  # ticked, but for the figures asked about before
    assert client.post(url, data).status_code == 200
    assert IndicatorValue.objects.get(pk=stored["productivity"].pk).actual == D("1600")

    # Back within the ratio: no longer marked.
    data = _grid_post(client, url, {"productivity": ("1 000", "1 100")})
    assert client.post(url, data).status_code == 302
    assert not IndicatorValue.objects.get(pk=stored["productivity"].pk).confirmed_unlikely


def test_the_ratio_is_the_plants(world, catalogue):
    settings = settings_for(world.enterprise)
    settings.unlikely_ratio = D(2)
    settings.save()
    a1, october = world.units["A1"], world.period(2026, 10)
    row = services.IndicatorIn(
        indicator_id=catalogue["productivity"].pk, plan=D(100), actual=D(190)
    )
    services.indicators_save(
        section=a1, period=october, rows=[row], user=world.users[Role.DISPATCHER]
    )
    assert IndicatorValue.objects.get(section=a1).actual == D(190)
    far = services.IndicatorIn(indicator_id=row.indicator_id, plan=D(100), actual=D("200.001"))
    with pytest.raises(services.RowErrors) as refused:
        services.indicators_save(
            section=a1, period=october, rows=[far], user=world.users[Role.DISPATCHER]
        )
    assert refused.value.unlikely == {row.indicator_id}


def test_an_actual_without_a_plan_is_refused_next_to_the_plan(world, catalogue):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.DISPATCHER])
    url = _url("month_indicators", a1, october)
    response = client.post(url, _grid_post(client, url, {"cost": ("", "12")}))
    assert response.status_code == 200
    assert "Укажите план" in text_of(response.content)
    assert not IndicatorValue.objects.exists()


def test_a_closed_month_is_read_only_and_refuses_writes(world, catalogue):
    a1, october = world.units["A1"], world.period(2026, 10)
    dispatcher = world.users[Role.DISPATCHER]
    value = IndicatorValueFactory(
        section=a1, period=october, indicator=catalogue["productivity"], plan=D(10), actual=D(11)
    )
    client = _client(dispatcher)
    url = _url("month_indicators", a1, october)
    data = _grid_post(client, url, {"productivity": ("10", "12")})
    close_as_is(october, world.users[Role.LABOUR])

    page = client.get(url)
    assert page.status_code == 200
    text = text_of(page.content)
    assert "Период «" in text and "закрыт" in text
    assert 'name="rows-0-plan"' not in page.content.decode()

    response = client.post(url, data)
    assert response.status_code == 302
    assert any("закрыт" in m for m in messages_of(response))
    with pytest.raises(PeriodClosedError):
        services.indicators_save(
            section=a1,
            period=october,
            rows=[services.IndicatorIn(value.indicator_id, D(10), D(12))],
            user=dispatcher,
        )
    for save, rows in (
        (services.idle_save, [services.IdleIn("no_work", D(5))]),
        (services.energy_save, [services.EnergyIn("fuel", D(100), D(20))]),
    ):
        with pytest.raises(PeriodClosedError):
            save(section=a1, period=october, rows=rows, user=dispatcher)
    with pytest.raises(PeriodClosedError):
        services.section_month_save(
            section=a1, period=october, values={"plan_decade_1": D(1)}, user=dispatcher
        )
    value.refresh_from_db()
    assert value.actual == D(11)


def test_two_sessions_saving_one_grid_the_second_is_refused_with_what_changed(world, catalogue):
    a1, october = world.units["A1"], world.period(2026, 10)
    IndicatorValueFactory(
        section=a1, period=october, indicator=catalogue["productivity"], plan=D(100), actual=D(90)
    )
    dispatcher = _client(world.users[Role.DISPATCHER])
    economist = _client(world.users[Role.ECONOMIST])
    url = _url("month_indicators", a1, october)
    first = _grid_post(dispatcher, url, {"productivity": ("100", "95")})
    second = _grid_post(economist, url, {"cost": ("50", "48")})  # the other row

    assert dispatcher.post(url, first).status_code == 302
    refused = economist.post(url, second)
    assert refused.status_code == 200
    text = text_of(refused.content)
    assert STALE in text
    assert "Производительность труда: факт: 90,000 → 95,000" in text
    assert not IndicatorValue.objects.filter(indicator=catalogue["cost"]).exists()
    # The row the economist did not touch now shows the dispatcher's figure; saving
    # again keeps both people's work.
    formset = refused.context["formset"]
    data = {**formset_data(formset), **form_data(refused.context["version"])}
    assert client_post_ok(economist, url, data)
    stored = {v.indicator.code: v.actual for v in IndicatorValue.objects.filter(section=a1)}
    assert stored == {"productivity": D(95), "cost": D(48)}


def client_post_ok(client, url, data) -> bool:
    response = client.post(url, data)
    return response.status_code == 302


# --- scope ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["month_entry", "month_indicators", "month_sheet", "month_idle",
                                  "month_energy"])  # fmt: skip
def test_only_the_bureau_and_the_economist_of_the_shop_enter(world, catalogue, name):
    october = world.period(2026, 10)
    a1, b1 = world.units["A1"], world.units["B1"]
    for role in (Role.DISPATCHER, Role.ECONOMIST):
        client = _client(world.users[role])
        assert client.get(_url(name, a1, october)).status_code == 200
        assert client.get(_url(name, b1, october)).status_code == 404  # another shop
    for role in (Role.MASTER, Role.WORKER, Role.SHOP_HEAD, Role.LABOUR):
        assert _client(world.users[role]).get(_url(name, a1, october)).status_code == 404
    client = _client(world.users[Role.DISPATCHER])
    # No such month of the enterprise.
    url = reverse(f"khozraschet:{name}", args=[a1.pk, 2030, 1])
    assert client.get(url).status_code == 404
    url = reverse(f"khozraschet:{name}", args=[a1.pk, 2026, 13])
    assert client.get(url).status_code == 404


def test_a_master_or_a_worker_posting_the_grid_gets_404_and_nothing_is_written(world, catalogue):
    a1, october = world.units["A1"], world.period(2026, 10)
    url = _url("month_indicators", a1, october)
    data = _grid_post(_client(world.users[Role.DISPATCHER]), url, {"cost": ("5", "5")})
    for role in (Role.MASTER, Role.WORKER):
        assert _client(world.users[role]).post(url, data).status_code == 404
    with pytest.raises(Exception) as denied:
        services.indicators_save(
            section=a1,
            period=october,
            rows=[services.IndicatorIn(catalogue["cost"].pk, D(5), D(5))],
            user=world.users[Role.MASTER],
        )
    assert type(denied.value).__name__ == "PermissionDenied"
    assert not IndicatorValue.objects.exists()


# --- the month's sheet --------------------------------------------------------------------------


def test_the_sheet_is_created_on_the_first_save_and_versioned(world):
    a1, october = world.units["A1"], world.period(2026, 10)
    url = _url("month_sheet", a1, october)
    dispatcher, economist = (_client(world.users[r]) for r in (Role.DISPATCHER, Role.ECONOMIST))
    page = dispatcher.get(url)
    assert "Только для вспомогательного участка" in text_of(page.content)
    data = {**form_data(page.context["form"]), **form_data(page.context["version"])}
    data.update(
        {
            "plan_decade_1": "1 000,5",
            "plan_decade_2": "1 100",
            "plan_decade_3": "1 200",
            "on_time_output": "80",
            "shortfall": "20",
            "quality_collective": "0,95",
            "shift_fund_hours": "3 073",
            "consumers_filed_no_claims": "on",
        }
    )
    stale = dict(data)  # the economist's page was drawn before the first save too
    stale["plan_decade_1"] = "900"
    response = dispatcher.post(url, data)
    assert response.status_code == 302, text_of(response.content)
    sheet = SectionMonth.objects.get(section=a1, period=october)
    assert sheet.decade_plan == [D("1000.5"), D(1100), D(1200)]
    assert (sheet.on_time_output, sheet.shortfall) == (D(80), D(20))
    assert sheet.quality_collective == D("0.95")
    assert sheet.quality_masters is None
    assert sheet.shift_fund_hours == D(3073)
    assert sheet.consumers_filed_no_claims

    refused = economist.post(url, stale)
    assert refused.status_code == 200
    assert STALE in text_of(refused.content)
    sheet.refresh_from_db()
    assert sheet.plan_decade_1 == D("1000.5")
    # Having read what changed, saving again writes over it.
    again = {**stale, **form_data(refused.context["version"])}
    assert economist.post(url, again).status_code == 302
    sheet.refresh_from_db()
    assert sheet.plan_decade_1 == D(900)
    assert SectionMonth.objects.filter(section=a1, period=october).count() == 1


def test_the_sheet_refuses_a_quality_coefficient_out_of_range(world):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.ECONOMIST])
    url = _url("month_sheet", a1, october)
    page = client.get(url)
    data = {**form_data(page.context["form"]), **form_data(page.context["version"])}
    data["quality_masters"] = "3,5"
    data["productivity_wage_deviation"] = "-1"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "quality_masters": ["Слишком большое число: не больше 3."],
        "productivity_wage_deviation": ["Число не может быть отрицательным."],
    }
    assert not SectionMonth.objects.exists()


# --- idle hours -----------------------------------------------------------------------------------


def _rows_post(client, url, field, values: dict) -> dict:
    page = client.get(url)
    formset = page.context["formset"]
    key = formset.key
    data = {**formset_data(formset), **form_data(page.context["version"])}
    for form in formset.forms:
        if form.initial[key] in values:
            for name, typed in values[form.initial[key]].items():
                data[form.add_prefix(name)] = typed
    return data


def test_idle_hours_by_cause_with_their_shares(world):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.DISPATCHER])
    url = _url("month_idle", a1, october)
    services.section_month_save(
        section=a1,
        period=october,
        values={"shift_fund_hours": D("3073")},
        user=world.users[Role.DISPATCHER],
    )
    data = _rows_post(
        client,
        url,
        "hours",
        {
            "unplanned_repair": {"hours": "792,6"},
            "no_work": {"hours": "60"},
            "no_tools": {"hours": "49"},
        },
    )
    assert client.post(url, data).status_code == 302
    hours = dict(IdleRecord.objects.filter(section=a1).values_list("cause", "hours"))
    assert hours == {"unplanned_repair": D("792.6"), "no_work": D(60), "no_tools": D(49)}
    text = text_of(client.get(url).content)
    assert "901,6" in text  # the total
    assert "87,9" in text  # 792.6 of 901.6 h (the booklet's vector)
    assert "29,34" in text  # of the shift fund

    # 0 or empty deletes the cause's row.
    data = _rows_post(client, url, "hours", {"no_work": {"hours": "0"}, "no_tools": {"hours": ""}})
    assert client.post(url, data).status_code == 302
    assert list(IdleRecord.objects.filter(section=a1).values_list("cause", flat=True)) == [
        "unplanned_repair"
    ]


def test_idle_hours_past_the_shift_fund_are_refused_and_nothing_is_written(world):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.DISPATCHER])
    url = _url("month_idle", a1, october)
    services.section_month_save(
        section=a1,
        period=october,
        values={"shift_fund_hours": D("1234.5")},
        user=world.users[Role.DISPATCHER],
    )
    data = _rows_post(
        client, url, "hours", {"unplanned_repair": {"hours": "6 012,5"}, "no_work": {"hours": "5"}}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert (
        "Простоев за месяц 6 017,5 ч — больше сменного фонда времени оборудования 1 234,5 ч"
        in text_of(response.content)
    )
    assert not IdleRecord.objects.exists()


def test_idle_grid_refuses_a_cause_not_of_the_table(world):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.DISPATCHER])
    url = _url("month_idle", a1, october)
    data = _rows_post(client, url, "hours", {"no_work": {"hours": "5"}})
    data["rows-0-cause"] = "coffee_break"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "строка не с этой страницы" in text_of(response.content)
    assert not IdleRecord.objects.exists()


# --- energy ---------------------------------------------------------------------------------------


def test_energy_percent_outside_the_plants_range_is_refused_naming_it(world):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.ECONOMIST])
    url = _url("month_energy", a1, october)
    data = _rows_post(
        client,
        url,
        "percent",
        {
            "fuel": {"saved_value": "12 000", "percent": "30"},
            "electricity": {"saved_value": "5 000", "percent": "55"},
        },
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert not EnergySaving.objects.exists()
    formset = response.context["formset"]
    electricity = next(f for f in formset.forms if f.initial["resource"] == "electricity")
    assert electricity.errors["percent"] == [
        "Премия за экономию — от 17 до 45 % стоимости сэкономленного."
    ]
    text = text_of(response.content)
    assert "от 17 до 45 %" in text

    data[electricity.add_prefix("percent")] = "45"
    assert client.post(url, data).status_code == 302
    saved = {s.resource: s for s in EnergySaving.objects.filter(section=a1)}
    assert (saved["fuel"].saved_value, saved["fuel"].percent) == (D(12000), D(30))
    assert saved["electricity"].percent == D(45)
    text = text_of(client.get(url).content)
    assert "3 600,00" in text  # 30 % of 12 000
    assert "2 250,00" in text

    # The plant's range is its own.
    settings = settings_for(world.enterprise)
    settings.energy_max_percent = D(55)
    settings.save()
    data = _rows_post(client, url, "percent", {"electricity": {"percent": "55"}})
    assert client.post(url, data).status_code == 302
    assert EnergySaving.objects.get(section=a1, resource="electricity").percent == D(55)


def test_energy_a_percent_without_the_value_is_refused(world):
    a1, october = world.units["A1"], world.period(2026, 10)
    with pytest.raises(services.RowErrors) as refused:
        services.energy_save(
            section=a1,
            period=october,
            rows=[services.EnergyIn("heat", None, D(20))],
            user=world.users[Role.ECONOMIST],
        )
    assert refused.value.by_row == {"heat": {"saved_value": ["Укажите стоимость сэкономленного."]}}


# --- the hub -------------------------------------------------------------------------------------


def test_the_hub_counts_what_is_filled(world, catalogue):
    a1, october = world.units["A1"], world.period(2026, 10)
    user = world.users[Role.DISPATCHER]
    IndicatorValueFactory(section=a1, period=october, indicator=catalogue["cost"])
    services.idle_save(
        section=a1,
        period=october,
        rows=[services.IdleIn("no_work", D("10.5")), services.IdleIn("setup", D(2))],
        user=user,
    )
    page = _client(user).get(_url("month_entry", a1, october))
    text = text_of(page.content)
    assert "Заполнено 1 из 3" in text
    assert "Причин: 2, всего 12,5 ч" in text
    assert text.count("Не заполнено") == 2  # the sheet and energy


# --- the incentive fund --------------------------------------------------------------------------


def test_labour_sets_the_fund_of_the_plant_and_of_a_shop(world):
    october = world.period(2026, 10)
    url = reverse("khozraschet:funds", args=[2026, 10])
    client = _client(world.users[Role.LABOUR])
    page = client.get(url)
    assert page.status_code == 200
    data = {**form_data(page.context["form"]), "amount": "150 000,50"}
    assert client.post(url, data).status_code == 302
    # The same form sent again (a double click): nothing new.
    response = client.post(url, data)
    assert response.status_code == 302
    assert "уже отправлена" in " ".join(messages_of(response))
    fund = IncentiveFund.objects.get(period=october)
    assert fund.shop is None and fund.amount == D("150000.50")

    page = client.get(url)
    data = {**form_data(page.context["form"]), "shop": world.units["A"].pk, "amount": "40 000"}
    assert client.post(url, data).status_code == 302
    page = client.get(url)
    data = {**form_data(page.context["form"]), "shop": world.units["A"].pk, "amount": "45 000"}
    assert client.post(url, data).status_code == 302
    funds = {f.shop_id: f.amount for f in IncentiveFund.objects.filter(period=october)}
    assert funds == {None: D("150000.50"), world.units["A"].pk: D(45000)}
    assert "45 000,00" in text_of(client.get(url).content)

    for role in (Role.ECONOMIST, Role.MASTER, Role.WORKER):
        assert _client(world.users[role]).get(url).status_code == 404
    assert client.get(reverse("khozraschet:funds", args=[2031, 1])).status_code == 404
    other_shop = world.units["other_shop"]
    with pytest.raises(Exception):  # noqa: B017 — a shop of another plant
        services.fund_set(
            enterprise=world.enterprise,
            period=october,
            shop=other_shop,
            amount=D(1),
            user=world.users[Role.LABOUR],
        )


# --- races (PostgreSQL) --------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_post_ten_times_at_once_leaves_one_row_per_key(world):
    from tests.races import at_once, outcomes

    a1, october = world.units["A1"], world.period(2026, 10)
    indicators = [
        IndicatorFactory(enterprise=world.enterprise, code=f"i{n}", name=f"П{n}", order=n)
        for n in range(3)
    ]
    url_indicators = _url("month_indicators", a1, october)
    url_idle = _url("month_idle", a1, october)
    url_energy = _url("month_energy", a1, october)
    url_sheet = _url("month_sheet", a1, october)
    url_funds = reverse("khozraschet:funds", args=[2026, 10])
    clients = [_client(world.users[Role.DISPATCHER]) for _ in range(10)]
    labour = [_client(world.users[Role.LABOUR]) for _ in range(10)]
    for run in range(5):
        posts = [
            (url_indicators, _grid_post(clients[0], url_indicators, {
                i.code: (f"{100 + run}", f"{101 + run}") for i in indicators
            })),
            (url_idle, _rows_post(clients[0], url_idle, "hours", {
                "no_work": {"hours": f"{5 + run}"}, "setup": {"hours": "2"}
            })),
            (url_energy, _rows_post(clients[0], url_energy, "percent", {
                "fuel": {"saved_value": f"{1000 + run}", "percent": "20"}
            })),
        ]  # fmt: skip
        page = clients[0].get(url_sheet)
        sheet = {**form_data(page.context["form"]), **form_data(page.context["version"])}
        sheet["plan_decade_1"] = f"{500 + run}"
        posts.append((url_sheet, sheet))
        for url, data in posts:
            results = at_once(*[lambda c=c, d=data, u=url: c.post(u, d) for c in clients])
            responses, errors = outcomes(results)
            assert errors == [], (run, url, errors)
            codes = sorted(r.status_code for r in responses)
            # One is saved; the others were drawn before it: refused as stale (or, the
            # figures being the same, saved as nothing changed).
            assert 302 in codes, (run, url, codes)
            assert set(codes) <= {200, 302}
        assert IndicatorValue.objects.filter(section=a1, period=october).count() == 3
        assert set(IndicatorValue.objects.filter(section=a1).values_list("plan", flat=True)) == {
            D(100 + run)
        }
        assert IdleRecord.objects.filter(section=a1, period=october).count() == 2
        assert IdleRecord.objects.get(section=a1, cause="no_work").hours == D(5 + run)
        assert EnergySaving.objects.filter(section=a1, period=october).count() == 1
        assert SectionMonth.objects.filter(section=a1, period=october).count() == 1
        assert SectionMonth.objects.get(section=a1).plan_decade_1 == D(500 + run)

        page = labour[0].get(url_funds)
        data = {**form_data(page.context["form"]), "amount": f"{1000 + run}"}
        data["submission"] = uuid.uuid4().hex
        results = at_once(*[lambda c=c, d=data: c.post(url_funds, d) for c in labour])
        responses, errors = outcomes(results)
        assert errors == [], (run, errors)
        assert [r.status_code for r in responses] == [302] * 10
        assert IncentiveFund.objects.filter(period=october).count() == 1
        assert IncentiveFund.objects.get(period=october).amount == D(1000 + run)


def test_two_sessions_saving_the_idle_grid_the_second_is_refused_then_merged(world):
    a1, october = world.units["A1"], world.period(2026, 10)
    url = _url("month_idle", a1, october)
    dispatcher = _client(world.users[Role.DISPATCHER])
    economist = _client(world.users[Role.ECONOMIST])
    services.idle_save(
        section=a1,
        period=october,
        rows=[services.IdleIn("no_work", D(5))],
        user=world.users[Role.DISPATCHER],
    )
    first = _rows_post(dispatcher, url, "hours", {"no_work": {"hours": "7"}})
    second = _rows_post(economist, url, "hours", {"setup": {"hours": "3,5"}})
    assert dispatcher.post(url, first).status_code == 302
    refused = economist.post(url, second)
    assert refused.status_code == 200
    text = text_of(refused.content)
    assert STALE in text
    assert "простой, ч: 5,0 → 7,0" in text
    assert not IdleRecord.objects.filter(cause="setup").exists()
    formset = refused.context["formset"]
    data = {**formset_data(formset), **form_data(refused.context["version"])}
    assert economist.post(url, data).status_code == 302
    hours = dict(IdleRecord.objects.filter(section=a1).values_list("cause", "hours"))
    assert hours == {"no_work": D(7), "setup": D("3.5")}


def test_an_indicator_of_another_plant_or_a_month_of_another_plant_is_refused(world):
    a1, october = world.units["A1"], world.period(2026, 10)
    foreign = IndicatorFactory(enterprise=world.other_enterprise, code="foreign")
    with pytest.raises(services.RowErrors) as refused:
        services.indicators_save(
            section=a1,
            period=october,
            rows=[services.IndicatorIn(foreign.pk, D(1), D(1))],
            user=world.users[Role.DISPATCHER],
        )
    assert refused.value.by_row == {
        foreign.pk: {None: ["Показатель не из каталога этого предприятия."]}
    }
    from enterprise.models import Period

    other_month, _ = Period.objects.get_or_create(
        enterprise=world.other_enterprise, year=2026, month=10
    )
    with pytest.raises(Exception, match="Месяц другого предприятия"):
        services.idle_save(
            section=a1,
            period=other_month,
            rows=[services.IdleIn("no_work", D(1))],
            user=world.users[Role.DISPATCHER],
        )
    assert not IndicatorValue.objects.exists() and not IdleRecord.objects.exists()


def test_each_indicator_is_written_at_its_unit_s_places(world, catalogue):
    """«1 844,348» norm-hours read as a figure to the gram: each row at its unit's places —
    norm-hours and % to a tenth, rubles to the kopeck, a ratio of rubles to the thousandth
    it is entered with — the plan and the actual alike; an unknown unit as entered."""
    a1, october = world.units["A1"], world.period(2026, 10)
    enterprise = world.enterprise
    capital = IndicatorFactory(
        enterprise=enterprise,
        code="capital",
        name="Фондоотдача",
        unit="руб./руб.",
        order=4,
        role=Indicator.Role.CAPITAL,
    )
    per_ruble = IndicatorFactory(
        enterprise=enterprise,
        code="per-ruble",
        name="Затраты на 1 руб.",
        unit="руб.",
        order=5,
        role=Indicator.Role.COST_PER_RUBLE,
        direction="lower",
    )
    nomenclature = IndicatorFactory(
        enterprise=enterprise, code="nomenclature", name="Номенклатура", unit="%", order=6
    )  # fmt: skip
    for indicator, plan, actual in (
        (catalogue["volume"], "1844.348", None),
        (catalogue["productivity"], "1375", "1388.75"),
        (catalogue["cost"], "4790.5", "4800"),  # «тыс. руб.»: a unit of no known places
        (capital, "1.2", "1.176"),
        (per_ruble, "0.85", "0.842"),
        (nomenclature, "100", "98"),
    ):
        IndicatorValueFactory(
            section=a1, period=october, indicator=indicator, plan=D(plan),
            actual=None if actual is None else D(actual),
        )  # fmt: skip
    close_as_is(october, world.users[Role.LABOUR])  # read-only: the figures as text

    html = _client(world.users[Role.ECONOMIST]).get(_url("month_indicators", a1, october))
    rows = {
        cells[0]: cells[3:5]
        for cells in (
            [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html.content.decode(), re.S)
        )
        if len(cells) == 6
    }

    # (text_of writes the grouping no-break space as a space)
    assert rows["Объём в нормо-часах"] == ["1 844,3", "из учёта выработки"]
    assert rows["Производительность труда"] == ["1 375,00", "1 388,75"]
    assert rows["Себестоимость"] == ["4 790,5", "4 800"]
    assert rows["Фондоотдача"] == ["1,200", "1,176"]
    assert rows["Затраты на 1 руб."] == ["0,850", "0,842"]
    assert rows["Номенклатура"] == ["100,0", "98,0"]


def test_the_plant_sets_an_indicator_s_places_where_its_unit_says_none(world, catalogue):
    """«тыс. руб.» has no places of its own (as entered: «4 790,5» beside «4 800»); the
    plant sets one place and both read alike; emptied, the unit decides again."""
    a1, october = world.units["A1"], world.period(2026, 10)
    cost = catalogue["cost"]
    IndicatorValueFactory(
        section=a1, period=october, indicator=cost, plan=D("4790.5"), actual=D("4800")
    )
    client = _client(world.users[Role.ECONOMIST])

    def cells():
        html = client.get(_url("month_indicators", a1, october)).content.decode()
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
            found = [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            if found and found[0] == "Себестоимость":
                return found[3:5]
        raise AssertionError("no row of the cost")

    close_as_is(october, world.users[Role.LABOUR])  # read-only: the figures as text
    assert cells() == ["4 790,5", "4 800"]
    cost.shown_places = 1
    cost.save()
    assert cells() == ["4 790,5", "4 800,0"]
    cost.shown_places = None
    cost.save()
    assert cells() == ["4 790,5", "4 800"]
