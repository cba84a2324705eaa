"""The leader's surcharge (table 16), stored per segment of his month and paid in his line.

The figures are table 16's: grade 3 → 0.606, grade 4 → 0.670 (table 19's grid, from
October 2026); a brigade of more than 10 people pays 15 % of the tariff.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from brigades import rules
from brigades.models import Surcharge
from brigades.selectors import sheet
from brigades.services import TimesheetRow, membership_change, timesheet_save
from enterprise.history import entries_of
from enterprise.models import HistoryRecord
from tests.brigades.conftest import make_crew
from tests.brigades.factories import PostFactory
from tests.factories import TariffRateFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

D = Decimal
OCT = datetime.date(2026, 10, 1)
OCT_15, OCT_16, OCT_31 = (datetime.date(2026, 10, d) for d in (15, 16, 31))


# --- rules ----------------------------------------------------------------------------------


def test_it_pays_one_segment_as_table_16_when_nothing_changes():
    # table 16: 0.606 × 2085 = 1263.51 × 15 % = 189.5265 → 189.53
    [segment] = rules.leader_surcharge_segments(
        date_from=OCT,
        date_to=OCT_31,
        hours=D("2085"),
        rates=[(OCT, D("0.606"))],
        led=[(OCT, None)],
        brigade_size=12,
    )
    assert (segment.tariff, segment.percent, segment.amount) == (D("1263.51"), 15, D("189.53"))


def test_it_splits_a_line_at_a_new_rate_by_calendar_days():
    # 168 h over 31 days: 15 days → 81.29 h, 16 days → 86.71 h (largest remainder)
    first, second = rules.leader_surcharge_segments(
        date_from=OCT,
        date_to=OCT_31,
        hours=D("168"),
        rates=[(OCT, D("0.606")), (OCT_16, D("0.670"))],
        led=[(OCT, None)],
        brigade_size=12,
    )
    assert (first.date_from, first.date_to, first.hours, first.rate) == (
        OCT,
        OCT_15,
        D("81.29"),
        D("0.606"),
    )
    assert (second.date_from, second.date_to, second.hours, second.rate) == (
        OCT_16,
        OCT_31,
        D("86.71"),
        D("0.670"),
    )
    # 0.606 × 81.29 = 49.26 × 15 % = 7.389 → 7.39; 0.670 × 86.71 = 58.10 × 15 % = 8.715 → 8.71
    assert (first.tariff, first.amount) == (D("49.26"), D("7.39"))
    assert (second.tariff, second.amount) == (D("58.10"), D("8.71"))


def test_it_pays_only_the_days_he_led_the_brigade():
    [segment] = rules.leader_surcharge_segments(
        date_from=OCT,
        date_to=OCT_31,
        hours=D("155"),
        rates=[(OCT, D("0.670"))],
        led=[(OCT_16, None)],
        brigade_size=10,
    )
    # 16 of 31 days: 155 × 16 / 31 = 80 h; 0.670 × 80 = 53.60 × 10 % = 5.36
    assert (segment.date_from, segment.hours, segment.amount) == (OCT_16, D("80.00"), D("5.36"))


# --- stored and paid -------------------------------------------------------------------------


@pytest.fixture
def crew12(world, grid19, leader):
    """Twelve members of table 19's grid; the first (grade 3) leads from October."""
    crew = make_crew(world, grid19, [(3, 0)] + [(2, 0)] * 11, number=12)
    head = crew.workers[0]
    head.user = leader
    head.save()
    PostFactory(brigade=crew.brigade, worker=head)
    return crew


def test_it_pays_a_grade_change_on_the_16th_segment_by_segment(crew12, october, master):
    distribution = crew12.open(master, october, hours=False)
    head = crew12.memberships[0]
    membership_change(
        membership=head, on=OCT_16, grade=4, profession=head.profession,
        conditional_grade=None, user=master,
    )  # fmt: skip
    lines = {line.date_from: line for line in distribution.lines.filter(worker=head.worker)}
    others = distribution.lines.exclude(worker=head.worker)
    timesheet_save(
        distribution=distribution,
        rows=[
            TimesheetRow(line_id=lines[OCT].pk, hours=D("88")),
            TimesheetRow(line_id=lines[OCT_16].pk, hours=D("80")),
            *(TimesheetRow(line_id=line.pk, hours=D("160")) for line in others),
        ],
        user=master,
    )
    crew12.earn(distribution, master, "3000.00")
    segments = list(Surcharge.objects.filter(distribution=distribution).order_by("date_from"))
    # 0.606 × 88 = 53.33 × 15 % = 7.9995 → 8.00;  0.670 × 80 = 53.60 × 15 % = 8.04
    assert [(s.date_from, s.date_to, s.rate, s.hours, s.tariff, s.amount) for s in segments] == [
        (OCT, OCT_15, D("0.606"), D("88"), D("53.33"), D("8.00")),
        (OCT_16, OCT_31, D("0.670"), D("80"), D("53.60"), D("8.04")),
    ]
    first, second = (
        distribution.lines.get(pk=lines[OCT].pk),
        distribution.lines.get(pk=lines[OCT_16].pk),
    )
    assert (first.surcharge, second.surcharge) == (D("8.00"), D("8.04"))
    assert first.total == first.tariff + first.surplus + first.bonus + first.savings + D("8.00")
    assert second.total == second.tariff + second.surplus + D("8.04")
    everything = list(distribution.lines.all())
    # the collective earnings are split exactly; the surcharge is paid over them
    assert sum(line.tariff + line.surplus for line in everything) == D("3000.00")
    assert sum(line.total for line in everything) == D("3016.04")
    shown = sheet(distribution, master)
    assert shown.totals["surcharge"] == D("16.04")
    assert shown.totals["total"] == D("3016.04")
    assert shown.surcharge.amount == D("16.04")
    assert [s.amount for s in shown.surcharge.segments] == [D("8.00"), D("8.04")]
    assert shown.checks_out
    client = Client()
    client.force_login(master)
    page = text_of(client.get(distribution.get_absolute_url()).content)
    assert "01.10–15.10 0,606 88 53,33 8,00" in page
    assert "16.10–31.10 0,670 80 53,60 8,04" in page
    assert "Итого доплата 168 16,04" in page


