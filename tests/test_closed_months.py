"""Closed months hold in the database for every month-bound table (enterprise.pg).

Every table of every model is either month-bound (its rows belong to a month through a
period, a date, a year, a dated stretch or a parent) and locked by a trigger, or listed
as not month-bound with a reason (the ``locks`` module of each app). For each
month-bound table, one row of October 2026 is written while the month is open; raw SQL
may change it then; once October (and, for the rows of a year, December) is closed,
raw INSERT, UPDATE and DELETE are refused, and so is TRUNCATE. A period's status is
changed only by the application. The PostgreSQL tests are skipped on SQLite.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import psycopg.errors
import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from brigades.models import Distribution, Ktu, Line, Surcharge
from claims.models import ClaimDocument
from enterprise.models import HistoryRecord, Period, TariffRate, WorkerSnapshot
from enterprise.pg import registry
from enterprise.services import period_close
from tests.brigades.factories import BrigadeFactory, MembershipFactory, PostFactory
from tests.claims.factories import ClaimFactory
from tests.factories import (
    EnterpriseFactory,
    PeriodFactory,
    TariffRateFactory,
    UserFactory,
)
from tests.planning.factories import (
    MonthlyOutputFactory,
    OrgMeasureFactory,
    PersonalPlanFactory,
    SavingsEntryFactory,
    SectionDayOutputFactory,
    SectionTaskFactory,
)

APPS = ("enterprise", "brigades", "claims", "planning", "khozraschet")
OCTOBER = datetime.date(2026, 10, 1)
BOUND, UNBOUND = registry()

# How each month-bound table's row is changed by raw SQL: a change the lock must refuse
# once the row's month is closed (for a dated stretch, one that alters the whole stretch).
UPDATES = {
    "enterprise_period": "working_days = working_days - 1",
    "enterprise_tariffrate": "hourly_rate = hourly_rate + 1",
    "enterprise_workersnapshot": "personnel_number = '99999'",
    "brigades_brigade": "disbanded_on = '2026-10-20'",
    "brigades_membership": "grade = CASE WHEN grade < 6 THEN grade + 1 ELSE 1 END",
    "brigades_post": "kind = 'leader'",
    "brigades_distribution": "piecework = piecework + 1",
    "brigades_line": "hours = hours + 1",
    "brigades_ktu": "value = value + 0.1",
    "brigades_surcharge": "amount = amount + 1",
    "claims_claim": "loss_amount = loss_amount + 1",
    "claims_claimdocument": "title = 'Другой документ'",
    "planning_monthlyoutput": "output = output + 1",
    "planning_savingsentry": "amount = amount + 1",
    "planning_sectiondayoutput": "output = output + 1",
    "planning_sectiontask": "task = task + 1",
    "planning_personalplan": "annual_volume = annual_volume + 1",
    "planning_orgmeasure": "name = 'Другое мероприятие'",
    # The row's parent decides: even an update that changes nothing is refused.
    "planning_orgmeasure_authors": "worker_id = worker_id",
    "planning_partsupply": "period_need = period_need + 1",
    "planning_consumerstock": "quantity = quantity + 1",
    "planning_partproduction": "quantity = quantity + 1",
    "planning_assemblyday": "kits = kits + 1",
    "planning_shifttask": "note = 'Другое примечание'",
    "planning_shifttaskitem": "quantity = quantity + 1",
    "planning_shiftoutput": "quantity = quantity + 1",
    "khozraschet_passport": "workplaces = workplaces + 1",
    "khozraschet_timestudy": "machine = machine + 1, loss_other = loss_other - 1",
    "khozraschet_idlerecord": "hours = hours + 1",
    "khozraschet_sectionmonth": "plan_decade_1 = plan_decade_1 + 1",
    "khozraschet_indicatorvalue": "plan = plan + 1",
    "khozraschet_costline": "actual = actual + 1",
    "khozraschet_costcorrection": "amount = amount + 1",
    "khozraschet_deviationnote": "explanation = 'Другое объяснение'",
    "khozraschet_energysaving": "saved_value = saved_value + 1",
    "khozraschet_incentivefund": "amount = amount + 1",
    "khozraschet_sectionresult": "tension = 2",
    "khozraschet_shopresult": "rank = 3",
}
# A new month is a new row of enterprise_period, not a row of a closed month.
NO_INSERT = {"enterprise_period"}


def model_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in APPS
    }


# --- the registry ------------------------------------------------------------------------------


def test_every_model_table_is_either_month_bound_or_left_out_with_a_reason():
    assert not BOUND.keys() & UNBOUND.keys()
    assert BOUND.keys() | UNBOUND.keys() == model_tables()
    assert all(reason.strip() for reason in UNBOUND.values())
    assert all(how.strip() for how in BOUND.values())


def test_every_month_bound_table_has_a_raw_sql_recipe_here():
    assert UPDATES.keys() == BOUND.keys()


@pytest.mark.postgres
def test_every_month_bound_table_has_its_row_and_truncate_triggers(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal"
        )
        triggers: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            triggers.setdefault(table, set()).add(name)
    for table in BOUND:
        names = triggers.get(table, set())
        assert f"khz_truncate_{table}" in names, table
        assert any(name.startswith(("khz_lock_", "khz_period_freeze")) for name in names), table
    assert "khz_period_status" in triggers["enterprise_period"]
    for table in UNBOUND:
        assert not triggers.get(table), table


# --- a row of each month-bound table -----------------------------------------------------------


def _rows(world) -> dict[str, int]:
    """One row of each month-bound table, in October 2026 (the rows of a year: 2026)."""
    enterprise, section = world.enterprise, world.units["A1"]
    worker, second = world.workers["A1"]
    october = world.period(2026, 10)
    master = world.users["master"]
    rate = TariffRateFactory(
        enterprise=enterprise,
        pay_condition=world.conditions["time"],
        grade=2,
        hourly_rate=Decimal("120.000"),
        valid_from=OCTOBER,
    )
    brigade = BrigadeFactory(section=section, number=77, formed_on=OCTOBER)
    membership = MembershipFactory(brigade=brigade, worker=worker, valid_from=OCTOBER)
    post = PostFactory(
        brigade=brigade, worker=worker, kind="council", valid_from=datetime.date(2026, 10, 5)
    )
    distribution = Distribution.objects.create(
        enterprise=enterprise,
        brigade=brigade,
        period=october,
        method=brigade.method,
        drafted_by=master,
    )
    line = Line.objects.create(
        distribution=distribution,
        membership=membership,
        worker=worker,
        date_from=OCTOBER,
        date_to=datetime.date(2026, 10, 31),
        grade=membership.grade,
        pay_grade=membership.grade,
        rate=Decimal("120.0000"),
        hours=Decimal("160.00"),
    )
    ktu = Ktu.objects.create(distribution=distribution, worker=worker, value=Decimal("1.00"))
    surcharge = Surcharge.objects.create(
        distribution=distribution,
        line=line,
        worker=worker,
        date_from=OCTOBER,
        date_to=datetime.date(2026, 10, 31),
        rate=Decimal("120.0000"),
        hours=Decimal("160.00"),
        tariff=Decimal("19200.00"),
        percent=Decimal("10.00"),
        amount=Decimal("1920.00"),
    )
    claim = ClaimFactory(period=october, claimant=world.units["A"], defendant=world.units["B"])
    document = ClaimDocument.objects.create(
        claim=claim, title="Акт простоя", number="12", date=datetime.date(2026, 10, 5)
    )
    snapshot = WorkerSnapshot.of(october, worker)
    snapshot.save()
    measure = OrgMeasureFactory(section=section, name="Оснастка для токарных работ")
    measure.authors.add(second)
    author = measure.authors.through.objects.get(orgmeasure=measure, worker=second)
    return {
        **_khozraschet_rows(world, october),
        **_operational_rows(world),
        "enterprise_period": october.pk,
        "enterprise_tariffrate": rate.pk,
        "enterprise_workersnapshot": snapshot.pk,
        "brigades_brigade": brigade.pk,
        "brigades_membership": membership.pk,
        "brigades_post": post.pk,
        "brigades_distribution": distribution.pk,
        "brigades_line": line.pk,
        "brigades_ktu": ktu.pk,
        "brigades_surcharge": surcharge.pk,
        "claims_claim": claim.pk,
        "claims_claimdocument": document.pk,
        "planning_monthlyoutput": MonthlyOutputFactory(worker=worker, period=october).pk,
        "planning_savingsentry": SavingsEntryFactory(worker=worker, period=october).pk,
        "planning_sectiondayoutput": SectionDayOutputFactory(
            section=section, date=datetime.date(2026, 10, 12)
        ).pk,
        "planning_sectiontask": SectionTaskFactory(section=section, year=2026).pk,
        "planning_personalplan": PersonalPlanFactory(worker=second, year=2026).pk,
        "planning_orgmeasure": measure.pk,
        "planning_orgmeasure_authors": author.pk,
    }


def _operational_rows(world) -> dict[str, int]:
    """One row of each of operational scheduling's month-bound tables, in October 2026
    (the supply plan: 2026)."""
    from planning.operational.models import ShiftOutput, ShiftTask, ShiftTaskItem
    from tests.planning.operational.factories import (
        AssemblyDayFactory,
        ConsumerStockFactory,
        PartFactory,
        PartProductionFactory,
        PartSupplyFactory,
        RouteFactory,
        RouteOperationFactory,
    )

    section, worker = world.units["A1"], world.workers["A1"][0]
    part = PartFactory(assembly_shop=world.units["B"])
    operation = RouteOperationFactory(route=RouteFactory(part=part, section=section))
    day = datetime.date(2026, 10, 12)
    task = ShiftTask.objects.create(enterprise=world.enterprise, section=section, date=day, shift=1)
    item = ShiftTaskItem.objects.create(
        task=task, route_operation=operation, worker=worker, quantity=Decimal(10)
    )
    output = ShiftOutput.objects.create(
        item=item, worker=worker, quantity=Decimal(9), norm_hours=Decimal("4.5")
    )
    made = {
        "planning_partsupply": PartSupplyFactory(part=part),
        "planning_consumerstock": ConsumerStockFactory(part=part, date=day),
        "planning_partproduction": PartProductionFactory(part=part, section=section, date=day),
        "planning_assemblyday": AssemblyDayFactory(shop=world.units["B"], date=day),
        "planning_shifttask": task,
        "planning_shifttaskitem": item,
        "planning_shiftoutput": output,
    }
    return {table: row.pk for table, row in made.items()}


def _khozraschet_rows(world, october) -> dict[str, int]:
    """One row of each of self-financing's month-bound tables, in October 2026."""
    from khozraschet import models as khz
    from tests.khozraschet.terms import install_terms, passport

    section, master = world.units["A1"], world.users["master"]
    terms = install_terms(world.enterprise)
    article = terms["materials"]
    on = {"section": section, "period": october}
    study = {name: Decimal(0) for name in khz.TimeStudy.LOSS_FIELDS}
    study.update(preparatory=Decimal(5), machine=Decimal(70), servicing=Decimal(5))
    study.update(auxiliary=Decimal(10), loss_other=Decimal(10))
    made = {
        "khozraschet_passport": passport(section, 767, 42, OCTOBER),
        "khozraschet_timestudy": khz.TimeStudy.objects.create(
            **on, studied_on=datetime.date(2026, 10, 14), **study
        ),
        "khozraschet_idlerecord": khz.IdleRecord.objects.create(
            **on, cause="unplanned_repair", hours=Decimal("792.6")
        ),
        "khozraschet_sectionmonth": khz.SectionMonth.objects.create(**on),
        "khozraschet_indicatorvalue": khz.IndicatorValue.objects.create(
            **on, indicator=terms["productivity"], plan=Decimal(100), actual=Decimal(120)
        ),
        "khozraschet_costline": khz.CostLine.objects.create(
            **on, article=article, plan=Decimal(1000), actual=Decimal(990)
        ),
        "khozraschet_costcorrection": khz.CostCorrection.objects.create(
            **on, article=article, amount=Decimal("120.50"), reason="металл подорожал"
        ),
        "khozraschet_deviationnote": khz.DeviationNote.objects.create(
            **on,
            article=article,
            part="Вал 7-12",
            deviation=Decimal(-20),
            explanation="Сэкономили металл",
            author=master,
        ),
        "khozraschet_energysaving": khz.EnergySaving.objects.create(
            **on, resource="electricity", saved_value=Decimal(1000), percent=Decimal(30)
        ),
        "khozraschet_incentivefund": khz.IncentiveFund.objects.create(
            enterprise=world.enterprise,
            period=october,
            shop=world.units["A"],
            amount=Decimal(5000),
        ),
        "khozraschet_sectionresult": khz.SectionResult.objects.create(
            **on, shop=world.units["A"], digest="x", computed_at=timezone.now()
        ),
        "khozraschet_shopresult": khz.ShopResult.objects.create(
            shop=world.units["A"], period=october, computed_at=timezone.now()
        ),
    }
    return {table: row.pk for table, row in made.items()}


