"""Plausibility of recorded output and of personal plans (issue 13): impossible figures
are refused by the services (so the pages, the file import and anything else calling
them), unlikely ones are asked again and saved only when confirmed, with the
confirmation in the history; the competition board shows only what passed.

The vectors: the world's coil winder plans 2517 norm-hours on a fund of 1982 h, so
October (168 h) holds 213.35 norm-hours of plan; the issue typed 99,999 for one worker.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from enterprise.models import HistoryRecord
from enterprise.plausibility import RowErrors, UnlikelyFigures
from planning.models import MonthlyOutput, PersonalPlan, SectionDayOutput
from planning.plans import services as plan_services
from planning.tracking import selectors, services
from tests.factories import WorkerFactory
from tests.planning.factories import MonthlyOutputFactory, PersonalPlanFactory, SectionTaskFactory

D = Decimal
P = PersonalPlan


def plain(text: str) -> str:
    """A message with its grouping spaces (no-break in Russian formats) as plain ones."""
    return text.replace("\xa0", " ")


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def _row(worker, output, hours="168"):
    return services.OutputRow(worker_id=worker.pk, output=D(output), hours_worked=D(hours))


def _save(world, rows, **kwargs):
    return services.output_save_month(
        section=world.units["A1"],
        period=world.period(2026, 10),
        rows=rows,
        user=world.users["master"],
        **kwargs,
    )


def _reasons(obj) -> list[str]:
    content_type = ContentType.objects.get_for_model(obj)
    return list(
        HistoryRecord.objects.filter(content_type=content_type, object_pk=str(obj.pk))
        .order_by("id")
        .values_list("reason", flat=True)
    )


@pytest.fixture
def planned(world):
    """The world's worker with the plan of 2517 norm-hours (213.35 in October)."""
    PersonalPlanFactory(worker=world.worker, annual_volume=D("2517"))
    return world.worker


# --- the output grid (service) ---------------------------------------------------------------


def test_it_refuses_99999_norm_hours_against_a_month_plan_of_213(world, planned):
    with pytest.raises(RowErrors) as refused:
        _save(world, [_row(planned, "99999")], confirmed=True)
    assert not isinstance(refused.value, UnlikelyFigures)  # no confirmation lifts it
    [message] = refused.value.messages_by_row[planned.pk]
    # 99,999 / (2517 × 168 / 1982) = 46,871.3 %
    assert plain(message) == (
        "Выработка 99 999,0 — 46 871,3 % плана 213,3: так не бывает. "
        "Проверьте цифру (не лишний ли знак)."
    )
    assert not MonthlyOutput.objects.exists()


def test_it_asks_to_confirm_output_over_twice_the_plan_and_records_the_confirmation(world, planned):
    # 450 of 213.35 = 210.9 %: possible, unlikely.
    with pytest.raises(UnlikelyFigures) as asked:
        _save(world, [_row(planned, "450")])
    assert "210,9 %" in asked.value.messages_by_row[planned.pk][0]
    assert not MonthlyOutput.objects.exists()

    _save(world, [_row(planned, "450")], confirmed=True)

    stored = MonthlyOutput.objects.get(worker=planned)
    assert stored.output == D("450")
    [reason] = _reasons(stored)
    assert reason.startswith("Подтверждены маловероятные цифры: Выработка 450,0 — 210,9 %")


def test_it_saves_a_plausible_month_without_a_question(world, planned):
    _save(world, [_row(planned, "220", "160")])
    stored = MonthlyOutput.objects.get(worker=planned)
    assert _reasons(stored) == [""]


@pytest.mark.parametrize(
    ("hours", "refused", "asked"),
    [
        ("168", False, False),
        ("184.8", False, False),  # the fund + 10 %: ordinary overtime
        ("185", False, True),  # over the fund + 10 %
        ("288", False, True),  # the fund + 120 h of overtime, the year's legal most
        ("288.1", True, False),
        ("400", True, False),
    ],
)
def test_it_checks_hours_against_the_month_fund_of_168(world, planned, hours, refused, asked):
    try:
        _save(world, [_row(planned, "213", hours)])
    except UnlikelyFigures:
        assert asked and not refused
    except RowErrors as error:
        assert refused, error.messages
    else:
        assert not refused and not asked


