"""Tracking of personal plans (§6): the definitions, the output grid, the import, the
section's days — and the permission rows of the tracking pages.

The vector: a coil winder's plan of 2517 norm-hours a year with an annual time fund of
1982 h (table 24). A month of 168 working hours → a monthly plan of 2517 × 168 / 1982 =
213.348… norm-hours; the test world's months (June–November 2026) all have 168 h and 21
working days, June–September closed.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from enterprise.tracking import PeriodClosedError
from planning import numbers
from planning.models import MonthlyOutput, SectionDayOutput
from planning.tracking import imports, rules, selectors, services, workdays
from tests.factories import WorkerFactory, reopened
from tests.planning.factories import (
    MonthlyOutputFactory,
    PersonalPlanFactory,
    SectionDayOutputFactory,
    SectionTaskFactory,
)

D = Decimal
PLAN = D(2517) * D(168) / D(1982)  # 213.348… norm-hours a month
DAILY = PLAN / D(21)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def plan_of(worker, volume="2517", **extra):
    return PersonalPlanFactory(
        worker=worker, annual_volume=D(volume), annual_time_fund=D("1982.0"), **extra
    )


def output(worker, period, value, hours="168", nomenclature=True):
    return MonthlyOutputFactory(
        worker=worker,
        period=period,
        output=D(value),
        hours_worked=D(hours),
        nomenclature_met=nomenclature,
    )


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


# --- the definitions -------------------------------------------------------------------------


def test_it_computes_the_monthly_plan_from_the_annual_volume_and_the_month_hours(world):
    plan = plan_of(world.worker)
    october = world.period(2026, 10)
    value = rules.monthly_plan(plan, october)
    assert value == PLAN
    assert value.quantize(D("0.01")) == D("213.35")
    assert rules.daily_rate(value, october) == PLAN / 21


def test_it_tracks_a_worker_month_by_month_with_running_totals(world):
    plan = plan_of(world.worker)
    months = [world.period(2026, m) for m in range(6, 10)]
    with reopened(*months):
        for period, value in zip(months, ("200", "210", "220", "230"), strict=True):
            output(world.worker, period, value)
    output(world.worker, world.period(2026, 10), "240")

    rows = selectors.worker_tracking(plan)

    assert [(r.period.year, r.period.month) for r in rows] == [(2026, m) for m in range(6, 12)]
    october, november = rows[4], rows[5]
    assert october.plan == PLAN
    assert october.actual == D(240)
    assert october.cumulative_plan == PLAN * 5
    assert october.cumulative_actual == D(1100)
    assert october.fulfilment == D(240) / PLAN * 100
    # 1100 / 1066.74 = 103.1 %; (1100 − 1066.74) / (213.348 / 21) = +3.3 days
    assert october.cumulative_fulfilment.quantize(D("0.1")) == D("103.1")
    assert october.lead_lag_days.quantize(D("0.01")) == D("3.27")
    assert october.lead_lag_label == "+3,3"
    june = rows[0]
    assert june.cumulative_fulfilment.quantize(D("0.1")) == D("93.7")
    assert june.lead_lag_label == "\u22121,3"  # (200 − 213.35) / 10.16 = −1.3 days
    # November: nothing entered yet — the plan shows, no fulfilment and no lag
    assert november.actual is None
    assert november.cumulative_plan == PLAN * 6
    assert november.fulfilment is None
    assert november.cumulative_fulfilment is None
    assert november.lead_lag_days is None


def test_it_counts_a_month_without_output_as_zero_before_the_last_entered(world):
    plan = plan_of(world.worker)
    output(world.worker, world.period(2026, 11), "300")
    rows = selectors.worker_tracking(plan)
    october = rows[4]
    assert october.actual is None
    assert october.cumulative_actual == 0
    assert october.cumulative_fulfilment == 0
    assert october.lead_lag_days == -PLAN * 5 / DAILY  # five months of plan behind: −105 days


def test_it_dates_the_annual_plan_reached_at_the_month_end(world):
    plan = plan_of(world.worker, volume="800")
    months = [world.period(2026, m) for m in range(6, 10)]
    with reopened(*months):
        for period, value in zip(months, ("200", "210", "220", "230"), strict=True):
            output(world.worker, period, value)
    rows = selectors.worker_tracking(plan)
    reached = selectors.plan_reached_on(plan, rows)
    assert reached == datetime.date(2026, 9, 30)  # 200 + 210 + 220 + 230 = 860 ≥ 800
    assert numbers.completion_label(reached) == "годовой план выполнен к 30.09.2026"
    assert selectors.plan_reached_on(plan_of(WorkerFactory()), []) is None


def test_it_counts_21_working_days_for_a_month_without_a_period_row(world):
    periods = [world.period(2026, m) for m in range(6, 12)]
    assert workdays.year_working_days(periods) == 12 * 21
    november = world.period(2026, 11)
    november.working_days = 20
    november.save()
    assert workdays.year_working_days(periods) == 12 * 21 - 1


def test_it_takes_the_weekdays_in_order_as_the_working_days_of_a_month(world):
    november = world.period(2026, 11)  # 1 November 2026 is a Sunday: 21 weekdays
    assert len(workdays.working_days_of(november)) == 21
    november.working_days = 20
    days = workdays.working_days_of(november)
    assert len(days) == 20
    assert datetime.date(2026, 11, 30) not in days  # the last weekday goes
    assert datetime.date(2026, 11, 1) not in days and datetime.date(2026, 11, 2) in days


def test_it_takes_a_weekday_skipped_between_entries_as_the_holiday(world):
    november = world.period(2026, 11)
    november.working_days = 20  # 4 November, a Wednesday, is a holiday
    entered = {datetime.date(2026, 11, d) for d in (2, 3, 5, 6)}
    days = workdays.working_days_of(november, entered)
    assert len(days) == 20
    assert datetime.date(2026, 11, 4) not in days
    assert datetime.date(2026, 11, 30) in days
    november.working_days = 22  # one Saturday worked
    days = workdays.working_days_of(november, entered)
    assert len(days) == 22 and datetime.date(2026, 11, 7) in days


# --- the section's days ----------------------------------------------------------------------


def test_it_tables_the_section_days_with_cumulative_deviation_and_lead_lag(world):
    section, november = world.units["A1"], world.period(2026, 11)
    SectionTaskFactory(section=section, task=D("25000"))
    for day, value in ((2, "120"), (3, "100"), (5, "90")):
        SectionDayOutputFactory(section=section, date=datetime.date(2026, 11, day), output=D(value))

    table = selectors.section_days(section, november)

    daily = D(25000) / D(252)  # 99.206… a working day
    assert table.year_working_days == 252
    assert table.daily_plan == daily
    assert len(table.rows) == 30
    sunday, monday, _tuesday, wednesday, thursday = table.rows[:5]
    assert sunday.plan == 0 and not sunday.working and sunday.deviation == -0
    assert monday.plan == daily and monday.actual == D(120)
    assert monday.deviation == D(120) - daily
    assert wednesday.actual is None and wednesday.deviation == -daily
    assert thursday.cumulative_actual == D(310)
    assert thursday.cumulative_deviation == D(310) - 4 * daily  # −86.8
    assert thursday.lead_lag_days.quantize(D("0.01")) == D("-0.88")
    assert thursday.lead_lag_label == "\u22120,9"
    assert table.rows[5].deviation is None  # after the last day entered
    assert table.last.date == datetime.date(2026, 11, 5)
    assert table.month_plan == daily * 21
    assert table.month_actual == D(310)


def test_it_shows_the_section_days_without_a_task_as_actual_only(world):
    section, november = world.units["A1"], world.period(2026, 11)
    SectionDayOutputFactory(section=section, date=datetime.date(2026, 11, 2), output=D("50"))
    table = selectors.section_days(section, november)
    assert table.task is None and table.daily_plan is None
    assert table.rows[1].actual == D(50)
    assert table.rows[1].plan is None and table.rows[1].deviation is None
    assert table.month_fulfilment is None


def test_it_measures_the_quarter_gross_output_against_the_task_share(world):
    section = world.units["A1"]
    SectionTaskFactory(section=section, task=D("25000"))
    with reopened(world.period(2026, 7)):
        SectionDayOutputFactory(section=section, date=datetime.date(2026, 7, 1), output=D("6250"))
    gross = selectors.quarter_gross([section.pk], world.enterprise.pk, 2026, 3)[section.pk]
    assert gross.plan == D(25000) * 63 / 252  # 6 250: a quarter of 63 of 252 working days
    assert gross.actual == D(6250)
    assert gross.met  # equal is enough: the plan is met


def test_the_section_days_page_saves_russian_decimals_and_clears_a_day(world):
    section, november = world.units["A1"], world.period(2026, 11)
    # A daily plan of about 1,000 (250,000 over the year's working days): 1,120.5 is plausible.
    SectionTaskFactory(section=section, task=D("250000"))
    SectionDayOutputFactory(section=section, date=datetime.date(2026, 11, 3), output=D("7"))
    url = reverse("planning:section_days", args=[section.pk, november.pk])
    response = client_of(world.users["master"]).post(url, {"d02": "1 120,5", "d03": ""})
    assert response.status_code == 302
    rows = dict(SectionDayOutput.objects.filter(section=section).values_list("date", "output"))
    assert rows == {datetime.date(2026, 11, 2): D("1120.500")}


def test_the_section_days_page_refuses_a_bad_day_and_writes_nothing(world):
    section, november = world.units["A1"], world.period(2026, 11)
    url = reverse("planning:section_days", args=[section.pk, november.pk])
    response = client_of(world.users["master"]).post(url, {"d02": "100", "d03": "-5"})
    assert response.status_code == 200
    assert "Ничего не сохранено" in response.content.decode()
    assert not SectionDayOutput.objects.exists()


def test_the_section_days_of_a_closed_month_are_read_only(world):
    section, september = world.units["A1"], world.period(2026, 9)
    url = reverse("planning:section_days", args=[section.pk, september.pk])
    client = client_of(world.users["master"])
    page = client.get(url).content.decode()
    assert "закрыт" in page and 'name="d02"' not in page
    response = client.post(url, {"d02": "100"}, follow=True)
    assert "закрыт" in response.content.decode()
    assert not SectionDayOutput.objects.exists()


# --- the output grid -------------------------------------------------------------------------


def _grid_data(rows):
    data = {"rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": str(len(rows))}
    for index, (worker, value, hours, nomenclature) in enumerate(rows):
        data[f"rows-{index}-worker"] = str(worker.pk)
        data[f"rows-{index}-output"] = value
        data[f"rows-{index}-hours_worked"] = hours
        if nomenclature:
            data[f"rows-{index}-nomenclature_met"] = "on"
    return data


def test_the_grid_lists_the_section_workers_with_their_monthly_plan(world):
    first, second = world.workers["A1"]
    plan_of(first)
    output(second, world.period(2026, 10), "150.5", "160")
    url = reverse("planning:output_entry", args=[world.units["A1"].pk, world.period(2026, 10).pk])
    response = client_of(world.users["master"]).get(url)
    page = response.content.decode()
    assert [row.worker for row, _form in response.context["pairs"]] == sorted(
        [first, second], key=lambda w: (w.last_name, w.first_name, w.personnel_number)
    )
    assert first.short_name in page and second.short_name in page
    assert "213,3" in page  # the monthly plan to one place
    assert "нет личного плана" in page
    assert 'value="150,5"' in page  # Russian format in the inputs


def test_the_grid_saves_every_row_in_russian_format(world):
    first, second = world.workers["A1"]
    october = world.period(2026, 10)
    output(second, october, "100", "100")
    url = reverse("planning:output_entry", args=[world.units["A1"].pk, october.pk])
    data = _grid_data([(first, "1 213,5", "167,5", False), (second, "", "", True)])
    response = client_of(world.users["master"]).post(url, data)
    assert response.status_code == 302
    saved = MonthlyOutput.objects.get()
    assert (saved.worker, saved.output, saved.hours_worked, saved.nomenclature_met) == (
        first,
        D("1213.500"),
        D("167.5"),
        False,
    )  # the second worker's emptied row is removed


def test_the_grid_shows_errors_next_to_the_row_and_writes_nothing(world):
    first, second = world.workers["A1"]
    october = world.period(2026, 10)
    url = reverse("planning:output_entry", args=[world.units["A1"].pk, october.pk])
    data = _grid_data([(first, "200", "168", True), (second, "200", "401", True)])
    response = client_of(world.users["master"]).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ничего не сохранено" in page
    assert page.count("invalid-feedback") == 1
    assert not MonthlyOutput.objects.exists()
    # output without hours is refused too
    data = _grid_data([(first, "200", "", True)])
    response = client_of(world.users["master"]).post(url, data)
    assert "Укажите и выработку, и отработанные часы." in response.content.decode()
    assert not MonthlyOutput.objects.exists()


def test_the_grid_of_a_closed_month_is_read_only_with_the_reason(world):
    first, _second = world.workers["A1"]
    september = world.period(2026, 9)
    url = reverse("planning:output_entry", args=[world.units["A1"].pk, september.pk])
    client = client_of(world.users["master"])
    page = client.get(url).content.decode()
    assert "Период «сентябрь 2026» закрыт" in page
    assert "rows-0-output" not in page and "Сохранить выработку" not in page
    response = client.post(url, _grid_data([(first, "200", "168", True)]), follow=True)
    assert "Период «сентябрь 2026» закрыт" in response.content.decode()
    assert not MonthlyOutput.objects.exists()


def test_the_service_saves_all_rows_or_none(world):
    first, second = world.workers["A1"]
    october, section = world.period(2026, 10), world.units["A1"]
    rows = [
        services.OutputRow(first.pk, D("200"), D("168")),
        services.OutputRow(second.pk, D("-1"), D("168")),
    ]
    with pytest.raises(services.RowErrors) as raised:
        services.output_save_month(
            section=section, period=october, rows=rows, user=world.users["master"]
        )
    assert list(raised.value.messages_by_row) == [second.pk]
    assert not MonthlyOutput.objects.exists()
    rows[1] = services.OutputRow(second.pk, D("180"), D("160"), nomenclature_met=False)
    result = services.output_save_month(
        section=section, period=october, rows=rows, user=world.users["master"]
    )
    assert (result.created, result.updated) == (2, 0)
    rows[0] = services.OutputRow(first.pk, D("201"), D("168"))
    result = services.output_save_month(
        section=section, period=october, rows=rows, user=world.users["master"]
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)


def test_the_service_refuses_a_closed_month_and_a_section_out_of_reach(world):
    first, _ = world.workers["A1"]
    rows = [services.OutputRow(first.pk, D("200"), D("168"))]
    with pytest.raises(PeriodClosedError):
        services.output_save_month(
            section=world.units["A1"],
            period=world.period(2026, 9),
            rows=rows,
            user=world.users["master"],
        )
    with pytest.raises(PermissionDenied):
        services.output_save_month(
            section=world.units["A2"],
            period=world.period(2026, 10),
            rows=rows,
            user=world.users["master"],
        )
    assert not MonthlyOutput.objects.exists()


def _section_with_workers(world, count, with_output=True):
    for n in range(count):
        worker = WorkerFactory(
            section=world.units["A1"],
            profession=world.professions["turner"],
            pay_condition=world.conditions["piece"],
            grade=4,
        )
        plan_of(worker)
        if with_output and n % 2:
            output(worker, world.period(2026, 10), "200")


@pytest.mark.parametrize("extra", [1, 12])
def test_the_grid_takes_a_constant_number_of_queries(world, django_assert_num_queries, extra):
    _section_with_workers(world, extra)
    url = reverse("planning:output_entry", args=[world.units["A1"].pk, world.period(2026, 10).pk])
    client = client_of(world.users["master"])
    # 10, and the grid's version (enterprise.versions: the last history record)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [1, 12])
def test_saving_the_grid_takes_a_constant_number_of_queries(
    world, django_assert_num_queries, extra
):
    # A month entered for the first time (an update of stored rows costs the platform's
    # bulk_update a query per row to check the rows' months; see the lead's notes).
    _section_with_workers(world, extra, with_output=False)
    workers = list(selectors.workers_of_month(world.units["A1"], world.period(2026, 10)))
    url = reverse("planning:output_entry", args=[world.units["A1"].pk, world.period(2026, 10).pk])
    data = _grid_data([(w, "205,5", "168", True) for w in workers])
    client = client_of(world.users["master"])
    # 22, the section's lock: saves of one grid go one by one (enterprise.versions), and
    # the workers' plans the figures are checked against (planning.tracking.plausibility);
    # 26: whether the month runs on shift tasks (its sections' tasks, the workers' stubs)
    with django_assert_num_queries(26):
        assert client.post(url, data).status_code == 302
    assert MonthlyOutput.objects.filter(output=D("205.5")).count() == len(workers)


# --- import ----------------------------------------------------------------------------------


def _csv(text: str, name="output.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def _xlsx(rows, name="output.xlsx"):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _stored_imports():
    try:
        return default_storage.listdir("planning/imports")[1]
    except FileNotFoundError:
        return []


def test_it_parses_russian_numbers_months_and_yes_no():
    assert imports.parse_decimal("12,5") == D("12.5")
    assert imports.parse_decimal("1\u00a0234,5") == D("1234.5")
    assert imports.parse_decimal("12.5") == D("12.5")
    assert imports.parse_decimal(12.5) == D("12.5")
    for bad in ("12,5x", "1.234,5", "NaN", "", True):
        with pytest.raises(ValueError):
            imports.parse_decimal(bad)
    assert imports.parse_month("10.2026") == (2026, 10)
    assert imports.parse_month("2026-10") == (2026, 10)
    assert imports.parse_month(datetime.datetime(2026, 10, 1)) == (2026, 10)
    with pytest.raises(ValueError):
        imports.parse_month("13.2026")
    assert imports.parse_yes_no("Да") is True and imports.parse_yes_no("нет") is False
    assert imports.parse_yes_no(None) is True
    with pytest.raises(ValueError):
        imports.parse_yes_no("может быть")


def test_the_import_refuses_numbers_past_any_column_without_a_server_error(world):
    """1e28 and more once reached the preview's rounding (InvalidOperation, a 500)."""
    first = world.workers["A1"][0]
    text = (
        "Табельный номер;Месяц;Выработка;Отработано часов;Номенклатура выполнена\n"
        f"{first.personnel_number};10.2026;1e28;168;да\n"
        f"{first.personnel_number};11.2026;12,5;1E400;да\n"
    )
    client = client_of(world.users["master"])
    response = client.post(reverse("planning:output_import"), {"file": _csv(text)})
    assert response.status_code == 200
    by_line = {line.line: line for line in response.context["preview"].lines}
    assert by_line[2].errors == ["выработка: Слишком большое число: «1e28»."]
    assert by_line[3].errors == ["отработано часов: Слишком большое число: «1E400»."]


