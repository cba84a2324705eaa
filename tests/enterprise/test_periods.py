"""Closed periods: nothing dated in a closed month changes, whatever the write path.

The world has June–September 2026 closed and October, November 2026 open. Its tariff
grid is in force from 1 January 2026, so every rate of it is frozen (a closed month
follows its start); a rate from October is not.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction

from enterprise.models import HistoryRecord, Period, PeriodReopening, TariffRate
from enterprise.permissions import can
from enterprise.services import (
    period_close,
    period_decide_reopen,
    period_request_reopen,
    tariff_rate_save,
)
from enterprise.tracking import MonthKey, PeriodClosedError, assert_months_open
from tests.factories import PeriodFactory, TariffRateFactory

OCTOBER = datetime.date(2026, 10, 1)


def _state(model, pk):
    """The stored row as a dict (to compare before and after a refused write)."""
    return model.objects.filter(pk=pk).values().first()


@pytest.fixture
def frozen(world):
    """A rate in force since January: the closed June–September freeze it."""
    return world.rate("piece", 3)


@pytest.fixture
def open_rate(world):
    """A rate in force from October: no closed month follows its start."""
    return TariffRateFactory(
        enterprise=world.enterprise,
        pay_condition=world.conditions["piece"],
        grade=3,
        hourly_rate=Decimal("140.000"),
        valid_from=OCTOBER,
    )


@pytest.fixture
def closed(world):
    return world.period(2026, 9)


def _new_rate(world, valid_from, grade=4):
    return TariffRate(
        enterprise=world.enterprise,
        pay_condition=world.conditions["time"],
        grade=grade,
        hourly_rate=Decimal("200.000"),
        valid_from=valid_from,
    )


def _closed_message(error) -> str:
    return " ".join(error.messages)


# --- MonthKey ------------------------------------------------------------------------------


def test_it_freezes_an_onwards_row_by_any_closed_month_from_its_start(world):
    key = MonthKey.of(world.enterprise.pk, datetime.date(2026, 1, 15), onwards=True)
    with pytest.raises(PeriodClosedError):
        assert_months_open([key])
    assert_months_open([MonthKey.of(world.enterprise.pk, datetime.date(2026, 1, 15))])
    assert_months_open([MonthKey.of(world.enterprise.pk, OCTOBER, onwards=True)])


def test_it_does_not_freeze_rows_of_another_enterprise(world):
    assert_months_open([MonthKey.of(world.other_enterprise.pk, datetime.date(2026, 6, 1))])


def test_it_names_the_first_closed_month_in_the_message(world):
    key = MonthKey.of(world.enterprise.pk, datetime.date(2026, 1, 1), onwards=True)
    with pytest.raises(PeriodClosedError) as caught:
        assert_months_open([key])
    assert "июнь 2026" in caught.value.messages[0].lower()
    assert "закрыт" in caught.value.messages[0]


# --- TariffRate through every ORM write path ---------------------------------------------


def test_it_refuses_to_save_a_change_to_a_frozen_rate(frozen):
    before = _state(TariffRate, frozen.pk)
    frozen.hourly_rate = Decimal("999.000")
    with pytest.raises(PeriodClosedError) as caught:
        frozen.save()
    assert "закрыт" in _closed_message(caught.value)
    assert _state(TariffRate, frozen.pk) == before


@pytest.mark.parametrize(
    "valid_from",
    [datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), datetime.date(2026, 3, 1)],
    ids=["in-a-closed-month", "last-day-of-a-closed-month", "before-a-closed-month"],
)
def test_it_refuses_to_create_a_rate_a_closed_month_would_use(world, valid_from):
    count = TariffRate.objects.count()
    with pytest.raises(PeriodClosedError):
        _new_rate(world, valid_from).save()
    assert TariffRate.objects.count() == count


def test_it_accepts_a_new_rate_from_an_open_month(world):
    rate = _new_rate(world, OCTOBER)
    rate.save()
    assert TariffRate.objects.filter(pk=rate.pk).exists()


def test_it_accepts_a_rate_of_the_other_enterprise_in_the_same_month(world):
    rate = TariffRateFactory(
        enterprise=world.other_enterprise, valid_from=datetime.date(2026, 6, 1)
    )
    assert rate.pk is not None


def test_it_refuses_to_move_an_open_rate_into_a_closed_month(open_rate):
    before = _state(TariffRate, open_rate.pk)
    open_rate.valid_from = datetime.date(2026, 8, 1)
    with pytest.raises(PeriodClosedError):
        open_rate.save()
    assert _state(TariffRate, open_rate.pk) == before


def test_it_refuses_to_delete_a_frozen_rate(frozen):
    with pytest.raises(PeriodClosedError):
        frozen.delete()
    assert _state(TariffRate, frozen.pk) is not None


def test_it_lets_an_open_rate_be_changed_and_deleted(open_rate):
    open_rate.hourly_rate = Decimal("141.000")
    open_rate.save()
    assert _state(TariffRate, open_rate.pk)["hourly_rate"] == Decimal("141.000")
    open_rate.delete()
    assert _state(TariffRate, open_rate.pk) is None


def test_it_refuses_a_queryset_update_of_frozen_rates(world, frozen):
    before = list(TariffRate.objects.order_by("pk").values())
    with pytest.raises(PeriodClosedError):
        TariffRate.objects.filter(pk=frozen.pk).update(hourly_rate=Decimal("1.000"))
    with pytest.raises(PeriodClosedError):
        TariffRate.objects.filter(enterprise=world.enterprise).update(hourly_rate=Decimal("1"))
    assert list(TariffRate.objects.order_by("pk").values()) == before


def test_it_refuses_a_queryset_update_that_moves_a_rate_into_a_closed_month(open_rate):
    before = _state(TariffRate, open_rate.pk)
    with pytest.raises(PeriodClosedError):
        TariffRate.objects.filter(pk=open_rate.pk).update(valid_from=datetime.date(2026, 6, 1))
    assert _state(TariffRate, open_rate.pk) == before


def test_it_refuses_a_queryset_update_mixing_frozen_and_open_rates(world, frozen, open_rate):
    before = list(TariffRate.objects.order_by("pk").values())
    with pytest.raises(PeriodClosedError):
        TariffRate.objects.filter(pk__in=[frozen.pk, open_rate.pk]).update(
            hourly_rate=Decimal("7.000")
        )
    assert list(TariffRate.objects.order_by("pk").values()) == before


def test_it_refuses_a_queryset_delete_of_frozen_rates(world, frozen, open_rate):
    count = TariffRate.objects.count()
    with pytest.raises(PeriodClosedError):
        TariffRate.objects.filter(pk__in=[frozen.pk, open_rate.pk]).delete()
    with pytest.raises(PeriodClosedError):
        world.enterprise.rates.all().delete()
    assert TariffRate.objects.count() == count
    assert _state(TariffRate, open_rate.pk) is not None


def test_it_refuses_a_bulk_create_with_a_rate_of_a_closed_month(world):
    count = TariffRate.objects.count()
    rows = [_new_rate(world, OCTOBER, grade=1), _new_rate(world, datetime.date(2026, 6, 1), 2)]
    with pytest.raises(PeriodClosedError):
        TariffRate.objects.bulk_create(rows)
    assert TariffRate.objects.count() == count


def test_it_accepts_a_bulk_create_of_open_months(world):
    count = TariffRate.objects.count()
    TariffRate.objects.bulk_create([_new_rate(world, OCTOBER, grade=g) for g in (1, 2)])
    assert TariffRate.objects.count() == count + 2


def test_it_refuses_a_bulk_update_of_a_frozen_rate(frozen, open_rate):
    before = list(TariffRate.objects.order_by("pk").values())
    frozen.hourly_rate = Decimal("1.000")
    open_rate.hourly_rate = Decimal("2.000")
    with pytest.raises(PeriodClosedError):
        TariffRate.objects.bulk_update([open_rate, frozen], ["hourly_rate"])
    assert list(TariffRate.objects.order_by("pk").values()) == before


def test_it_refuses_a_bulk_update_moving_a_rate_into_a_closed_month(open_rate):
    before = _state(TariffRate, open_rate.pk)
    open_rate.valid_from = datetime.date(2026, 7, 1)
    with pytest.raises(PeriodClosedError):
        TariffRate.objects.bulk_update([open_rate], ["valid_from"])
    assert _state(TariffRate, open_rate.pk) == before


def test_it_reports_a_frozen_rate_in_full_clean_with_a_russian_message(frozen):
    frozen.hourly_rate = Decimal("999.000")
    with pytest.raises(ValidationError) as caught:
        frozen.full_clean()
    messages = caught.value.message_dict[NON_FIELD_ERRORS]
    assert any("закрыт" in message for message in messages)
    assert any("Исправления вносятся в открытый период" in message for message in messages)


def test_it_reports_a_new_rate_of_a_closed_month_in_full_clean_next_to_its_date(world):
    with pytest.raises(ValidationError) as caught:
        _new_rate(world, datetime.date(2026, 8, 1)).full_clean()
    assert "закрыт" in " ".join(caught.value.message_dict["valid_from"])


def test_it_refuses_a_frozen_rate_through_the_service(world, frozen):
    before = _state(TariffRate, frozen.pk)
    frozen.hourly_rate = Decimal("999.000")
    with pytest.raises(ValidationError) as caught:
        tariff_rate_save(rate=frozen, user=world.users["labour"])
    assert "закрыт" in " ".join(caught.value.messages)
    assert _state(TariffRate, frozen.pk) == before


# --- the Period row itself ---------------------------------------------------------------


def test_it_refuses_to_save_a_change_to_a_closed_period(closed):
    before = _state(Period, closed.pk)
    closed.working_days = 1
    with pytest.raises(PeriodClosedError):
        closed.save()
    assert _state(Period, closed.pk) == before


def test_it_refuses_to_reopen_a_period_by_a_plain_save(closed):
    before = _state(Period, closed.pk)
    closed.status = Period.Status.OPEN
    closed.closed_by = None
    closed.closed_at = None
    with pytest.raises(PeriodClosedError):
        closed.save()
    assert _state(Period, closed.pk) == before


def test_it_reports_a_closed_period_in_full_clean(closed):
    closed.working_days = 1
    with pytest.raises(ValidationError) as caught:
        closed.full_clean()
    assert "закрыт" in " ".join(caught.value.message_dict[NON_FIELD_ERRORS])


def test_it_refuses_to_delete_a_closed_period(closed):
    with pytest.raises(PeriodClosedError):
        closed.delete()
    assert _state(Period, closed.pk) is not None


def test_it_refuses_a_queryset_update_or_delete_of_closed_periods(world, closed):
    before = list(Period.objects.order_by("pk").values())
    with pytest.raises(PeriodClosedError):
        Period.objects.filter(pk=closed.pk).update(status=Period.Status.OPEN)
    with pytest.raises(PeriodClosedError):
        Period.objects.filter(enterprise=world.enterprise).update(working_days=3)
    with pytest.raises(PeriodClosedError):
        Period.objects.filter(enterprise=world.enterprise).delete()
    assert list(Period.objects.order_by("pk").values()) == before


def test_it_refuses_a_bulk_update_of_a_closed_period(world, closed):
    before = list(Period.objects.order_by("pk").values())
    october = world.period(2026, 10)
    october.working_days = 22
    closed.working_days = 2
    with pytest.raises(PeriodClosedError):
        Period.objects.bulk_update([october, closed], ["working_days"])
    assert list(Period.objects.order_by("pk").values()) == before


def test_it_lets_an_open_period_be_changed(world):
    october = world.period(2026, 10)
    october.working_days = 22
    october.full_clean()
    october.save()
    Period.objects.filter(pk=october.pk).update(working_hours=Decimal("176.0"))
    assert _state(Period, october.pk)["working_days"] == 22
    assert _state(Period, october.pk)["working_hours"] == Decimal("176.0")


def test_it_accepts_a_bulk_create_of_new_months(world):
    Period.objects.bulk_create(
        [Period(enterprise=world.enterprise, year=2026, month=12)],
    )
    assert Period.objects.filter(enterprise=world.enterprise, year=2026, month=12).exists()


# --- the admin -----------------------------------------------------------------------------


def _admin_post(client, rate, **changes):
    data = {
        "enterprise": rate.enterprise_id,
        "pay_condition": rate.pay_condition_id,
        "grade": rate.grade,
        "hourly_rate": "999.000",
        "valid_from": rate.valid_from.strftime("%d.%m.%Y"),
        **changes,
    }
    url = f"/admin/enterprise/tariffrate/{rate.pk}/change/"
    return client.post(url, data, follow=True)


def test_it_refuses_a_change_to_a_frozen_rate_in_the_admin(world, client, frozen):
    before = _state(TariffRate, frozen.pk)
    client.force_login(world.users["administrator"])
    response = _admin_post(client, frozen)
    assert response.status_code in (200, 403)
    assert _state(TariffRate, frozen.pk) == before
    assert not HistoryRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(TariffRate),
        object_pk=str(frozen.pk),
        action=HistoryRecord.Action.UPDATE,
    ).exists()


def test_it_says_why_a_frozen_rate_cannot_be_changed_in_the_admin(world, client, frozen):
    before = _state(TariffRate, frozen.pk)
    client.force_login(world.users["administrator"])
    response = _admin_post(client, frozen)
    assert "закрыт" in response.content.decode()
    assert _state(TariffRate, frozen.pk) == before


def test_it_refuses_to_move_a_rate_into_a_closed_month_in_the_admin(world, client, open_rate):
    before = _state(TariffRate, open_rate.pk)
    client.force_login(world.users["administrator"])
    response = _admin_post(client, open_rate, hourly_rate="150.000", valid_from="01.07.2026")
    assert _state(TariffRate, open_rate.pk) == before
    assert "закрыт" in response.content.decode()


def test_it_saves_a_change_to_an_open_rate_in_the_admin(world, client, open_rate):
    client.force_login(world.users["administrator"])
    response = _admin_post(client, open_rate, hourly_rate="150.000")
    assert response.status_code == 200
    assert _state(TariffRate, open_rate.pk)["hourly_rate"] == Decimal("150.000")


# --- PostgreSQL triggers: raw SQL is refused too -----------------------------------------


def _raw_refused(sql, params):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgres
def test_it_refuses_raw_sql_update_and_delete_of_a_frozen_rate(frozen):
    before = _state(TariffRate, frozen.pk)
    _raw_refused("UPDATE enterprise_tariffrate SET hourly_rate = 1 WHERE id = %s", [frozen.pk])
    _raw_refused(
        "UPDATE enterprise_tariffrate SET valid_from = '2026-10-01' WHERE id = %s", [frozen.pk]
    )
    _raw_refused("DELETE FROM enterprise_tariffrate WHERE id = %s", [frozen.pk])
    assert _state(TariffRate, frozen.pk) == before


@pytest.mark.postgres
def test_it_refuses_a_raw_sql_insert_into_a_closed_month(world):
    count = TariffRate.objects.count()
    _raw_refused(
        "INSERT INTO enterprise_tariffrate"
        " (enterprise_id, pay_condition_id, grade, hourly_rate, valid_from)"
        " VALUES (%s, %s, 2, 100, '2026-07-01')",
        [world.enterprise.pk, world.conditions["time"].pk],
    )
    assert TariffRate.objects.count() == count


@pytest.mark.postgres
def test_it_refuses_a_raw_sql_update_moving_an_open_rate_into_a_closed_month(open_rate):
    before = _state(TariffRate, open_rate.pk)
    _raw_refused(
        "UPDATE enterprise_tariffrate SET valid_from = '2026-06-01' WHERE id = %s", [open_rate.pk]
    )
    assert _state(TariffRate, open_rate.pk) == before


@pytest.mark.postgres
def test_it_lets_raw_sql_write_rates_of_open_months(world, open_rate):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE enterprise_tariffrate SET hourly_rate = 150 WHERE id = %s", [open_rate.pk]
        )
        cursor.execute(
            "INSERT INTO enterprise_tariffrate"
            " (enterprise_id, pay_condition_id, grade, hourly_rate, valid_from)"
            " VALUES (%s, %s, 2, 100, '2026-11-01')",
            [world.enterprise.pk, world.conditions["time"].pk],
        )
    assert _state(TariffRate, open_rate.pk)["hourly_rate"] == Decimal("150.000")
    assert TariffRate.objects.filter(valid_from=datetime.date(2026, 11, 1)).count() == 1


@pytest.mark.postgres
def test_it_refuses_raw_sql_update_and_delete_of_a_closed_period(closed):
    before = _state(Period, closed.pk)
    _raw_refused("UPDATE enterprise_period SET working_days = 1 WHERE id = %s", [closed.pk])
    _raw_refused("DELETE FROM enterprise_period WHERE id = %s", [closed.pk])
    assert _state(Period, closed.pk) == before


@pytest.mark.postgres
def test_it_has_the_lock_triggers_installed(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            " AND tgrelid IN ('enterprise_tariffrate'::regclass, 'enterprise_period'::regclass)"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {"khz_lock_enterprise_tariffrate", "khz_period_freeze"} <= names


# --- closing -------------------------------------------------------------------------------


def test_it_closes_a_month_and_records_who_and_when(world):
    labour = world.users["labour"]
    period = period_close(period=world.period(2026, 10), user=labour)
    period.refresh_from_db()
    assert period.is_closed
    assert period.closed_by == labour
    assert period.closed_at is not None
    record = HistoryRecord.objects.get(
        group=f"enterprise.period:{period.pk}", action=HistoryRecord.Action.UPDATE
    )
    assert record.actor == labour
    assert record.changes["status"] == ["open", "closed"]


@pytest.mark.parametrize("role", ["master", "shop_head", "economist", "worker", "dispatcher"])
def test_it_lets_no_one_without_the_right_close_a_month(world, role):
    october = world.period(2026, 10)
    assert not can(world.users[role], "period.close", october)
    assert can(world.users["labour"], "period.close", october)


def test_it_refuses_to_close_a_month_while_an_earlier_one_is_open(world):
    november = world.period(2026, 11)
    with pytest.raises(ValidationError) as caught:
        period_close(period=november, user=world.users["labour"])
    assert "октябрь 2026" in " ".join(caught.value.messages).lower()
    assert not Period.objects.get(pk=november.pk).is_closed


def test_it_refuses_to_close_a_closed_month_again(world, closed):
    with pytest.raises(ValidationError):
        period_close(period=closed, user=world.users["deputy_director"])
    assert Period.objects.get(pk=closed.pk).closed_by == world.users["labour"]


def test_it_freezes_the_rates_of_a_month_once_it_is_closed(world, open_rate):
    period_close(period=world.period(2026, 10), user=world.users["labour"])
    open_rate.refresh_from_db()
    open_rate.hourly_rate = Decimal("1.000")
    with pytest.raises(PeriodClosedError):
        open_rate.save()


def test_it_does_not_let_a_user_of_another_enterprise_close_a_month(world):
    outsider = world.users["labour"]
    foreign = PeriodFactory(enterprise=world.other_enterprise, year=2026, month=1)
    assert not can(outsider, "period.close", foreign)


# --- reopening -----------------------------------------------------------------------------


def test_it_requires_a_reason_to_ask_for_reopening(world, closed):
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            period_request_reopen(period=closed, user=world.users["labour"], reason=reason)
        assert "reason" in caught.value.message_dict
    assert not PeriodReopening.objects.exists()


def test_it_allows_one_pending_request_per_period(world, closed):
    period_request_reopen(period=closed, user=world.users["labour"], reason="Ошибка в табеле")
    with pytest.raises(ValidationError) as caught:
        period_request_reopen(
            period=closed, user=world.users["administrator"], reason="Ещё одна причина"
        )
    assert "ожидающий решения" in " ".join(caught.value.messages)
    assert PeriodReopening.objects.filter(period=closed).count() == 1


def test_it_refuses_a_request_to_reopen_an_open_period(world):
    with pytest.raises(ValidationError):
        period_request_reopen(
            period=world.period(2026, 10), user=world.users["labour"], reason="Зачем-то"
        )


@pytest.mark.parametrize("role", ["master", "worker", "brigade_leader", "production_head"])
def test_it_lets_no_one_without_the_right_ask_for_reopening(world, closed, role):
    assert not can(world.users[role], "period.request_reopen", closed)
    assert can(world.users["labour"], "period.request_reopen", closed)


@pytest.fixture
def request_by_admin(world, closed):
    return period_request_reopen(
        period=closed, user=world.users["administrator"], reason="Ошибка в нарядах участка 1"
    )


def test_it_does_not_let_the_requester_decide(world, closed, request_by_admin):
    with pytest.raises(ValidationError):
        period_decide_reopen(
            reopening=request_by_admin, user=world.users["administrator"], approve=True
        )
    assert Period.objects.get(pk=closed.pk).is_closed
    assert PeriodReopening.objects.get(pk=request_by_admin.pk).status == "requested"


@pytest.mark.parametrize("role", ["labour", "economist", "shop_head", "master", "worker"])
def test_it_does_not_let_a_user_without_the_role_decide(world, closed, request_by_admin, role):
    assert not can(world.users[role], "period.decide_reopen", closed)
    assert can(world.users["deputy_director"], "period.decide_reopen", closed)


def test_it_reopens_the_month_on_approval_and_records_who_when_and_why(
    world, closed, request_by_admin
):
    deputy = world.users["deputy_director"]
    decided = period_decide_reopen(reopening=request_by_admin, user=deputy, approve=True)
    assert decided.status == PeriodReopening.Status.APPROVED
    assert decided.decided_by == deputy
    assert decided.decided_at is not None
    period = Period.objects.get(pk=closed.pk)
    assert period.status == Period.Status.OPEN
    assert period.closed_by is None
    assert period.closed_at is None
    record = HistoryRecord.objects.get(
        content_type=ContentType.objects.get_for_model(Period),
        object_pk=str(closed.pk),
        action=HistoryRecord.Action.UPDATE,
    )
    assert record.actor == deputy
    assert record.reason == "Ошибка в нарядах участка 1"
    assert record.changes["status"] == ["closed", "open"]
    assert record.at is not None
    group = HistoryRecord.objects.filter(group=f"enterprise.period:{closed.pk}")
    requester_rows = group.filter(
        content_type=ContentType.objects.get_for_model(PeriodReopening),
        actor=world.users["administrator"],
        action=HistoryRecord.Action.CREATE,
    )
    assert requester_rows.count() == 1


def test_it_needs_a_comment_to_reject(world, closed, request_by_admin):
    deputy = world.users["deputy_director"]
    with pytest.raises(ValidationError) as caught:
        period_decide_reopen(reopening=request_by_admin, user=deputy, approve=False)
    assert "comment" in caught.value.message_dict
    assert PeriodReopening.objects.get(pk=request_by_admin.pk).status == "requested"
    decided = period_decide_reopen(
        reopening=request_by_admin, user=deputy, approve=False, comment="Исправьте в октябре"
    )
    assert decided.status == PeriodReopening.Status.REJECTED
    assert decided.decision_comment == "Исправьте в октябре"
    assert Period.objects.get(pk=closed.pk).is_closed


def test_it_decides_a_request_only_once(world, request_by_admin):
    deputy = world.users["deputy_director"]
    period_decide_reopen(reopening=request_by_admin, user=deputy, approve=False, comment="Нет")
    with pytest.raises(ValidationError):
        period_decide_reopen(reopening=request_by_admin, user=deputy, approve=True)


def test_it_takes_a_new_request_after_a_rejection(world, closed, request_by_admin):
    deputy = world.users["deputy_director"]
    period_decide_reopen(reopening=request_by_admin, user=deputy, approve=False, comment="Нет")
    again = period_request_reopen(period=closed, user=world.users["labour"], reason="Снова")
    assert again.status == PeriodReopening.Status.REQUESTED


def test_it_lets_a_reopened_months_rate_be_changed(world, open_rate):
    labour, deputy = world.users["labour"], world.users["deputy_director"]
    october = period_close(period=world.period(2026, 10), user=labour)
    open_rate.refresh_from_db()
    open_rate.hourly_rate = Decimal("145.000")
    with pytest.raises(PeriodClosedError):
        open_rate.save()
    request = period_request_reopen(period=october, user=labour, reason="Ставка введена с ошибкой")
    period_decide_reopen(reopening=request, user=deputy, approve=True)
    tariff_rate_save(rate=open_rate, user=labour)
    assert _state(TariffRate, open_rate.pk)["hourly_rate"] == Decimal("145.000")
    period_close(period=october, user=labour)
    assert Period.objects.get(pk=october.pk).is_closed


def test_it_takes_a_correction_in_an_open_month_and_keeps_the_closed_one(world, frozen):
    before = _state(TariffRate, frozen.pk)
    correction = TariffRate(
        enterprise=world.enterprise,
        pay_condition=frozen.pay_condition,
        grade=frozen.grade,
        hourly_rate=Decimal("130.000"),
        valid_from=OCTOBER,
    )
    tariff_rate_save(rate=correction, user=world.users["labour"])
    assert _state(TariffRate, frozen.pk) == before
    in_force = TariffRate.objects.filter(pay_condition=frozen.pay_condition, grade=frozen.grade)
    assert in_force.effective_on(datetime.date(2026, 8, 15)).get() == frozen
    assert in_force.effective_on(datetime.date(2026, 10, 15)).get() == correction


def test_a_period_reads_lower_case_and_capitalised_only_as_its_pages_heading(client, world):
    """One label, «октябрь 2026»; the period's own page starts its heading and title with a
    capital («Октябрь 2026»), as a heading does."""
    import re

    from django.urls import reverse

    period = world.period(2026, 10)
    assert str(period) == "октябрь 2026"
    client.force_login(world.users["labour"])
    html = client.get(reverse("enterprise:period_detail", args=[period.pk])).content.decode()
    assert re.search(r"<h1[^>]*>Октябрь 2026</h1>", html)
    assert re.search(r"<title>\s*Октябрь 2026", html)
    assert 'aria-current="page">октябрь 2026</li>' in html  # the breadcrumb is no heading


# The admin's change page of a rate, pinned (December 2026): the session, the user, his
# roles and permissions; the rate and its months; the form's choices. Django asks the
# page's change and delete permissions several times, and each asked for the stored rate
# and its months again: 25 and 24 queries before TrackedAdmin.is_frozen_for answered once
# a request.
ADMIN_CHANGE_QUERIES = {"open": 13, "frozen": 12}


@pytest.mark.parametrize("which", ["open", "frozen"])
def test_the_admin_change_page_of_a_rate_makes_its_pinned_queries(
    world, client, frozen, open_rate, which, django_assert_num_queries
):
    rate = {"open": open_rate, "frozen": frozen}[which]
    client.force_login(world.users["administrator"])
    url = f"/admin/enterprise/tariffrate/{rate.pk}/change/"
    client.get(url)  # the per-process caches (content types) warmed
    with django_assert_num_queries(ADMIN_CHANGE_QUERIES[which]):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    # A closed month still freezes the rate: read-only, with the reason; an open one saves.
    assert ('name="_save"' in page) is (which == "open")
    assert ("закрыт" in page) is (which == "frozen")
    # The sidebar still links the models the user may open.
    assert 'href="/admin/enterprise/tariffrate/"' in page
    assert 'href="/admin/enterprise/tariffrate/add/"' in page
