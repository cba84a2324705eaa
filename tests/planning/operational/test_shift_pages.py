"""The shift-task pages: the walk of a task through its pages, the output grid of a section
of 60 workers in one request (its errors per line and summary), the month's rhythmicity,
and the pinned query counts."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprise.models import HistoryRecord
from enterprise.models.roles import Role
from planning.operational.models import ShiftOutput, ShiftTask, ShiftTaskItem
from planning.tracking.models import MonthlyOutput, SectionDayOutput
from tests.factories import WorkerFactory
from tests.planning.operational.shiftworld import route_a1, signed_task

pytestmark = pytest.mark.django_db

D = Decimal
DAY = datetime.date(2026, 10, 12)
Status = ShiftTask.Status


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _big_task(world, count=60):
    """A signed task of A1 with one turning line for each of ``count`` workers."""
    turning, _drilling = route_a1(world)
    section = world.units["A1"]
    workers = [
        WorkerFactory(
            section=section,
            personnel_number=str(5000 + index),
            profession=world.professions["turner"],
            pay_condition=world.conditions["piece"],
        )
        for index in range(count)
    ]
    task = ShiftTask.objects.create(
        enterprise=world.enterprise, section=section, date=DAY, shift=1, status=Status.SIGNED
    )
    ready = dict.fromkeys(("work_order", "documentation", "material", "tooling", "tools"), True)
    ShiftTaskItem.objects.bulk_create(
        ShiftTaskItem(task=task, route_operation=turning, worker=w, quantity=D(20), **ready)
        for w in workers
    )
    return task, workers


def _output_data(page, values) -> dict:
    form = page.context["form"]
    data = {"grid-version": page.context["version"]["version"].value()}
    for item in form.items:
        pieces, hours = values(item)
        data[form.name(item, "quantity")] = pieces
        data[form.name(item, "hours")] = hours
    return data


def test_a_section_of_60_records_its_shift_in_one_request(world, django_assert_max_num_queries):
    task, workers = _big_task(world)
    client = _client(world.users[Role.MASTER])
    url = reverse("planning:shift_output", args=[task.pk])
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert page.status_code == 200
    data = _output_data(page, lambda item: ("20", "8"))
    # A constant number, whatever the count of lines (locks, checks, three derived kinds,
    # their history in bulk).
    with django_assert_max_num_queries(60):
        response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:shift_report", args=[task.pk])
    assert ShiftOutput.objects.filter(item__task=task).count() == 60
    # 60 × 20 pieces × 0.35 h = 420 norm-hours; each worker's month 7 norm-hours, 8 h.
    assert SectionDayOutput.objects.get(section=task.section, date=DAY).output == D("420.000")
    months = MonthlyOutput.objects.filter(worker__in=workers, period=world.period(2026, 10))
    assert set(months.values_list("output", "hours_worked")) == {(D("7.000"), D("8.0"))}
    assert months.count() == 60


CORRECTION_QUERIES = 58
"""Correcting every line of a recorded task: the session and the user (3), the task, its
lines, stubs and the section's workers read and locked (9), the stubs rewritten with their
history (6), the task (5), the section's day (9), the workers' months (12), the parts'
production of the day (4), the savepoints and the session's save (10) — whatever the
count of lines."""


@pytest.mark.parametrize("count", [4, 60])
def test_correcting_a_shift_costs_the_same_queries_whatever_its_lines(world, count):
    """What ``make bench`` measures: every stub of a recorded task rewritten, so the day
    and every worker's month are rewritten too. Before, each rewritten stub and month read
    its line, task, operation and period again (its month's check, its name in the
    history): 85 queries for 4 lines, 477 for 60."""
    task, workers = _big_task(world, count)
    client = _client(world.users[Role.MASTER])
    url = reverse("planning:shift_output", args=[task.pk])
    first = client.get(url)
    assert client.post(url, _output_data(first, lambda item: ("20", "8"))).status_code == 302
    again = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, _output_data(again, lambda item: ("21", "8")))
    assert response.status_code == 302
    assert len(captured) == CORRECTION_QUERIES
    assert ShiftOutput.objects.filter(item__task=task, quantity=D(21)).count() == count
    # The history holds every rewritten stub and month (who, what was, what is).
    changes = HistoryRecord.objects.filter(action=HistoryRecord.Action.UPDATE)
    stubs = changes.filter(content_type__model="shiftoutput")
    assert stubs.count() == count
    assert {record.changes["quantity"][0] for record in stubs} == {"20.00"}
    assert changes.filter(content_type__model="monthlyoutput").count() == count
    # count × 21 pieces × 0.35 h; each worker's month 7.35 norm-hours in 8 h.
    assert SectionDayOutput.objects.get(section=task.section, date=DAY).output == (
        count * D("7.35")
    )
    months = MonthlyOutput.objects.filter(worker__in=workers, period=world.period(2026, 10))
    assert set(months.values_list("output", "hours_worked")) == {(D("7.350"), D("8.0"))}


def test_bad_lines_are_marked_each_and_summed_up_on_top(world):
    task, _workers = _big_task(world, count=3)
    client = _client(world.users[Role.DISPATCHER])
    url = reverse("planning:shift_output", args=[task.pk])
    page = client.get(url)
    items = page.context["form"].items
    bad = {items[0].pk: ("20", ""), items[1].pk: ("300", "8"), items[2].pk: ("abc", "8")}
    response = client.post(url, _output_data(page, lambda item: bad[item.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="errors-summary"' in text
    form = response.context["form"]
    assert form.errors[form.name(items[0], "hours")] == [
        "Укажите и годные штуки, и отработанные часы."
    ]
    assert form.errors[form.name(items[2], "quantity")] == ["Введите число."]
    # The summary on top names each refused line's worker and operation.
    summary = text[text.index('data-testid="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    worker = items[2].worker.short_name
    assert f"{worker}, ВТ-101 1. Токарная: Годных, шт.</a>: Введите число." in summary
    assert not ShiftOutput.objects.exists()
    # The form itself fine, the service refuses the impossible line: next to it.
    good = {items[0].pk: ("20", "8"), items[1].pk: ("300", "8"), items[2].pk: ("20", "8")}
    response = client.post(url, _output_data(page, lambda item: good[item.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert "так не бывает" in form.errors[form.name(items[1], "quantity")][0]
    assert list(form.errors) == [form.name(items[1], "quantity")]
    assert not ShiftOutput.objects.exists()


def test_a_first_report_with_lines_left_empty_asks_about_each_of_them(world):
    task, _workers = _big_task(world, count=3)
    master = world.users[Role.MASTER]
    client = _client(master)
    url = reverse("planning:shift_output", args=[task.pk])
    page = client.get(url)
    items = page.context["form"].items
    values = {items[0].pk: ("20", "8"), items[1].pk: ("", ""), items[2].pk: ("", "")}
    response = client.post(url, _output_data(page, lambda item: values[item.pk]))
    # A stub forgotten at the end of the shift: each empty line is asked about, nothing saved.
    assert response.status_code == 200
    form = response.context["form"]
    asked = "По этой строке выработка не записана: задание будет отмечено выполненным без неё."
    for item in items[1:]:
        assert asked in form.errors[form.name(item, "quantity")][0]
    assert form.name(items[0], "quantity") not in form.errors
    assert response.context["ask_confirm"]
    assert 'name="confirm"' in response.content.decode()
    assert not ShiftOutput.objects.exists()
    task.refresh_from_db()
    assert task.status == Status.SIGNED
    # Confirmed (those lines were not worked): the task is reported, and the history's
    # reason names the lines confirmed empty.
    confirmed = _output_data(page, lambda item: values[item.pk]) | {"confirm": "1"}
    response = client.post(url, confirmed)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Status.REPORTED
    output = ShiftOutput.objects.get()
    record = HistoryRecord.objects.get(
        content_type__model="shiftoutput", object_pk=str(output.pk), action="create"
    )
    assert "выработка не записана" not in record.reason
    assert "Подтверждены маловероятные цифры" not in record.reason
    empty = "; ".join(
        f"{item.worker.short_name}, {item.route_operation.route.part.number} "
        f"{item.route_operation.number}. {item.route_operation.name}"
        for item in items[1:]
    )
    assert record.reason.endswith(f"Подтверждено без выработки: {empty}")
    # A correction of the reported task does not ask again about the lines left empty.
    page = client.get(url)
    values[items[0].pk] = ("19", "8")
    response = client.post(url, _output_data(page, lambda item: values[item.pk]))
    assert response.status_code == 302
    assert ShiftOutput.objects.get().quantity == D(19)
    # Opened again, the pieces read as typed, not as the column keeps them («19,00»).
    html = client.get(url).content.decode()
    name = page.context["form"].name(items[0], "quantity")
    assert re.search(rf'name="{name}"[^>]*value="19"', html), name


def test_the_task_and_month_pages_keep_their_queries(world, django_assert_max_num_queries):
    task, _workers = _big_task(world)
    client = _client(world.users[Role.DISPATCHER])
    with django_assert_max_num_queries(16):
        assert client.get(reverse("planning:shift_task", args=[task.pk])).status_code == 200
    month = reverse("planning:shift_month", args=[task.section.pk, world.period(2026, 10).pk])
    with django_assert_max_num_queries(16):
        assert client.get(month).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("planning:shift_report", args=[task.pk])).status_code == 200


RECORDED_TASK_QUERIES = 15
"""A recorded task's page: the session, the user and his roles (3), the task, its lines and
stubs (3), its month (1), the history's page (1) and the names its records give, one query
a kind — who recorded, the enterprise, the section, the task, the lines with their task's
section, the operations and the workers (7) — whatever the count of lines."""


@pytest.mark.parametrize("count", [2, 6])
def test_a_recorded_task_s_page_costs_the_same_queries_whatever_its_lines(world, count):
    """What ``make bench`` measures on the largest task of a generated plant: the history
    names each stub's line by its task's section, and that section was read once a line
    (17 queries for 2 lines, 21 for 6). Up to 9 lines every kind of record is on the
    history's first page (the task, its lines, their stubs), so the counts compare."""
    task, _workers = _big_task(world, count)
    master = _client(world.users[Role.MASTER])
    url = reverse("planning:shift_output", args=[task.pk])
    page = master.get(url)
    assert master.post(url, _output_data(page, lambda item: ("20", "8"))).status_code == 302
    client = _client(world.users[Role.DISPATCHER])
    page_url = reverse("planning:shift_task", args=[task.pk])
    client.get(page_url)  # warms the caches (content types), as a server's first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page_url)
    assert response.status_code == 200
    assert 'data-testid="history"' in response.content.decode()
    assert len(captured) == RECORDED_TASK_QUERIES