def test_the_import_previews_each_line_with_its_errors_and_writes_nothing(world):
    a1_first, a1_second = world.workers["A1"]
    b1 = world.workers["B1"][0]
    text = (
        "Табельный номер;Месяц;Выработка;Отработано часов;Номенклатура выполнена\n"
        f"{a1_first.personnel_number};10.2026;12,5;168;да\n"
        "999;10.2026;100;168;да\n"
        f"{b1.personnel_number};10.2026;100;168;да\n"
        f"{a1_second.personnel_number};09.2026;100;168;нет\n"
        f"{a1_second.personnel_number};11.2026;12,5x;168;да\n"
        f"{a1_second.personnel_number};10.2026;100;500;может быть\n"
    )
    client = client_of(world.users["master"])
    response = client.post(reverse("planning:output_import"), {"file": _csv(text)})
    assert response.status_code == 200
    preview = response.context["preview"]
    by_line = {line.line: line for line in preview.lines}
    assert by_line[2].errors == [] and by_line[2].output == D("12.5")
    assert by_line[3].errors == ["Неизвестный табельный номер 999."]
    assert by_line[4].errors == [
        "Рабочий не из ваших подразделений: вводить его выработку вы не можете."
    ]
    assert "закрыт" in by_line[5].errors[0]
    assert by_line[6].errors == ["выработка: Не число: «12,5x»."]
    assert any("400" in e for e in by_line[7].errors)  # at most 400 hours
    assert any("«да» или «нет»" in e for e in by_line[7].errors)
    assert not preview.ok and preview.error_count == 5
    page = response.content.decode()
    assert "Записать выработку" not in page  # no confirmation while there are errors
    # the file waits in the default storage for the confirmation (or a new file)
    assert len(_stored_imports()) == 1
    response = client.post(
        reverse("planning:output_import_confirm"),
        {"token": response.context["confirm_form"]["token"].value()},
    )
    assert response.status_code == 200
    assert not MonthlyOutput.objects.exists()