def _close_october_to_december(world) -> None:
    """Close October, November and a new December 2026: October's rows and 2026's freeze."""
    december = PeriodFactory(enterprise=world.enterprise, year=2026, month=12)
    for period in (world.period(2026, 10), world.period(2026, 11), december):
        period.refresh_from_db()
        period.status = Period.Status.CLOSED
        period.closed_by = world.users["labour"]
        period.closed_at = timezone.now()
        period.save()


def _stored(table: str, pk: int):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


def _insert_copy_sql(table: str) -> str:
    columns = ", ".join(_columns(table))
    return f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} WHERE id = %s"


def _raw(sql: str, params, *, check_keys: bool = False) -> int:
    """Run ``sql`` in a savepoint; the number of rows it wrote. With ``check_keys`` the
    foreign keys (deferred to the commit) are checked in the savepoint too."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        count = cursor.rowcount
        if check_keys:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return count


def _refused_by_the_lock(sql: str, params) -> None:
    """The statement fails on a closed-month trigger (not on a key or constraint)."""
    with pytest.raises(DatabaseError) as caught:
        _raw(sql, params)
    cause = caught.value.__cause__
    assert isinstance(cause, psycopg.errors.CheckViolation), cause
    assert "closed" in str(cause), cause


def _not_refused_by_the_lock(sql: str, params) -> None:
    """The statement goes through, or fails on something else than a closed month (a
    copy of a row may break a unique key, a delete a foreign key)."""
    try:
        _raw(sql, params, check_keys=True)
    except DatabaseError as error:
        assert "closed" not in str(error.__cause__), error.__cause__
        assert not isinstance(error.__cause__, psycopg.errors.CheckViolation), error.__cause__


# --- raw SQL in a closed month and in an open one ------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("table", sorted(BOUND))
def test_raw_sql_cannot_insert_update_or_delete_a_row_of_a_closed_month(world, table):
    pk = _rows(world)[table]
    _close_october_to_december(world)
    before = _stored(table, pk)
    count = _count(table)
    _refused_by_the_lock(f"UPDATE {table} SET {UPDATES[table]} WHERE id = %s", [pk])
    _refused_by_the_lock(f"DELETE FROM {table} WHERE id = %s", [pk])
    if table not in NO_INSERT:
        _refused_by_the_lock(_insert_copy_sql(table), [pk])
    assert _stored(table, pk) == before
    assert _count(table) == count


@pytest.mark.postgres
@pytest.mark.parametrize("table", sorted(BOUND))
def test_raw_sql_still_changes_a_row_of_an_open_month(world, table):
    pk = _rows(world)[table]
    before = _stored(table, pk)
    assert _raw(f"UPDATE {table} SET {UPDATES[table]} WHERE id = %s", [pk]) == 1
    if UPDATES[table] != "worker_id = worker_id":
        assert _stored(table, pk) != before
    if table not in NO_INSERT:
        _not_refused_by_the_lock(_insert_copy_sql(table), [pk])
    _not_refused_by_the_lock(f"DELETE FROM {table} WHERE id = %s", [pk])


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.parametrize("table", sorted(BOUND))
def test_truncate_is_refused_while_a_month_is_closed(world, table):
    count = _count(table)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The test runner's sessions may truncate (tests/conftest.py); this one may not.
            cursor.execute("SET LOCAL khz.allow_truncate = 'off'")
        _refused_by_the_lock(f"TRUNCATE {table} CASCADE", [])
    assert _count(table) == count


# --- a period's status -------------------------------------------------------------------------


@pytest.mark.postgres
def test_raw_sql_cannot_reopen_a_closed_month(world):
    september = world.period(2026, 9)
    before = _stored("enterprise_period", september.pk)
    _refused_by_the_lock(
        "UPDATE enterprise_period SET status = 'open', closed_by_id = NULL, closed_at = NULL"
        " WHERE id = %s",
        [september.pk],
    )
    assert _stored("enterprise_period", september.pk) == before


@pytest.mark.postgres
def test_raw_sql_cannot_close_an_open_month(world):
    october = world.period(2026, 10)
    _refused_by_the_lock(
        "UPDATE enterprise_period SET status = 'closed', closed_by_id = %s, closed_at = now()"
        " WHERE id = %s",
        [world.users["labour"].pk, october.pk],
    )
    assert Period.objects.get(pk=october.pk).status == Period.Status.OPEN


@pytest.mark.postgres
def test_raw_sql_still_changes_an_open_month_s_working_time(world):
    october = world.period(2026, 10)
    assert _raw("UPDATE enterprise_period SET working_days = 22 WHERE id = %s", [october.pk]) == 1
    assert Period.objects.get(pk=october.pk).working_days == 22


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_application_s_permission_to_change_a_status_ends_with_its_transaction():
    """The service closes the month in its own transaction; a later raw reopening, in
    another transaction, is refused (and the tables still empty after the test: the
    runner's flush may TRUNCATE)."""
    enterprise = EnterpriseFactory()
    october = PeriodFactory(enterprise=enterprise, year=2026, month=10)
    period_close(period=october, user=UserFactory())
    assert Period.objects.get(pk=october.pk).is_closed
    _refused_by_the_lock(
        "UPDATE enterprise_period SET status = 'open', closed_by_id = NULL, closed_at = NULL"
        " WHERE id = %s",
        [october.pk],
    )
    assert Period.objects.get(pk=october.pk).is_closed
    assert TariffRate.objects.count() == 0


def _status_records(period) -> list[tuple]:
    return list(
        HistoryRecord.objects.filter(
            group=f"enterprise.period:{period.pk}", action=HistoryRecord.Action.UPDATE
        )
        .order_by("pk")
        .values_list("changes", "actor_id", "reason")
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_application_s_status_change_is_recorded_once():
    enterprise = EnterpriseFactory()
    october = PeriodFactory(enterprise=enterprise, year=2026, month=10)
    labour = UserFactory()
    period_close(period=october, user=labour)
    [(changes, actor, _reason)] = _status_records(october)
    assert changes["status"] == ["open", "closed"]
    assert actor == labour.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_status_change_that_gets_past_the_refusal_is_recorded_with_the_database_user():
    """Someone sets the application's setting by hand: the change is recorded anyway."""
    enterprise = EnterpriseFactory()
    september = PeriodFactory(enterprise=enterprise, year=2026, month=9, closed=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('khz.period_change', %s, true)", [str(september.pk)])
        cursor.execute(
            "UPDATE enterprise_period SET status = 'open', closed_by_id = NULL,"
            " closed_at = NULL WHERE id = %s",
            [september.pk],
        )
        cursor.execute("SELECT session_user")
        user = cursor.fetchone()[0]
    assert Period.objects.get(pk=september.pk).status == Period.Status.OPEN
    [(changes, actor, reason)] = _status_records(september)
    assert changes == {"status": ["closed", "open"]}
    assert actor is None
    assert reason == f"изменено в базе данных, пользователь {user}"
