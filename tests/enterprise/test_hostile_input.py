"""Replayed attacks of issue 11 (hostile input): each is refused with a message, never a
server error, and saves nothing. The bigint cases matter on PostgreSQL (SQLite has no
overflow to hit) and run on both."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from brigades.models import Line
from enterprise.forms import WorkerForm
from enterprise.models import HistoryRecord, Worker
from planning.models import MonthlyOutput
from planning.tracking import imports
from tests.brigades.factories import BrigadeFactory, MembershipFactory, PostFactory
from tests.factories import WorkerFactory
from tests.pages import formset_data

HUGE = "99999999999999999999"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _history() -> int:
    return HistoryRecord.objects.count()


# --- the timesheet and the output grid: formsets checked against what was posted ----------


@pytest.fixture
def draft(world):
    """A November draft of a brigade of A1 (two members), as the master opened it."""
    from brigades import services

    a1 = world.units["A1"]
    brigade = BrigadeFactory(section=a1, number=5, name="Бригада № 5")
    for worker in world.workers["A1"]:
        MembershipFactory(brigade=brigade, worker=worker)
    PostFactory(brigade=brigade, worker=world.workers["A1"][0])
    return services.distribution_open(
        brigade=brigade, period=world.period(2026, 11), user=world.users["master"]
    )


def _timesheet(client, draft):
    url = reverse("brigades:timesheet_edit", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    return url, formset_data(page.context["formset"])


def test_a_timesheet_claiming_more_rows_than_it_sends_is_refused(world, draft):
    client = _client(world.users["master"])
    url, data = _timesheet(client, draft)
    data["form-TOTAL_FORMS"] = str(int(data["form-TOTAL_FORMS"]) + 3)
    before = _history()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Таблица пришла не полностью" in response.content.decode()
    assert _history() == before


@pytest.mark.parametrize("total", ["-1", "abc", HUGE, ""])
def test_a_timesheet_with_an_absurd_row_count_is_refused(world, draft, total):
    client = _client(world.users["master"])
    url, data = _timesheet(client, draft)
    data["form-TOTAL_FORMS"] = total
    before = _history()
    response = client.post(url, data)
    assert response.status_code == 200
    assert _history() == before


def test_a_timesheet_without_its_management_form_is_refused(world, draft):
    client = _client(world.users["master"])
    url, data = _timesheet(client, draft)
    for key in [k for k in data if "FORMS" in k]:
        del data[key]
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()


def test_a_timesheet_row_of_another_document_is_refused_and_nothing_saved(world, draft):
    client = _client(world.users["master"])
    url, data = _timesheet(client, draft)
    from brigades import services

    stranger = WorkerFactory(
        section=world.units["A1"],
        personnel_number="777",
        pay_condition=world.conditions["piece"],
        profession=world.professions["turner"],
    )
    other = BrigadeFactory(section=world.units["A1"], number=6, name="Бригада № 6")
    MembershipFactory(brigade=other, worker=stranger)
    PostFactory(brigade=other, worker=stranger)
    other_draft = services.distribution_open(
        brigade=other, period=world.period(2026, 11), user=world.users["master"]
    )
    foreign = other_draft.lines.get()
    data["form-0-line"] = str(foreign.pk)
    data["form-0-hours"] = "100"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "строка не с этой страницы" in response.content.decode()
    assert Line.objects.get(pk=foreign.pk).hours == 0


@pytest.mark.parametrize("value", ["sNaN", "NaN", "-Infinity", "1e400", "١٢٣", HUGE])
def test_a_hostile_number_in_the_timesheet_is_refused_in_russian(world, draft, value):
    client = _client(world.users["master"])
    url, data = _timesheet(client, draft)
    data["form-0-hours"] = value
    before = _history()
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors["hours"]
    assert errors[0] in ("Введите число.", "Слишком большое число: не больше 744.")
    assert _history() == before


def test_the_same_timesheet_row_twice_is_refused(world, draft):
    client = _client(world.users["master"])
    url, data = _timesheet(client, draft)
    data["form-1-line"] = data["form-0-line"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "одна и та же строка дважды" in response.content.decode()


def _grid(world):
    return reverse("planning:output_entry", args=[world.units["A1"].pk, world.period(2026, 10).pk])


def _grid_data(workers, total=None):
    data = {"rows-TOTAL_FORMS": str(total or len(workers)), "rows-INITIAL_FORMS": "0"}
    for index, worker in enumerate(workers):
        data[f"rows-{index}-worker"] = str(worker.pk)
        data[f"rows-{index}-output"] = "100"
        data[f"rows-{index}-hours_worked"] = "160"
    return data


def test_an_output_grid_claiming_more_rows_than_it_sends_is_refused(world):
    client = _client(world.users["master"])
    response = client.post(_grid(world), _grid_data(world.workers["A1"], total=5))
    assert response.status_code == 200
    assert "Таблица пришла не полностью" in response.content.decode()
    assert not MonthlyOutput.objects.exists()


def test_an_output_grid_row_of_another_section_is_refused_and_nothing_saved(world):
    client = _client(world.users["master"])
    data = _grid_data([world.workers["A1"][0], world.workers["B1"][0]])
    response = client.post(_grid(world), data)
    assert response.status_code == 200
    assert "строка не с этой страницы" in response.content.decode()
    assert not MonthlyOutput.objects.exists()


@pytest.mark.parametrize("value", ["sNaN", "Infinity", "1" * 30, "-5"])
def test_a_hostile_output_is_refused(world, value):
    client = _client(world.users["master"])
    data = _grid_data(world.workers["A1"])
    data["rows-0-output"] = value
    response = client.post(_grid(world), data)
    assert response.status_code == 200
    assert not MonthlyOutput.objects.exists()


def test_the_output_grid_saves_what_the_page_sends(world):
    client = _client(world.users["master"])
    response = client.post(_grid(world), _grid_data(world.workers["A1"]))
    assert response.status_code == 302
    assert MonthlyOutput.objects.filter(output=Decimal("100")).count() == 2


# --- page numbers and ids in the query string ----------------------------------------------


LISTS = [
    "enterprise:shop_list",
    "enterprise:section_list",
    "enterprise:worker_list",
    "enterprise:scale_list",
    "enterprise:period_list",
    "brigades:brigade_list",
    "brigades:distribution_list",
    "claims:claim_list",
    "claims:inbox",
    "planning:plan_list",
    "planning:measure_list",
]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    "query",
    [
        {"page": HUGE},
        {"page": "999999999999999999"},
        {"page": "-3"},
        {"page": "abc"},
        {"page": "²"},
        {"per_page": HUGE},
        {"per_page": "0"},
        {"per_page": "-5"},
        {"shop": HUGE},
        {"section": HUGE},
        {"period": HUGE},
        {"year": HUGE},
        {"year": "sNaN"},
        {"enterprise": HUGE},
        {"sort": "-" + "x" * 300},
    ],
    ids=lambda q: "&".join(f"{k}={v[:12]}" for k, v in q.items()),
)
def test_a_list_answers_a_hostile_query_without_a_server_error(world, name, query):
    response = _client(world.users["labour"]).get(reverse(name), query)
    assert response.status_code in (200, 404)


def test_a_huge_page_shows_the_first_page(world):
    response = _client(world.users["labour"]).get(reverse("enterprise:worker_list"), {"page": HUGE})
    assert response.status_code == 200
    assert response.context["table"].page.number == 1


def test_a_section_page_takes_a_hostile_page_number(world):
    url = reverse("enterprise:section_detail", args=[world.units["A1"].pk])
    client = _client(world.users["labour"])
    for page in (HUGE, "abc", "-1", "0"):
        assert client.get(url, {"page": page}).status_code == 200


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("planning:output", {"period": HUGE}),
        ("planning:output", {"period": "²"}),
        ("planning:plan_checks", {"shop": HUGE}),
        ("planning:plan_checks", {"shop": "abc"}),
        ("planning:measure_summary", {"year": "²"}),
        ("planning:bonuses", {"shop": HUGE}),
        ("claims:statement", {"period": HUGE, "shop": HUGE}),
        ("brigades:report", {"period": HUGE, "section": HUGE}),
    ],
)
def test_an_id_in_the_query_past_bigint_is_no_server_error(world, name, query):
    response = _client(world.users["labour"]).get(reverse(name), query)
    assert response.status_code in (200, 302, 404)


@pytest.mark.parametrize(
    "path",
    [
        "/workers/99999999999999999999/",
        "/brigades/distributions/99999999999999999999/",
        "/claims/99999999999999999999/",
        "/planning/plans/99999999999999999999/",
        "/admin/enterprise/worker/99999999999999999999/change/",
    ],
)
def test_an_id_in_the_path_past_bigint_is_not_found(world, path):
    user = world.users["labour"]
    user.is_staff = user.is_superuser = True
    user.save()
    response = _client(user).get(path)
    assert response.status_code in (302, 404)


# --- personnel numbers: ASCII digits ----------------------------------------------------------


@pytest.mark.parametrize("number", ["١٢٣", "１２３", "12³", "१२३"])
def test_a_personnel_number_in_other_digits_is_refused_by_the_model(world, number):
    worker = world.workers["A1"][0]
    worker.personnel_number = number
    with pytest.raises(ValidationError) as refused:
        worker.full_clean()
    assert refused.value.message_dict["personnel_number"] == ["Табельный номер — от 1 до 10 цифр."]


def test_a_personnel_number_in_other_digits_is_refused_by_the_form(world):
    worker = world.workers["A1"][0]
    form = WorkerForm(
        data={"personnel_number": "١٢٣"},
        instance=worker,
        enterprise=world.enterprise,
        user=world.users["administrator"],
    )
    assert not form.is_valid()
    assert form.errors["personnel_number"] == ["Табельный номер — от 1 до 10 цифр."]
    assert Worker.objects.get(pk=worker.pk).personnel_number != "١٢٣"


def test_the_output_import_refuses_a_personnel_number_in_other_digits(world):
    rows = [["табельный номер", "месяц", "выработка", "часы"], ["١٠١", "10.2026", "100", "160"]]
    preview = imports.import_preview(
        rows=rows, enterprise_id=world.enterprise.pk, month=None, user=world.users["master"]
    )
    assert not preview.ok
    assert any("от 1 до 10 цифр (0–9)" in error for error in preview.lines[0].errors)


@pytest.mark.parametrize("criterion", [HUGE, "-1", "abc", "١"])
def test_a_ktu_criterion_id_that_is_no_row_is_refused(world, draft, criterion):
    # Found by the fuzz: an id past bigint reached the ``__in`` lookup (OverflowError).
    worker = world.workers["A1"][0]
    url = reverse("brigades:ktu_edit", args=[draft.pk, worker.pk])
    before = _history()
    response = _client(world.users["master"]).post(url, {"criteria": criterion, "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["criteria"]
    assert _history() == before


def test_a_membership_without_a_start_date_is_refused_in_the_admin(world):
    # Found by the fuzz: the model's date check compared with a start date the form refused.
    from brigades.models import Membership

    brigade = BrigadeFactory(section=world.units["A1"], number=7, name="Бригада № 7")
    membership = Membership(brigade=brigade, worker=world.workers["A1"][0], grade=3)
    membership.valid_from = None
    with pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert "valid_from" in refused.value.message_dict