def test_the_import_preview_writes_a_negative_figure_with_a_true_minus(world):
    """A figure the preview shows goes through the figures' filters: a refused negative
    output reads «−12,5» as every page writes it, not Django's «-12,5»."""
    worker = world.workers["A1"][0]
    text = (
        "Табельный номер;Месяц;Выработка;Отработано часов;Номенклатура выполнена\n"
        f"{worker.personnel_number};10.2026;-12,5;1234,5;да\n"
    )
    response = client_of(world.users["master"]).post(
        reverse("planning:output_import"), {"file": _csv(text)}
    )

    table = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = re.sub(r"<[^>]+>", " ", table)
    assert "\u221212,5" in cells
    assert "1\u00a0234,5" in cells
    assert not re.search(r"-\d", cells), cells


def test_the_import_writes_a_clean_file_whole_after_confirmation(world):
    a1_first, a1_second = world.workers["A1"]
    output(a1_second, world.period(2026, 10), "1", "1")
    rows = [
        [int(a1_first.personnel_number), 125.5, 168, "да"],
        [a1_second.personnel_number, "130,25", "160,5", "нет"],
    ]
    client = client_of(world.users["master"])
    response = client.post(
        reverse("planning:output_import"),
        {"file": _xlsx(rows), "month": world.period(2026, 10).pk},
    )
    preview = response.context["preview"]
    assert preview.ok, [line.errors for line in preview.lines]
    assert [line.replaces for line in preview.lines] == [False, True]
    assert "Записать выработку" in response.content.decode()
    assert MonthlyOutput.objects.count() == 1  # nothing written by the preview
    token = response.context["confirm_form"]["token"].value()
    response = client.post(reverse("planning:output_import_confirm"), {"token": token})
    assert response.status_code == 302
    saved = {
        o.worker_id: (o.output, o.hours_worked, o.nomenclature_met)
        for o in MonthlyOutput.objects.all()
    }
    assert saved == {
        a1_first.pk: (D("125.500"), D("168.0"), True),
        a1_second.pk: (D("130.250"), D("160.5"), False),
    }
    assert _stored_imports() == []  # the kept file is gone
    # a second confirmation finds nothing to load
    response = client.post(reverse("planning:output_import_confirm"), {"token": token})
    assert response.status_code == 302 and response["Location"].endswith("/output/import/")


