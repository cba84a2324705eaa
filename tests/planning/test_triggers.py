"""On PostgreSQL, a closed month's output, savings and section days refuse any write —
also raw SQL that bypasses the application (migration 0002_triggers)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from planning.models import MonthlyOutput, SavingsEntry, SectionDayOutput
from tests.factories import reopened
from tests.planning.factories import MonthlyOutputFactory

pytestmark = pytest.mark.postgres
D = Decimal


def _refused(sql, params):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def september(world):
    return world.period(2026, 9)  # closed in the test world


def test_the_triggers_are_installed(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal AND c.relname LIKE 'planning_%%'"
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert {
        "planning_monthlyoutput",
        "planning_savingsentry",
        "planning_sectiondayoutput",
    } <= tables


def test_a_closed_month_s_output_refuses_raw_sql(world, september):
    worker = world.workers["A1"][0]
    with reopened(september):
        output = MonthlyOutputFactory(worker=worker, period=september, output=D("200"))
    _refused("UPDATE planning_monthlyoutput SET output = 1 WHERE id = %s", [output.pk])
    _refused("DELETE FROM planning_monthlyoutput WHERE id = %s", [output.pk])
    _refused(
        "INSERT INTO planning_monthlyoutput"
        " (enterprise_id, worker_id, period_id, output, hours_worked, nomenclature_met)"
        " VALUES (%s, %s, %s, 1, 1, true)",
        [world.enterprise.pk, world.workers["A1"][1].pk, september.pk],
    )
    assert MonthlyOutput.objects.get(pk=output.pk).output == D("200")
    assert MonthlyOutput.objects.filter(period=september).count() == 1


def test_an_open_month_s_output_takes_raw_sql(world):
    october = world.period(2026, 10)
    output = MonthlyOutputFactory(worker=world.workers["A1"][0], period=october)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE planning_monthlyoutput SET output = 7 WHERE id = %s", [output.pk])
    assert MonthlyOutput.objects.get(pk=output.pk).output == D("7")


def test_a_closed_month_s_savings_and_section_days_refuse_raw_sql(world, september):
    worker = world.workers["A1"][0]
    with reopened(september):  # written while September was open
        entry = SavingsEntry.objects.create(
            enterprise=world.enterprise,
            worker=worker,
            period=september,
            kind=SavingsEntry.Kind.MATERIALS,
            amount=D("10.00"),
            description="Экономия проката",
        )
        day = SectionDayOutput.objects.create(
            enterprise=world.enterprise,
            section=world.units["A1"],
            date=datetime.date(2026, 9, 15),
            output=D("100"),
        )
    _refused("UPDATE planning_savingsentry SET amount = 1 WHERE id = %s", [entry.pk])
    _refused("DELETE FROM planning_savingsentry WHERE id = %s", [entry.pk])
    _refused("UPDATE planning_sectiondayoutput SET output = 1 WHERE id = %s", [day.pk])
    _refused("DELETE FROM planning_sectiondayoutput WHERE id = %s", [day.pk])
    assert SavingsEntry.objects.get(pk=entry.pk).amount == D("10.00")
    assert SectionDayOutput.objects.get(pk=day.pk).output == D("100")