def test_it_pays_a_new_tariff_from_the_16th_at_its_own_rate(world, crew12, october, master):
    TariffRateFactory(
        enterprise=world.enterprise,
        pay_condition=crew12.workers[0].pay_condition,
        grade=3,
        hourly_rate=D("0.670"),
        valid_from=OCT_16,
    )
    distribution = crew12.open(master, october, hours=False)
    crew12.fill(distribution, master, hours=[D("168")] + [D("160")] * 11)
    amounts = list(
        Surcharge.objects.filter(distribution=distribution)
        .order_by("date_from")
        .values_list("hours", "rate", "amount")
    )
    assert amounts == [(D("81.29"), D("0.606"), D("7.39")), (D("86.71"), D("0.670"), D("8.71"))]
    line = distribution.lines.get(worker=crew12.workers[0])
    assert line.surcharge == D("16.10")
    # the line itself is paid at the rate of its first day, as before
    assert line.rate == D("0.606")


def test_it_records_the_surcharge_in_history(crew12, october, master):
    distribution = crew12.open(master, october, hours=False)
    crew12.fill(distribution, master, hours=[D("100")] + [D("160")] * 11)
    segment = Surcharge.objects.get(distribution=distribution)
    assert segment.amount == D("9.09")  # 0.606 × 100 = 60.60 × 15 % = 9.09
    records = HistoryRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Surcharge),
        object_pk=str(segment.pk),
        action=HistoryRecord.Action.CREATE,
    )
    assert records.count() == 1
    assert records.get().actor == master
    crew12.fill(distribution, master, hours=[D("120")] + [D("160")] * 11)
    # The same line and days: the stored segment is updated, and its history reads the
    # hours and the amount changing (not the leader's row deleted and written anew).
    assert list(
        Surcharge.objects.filter(distribution=distribution).values_list("pk", "amount")
    ) == [
        (segment.pk, D("10.91"))  # 0.606 × 120 = 72.72 × 15 % = 10.908 → 10.91
    ]
    of_segment = HistoryRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Surcharge), object_pk=str(segment.pk)
    )
    assert not of_segment.filter(action=HistoryRecord.Action.DELETE).exists()
    update = of_segment.get(action=HistoryRecord.Action.UPDATE)
    assert update.actor == master
    assert update.changes["hours"] == ["100.00", "120.00"]
    assert update.changes["amount"] == ["9.09", "10.91"]
    assert update.changes["tariff"] == ["60.60", "72.72"]
    # The creation's «строка табеля» names the leader's line by his name and days, not by
    # today's hours (its label, «…: 120 ч», would put them into the October of 100 h).
    created = entries_of([records.get()])[0]
    line = {c.label: c.after for c in created.changes}["Строка табеля"]
    leader = segment.line.worker.short_name
    assert line == f"{leader}, 01.10–31.10", line
    assert str(segment.line) == f"{leader}: 120 ч"
    # No hours of his: no segment, and its deletion is recorded.
    crew12.fill(distribution, master, hours=[D("0")] + [D("160")] * 11)
    assert not Surcharge.objects.filter(distribution=distribution).exists()
    assert of_segment.filter(action=HistoryRecord.Action.DELETE).get().actor == master


def test_a_brigade_without_a_leader_pays_no_surcharge(world, grid19, october, master):
    crew = make_crew(world, grid19, [(3, 160), (4, 160)], number=77)
    distribution = crew.open(master, october)
    assert not Surcharge.objects.filter(distribution=distribution).exists()
    assert all(line.surcharge == 0 for line in distribution.lines.all())