def test_it_refuses_output_without_hours(world, planned):
    with pytest.raises(RowErrors) as refused:
        _save(world, [_row(planned, "200", "0")], confirmed=True)
    assert refused.value.messages_by_row[planned.pk] == [
        "Выработка 200,0 без отработанных часов: укажите часы."
    ]


def test_it_refuses_hours_in_a_month_before_the_worker_was_hired(world):
    section = world.units["A1"]
    newcomer = WorkerFactory(
        section=section,
        profession=world.professions["turner"],
        hire_date=datetime.date(2026, 11, 2),
    )
    # He is not in October's grid: the import (and anything else) writes through output_save.
    entry = services.OutputEntry(
        key=1,
        worker=newcomer,
        period=world.period(2026, 10),
        output=D("10"),
        hours_worked=D("8"),
    )
    with pytest.raises(RowErrors) as refused:
        services.output_save(entries=[entry], user=world.users["master"], confirmed=True)
    assert "не состоял в штате" in refused.value.messages_by_row[1][0]


def test_it_counts_the_fund_from_the_hire_date(world):
    # Hired on 16 October: 16 of 31 days → a fund of 168 × 16 / 31 = 86.7 h.
    newcomer = WorkerFactory(
        section=world.units["A1"],
        profession=world.professions["turner"],
        hire_date=datetime.date(2026, 10, 16),
    )
    with pytest.raises(UnlikelyFigures) as asked:
        _save(world, [_row(newcomer, "0", "168")])
    assert "фонда рабочего времени месяца 86,7 ч" in asked.value.messages_by_row[newcomer.pk][0]


def test_the_import_is_checked_as_the_grid_is(world, planned):
    entry = services.OutputEntry(
        key=7, worker=planned, period=world.period(2026, 10), output=D("450"), hours_worked=D("168")
    )
    with pytest.raises(UnlikelyFigures) as asked:
        services.output_save(entries=[entry], user=world.users["master"])
    assert list(asked.value.messages_by_row) == [7]
    services.output_save(entries=[entry], user=world.users["master"], confirmed=True)
    assert MonthlyOutput.objects.get(worker=planned).output == D("450")


# --- the output grid (page): the confirmation round trip --------------------------------------


def _grid_post(world, worker, output, hours, confirm=False):
    url = reverse("planning:output_entry", args=[world.units["A1"].pk, world.period(2026, 10).pk])
    client = client_of(world.users["master"])
    page = client.get(url)
    workers = [row.worker for row, _form in page.context["pairs"]]
    data = {
        "rows-TOTAL_FORMS": str(len(workers)),
        "rows-INITIAL_FORMS": str(len(workers)),
        "version": page.context["version"].token,
    }
    for index, each in enumerate(workers):
        data[f"rows-{index}-worker"] = str(each.pk)
        if each == worker:
            data[f"rows-{index}-output"] = output
            data[f"rows-{index}-hours_worked"] = hours
            data[f"rows-{index}-nomenclature_met"] = "on"
    if confirm:
        data["confirm"] = "1"
    return client.post(url, data)


def test_the_grid_asks_to_confirm_then_saves_with_the_confirmation(world, planned):
    asked = _grid_post(world, planned, "450", "168")
    assert asked.status_code == 200
    text = asked.content.decode()
    assert 'data-testid="confirm-unlikely"' in text and 'name="confirm"' in text
    assert "210,9 %" in text
    assert asked.context["refused_form_errors"]  # the summary at the top
    assert not MonthlyOutput.objects.exists()

    saved = _grid_post(world, planned, "450", "168", confirm=True)

    assert saved.status_code == 302
    stored = MonthlyOutput.objects.get(worker=planned)
    assert stored.output == D("450")
    assert _reasons(stored)[0].startswith("Подтверждены маловероятные цифры")


def test_the_grid_refuses_an_impossible_figure_even_confirmed(world, planned):
    refused = _grid_post(world, planned, "99 999", "168", confirm=True)
    assert refused.status_code == 200
    assert "так не бывает" in refused.content.decode()
    assert 'data-testid="confirm-unlikely"' not in refused.content.decode()
    assert not MonthlyOutput.objects.exists()