def test_a_dispatcher_and_a_master_walk_a_task_through_its_pages(world):
    turning, drilling = route_a1(world)
    first, second = world.workers["A1"]
    dispatcher = _client(world.users[Role.DISPATCHER])
    master = _client(world.users[Role.MASTER])
    october = world.period(2026, 10)
    month = reverse("planning:shift_month", args=[world.units["A1"].pk, october.pk])
    # The 12th of October is gone by: asked again at the date, nothing created yet.
    asked = dispatcher.post(month, {"date": "2026-10-12", "shift": "1"})
    content = asked.content.decode()
    assert asked.status_code == 200 and not ShiftTask.objects.exists()
    question = (
        "Смена 12.10.2026 уже прошла: задание на неё составляют, только чтобы записать "
        "выработку задним числом. Проверьте дату."
    )
    assert content.count(question) == 2  # at the field and in the summary at the top
    assert 'data-testid="confirm-unlikely"' in content
    created = dispatcher.post(month, {"date": "2026-10-12", "shift": "1", "confirm": "1"})
    task = ShiftTask.objects.get(section=world.units["A1"], date=DAY)
    record = HistoryRecord.objects.get(content_type__model="shifttask", object_pk=str(task.pk))
    assert record.reason == f"Подтверждены маловероятные цифры: {question}"
    assert created["Location"] == reverse("planning:shift_task_items", args=[task.pk])
    items_url = created["Location"]
    page = dispatcher.get(items_url)
    data = {"items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0"}
    data.update({"items-0-route_operation": turning.pk, "items-0-worker": first.pk})
    data.update({"items-0-quantity": "20", "items-1-route_operation": drilling.pk})
    data.update({"items-1-worker": second.pk, "items-1-quantity": "20"})
    assert page.status_code == 200
    assert dispatcher.post(items_url, data).status_code == 302
    assert task.items.count() == 2
    issue = reverse("planning:shift_task_issue", args=[task.pk])
    confirm = dispatcher.post(issue)
    assert confirm.status_code == 200 and "Выдать сменное задание" in confirm.content.decode()
    dispatcher.post(issue, {"confirm": "1"})
    task.refresh_from_db()
    assert task.status == Status.ISSUED
    # The master ticks everything but the drilling's tooling: back to the bureau.
    page = master.get(reverse("planning:shift_task", args=[task.pk]))
    # Who issued it: by name, as the history says, not by login.
    who = world.users[Role.DISPATCHER]
    assert f"{timezone.localtime(task.issued_at):%d.%m.%Y} " in page.content.decode()
    assert f", {who.get_full_name()}" in page.content.decode()
    assert f", {who.username}" not in page.content.decode()
    readiness = page.context["readiness"]
    turn_item, drill_item = readiness.items
    marks = {readiness.name(turn_item, name): "on" for name in _MARKS}
    marks.update({readiness.name(drill_item, name): "on" for name in _MARKS if name != "tooling"})
    marks[readiness.name(drill_item, "note")] = "нет кондуктора"
    master.post(reverse("planning:shift_task_check", args=[task.pk]), marks)
    task.refresh_from_db()
    assert task.status == Status.RETURNED
    page = dispatcher.get(reverse("planning:shift_task", args=[task.pk]))
    assert "нет кондуктора" in page.content.decode()
    # Resolved by the bureau, issued again, checked, signed.
    page = dispatcher.get(items_url)
    assert "оснастка" in page.content.decode()
    data = {"items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "2"}
    for index, item in enumerate((turn_item, drill_item)):
        data.update({f"items-{index}-pk": item.pk, f"items-{index}-quantity": "20"})
        data[f"items-{index}-route_operation"] = item.route_operation_id
        data[f"items-{index}-worker"] = item.worker_id
    data["items-1-resolved_note"] = "Кондуктор из цеха № 7"
    dispatcher.post(items_url, data)
    dispatcher.post(issue, {"confirm": "1"})
    page = master.get(reverse("planning:shift_task", args=[task.pk]))
    readiness = page.context["readiness"]
    marks = {readiness.name(item, name): "on" for item in readiness.items for name in _MARKS}
    master.post(reverse("planning:shift_task_check", args=[task.pk]), marks)
    sign = reverse("planning:shift_task_sign", args=[task.pk])
    assert "Подписать сменное задание" in master.post(sign).content.decode()
    master.post(sign, {"confirm": "1"})
    task.refresh_from_db()
    assert task.status == Status.SIGNED
    # After the shift: the stubs, the report, the month's rhythmicity.
    output = reverse("planning:shift_output", args=[task.pk])
    page = master.get(output)
    values = {turn_item.pk: ("20", "8"), drill_item.pk: ("18", "4")}
    report = master.post(output, _output_data(page, lambda item: values[item.pk]), follow=True)
    text = report.content.decode()
    assert 'data-testid="day-report"' in text
    assert re.search(r'data-testid="report-norm-hours">9,25<', text)
    month_page = dispatcher.get(month).content.decode()
    assert re.search(r'data-testid="rhythmicity">1,0000<', month_page)


_MARKS = ("work_order", "documentation", "material", "tooling", "tools")


def test_the_month_page_shows_the_rhythm_by_decade(world):
    turning, _drilling = route_a1(world)
    first = world.workers["A1"][0]
    master = world.users[Role.MASTER]
    from planning.operational.shifts import services

    # Planned 10 pieces in each decade; made 10, 10 and 0: rhythmicity 2/3.
    for day in (
        datetime.date(2026, 10, 5),
        datetime.date(2026, 10, 15),
        datetime.date(2026, 10, 26),
    ):
        task = signed_task(world, day, [(turning, first, 10)])
        (item,) = task.items.all()
        made = D(0) if day.day > 20 else D(10)
        services.shift_output_record(
            task=task,
            rows=[services.OutputRow(item.pk, first.pk, made, D(8))],
            user=master,
        )
    page = _client(master).get(
        reverse("planning:shift_month", args=[world.units["A1"].pk, world.period(2026, 10).pk])
    )
    decades = page.context["decades"]
    assert decades.planned == [D("3.50"), D("3.50"), D("3.50")]
    assert decades.actual == [D("3.500"), D("3.500"), D("0.000")]
    assert decades.rhythmicity == D("0.6667")
    text = page.content.decode()
    chart = text.split('data-testid="chart-decades"', 1)[1].split("</svg>", 1)[0]
    # drawn narrow for its half-page card, its legend saying what the bars measure
    assert 'viewBox="0 0 400 ' in chart and "chart-narrow" in chart
    assert "По заданиям, % месяца" in chart and "Записано, % месяца" in chart
    # The chart's labels are shares to 0.1 %: a third is 33,3, not 33,333333…
    assert ">33,3<" in text
    assert "33,33" not in text
    # The formula beside the figure is written in words a Russian economist reads (the
    # share made counts up to the share planned), not as Latin min(…).
    assert "каждая — не больше доли по заданиям" in text
    assert "min(" not in text


def test_stubs_recorded_meanwhile_by_another_are_not_overwritten_unseen(world):
    task, _workers = _big_task(world, count=2)
    url = reverse("planning:shift_output", args=[task.pk])
    master = _client(world.users[Role.MASTER])
    dispatcher = _client(world.users[Role.DISPATCHER])
    page = master.get(url)
    other = dispatcher.get(url)
    assert dispatcher.post(url, _output_data(other, lambda item: ("20", "8"))).status_code == 302
    response = master.post(url, _output_data(page, lambda item: ("19", "8")))
    assert response.status_code == 200
    assert "уже изменил другой пользователь" in " ".join(response.context["problems"])
    assert set(ShiftOutput.objects.values_list("quantity", flat=True)) == {D(20)}


def test_the_section_days_of_a_month_on_shift_tasks_are_shown_not_offered_for_typing(world):
    turning, _drilling = route_a1(world)
    first = world.workers["A1"][0]
    section = world.units["A1"]
    october = world.period(2026, 10)
    from planning.operational.shifts import services

    task = signed_task(world, DAY, [(turning, first, 20)])
    (item,) = task.items.all()
    services.shift_output_record(
        task=task,
        rows=[services.OutputRow(item.pk, first.pk, D(20), D(8))],
        user=world.users[Role.MASTER],
    )
    url = reverse("planning:section_days", args=[section.pk, october.pk])
    client = _client(world.users[Role.ECONOMIST])
    page = client.get(url)
    text = page.content.decode()
    # No input to type a day into, no button: the figures and why, with the way to the tasks.
    assert page.context["editable"] is False
    assert 'data-testid="days-derived"' in text
    assert "записывается по сменным заданиям" in text
    assert 'name="d12"' not in text and "Пустое поле — выработки за день нет" not in text
    assert reverse("planning:shift_month", args=[section.pk, october.pk]) in text
    # 20 × 0,35 нормо-ч of the A1 turning: the day's figure as the task gives it.
    assert SectionDayOutput.objects.get(section=section, date=DAY).output == D("7.00")
    # A post made anyway (an old tab) changes nothing and says why.
    response = client.post(url, {"d12": "100"}, follow=True)
    assert "записывается по сменным заданиям" in response.content.decode()
    assert SectionDayOutput.objects.get(section=section, date=DAY).output == D("7.00")


def test_the_wide_tables_of_the_shift_pages_scroll_in_their_box_on_a_phone(world):
    """At 390 px the day's report (ten columns) and the month's decade table pushed the
    whole page sideways: each now scrolls inside its own box."""
    task, _workers = _big_task(world, count=2)
    client = _client(world.users[Role.MASTER])
    report = client.get(reverse("planning:shift_report", args=[task.pk])).content.decode()
    wrapped = r'<div class="table-responsive">\s*<table[^>]*data-testid="day-report"'
    assert re.search(wrapped, report)
    month = reverse("planning:shift_month", args=[task.section.pk, world.period(2026, 10).pk])
    text = client.get(month).content.decode()
    assert re.search(r'<div class="table-responsive"><table class="table table-sm mb-2">', text)


def test_signing_says_what_the_signature_is_for_before_and_after_the_shift_starts(
    world, monkeypatch
):
    """Before the shift the signature sends the task to be supplied; once the shift has
    started (a task signed late) it is what lets the output be recorded — the confirmation
    no longer promises delivery «к началу смены» for a shift gone by."""
    from planning.operational.shifts import services
    from tests.planning.operational.shiftworld import ALL_READY, issued_task, moment

    turning, _drilling = route_a1(world)
    master = world.users[Role.MASTER]
    task = issued_task(world, DAY, turning)
    services.shift_task_check(
        task=task, marks={task.items.get().pk: ALL_READY}, user=master, now=moment(DAY, 6)
    )
    sign = reverse("planning:shift_task_sign", args=[task.pk])
    client = _client(master)
    before = moment(DAY, 7)  # the first shift starts at 8:00
    monkeypatch.setattr(timezone, "now", lambda: before)
    page = client.post(sign).content.decode()
    assert "к началу смены всё нужное доставляется на рабочие места" in page
    assert "Смена уже началась" not in page
    monkeypatch.undo()  # the real clock: long after the 12th of October
    page = client.post(sign).content.decode()
    assert "Смена уже началась: подпись нужна, чтобы записать выработку рабочих" in page
    assert "к началу смены" not in page
    task.refresh_from_db()
    assert task.status == Status.READY  # asked only, not signed
