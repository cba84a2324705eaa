"""Shift tasks (operational-planning.md §5): the workflow of the services, what recorded
output writes (the section's day, the workers' months, the parts' production), the late
marks, the closed month, plausibility and no double entry."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enterprise.models import HistoryRecord, Period
from enterprise.models.roles import Role
from enterprise.plausibility import RowErrors, UnlikelyFigures
from enterprise.services import period_close
from enterprise.tracking import PeriodClosedError
from planning.operational.models import PartProduction, ShiftOutput, ShiftTask
from planning.operational.shifts import selectors, services
from planning.tracking import services as tracking_services
from planning.tracking.models import MonthlyOutput, SectionDayOutput
from tests.planning.operational.shiftworld import (
    ALL_READY,
    close_leaving_tasks_open,
    moment,
    route_a1,
    signed_task,
)

pytestmark = pytest.mark.django_db

D = Decimal
Status = ShiftTask.Status
DAY = datetime.date(2026, 10, 12)
AFTER = moment(DAY, 20)


def _record(task, user, lines, **kwargs):
    """Record ``lines`` — (item, pieces, hours) — as the stubs of ``task``."""
    return services.shift_output_record(
        task=task,
        rows=[
            services.OutputRow(
                item_id=item.pk,
                worker_id=item.worker_id,
                quantity=None if pieces is None else D(pieces),
                hours_worked=None if hours is None else D(hours),
            )
            for item, pieces, hours in lines
        ],
        user=user,
        now=AFTER if task.date == DAY else moment(task.date, 20),
        **kwargs,
    )


def test_a_task_goes_from_the_bureau_to_the_master_and_back_until_signed(world):
    turning, drilling = route_a1(world)
    first, second = world.workers["A1"]
    dispatcher, master = world.users[Role.DISPATCHER], world.users[Role.MASTER]
    task = services.shift_task_create(
        confirmed=True, section=world.units["A1"], date=DAY, shift=1, user=dispatcher
    )
    assert task.status == Status.DRAFT
    with pytest.raises(ValidationError, match="нет ни одной строки"):
        services.shift_task_issue(task=task, user=dispatcher)
    services.shift_items_save(
        task=task,
        rows=[
            services.ItemRow(1, None, turning.pk, first.pk, D(20)),
            services.ItemRow(2, None, drilling.pk, second.pk, D(20)),
        ],
        user=dispatcher,
    )
    services.shift_task_issue(task=task, user=dispatcher, now=moment(DAY - datetime.timedelta(3)))
    task.refresh_from_db()
    assert task.status == Status.ISSUED and task.issued_by == dispatcher

    # The master: no tooling for drilling — back to the bureau.
    turn_item, drill_item = task.items.order_by("pk")
    marks = {turn_item.pk: ALL_READY, drill_item.pk: {**ALL_READY, "tooling": False}}
    services.shift_task_check(
        task=task, marks=marks, notes={drill_item.pk: "нет кондуктора"}, user=master
    )
    task.refresh_from_db()
    assert task.status == Status.RETURNED
    drill_item.refresh_from_db()
    assert drill_item.tooling is False and drill_item.not_ready_note == "нет кондуктора"

    # Not resolved: the bureau cannot hand it back as it is.
    with pytest.raises(ValidationError, match="Не решено"):
        services.shift_task_issue(task=task, user=dispatcher)
    # Recomposed: drilling goes; the turner gets 30 pieces instead of 20.
    services.shift_items_save(
        task=task,
        rows=[
            services.ItemRow(1, turn_item.pk, turning.pk, first.pk, D(30)),
            services.ItemRow(2, drill_item.pk, drilling.pk, second.pk, D(20), delete=True),
        ],
        user=dispatcher,
    )
    services.shift_task_issue(task=task, user=dispatcher)
    task.refresh_from_db()
    assert task.status == Status.ISSUED
    (item,) = task.items.all()
    assert item.quantity == D(30)
    assert item.work_order is None  # changed: the master checks it again
    services.shift_task_check(task=task, marks={item.pk: ALL_READY}, user=master)
    task.refresh_from_db()
    assert task.status == Status.READY
    services.shift_task_sign(task=task, user=master)
    task.refresh_from_db()
    assert task.status == Status.SIGNED and task.signed_by == master
    # Who did what is in the task's history (its lines' changes with it).
    actors = set(
        HistoryRecord.objects.filter(group=f"planning.shifttask:{task.pk}").values_list(
            "actor", flat=True
        )
    )
    assert actors == {master.pk, dispatcher.pk}


def test_a_resolved_line_is_checked_again_and_the_first_issue_time_kept(world):
    turning, drilling = route_a1(world)
    first, second = world.workers["A1"]
    dispatcher, master = world.users[Role.DISPATCHER], world.users[Role.MASTER]
    task = signed_task(world, DAY, [(turning, first, 10)])
    assert task.status == Status.SIGNED
    other = services.shift_task_create(
        confirmed=True, section=world.units["A1"], date=DAY, shift=2, user=dispatcher
    )
    services.shift_items_save(
        task=other,
        rows=[services.ItemRow(1, None, drilling.pk, second.pk, D(12))],
        user=dispatcher,
    )
    issued = moment(DAY - datetime.timedelta(4))
    services.shift_task_issue(task=other, user=dispatcher, now=issued)
    (item,) = other.items.all()
    services.shift_task_check(
        task=other, marks={item.pk: {**ALL_READY, "material": False}}, user=master
    )
    services.shift_items_save(
        task=other,
        rows=[
            services.ItemRow(
                1, item.pk, drilling.pk, second.pk, D(12), resolved_note="Материал со склада"
            )
        ],
        user=dispatcher,
    )
    services.shift_task_issue(task=other, user=dispatcher)
    other.refresh_from_db()
    item.refresh_from_db()
    assert other.issued_at == issued
    assert item.material is None and item.resolved_note == "Материал со склада"


def test_the_master_must_answer_every_mark(world):
    turning, _drilling = route_a1(world)
    dispatcher, master = world.users[Role.DISPATCHER], world.users[Role.MASTER]
    task = services.shift_task_create(
        confirmed=True, section=world.units["A1"], date=DAY, shift=1, user=dispatcher
    )
    services.shift_items_save(
        task=task,
        rows=[services.ItemRow(1, None, turning.pk, world.workers["A1"][0].pk, D(5))],
        user=dispatcher,
    )
    services.shift_task_issue(task=task, user=dispatcher)
    (item,) = task.items.all()
    with pytest.raises(RowErrors, match="отметьте готовность"):
        services.shift_task_check(task=task, marks={item.pk: {"work_order": True}}, user=master)
    with pytest.raises(ValidationError, match="невозможен"):
        services.shift_task_sign(task=task, user=master)


def test_the_bureau_composes_only_from_the_section_routes_and_workers(world):
    turning, _drilling = route_a1(world)
    dispatcher = world.users[Role.DISPATCHER]
    task = services.shift_task_create(
        confirmed=True, section=world.units["A1"], date=DAY, shift=1, user=dispatcher
    )
    with pytest.raises(RowErrors) as refused:
        services.shift_items_save(
            task=task,
            rows=[
                services.ItemRow(1, None, turning.pk, world.workers["A2"][0].pk, D(5)),
                services.ItemRow(2, None, None, None, D(0)),
            ],
            user=dispatcher,
        )
    by_row = refused.value.messages_by_row
    assert "Рабочий не из этого участка" in by_row[1][0]
    assert len(by_row[2]) == 2  # no operation, no pieces
    assert not task.items.exists()


def test_recorded_output_writes_the_day_the_months_and_the_parts_exactly(world):
    turning, drilling = route_a1(world)
    first, second = world.workers["A1"]
    master, dispatcher = world.users[Role.MASTER], world.users[Role.DISPATCHER]
    october = world.period(2026, 10)
    task = signed_task(world, DAY, [(turning, first, 20), (drilling, second, 20)])
    turn_item, drill_item = task.items.order_by("pk")

    result = _record(task, master, [(turn_item, 20, "7.5"), (drill_item, 18, 4)])
    assert result.created == 2
    task.refresh_from_db()
    assert task.status == Status.REPORTED and task.reported_by == master
    # 20 × 0.35 = 7.00 and 18 × 0.125 = 2.25 norm-hours.
    outputs = {o.worker_id: o for o in ShiftOutput.objects.filter(item__task=task)}
    assert outputs[first.pk].norm_hours == D("7.00")
    assert outputs[second.pk].norm_hours == D("2.25")
    assert SectionDayOutput.objects.get(section=world.units["A1"], date=DAY).output == D("9.25")
    months = {m.worker_id: m for m in MonthlyOutput.objects.filter(period=october)}
    assert (months[first.pk].output, months[first.pk].hours_worked) == (D("7.00"), D("7.5"))
    assert (months[second.pk].output, months[second.pk].hours_worked) == (D("2.25"), D("4.0"))
    # Only the last operation's pieces leave the section: 18 drilled, not 38.
    assert PartProduction.objects.get(section=world.units["A1"], date=DAY).quantity == D(18)

    # The next day's task adds to the months; the day is its own.
    next_day = DAY + datetime.timedelta(1)
    task2 = signed_task(world, next_day, [(turning, first, 10)])
    (item2,) = task2.items.all()
    _record(task2, dispatcher, [(item2, 12, 6)])
    first_month = MonthlyOutput.objects.get(worker=first, period=october)
    assert first_month.output == D("11.20")  # 7.00 + 12 × 0.35
    assert first_month.hours_worked == D("13.5")
    assert SectionDayOutput.objects.get(section=world.units["A1"], date=next_day).output == D(
        "4.20"
    )
    # No drilled piece that day: the part's journal has no line for it.
    assert not PartProduction.objects.filter(date=next_day).exists()

    # A correction rewrites the derived figures; clearing a stub removes its share.
    _record(task, master, [(turn_item, 20, "7.5"), (drill_item, None, None)])
    assert SectionDayOutput.objects.get(section=world.units["A1"], date=DAY).output == D("7.00")
    assert not MonthlyOutput.objects.filter(worker=second, period=october).exists()
    assert not PartProduction.objects.filter(date=DAY).exists()
    day_row = SectionDayOutput.objects.get(section=world.units["A1"], date=DAY)
    changes = HistoryRecord.objects.filter(
        object_pk=str(day_row.pk), group__startswith="planning.sectiondayoutput"
    )
    assert {(row.actor_id, row.reason) for row in changes} >= {
        (master.pk, f"Сменное задание: {task}")
    }


def test_the_same_stubs_again_write_nothing(world):
    turning, _drilling = route_a1(world)
    first = world.workers["A1"][0]
    task = signed_task(world, DAY, [(turning, first, 20)])
    (item,) = task.items.all()
    master = world.users[Role.MASTER]
    _record(task, master, [(item, 20, 8)])
    count = HistoryRecord.objects.count()
    again = _record(task, master, [(item, 20, 8)])
    assert again.written == 0 and again.unchanged == 1
    assert HistoryRecord.objects.count() == count


def test_output_waits_for_the_signature_and_the_shift(world):
    turning, _drilling = route_a1(world)
    dispatcher, master = world.users[Role.DISPATCHER], world.users[Role.MASTER]
    task = services.shift_task_create(
        confirmed=True, section=world.units["A1"], date=DAY, shift=1, user=dispatcher
    )
    with pytest.raises(ValidationError, match="невозможен"):
        services.shift_output_record(task=task, rows=[], user=master, now=AFTER)
    task = signed_task(world, DAY, [(turning, world.workers["A1"][0], 5)], shift=2)
    (item,) = task.items.all()
    before = moment(DAY, 15)  # the second shift starts at 16:00
    with pytest.raises(ValidationError, match="выработку записывают после смены"):
        services.shift_output_record(
            task=task,
            rows=[services.OutputRow(item.pk, item.worker_id, D(5), D(8))],
            user=master,
            now=before,
        )


def test_unlikely_output_is_asked_and_impossible_refused(world):
    turning, _drilling = route_a1(world)
    first = world.workers["A1"][0]
    task = signed_task(world, DAY, [(turning, first, 10)])
    (item,) = task.items.all()
    master = world.users[Role.MASTER]
    with pytest.raises(RowErrors, match="так не бывает"):
        _record(task, master, [(item, 101, 8)])
    with pytest.raises(RowErrors, match="без отработанных часов"):
        _record(task, master, [(item, 5, 0)])
    with pytest.raises(UnlikelyFigures):
        _record(task, master, [(item, 25, 8)])  # 2.5 times the task
    assert not ShiftOutput.objects.exists()
    _record(task, master, [(item, 25, 8)], confirmed=True)
    output = ShiftOutput.objects.get()
    assert output.quantity == D(25)
    created = HistoryRecord.objects.get(
        group=f"planning.shifttask:{task.pk}",
        content_type__model="shiftoutput",  # the task and its line may share the pk
        object_pk=str(output.pk),
        action="create",
    )
    assert created.actor == master
    assert "Подтверждены маловероятные цифры" in created.reason


def test_a_closed_month_takes_no_task_and_no_output(world):
    turning, _drilling = route_a1(world)
    dispatcher, master = world.users[Role.DISPATCHER], world.users[Role.MASTER]
    with pytest.raises(ValidationError):
        services.shift_task_create(
            confirmed=True,
            section=world.units["A1"],
            date=datetime.date(2026, 9, 14),
            shift=1,
            user=dispatcher,
        )
    task = signed_task(world, DAY, [(turning, world.workers["A1"][0], 10)])
    (item,) = task.items.all()
    october = world.period(2026, 10)
    with pytest.raises(
        ValidationError, match="Сменные задания без записанной выработки"
    ):  # its output first
        period_close(period=october, user=world.users[Role.LABOUR])
    close_leaving_tasks_open(world, october)
    with pytest.raises(PeriodClosedError):
        _record(task, master, [(item, 10, 8)])
    assert not ShiftOutput.objects.exists()
    assert not SectionDayOutput.objects.filter(date=DAY).exists()


def test_late_steps_are_marked(world):
    route_a1(world)
    dispatcher = world.users[Role.DISPATCHER]
    task = services.shift_task_create(
        confirmed=True, section=world.units["A1"], date=DAY, shift=1, user=dispatcher
    )
    # Not issued yet: late after the 9th (the task of the 12th is due by the 9th).
    assert not selectors.lateness(task, moment(datetime.date(2026, 10, 9), 17)).issued_late
    assert selectors.lateness(task, moment(datetime.date(2026, 10, 10), 8)).issued_late
    task.issued_at = moment(datetime.date(2026, 10, 9), 16)
    task.checked_at = moment(datetime.date(2026, 10, 11), 11)
    late = selectors.lateness(task, AFTER)
    assert late.issue_due == datetime.date(2026, 10, 9)
    assert late.check_due == datetime.datetime(2026, 10, 11, 12, 0)
    assert not late.issued_late and not late.checked_late
    task.issued_at = moment(datetime.date(2026, 10, 10), 8)
    task.checked_at = moment(datetime.date(2026, 10, 11), 13)
    late = selectors.lateness(task, AFTER)
    assert late.issued_late and late.checked_late
    # Not checked at all: late once 12:00 of the 11th has passed.
    task.checked_at = None
    assert not selectors.lateness(task, moment(datetime.date(2026, 10, 11), 11)).checked_late
    assert selectors.lateness(task, moment(datetime.date(2026, 10, 11), 13)).checked_late


def test_a_month_on_shift_tasks_is_not_entered_by_hand(world):
    turning, _drilling = route_a1(world)
    first = world.workers["A1"][0]
    october = world.period(2026, 10)
    section = world.units["A1"]
    task = signed_task(world, DAY, [(turning, first, 20)])
    (item,) = task.items.all()
    _record(task, world.users[Role.MASTER], [(item, 20, 8)])
    economist = world.users[Role.ECONOMIST]
    with pytest.raises(ValidationError, match="записывается по сменным заданиям"):
        tracking_services.section_days_save(
            section=section, period=october, values={DAY: D(100)}, user=economist
        )
    with pytest.raises(RowErrors, match="записывается по сменным заданиям"):
        tracking_services.output_save_month(
            section=section,
            period=october,
            rows=[tracking_services.OutputRow(first.pk, D(100), D(160))],
            user=economist,
        )
    # The same figures as derived (the grid sent back as it shows them) pass.
    tracking_services.output_save_month(
        section=section,
        period=october,
        rows=[tracking_services.OutputRow(first.pk, D("7.00"), D("8.0"), False)],
        user=economist,
    )
    assert MonthlyOutput.objects.get(worker=first, period=october).nomenclature_met is False
    # Another section's month is entered by hand as before.
    tracking_services.section_days_save(
        section=world.units["A2"], period=october, values={DAY: D(50)}, user=economist
    )


def test_the_first_task_of_a_month_kept_by_hand_is_refused(world):
    """A month with a task takes its days and workers' output from the tasks: the first
    task of a month whose figures were entered by hand would replace a month of them with
    one shift's (seen: 198 norm-hours of a worker's October became 4,2)."""
    route_a1(world)
    section = world.units["A1"]
    first = world.workers["A1"][0]
    dispatcher = world.users[Role.DISPATCHER]
    october = world.period(2026, 10)
    MonthlyOutput.objects.create(
        enterprise=world.enterprise,
        worker=first,
        period=october,
        output=D("198"),
        hours_worked=D("176"),
    )
    with pytest.raises(ValidationError, match="уже ведётся вручную"):
        services.shift_task_create(
            confirmed=True, section=section, date=DAY, shift=1, user=dispatcher
        )
    assert not ShiftTask.objects.exists()
    assert MonthlyOutput.objects.get(worker=first, period=october).output == D("198")
    # The hand-kept days count the same; another month of the section starts on tasks.
    MonthlyOutput.objects.all().delete()
    SectionDayOutput.objects.create(
        enterprise=world.enterprise, section=section, date=DAY, output=D("92.5")
    )
    with pytest.raises(ValidationError, match="уже ведётся вручную"):
        services.shift_task_create(
            confirmed=True, section=section, date=DAY, shift=1, user=dispatcher
        )
    november = datetime.date(2026, 11, 9)
    assert services.shift_task_create(
        confirmed=True, section=section, date=november, shift=1, user=dispatcher
    )


def test_a_shift_gone_by_is_asked_again_and_today_s_or_a_later_one_is_not(world):
    dispatcher = world.users[Role.DISPATCHER]
    section = world.units["A1"]
    today = timezone.localdate()
    for day in (today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=3)):
        Period.objects.get_or_create(enterprise=world.enterprise, year=day.year, month=day.month)
    yesterday = today - datetime.timedelta(days=1)
    with pytest.raises(UnlikelyFigures) as asked:
        services.shift_task_create(section=section, date=yesterday, shift=1, user=dispatcher)
    assert asked.value.message_dict == {
        "date": [
            f"Смена {yesterday:%d.%m.%Y} уже прошла: задание на неё составляют, только чтобы "
            "записать выработку задним числом. Проверьте дату."
        ]
    }
    assert not ShiftTask.objects.exists()
    for day in (today, today + datetime.timedelta(days=3)):
        assert services.shift_task_create(section=section, date=day, shift=1, user=dispatcher)
    # a taken shift or a closed month is refused as such, not asked about
    with pytest.raises(ValidationError, match="уже есть"):
        services.shift_task_create(section=section, date=today, shift=1, user=dispatcher)
    with pytest.raises(ValidationError, match="«сентябрь 2026» закрыт") as refused:
        services.shift_task_create(
            section=section, date=datetime.date(2026, 9, 14), shift=1, user=dispatcher
        )
    assert not isinstance(refused.value, UnlikelyFigures)