# --- the board ---------------------------------------------------------------------------------


def test_the_board_shows_only_figures_that_passed_the_checks(world, planned):
    other = WorkerFactory(section=world.units["A1"], profession=world.professions["turner"])
    PersonalPlanFactory(worker=other, annual_volume=D("2517"))
    with pytest.raises(RowErrors):
        _save(world, [_row(planned, "99999"), _row(other, "220")])
    _save(world, [_row(planned, "220"), _row(other, "230")])
    board = selectors.board(world.units["A1"].shop, world.period(2026, 10))
    leaders = {row.worker.pk: row.actual_ytd for row in board.rows}
    # nothing of the refused 99,999 is stored: the board reads what passed
    assert leaders[planned.pk] == D("220") and leaders[other.pk] == D("230")
    assert max(row.fulfilment for row in board.rows) < 200


def test_a_worker_hired_mid_year_is_planned_from_his_hire_date_not_from_january(world):
    # The issue's worker was hired on 1 May and shown 82 days behind; the world's months
    # run June–November, so he is hired on 1 November here.
    newcomer = WorkerFactory(
        section=world.units["A1"],
        profession=world.professions["turner"],
        hire_date=datetime.date(2026, 11, 1),
    )
    plan = PersonalPlanFactory(worker=newcomer, annual_volume=D("2517"))
    MonthlyOutputFactory(worker=newcomer, period=world.period(2026, 11), output=D("213.35"))
    rows = {row.period.month: row for row in selectors.worker_tracking(plan)}
    assert [rows[m].plan for m in (6, 7, 8, 9, 10)] == [0, 0, 0, 0, 0]
    november = rows[11]
    assert november.cumulative_plan == november.plan == D(2517) * 168 / D("1982.0")
    assert abs(november.lead_lag_days) < D("0.01")  # on plan, not 100 days behind
    board = selectors.board(world.units["A1"].shop, world.period(2026, 11))
    [row] = [row for row in board.rows if row.worker == newcomer]
    assert row.plan_ytd.quantize(D("0.01")) == D("213.35")


# --- the section's days ----------------------------------------------------------------------


def test_a_section_day_far_above_the_daily_plan_is_asked_then_refused_beyond_tenfold(world):
    section, november = world.units["A1"], world.period(2026, 11)
    SectionTaskFactory(section=section, task=D("25000"))  # about 100 a day
    daily = selectors.section_daily_plan(section, 2026)[2].quantize(D("0.001"))
    day = datetime.date(2026, 11, 2)
    master = world.users["master"]
    with pytest.raises(UnlikelyFigures):
        services.section_days_save(
            section=section, period=november, values={day: daily * 3}, user=master
        )
    with pytest.raises(RowErrors) as refused:
        services.section_days_save(
            section=section, period=november, values={day: daily * 11}, user=master, confirmed=True
        )
    assert "так не бывает" in refused.value.messages_by_row[day][0]
    services.section_days_save(
        section=section, period=november, values={day: daily * 3}, user=master, confirmed=True
    )
    stored = SectionDayOutput.objects.get(section=section, date=day)
    assert _reasons(stored)[0].startswith("Подтверждены маловероятные цифры")


# --- personal plans ----------------------------------------------------------------------------


def _draft(world, worker=None, *, method=P.Method.AVERAGE, values=None, **kwargs):
    return plan_services.plan_save_draft(
        worker=worker or world.worker,
        year=2026,
        method=method,
        values=values or {},
        user=world.users["economist"],
        **kwargs,
    )


def test_it_refuses_the_issue_plan_growth_500_base_minus_5_scrap_150(world):
    with pytest.raises(RowErrors) as refused:
        _draft(
            world,
            values={
                "average_output": D("2400"),
                "growth_percent": D("500"),
                "base_output": D("-5"),
                "annual_time_fund": D("1982"),
            },
            output_unit="norm_hours",
            commitments={"scrap_reduction_percent": D("150")},
            confirmed=True,
        )
    errors = refused.value.message_dict
    assert errors["growth_percent"] == ["Рост 500,0 % невозможен за год: допустимо меньше 100 %."]
    assert [plain(m) for m in errors["base_output"]] == ["Не может быть отрицательным: -5,000."]
    assert errors["scrap_reduction_percent"] == ["Снижение брака — от 0 до 100 %, а не 150,0 %."]
    # 2400 × 6 = 14,400 norm-hours on 1,982 h: norms fulfilled 726.5 % all year
    assert plain(errors["annual_volume"][0]) == (
        "14 400,0 нормо-ч на фонд 1 982,0 ч — выполнение норм 726,5 %: так не бывает."
    )
    assert not PersonalPlan.objects.filter(worker=world.worker).exists()