def test_the_import_reads_the_english_interface_s_headers(world):
    a1_first, a1_second = world.workers["A1"]
    text = (
        "Personnel No.;Output;Hours worked;Month;Product range assignment met\n"
        f"{a1_first.personnel_number};125,5;168;10.2026;yes\n"
        f"{a1_second.personnel_number};130;160;10.2026;no\n"
    )
    response = client_of(world.users["master"]).post(
        reverse("planning:output_import"), {"file": _csv(text)}
    )
    preview = response.context["preview"]
    assert preview.ok, [line.errors for line in preview.lines]
    assert [(line.output, line.hours_worked, line.nomenclature_met) for line in preview.lines] == [
        (D("125.5"), D("168"), True),
        (D("130"), D("160"), False),
    ]


def test_the_import_writes_nothing_when_a_month_closes_before_the_confirmation(world):
    a1_first, _ = world.workers["A1"]
    october = world.period(2026, 10)
    client = client_of(world.users["master"])
    text = f"{a1_first.personnel_number};10.2026;100;168;да\n"
    response = client.post(reverse("planning:output_import"), {"file": _csv(text)})
    assert response.context["preview"].ok
    token = response.context["confirm_form"]["token"].value()
    october.status, october.closed_by = october.Status.CLOSED, world.users["labour"]
    october.closed_at = datetime.datetime(2026, 11, 5, tzinfo=datetime.UTC)
    october.save()
    response = client.post(reverse("planning:output_import_confirm"), {"token": token})
    assert response.status_code == 200
    assert "Ничего не записано" in response.content.decode()
    assert not MonthlyOutput.objects.exists()


def test_the_import_needs_a_month(world):
    a1_first, _ = world.workers["A1"]
    text = f"{a1_first.personnel_number};100;168;да\n"
    response = client_of(world.users["master"]).post(
        reverse("planning:output_import"), {"file": _csv(text)}
    )
    assert response.context["preview"].lines[0].errors  # 4 columns read as no month
    response = client_of(world.users["master"]).post(
        reverse("planning:output_import"),
        {"file": _csv(text), "month": world.period(2026, 11).pk},
    )
    assert response.context["preview"].ok


def test_the_import_cancel_removes_the_kept_file(world):
    a1_first, _ = world.workers["A1"]
    client = client_of(world.users["master"])
    text = f"{a1_first.personnel_number};10.2026;100;168;да\n"
    response = client.post(reverse("planning:output_import"), {"file": _csv(text)})
    token = response.context["confirm_form"]["token"].value()
    assert len(_stored_imports()) == 1
    client.post(reverse("planning:output_import_confirm"), {"token": token, "cancel": "1"})
    assert _stored_imports() == []
    assert not MonthlyOutput.objects.exists()


def test_the_import_refuses_other_files(world):
    response = client_of(world.users["master"]).post(
        reverse("planning:output_import"),
        {"file": SimpleUploadedFile("output.txt", b"101;100;168")},
    )
    assert "Нужен файл XLSX или CSV." in response.content.decode()