def test_it_asks_to_confirm_growth_of_30_percent_and_records_it(world):
    values = {"average_output": D("2000"), "growth_percent": D("30")}
    with pytest.raises(UnlikelyFigures) as asked:
        _draft(world, values=values)
    assert asked.value.message_dict["growth_percent"] == [
        "Рост 30,0 % — больше 20 %: проверьте и подтвердите."
    ]
    plan = _draft(world, values=values, confirmed=True)
    assert plan.annual_volume == D("2600.000")
    assert _reasons(plan)[0].startswith("Подтверждены маловероятные цифры: Рост 30,0 %")


def test_it_asks_the_fund_of_a_worker_hired_on_1_may_from_his_hire_date(world):
    newcomer = WorkerFactory(
        section=world.units["A1"],
        profession=world.professions["turner"],
        hire_date=datetime.date(2026, 5, 1),
    )
    values = {"average_output": D("2000"), "growth_percent": D("5"), "annual_time_fund": D("1982")}
    with pytest.raises(UnlikelyFigures) as asked:
        _draft(world, newcomer, values=values)
    # 245 of 365 days: about 1,330 h of the 1,982
    [message] = asked.value.message_dict["annual_time_fund"]
    assert "принят 01.05.2026" in message and "около 1 330 ч" in plain(message)
    plan = _draft(world, newcomer, values={**values, "annual_time_fund": D("1330")})
    assert plan.annual_time_fund == D("1330")


def test_it_refuses_a_plan_for_a_year_the_worker_is_not_employed(world):
    gone = WorkerFactory(
        section=world.units["A1"],
        profession=world.professions["turner"],
        hire_date=datetime.date(2015, 3, 2),
        dismissal_date=datetime.date(2025, 12, 31),
    )
    with pytest.raises(RowErrors) as refused:
        _draft(world, gone, values={"average_output": D("2000"), "growth_percent": D("5")})
    assert "не состоит в штате" in refused.value.message_dict["annual_time_fund"][0]


def test_the_plan_page_asks_to_confirm_then_saves(world):
    url = reverse("planning:plan_create", args=[world.worker.pk]) + "?year=2026"
    client = client_of(world.users["economist"])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "submission": page.context["form"]["submission"].value(),
        "method": "average",
        "output_unit": "norm_hours",
        "unit": "нормо-ч",
        "five_year_from": "2026",
        "annual_time_fund": "1982",
        "average_output": "2000",
        "growth_percent": "30",
    }
    asked = client.post(url, data)
    assert asked.status_code == 200
    text = asked.content.decode()
    assert 'name="confirm"' in text and "Рост 30,0 %" in text
    assert not PersonalPlan.objects.filter(worker=world.worker).exists()
    saved = client.post(url, {**data, "confirm": "1"})
    assert saved.status_code == 302
    plan = PersonalPlan.objects.get(worker=world.worker)
    assert plan.growth_percent == D("30")
    assert _reasons(plan)[0].startswith("Подтверждены маловероятные цифры")


def test_a_section_set_by_a_method_is_asked_once_for_all_its_plans(world):
    section = world.units["A1"]
    averages = {w.profession_id: D("2000") for w in section.workers.all()}
    economist = world.users["economist"]

    def set_all(**kwargs):
        return plan_services.plans_set_by_method(
            section=section,
            year=2026,
            method=P.Method.AVERAGE,
            params={"growth_percent": D("30"), "annual_time_fund": D("1982")},
            user=economist,
            average_by_profession=averages,
            **kwargs,
        )

    with pytest.raises(UnlikelyFigures) as asked:
        set_all()
    # each worker's question names him; nothing is saved until confirmed
    assert world.worker.pk in asked.value.messages_by_row
    assert asked.value.messages[0].startswith(section.workers.order_by("last_name")[0].short_name)
    assert not PersonalPlan.objects.filter(section=section).exists()
    proposal = set_all(confirmed=True)
    assert PersonalPlan.objects.filter(section=section).count() == len(proposal.ready) > 0