# --- the permission rows ---------------------------------------------------------------------


def _matrix_rows():
    from tests.planning import matrix_tracking

    return matrix_tracking.ROWS


def test_the_rows_name_every_tracking_url():
    from planning.tracking.urls import urlpatterns

    named = {f"planning:{p.name}" for p in urlpatterns}
    assert {r.name for r in _matrix_rows()} == named


# --- the demo --------------------------------------------------------------------------------


def test_the_demo_enters_output_for_the_plans_and_the_milling_section_days(db):
    from enterprise import demo
    from enterprise.models import HistoryRecord, Period
    from planning import demo as planning_demo
    from planning.tracking import demo as demo_tracking

    steps = [*demo.BASE_STEPS, *planning_demo.DEMO_STEPS, *demo.CLOSING_STEPS]
    assert demo_tracking.step_monthly_output in planning_demo.DEMO_STEPS
    ctx = demo.load_demo(steps=steps)
    months = Period.objects.filter(enterprise=ctx.enterprise, year=2026).order_by("month")
    assert [(p.month, p.is_closed) for p in months] == [
        (m, m <= 9) for m in range(1, 12)
    ]  # January–May added by the tracking and closed again, as June–September
    assert (months[0].working_days, months[0].working_hours) == (16, D(128))
    winder = ctx.workers["1301"]  # the coil winder of table 24
    assert MonthlyOutput.objects.filter(worker=winder).count() == 11
    section = ctx.sections[6, 1]
    days = SectionDayOutput.objects.filter(section=section)
    assert days.filter(date__month=11).count() == 14  # 2–20 November less the 4th
    assert not days.filter(date=datetime.date(2026, 11, 4)).exists()
    table = selectors.section_days(section, months.get(month=11))
    assert datetime.date(2026, 11, 4) not in {r.date for r in table.rows if r.working}
    # a second load writes nothing
    history = HistoryRecord.objects.count()
    demo.load_demo(steps=steps)
    assert HistoryRecord.objects.count() == history


def test_the_output_by_decade_cuts_the_month_after_the_10th_and_the_20th(world):
    october, section = world.period(2026, 10), world.units["A1"]
    for day, value in ((1, 1), (10, 2), (11, 4), (20, 8), (21, 16), (31, 32)):
        SectionDayOutputFactory(section=section, date=datetime.date(2026, 10, day), output=D(value))
    SectionDayOutputFactory(section=section, date=datetime.date(2026, 11, 1), output=D(64))
    decades = selectors.output_by_decade(world.enterprise.pk, october)
    assert decades == {section.pk: [D(3), D(12), D(48)]}