def test_the_file_import_asks_to_confirm_then_writes(world, planned, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    book = openpyxl.Workbook()
    book.active.append([int(planned.personnel_number), 450, 168, "да"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_of(world.users["master"])
    preview = client.post(
        reverse("planning:output_import"),
        {
            "file": SimpleUploadedFile("output.xlsx", buffer.getvalue()),
            "month": world.period(2026, 10).pk,
        },
    )
    token = preview.context["confirm_form"]["token"].value()

    asked = client.post(reverse("planning:output_import_confirm"), {"token": token})

    assert asked.status_code == 200
    text = asked.content.decode()
    assert 'name="confirm"' in text and "Строка 1: Выработка 450,0 — 210,9 %" in text
    assert not MonthlyOutput.objects.exists()
    written = client.post(
        reverse("planning:output_import_confirm"), {"token": token, "confirm": "1"}
    )
    assert written.status_code == 302
    stored = MonthlyOutput.objects.get(worker=planned)
    assert stored.output == D("450")
    assert _reasons(stored)[0].startswith("Подтверждены маловероятные цифры")


def _preview(world, client, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return client.post(
        reverse("planning:output_import"),
        {
            "file": SimpleUploadedFile("output.xlsx", buffer.getvalue()),
            "month": world.period(2026, 10).pk,
        },
    )


def test_the_file_preview_marks_unlikely_and_impossible_rows_before_the_load(
    world, planned, settings, tmp_path
):
    """The plan of October is about 213.35: 426 (under twice it) passes, 427 is asked in the
    preview's row, over ten times it (2200) is the row's error — before anything is loaded."""
    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_of(world.users["master"])
    number = int(planned.personnel_number)

    just_under = _preview(world, client, [[number, 426, 168, "да"]])
    preview = just_under.context["preview"]
    assert preview.ok and not preview.lines[0].doubts and not preview.asks_confirmation
    assert 'name="confirm"' not in just_under.content.decode()

    just_over = _preview(world, client, [[number, 427, 168, "да"]])
    preview = just_over.context["preview"]
    assert preview.ok and preview.asks_confirmation
    assert plain(preview.lines[0].doubts[0]).startswith("Выработка 427,0 — 200,1 % плана 213,3")
    text = just_over.content.decode()
    assert 'data-testid="import-doubts"' in text and "data-doubt" in text
    assert 'name="confirm"' in text  # the checkbox is offered with the preview
    assert not MonthlyOutput.objects.exists()

    impossible = _preview(world, client, [[number, 2200, 168, "да"]])
    preview = impossible.context["preview"]
    assert not preview.ok and "так не бывает" in preview.lines[0].errors[0]
    assert "Записать выработку" not in impossible.content.decode()


def test_the_file_preview_confirmed_loads_with_the_confirmation_in_history(
    world, planned, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_of(world.users["master"])
    previewed = _preview(world, client, [[int(planned.personnel_number), 427, 168, "да"]])
    token = previewed.context["confirm_form"]["token"].value()

    written = client.post(
        reverse("planning:output_import_confirm"), {"token": token, "confirm": "1"}
    )

    assert written.status_code == 302
    stored = MonthlyOutput.objects.get(worker=planned)
    assert stored.output == D("427")
    assert "427,0" in plain(_reasons(stored)[0])


def test_the_file_preview_does_not_ask_about_a_stored_figure_it_leaves_unchanged(
    world, planned, settings, tmp_path
):
    """The load checks only figures that change: a confirmed stored month is not asked
    again by the preview either."""
    settings.MEDIA_ROOT = tmp_path / "media"
    MonthlyOutputFactory(
        worker=planned, period=world.period(2026, 10), output=D("450"), hours_worked=D("168")
    )
    client = client_of(world.users["master"])
    previewed = _preview(world, client, [[int(planned.personnel_number), 450, 168, "да"]])
    preview = previewed.context["preview"]
    assert preview.ok and not preview.asks_confirmation
