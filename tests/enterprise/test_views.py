"""Pages through the test client: headers, list tables, Russian formats, forms, flows."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from enterprise.models import (
    HistoryRecord,
    Period,
    PeriodReopening,
    StepScale,
    TariffRate,
    Worker,
)
from tests.factories import (
    PayConditionFactory,
    StepScaleFactory,
    StepScaleRowFactory,
    TariffRateFactory,
    WorkerFactory,
)
from tests.pages import field_block, field_errors, form_data, formset_data, text_of


@pytest.fixture
def as_role(client, world):
    """Log the test client in as the world's user of a role."""

    def login(role):
        client.force_login(world.users[role])
        return client

    return login


def _rows(response):
    """The records of a list page's current page, in the order shown."""
    return [row.record for row in response.context["table"].page.object_list]


# --- security headers ---------------------------------------------------------------------


def _assert_security_headers(response, *, page=True):
    """The headers every response carries; a rendered page also a nonce for its scripts
    (Django adds the nonce only to responses whose template used it)."""
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    nonce = re.search(r"'nonce-([^']+)'", csp)
    if not page:
        return None
    assert nonce, csp
    return nonce.group(1)


def test_it_sends_the_security_headers_with_the_login_page(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    nonce = _assert_security_headers(response)
    # The page's scripts carry the nonce of this very response.
    assert f'nonce="{nonce}"' in response.content.decode()


def test_it_sends_the_security_headers_with_home_and_a_list(as_role):
    client = as_role("labour")
    for url in (reverse("home"), reverse("enterprise:worker_list")):
        response = client.get(url)
        assert response.status_code == 200
        nonce = _assert_security_headers(response)
        assert f'nonce="{nonce}"' in response.content.decode()


def test_it_uses_a_new_nonce_for_each_response(as_role):
    client = as_role("labour")
    first = _assert_security_headers(client.get(reverse("home")))
    second = _assert_security_headers(client.get(reverse("home")))
    assert first != second


def test_it_sends_the_security_headers_with_redirects_404s_and_exports(client, world, as_role):
    _assert_security_headers(client.get(reverse("home")), page=False)  # 302 to the login
    as_role("master")
    missing = client.get(reverse("enterprise:worker_detail", args=[world.workers["B1"][0].pk]))
    assert missing.status_code == 404
    _assert_security_headers(missing)
    export = client.get(reverse("enterprise:worker_list") + "?_export=csv")
    _assert_security_headers(export, page=False)


def test_it_shows_the_404_page_in_russian(as_role, world):
    client = as_role("master")
    response = client.get(reverse("enterprise:worker_detail", args=[world.workers["B1"][0].pk]))
    assert "Страница не найдена" in text_of(response.content)


# --- list pages: sort, paginate, filter ---------------------------------------------------


def test_it_sorts_the_worker_list_by_a_column(as_role):
    client = as_role("labour")
    grades = [w.grade for w in _rows(client.get(reverse("enterprise:worker_list") + "?sort=grade"))]
    assert grades == sorted(grades) and len(set(grades)) > 1
    descending = client.get(reverse("enterprise:worker_list") + "?sort=-grade")
    assert [w.grade for w in _rows(descending)] == sorted(grades, reverse=True)


def test_it_sorts_by_name_unless_told_otherwise(as_role):
    names = [w.last_name for w in _rows(as_role("labour").get(reverse("enterprise:worker_list")))]
    assert names == sorted(names)


def test_it_paginates_the_worker_list_by_fifty(as_role, world):
    section = world.units["B1"]
    WorkerFactory.create_batch(60, section=section, profession=world.professions["fitter"])
    client = as_role("labour")
    total = Worker.objects.visible_to(world.users["labour"]).count()
    assert total == 66
    first = client.get(reverse("enterprise:worker_list"))
    second = client.get(reverse("enterprise:worker_list") + "?page=2")
    assert len(_rows(first)) == 50
    assert len(_rows(second)) == 16
    assert not {w.pk for w in _rows(first)} & {w.pk for w in _rows(second)}
    assert 'href="?page=2"' in first.content.decode()


def test_it_keeps_the_sort_across_pages(as_role, world):
    WorkerFactory.create_batch(60, section=world.units["B1"], grade=2)
    client = as_role("labour")
    url = reverse("enterprise:worker_list") + "?sort=-grade"
    first, second = client.get(url), client.get(url + "&page=2")
    grades = [w.grade for w in _rows(first) + _rows(second)]
    assert grades == sorted(grades, reverse=True)
    # The pager's links keep the sort (and any filter).
    assert 'href="?sort=-grade&amp;page=2"' in first.content.decode()
    filtered = client.get(url + "&grade=2").content.decode()
    assert 'href="?sort=-grade&amp;grade=2&amp;page=2"' in filtered


def test_it_filters_workers_by_grade(as_role, world):
    world.workers["B1"][0].grade = 4
    Worker.objects.filter(pk=world.workers["B1"][0].pk).update(grade=4)
    rows = _rows(as_role("labour").get(reverse("enterprise:worker_list") + "?grade=4"))
    assert [w.pk for w in rows] == [world.workers["B1"][0].pk]


def test_it_searches_workers_by_name_or_personnel_number(as_role, world):
    worker = world.workers["A2"][1]
    client = as_role("labour")
    by_name = _rows(client.get(reverse("enterprise:worker_list"), {"q": worker.last_name[:4]}))
    assert worker.pk in [w.pk for w in by_name]
    assert all(
        worker.last_name[:4].lower() in w.last_name.lower()
        or worker.last_name[:4].lower() in w.first_name.lower()
        for w in by_name
    )
    by_number = _rows(client.get(reverse("enterprise:worker_list"), {"q": worker.personnel_number}))
    assert [w.pk for w in by_number] == [worker.pk]


def test_it_filters_workers_by_section(as_role, world):
    client = as_role("labour")
    rows = _rows(client.get(reverse("enterprise:worker_list"), {"section": world.units["A2"].pk}))
    assert {w.pk for w in rows} == {w.pk for w in world.workers["A2"]}


def test_it_says_so_when_the_filter_finds_nothing(as_role):
    response = as_role("labour").get(reverse("enterprise:worker_list"), {"q": "Нетакогорабочего"})
    assert response.status_code == 200
    assert "Ничего не найдено" in text_of(response.content)


@pytest.mark.parametrize(
    ("name", "sort"),
    [
        ("enterprise:shop_list", "name"),
        ("enterprise:shop_list", "-worker_count"),
        ("enterprise:section_list", "-worker_count"),
        ("enterprise:section_list", "head"),
        ("enterprise:period_list", "label"),
        ("enterprise:period_list", "closed_by"),
        ("enterprise:scale_list", "-name"),
    ],
)
def test_it_sorts_the_other_lists(as_role, world, name, sort):
    StepScaleFactory.create_batch(2, enterprise=world.enterprise)
    response = as_role("labour").get(reverse(name), {"sort": sort})
    assert response.status_code == 200
    assert _rows(response)


def test_it_counts_sections_and_workers_on_the_shop_list(as_role, world):
    rows = {s.number: s for s in _rows(as_role("labour").get(reverse("enterprise:shop_list")))}
    assert (rows[6].section_count, rows[6].worker_count) == (2, 4)
    assert (rows[7].section_count, rows[7].worker_count) == (1, 2)


def test_it_filters_periods_by_status(as_role):
    rows = _rows(as_role("labour").get(reverse("enterprise:period_list"), {"status": "closed"}))
    assert [(p.year, p.month) for p in rows] == [(2026, 9), (2026, 8), (2026, 7), (2026, 6)]


# --- export --------------------------------------------------------------------------------

WORKER_HEADERS = [
    "Табельный номер",
    "Ф. И. О.",
    "Профессия",
    "Разряд",
    "Цех",
    "Участок",
    "Дата приёма",
]


def test_it_exports_the_filtered_workers_to_xlsx_with_russian_headers(as_role, world):
    WorkerFactory.create_batch(55, section=world.units["A2"], grade=4)
    response = as_role("labour").get(
        reverse("enterprise:worker_list"), {"grade": 4, "_export": "xlsx"}
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert 'filename="workers.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == WORKER_HEADERS
    # Every filtered row, not one page of them.
    assert len(rows) - 1 == 55
    assert {row[3] for row in rows[1:]} == {4}


def test_it_exports_a_worker_row_as_the_page_shows_it(as_role, world):
    worker = world.workers["A1"][0]
    response = as_role("labour").get(
        reverse("enterprise:worker_list"), {"q": worker.personnel_number, "_export": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    data = dict(zip(WORKER_HEADERS, rows[1], strict=True))
    assert str(data["Табельный номер"]) == worker.personnel_number
    assert data["Ф. И. О."] == worker.full_name
    assert data["Профессия"] == "Токарь"
    assert (data["Разряд"], str(data["Цех"]), str(data["Участок"])) == (worker.grade, "6", "1")


def test_it_exports_csv_for_russian_excel(as_role, world):
    response = as_role("labour").get(reverse("enterprise:worker_list"), {"_export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="workers.csv"' in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == WORKER_HEADERS
    assert len([r for r in rows[1:] if r]) == 6
    numbers = {r[0] for r in rows[1:] if r}
    assert numbers == {w.personnel_number for w in world.all_workers()}


@pytest.mark.parametrize(
    ("name", "first_header"),
    [
        ("enterprise:shop_list", "№"),
        ("enterprise:section_list", "Цех"),
        ("enterprise:period_list", "Период"),
        ("enterprise:scale_list", "Наименование"),
    ],
)
def test_it_exports_every_list(as_role, world, name, first_header):
    StepScaleFactory(enterprise=world.enterprise)
    response = as_role("labour").get(reverse(name), {"_export": "xlsx"})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == first_header
    assert len(rows) > 1


def test_it_exports_period_labels_in_russian(as_role):
    response = as_role("labour").get(reverse("enterprise:period_list"), {"_export": "csv"})
    body = response.content.decode("utf-8-sig")
    assert "Сентябрь 2026" in body or "сентябрь 2026" in body.lower()


# --- Russian number formats ----------------------------------------------------------------


def test_it_shows_the_tariff_grid_with_a_decimal_comma(as_role, world):
    condition = PayConditionFactory(enterprise=world.enterprise, code="hazard", name="Вредные")
    today = timezone.localdate()
    TariffRateFactory(
        enterprise=world.enterprise,
        pay_condition=condition,
        grade=1,
        hourly_rate=Decimal("0.606"),
        valid_from=today,
    )
    TariffRateFactory(
        enterprise=world.enterprise,
        pay_condition=condition,
        grade=2,
        hourly_rate=Decimal("1500.250"),
        valid_from=today,
    )
    content = as_role("labour").get(reverse("enterprise:tariff_grid")).content.decode()
    grid = content[content.index('data-testid="tariff-grid"') :].split("</table>")[0]
    text = text_of(grid)
    assert "0,606" in text
    assert "105,200" in text  # the world's piecework rate of grade 1
    assert "1\xa0500,250" in grid  # thousands apart by a no-break space
    assert "0.606" not in text


def test_it_shows_period_hours_with_a_decimal_comma(as_role):
    text = text_of(as_role("labour").get(reverse("enterprise:period_list")).content)
    assert "168,0" in text


def test_it_shows_dates_as_day_month_year(as_role, world):
    worker = world.workers["A1"][0]
    text = text_of(as_role("labour").get(worker.get_absolute_url()).content)
    assert worker.hire_date.strftime("%d.%m.%Y") in text


# --- forms: bad input is refused next to the field, nothing is saved ----------------------


def _worker_post(world, **changes):
    data = {
        "personnel_number": "555",
        "last_name": "Смирнов",
        "first_name": "Пётр",
        "middle_name": "Ильич",
        "section": world.units["A1"].pk,
        "profession": world.professions["turner"].pk,
        "grade": "4",
        "pay_condition": world.conditions["piece"].pk,
        "birth_date": "1995-04-12",
        "hire_date": "2019-09-02",
        "dismissal_date": "",
    }
    data.update(changes)
    return data


def test_it_creates_a_worker_from_good_input(as_role, world):
    response = as_role("administrator").post(
        reverse("enterprise:worker_create"), _worker_post(world)
    )
    worker = Worker.objects.get(enterprise=world.enterprise, personnel_number="555")
    assert response.status_code == 302
    assert response["Location"] == worker.get_absolute_url()
    assert (worker.grade, worker.last_name) == (4, "Смирнов")


TODAY = timezone.localdate()
BAD_WORKER_INPUT = [
    ("grade", {"grade": "7"}, "Разряд — от 1 до 6."),
    ("grade", {"grade": "0"}, "Разряд — от 1 до 6."),
    (
        "personnel_number",
        {"personnel_number": "101"},
        "Рабочий с таким табельным номером уже есть.",
    ),
    ("personnel_number", {"personnel_number": "12-34"}, "Табельный номер — от 1 до 10 цифр."),
    (
        "birth_date",
        {"birth_date": "2020-05-01", "hire_date": "2019-09-02"},
        "На дату приёма рабочему должно быть не меньше 14 лет.",
    ),
    (
        "hire_date",
        {"hire_date": (TODAY + datetime.timedelta(days=800)).isoformat()},
        "Дата приёма — не позже чем через год от сегодня.",
    ),
    ("hire_date", {"hire_date": "1900-01-01"}, "Дата приёма — не раньше 1930 года."),
    (
        "dismissal_date",
        {"dismissal_date": "2018-01-01"},
        "Дата увольнения не может быть раньше даты приёма.",
    ),
    ("grade", {"grade": ""}, "Обязательное поле."),
    ("hire_date", {"hire_date": "31.02.2020"}, "Введите правильную дату."),
]


@pytest.mark.parametrize(
    ("field", "changes", "message"), BAD_WORKER_INPUT, ids=[c[2][:40] for c in BAD_WORKER_INPUT]
)
def test_it_refuses_a_bad_new_worker_next_to_the_field(as_role, world, field, changes, message):
    workers, history = Worker.objects.count(), HistoryRecord.objects.count()
    response = as_role("administrator").post(
        reverse("enterprise:worker_create"), _worker_post(world, **changes)
    )
    assert response.status_code == 200
    assert message in field_errors(response.content, field)
    assert "is-invalid" in field_block(response.content, field)
    assert Worker.objects.count() == workers
    assert HistoryRecord.objects.count() == history


def test_it_refuses_a_duplicate_personnel_number_on_edit_and_keeps_the_row(as_role, world):
    worker, other = world.workers["A1"][1], world.workers["A1"][0]
    before = Worker.objects.filter(pk=worker.pk).values().get()
    client = as_role("labour")
    form = client.get(reverse("enterprise:worker_edit", args=[worker.pk])).context["form"]
    data = form_data(form) | {"personnel_number": other.personnel_number, "grade": "6"}
    response = client.post(reverse("enterprise:worker_edit", args=[worker.pk]), data)
    assert response.status_code == 200
    assert "Рабочий с таким табельным номером уже есть." in field_errors(
        response.content, "personnel_number"
    )
    assert Worker.objects.filter(pk=worker.pk).values().get() == before


def test_it_renders_the_grade_input_with_the_grade_limits(as_role):
    block = field_block(
        as_role("administrator").get(reverse("enterprise:worker_create")).content, "grade"
    )
    assert 'min="1"' in block and 'max="6"' in block


def test_it_renders_one_csrf_token_in_a_form(as_role, world):
    page = as_role("labour").get(reverse("enterprise:worker_edit", args=[world.worker.pk]))
    form = page.content.decode().split('<form method="post" class="card card-body"')[1]
    assert form.split("</form>")[0].count('name="csrfmiddlewaretoken"') == 1


def test_it_accepts_a_personnel_number_that_another_plant_uses(as_role, world):
    # Unique per enterprise: the other plant's worker has number 101 too.
    assert world.other_worker.personnel_number == "101"
    response = as_role("administrator").post(
        reverse("enterprise:worker_create"), _worker_post(world, personnel_number="777")
    )
    assert response.status_code == 302


def test_it_refuses_a_tariff_rate_into_a_closed_month(as_role, world):
    rates, history = TariffRate.objects.count(), HistoryRecord.objects.count()
    response = as_role("labour").post(
        reverse("enterprise:tariff_rate_create"),
        {
            "pay_condition": world.conditions["time"].pk,
            "grade": "3",
            "hourly_rate": "125,500",
            "valid_from": "2026-06-15",
        },
    )
    assert response.status_code == 200
    text = text_of(response.content)
    assert "закрыт" in text
    assert "Июнь 2026" in text or "июнь 2026" in text.lower()
    assert TariffRate.objects.count() == rates
    assert HistoryRecord.objects.count() == history


def test_it_adds_a_tariff_rate_from_an_open_month_typed_with_a_comma(as_role, world):
    response = as_role("labour").post(
        reverse("enterprise:tariff_rate_create"),
        {
            "pay_condition": world.conditions["time"].pk,
            "grade": "3",
            "hourly_rate": "125,5",
            "valid_from": "2026-10-01",
        },
    )
    assert response.status_code == 302
    rate = TariffRate.objects.get(valid_from=datetime.date(2026, 10, 1))
    assert rate.hourly_rate == Decimal("125.500")


def test_it_refuses_a_tariff_rate_of_a_grade_out_of_range(as_role, world):
    rates = TariffRate.objects.count()
    response = as_role("labour").post(
        reverse("enterprise:tariff_rate_create"),
        {
            "pay_condition": world.conditions["time"].pk,
            "grade": "9",
            "hourly_rate": "125,5",
            "valid_from": "2026-10-01",
        },
    )
    assert "Разряд — от 1 до 6." in field_errors(response.content, "grade")
    assert TariffRate.objects.count() == rates


@pytest.fixture
def scale(world):
    scale = StepScaleFactory(enterprise=world.enterprise, code="plan", name="Премия за план")
    StepScaleRowFactory(scale=scale, lower=None, upper=Decimal("100"), value=Decimal("0"))
    StepScaleRowFactory(
        scale=scale, lower=Decimal("100"), upper=Decimal("105"), value=Decimal("10")
    )
    StepScaleRowFactory(scale=scale, lower=Decimal("105"), upper=None, value=Decimal("20"))
    return scale


def _scale_state(scale):
    stored = StepScale.objects.get(pk=scale.pk)
    rows = list(stored.rows.order_by("pk").values_list("lower", "upper", "value"))
    return stored.name, rows


def test_it_lists_scales_by_their_russian_names_not_their_codes(as_role, world):
    StepScaleFactory(
        enterprise=world.enterprise, code="khz-tension", name="Премия по коэффициенту Кнапр"
    )
    for role in ("worker", "labour"):
        response = as_role(role).get(reverse("enterprise:scale_list"))
        table = response.content.decode().split("<table", 1)[1].split("</table>", 1)[0]
        assert "Премия по коэффициенту Кнапр" in text_of(table)
        assert "khz-tension" not in text_of(table)
        assert "Код" not in text_of(table)
    # The code is still there for the labour department: the name's tooltip, the export.
    assert 'title="Код шкалы: khz-tension"' in table
    response = as_role("labour").get(reverse("enterprise:scale_list"), {"_export": "csv"})
    assert "khz-tension" in response.content.decode("utf-8-sig")


def test_the_scales_are_searched_by_their_words_not_filtered_by_code_or_plant(as_role, world):
    StepScaleFactory(
        enterprise=world.enterprise, code="khz-tension", name="Премия по коэффициенту Кнапр"
    )
    StepScaleFactory(enterprise=world.enterprise, code="khz-quality", name="Качество труда")
    client = as_role("labour")
    page = client.get(reverse("enterprise:scale_list")).content.decode()
    assert 'name="q"' in page
    assert 'name="code"' not in page and 'name="enterprise"' not in page
    for query in ("кнапр", "khz-tension"):
        page = client.get(reverse("enterprise:scale_list"), {"q": query}).content.decode()
        table = text_of(page.split("<table", 1)[1].split("</table>", 1)[0])
        assert "Премия по коэффициенту Кнапр" in table, query
        assert "Качество труда" not in table, query


def test_it_shows_a_scales_code_on_its_page_only_to_who_edits_it(as_role, world):
    scale = StepScaleFactory(
        enterprise=world.enterprise, code="khz-tension", name="Премия по коэффициенту Кнапр"
    )
    page = text_of(as_role("worker").get(scale.get_absolute_url()).content)
    assert "Шкалы Премия по коэффициенту Кнапр" in page  # the breadcrumb names it
    assert "khz-tension" not in page
    page = text_of(as_role("labour").get(scale.get_absolute_url()).content)
    assert "Код шкалы: khz-tension" in page


def test_it_refuses_overlapping_ranges_next_to_the_row_and_saves_nothing(as_role, scale):
    before, history = _scale_state(scale), HistoryRecord.objects.count()
    client = as_role("labour")
    page = client.get(reverse("enterprise:scale_edit", args=[scale.pk]))
    data = form_data(page.context["form"]) | formset_data(page.context["formset"])
    data["name"] = "Премия за план (новая)"
    # The second range becomes 100–110: it overlaps the third (105–∞).
    data["rows-1-upper"] = "110"
    response = client.post(reverse("enterprise:scale_edit", args=[scale.pk]), data)
    assert response.status_code == 200
    overlap = "Диапазон пересекается с другим диапазоном шкалы."
    assert overlap in field_errors(response.content, "rows-1-lower") or overlap in field_errors(
        response.content, "rows-2-lower"
    )
    assert overlap not in field_errors(response.content, "rows-0-lower")
    assert _scale_state(scale) == before
    assert HistoryRecord.objects.count() == history


def test_it_refuses_a_gap_between_ranges_naming_the_rows_and_saves_nothing(as_role, scale):
    before = _scale_state(scale)
    client = as_role("labour")
    page = client.get(reverse("enterprise:scale_edit", args=[scale.pk]))
    data = form_data(page.context["form"]) | formset_data(page.context["formset"])
    # The second range becomes 100–103: 103–105 falls in no range.
    data["rows-1-upper"] = "103"
    response = client.post(reverse("enterprise:scale_edit", args=[scale.pk]), data)
    assert response.status_code == 200
    gap = "Пропуск между диапазонами: значения от 103 до 105 не попадают ни в один диапазон."
    assert gap in field_errors(response.content, "rows-2-lower")
    assert "строки 2 и 3: от 103 до 105" in response.content.decode()
    assert _scale_state(scale) == before


def test_it_saves_a_scale_and_its_ranges_together(as_role, scale):
    client = as_role("labour")
    page = client.get(reverse("enterprise:scale_edit", args=[scale.pk]))
    data = form_data(page.context["form"]) | formset_data(page.context["formset"])
    data["rows-1-value"] = "12,5"
    response = client.post(reverse("enterprise:scale_edit", args=[scale.pk]), data)
    assert response.status_code == 302
    assert scale.value_for(Decimal("101")) == Decimal("12.5")


def test_it_refuses_a_scale_saved_over_a_range_added_meanwhile(as_role, scale, world):
    client = as_role("labour")
    url = reverse("enterprise:scale_edit", args=[scale.pk])
    page = client.get(url)
    data = (
        form_data(page.context["form"])
        | formset_data(page.context["formset"])
        | form_data(page.context["version"])
    )
    other = client.get(url)
    other_data = (
        form_data(other.context["form"])
        | formset_data(other.context["formset"])
        | form_data(other.context["version"])
    )
    other_data["rows-1-value"] = "11"
    assert client.post(url, other_data).status_code == 302

    data["rows-1-value"] = "12,5"
    response = client.post(url, data)

    assert response.status_code == 200
    text = text_of(response.content)
    assert "уже изменил другой пользователь" in text
    assert f"{world.users['labour'].get_full_name()}, " in text
    assert "значение: 10,0000 → 11,0000" in text, text
    assert scale.value_for(Decimal("101")) == Decimal("11")
    assert response.context["formset"][1]["value"].value() == "12,5"


def test_it_refuses_a_range_with_its_bounds_reversed(as_role, scale):
    before = _scale_state(scale)
    client = as_role("labour")
    page = client.get(reverse("enterprise:scale_edit", args=[scale.pk]))
    data = form_data(page.context["form"]) | formset_data(page.context["formset"])
    data["rows-1-lower"], data["rows-1-upper"] = "105", "100"
    response = client.post(reverse("enterprise:scale_edit", args=[scale.pk]), data)
    # The model's own check (a row-wide error), shown under that row of the table.
    row_errors = re.search(r'id="rows-1-errors">(.*?)</td>', response.content.decode(), re.S)
    assert row_errors
    assert text_of(row_errors.group(1)) == "Нижняя граница должна быть меньше верхней."
    assert _scale_state(scale) == before


# --- history on the page --------------------------------------------------------------------


def test_it_shows_a_change_made_through_the_form_in_the_history(as_role, world):
    worker = world.workers["A1"][0]
    labour = world.users["labour"]
    assert worker.grade == 3
    client = as_role("labour")
    form = client.get(reverse("enterprise:worker_edit", args=[worker.pk])).context["form"]
    response = client.post(
        reverse("enterprise:worker_edit", args=[worker.pk]), form_data(form) | {"grade": "4"}
    )
    assert response.status_code == 302
    page = text_of(client.get(worker.get_absolute_url()).content)
    assert "История" in page
    history = page.split("История", 1)[1]
    assert labour.get_full_name() in history
    assert "разряд: 3 → 4" in history.lower()
    record = HistoryRecord.objects.filter(
        content_type__model="worker", object_pk=str(worker.pk), action="update"
    ).latest("id")
    assert record.actor == labour
    assert record.changes == {"grade": [3, 4]}


def test_it_refuses_to_save_over_a_change_made_meanwhile(as_role, world):
    worker = world.workers["A1"][0]
    client = as_role("labour")
    form = client.get(reverse("enterprise:worker_edit", args=[worker.pk])).context["form"]
    Worker.objects.filter(pk=worker.pk).update(last_name="Другой")
    response = client.post(
        reverse("enterprise:worker_edit", args=[worker.pk]), form_data(form) | {"grade": "5"}
    )
    assert response.status_code == 200
    assert "уже изменил другой пользователь" in text_of(response.content)
    assert Worker.objects.get(pk=worker.pk).grade == 3


def test_it_hides_the_history_from_a_worker(client, world):
    client.force_login(world.users["worker"])
    page = text_of(client.get(world.worker.get_absolute_url()).content)
    assert "История" not in page


# --- periods: close, ask to reopen, decide --------------------------------------------------


def test_it_closes_months_in_order_through_the_pages(as_role, world):
    client = as_role("labour")
    october, november = world.period(2026, 10), world.period(2026, 11)
    response = client.post(reverse("enterprise:period_close", args=[october.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("enterprise:period_closing", args=[october.pk])
    october.refresh_from_db()
    assert october.status == Period.Status.OPEN  # not confirmed: nothing happens
    confirm = {"confirm": "1"}
    response = client.post(
        reverse("enterprise:period_close", args=[november.pk]), confirm, follow=True
    )
    assert "Сначала закройте более ранний период" in text_of(response.content)
    november.refresh_from_db()
    assert november.status == Period.Status.OPEN

    response = client.post(
        reverse("enterprise:period_close", args=[october.pk]), confirm, follow=True
    )
    assert response.redirect_chain[-1][0] == october.get_absolute_url()
    assert "закрыт" in text_of(response.content)
    october.refresh_from_db()
    assert (october.status, october.closed_by) == (Period.Status.CLOSED, world.users["labour"])


def test_a_refused_reopen_request_shows_the_reason_s_error_next_to_it_and_at_the_top(client, world):
    september = world.period(2026, 9)
    client.force_login(world.users["deputy_director"])
    page = client.get(september.get_absolute_url()).content.decode()
    assert 'name="step" value="request_reopen"' in page  # the form posts to the month's page

    response = client.post(september.get_absolute_url(), {"step": "request_reopen", "reason": ""})

    assert response.status_code == 200  # the page again, at the month's own address
    assert response.request["PATH_INFO"] == september.get_absolute_url()
    assert "Укажите причину открытия периода." in text_of(field_block(response.content, "reason"))
    summary = response.content.decode().split("data-error-summary", 1)[1].split("</ul>")[0]
    assert "Укажите причину открытия периода." in text_of(summary)
    assert not september.reopenings.exists()


def test_it_reopens_a_month_only_by_another_person_and_records_why(client, world):
    september = world.period(2026, 9)
    deputy, administrator = world.users["deputy_director"], world.users["administrator"]
    reason = "В табеле 3-го участка ошибка: пересчитать премию"

    client.force_login(deputy)
    empty = client.post(
        reverse("enterprise:period_request_reopen", args=[september.pk]),
        {"reason": ""},
        follow=True,
    )
    assert "Укажите причину открытия периода." in text_of(empty.content)
    assert not september.reopenings.exists()

    client.post(
        reverse("enterprise:period_request_reopen", args=[september.pk]), {"reason": reason}
    )
    request = september.reopenings.get()
    assert (request.status, request.requested_by) == (PeriodReopening.Status.REQUESTED, deputy)

    # The one who asked may decide reopenings, but not his own request.
    page = client.get(september.get_absolute_url())
    assert not page.context["can_decide"]
    assert "не тот, кто просил" in text_of(page.content)
    response = client.post(
        reverse("enterprise:reopening_decide", args=[request.pk]), {"approve": "1"}, follow=True
    )
    assert "Решение по запросу принимает не тот, кто его подал." in text_of(response.content)
    september.refresh_from_db()
    request.refresh_from_db()
    assert september.status == Period.Status.CLOSED
    assert request.status == PeriodReopening.Status.REQUESTED

    client.force_login(administrator)
    assert client.get(september.get_absolute_url()).context["can_decide"]
    response = client.post(
        reverse("enterprise:reopening_decide", args=[request.pk]), {"approve": "1"}, follow=True
    )
    assert "Решение записано." in text_of(response.content)
    september.refresh_from_db()
    request.refresh_from_db()
    assert september.status == Period.Status.OPEN
    assert (request.status, request.decided_by) == (PeriodReopening.Status.APPROVED, administrator)

    # The period's history says who opened it and why.
    history = text_of(response.content).split("История", 1)[1]
    assert f"Основание: {reason}" in history
    assert "закрыт → открыт" in history
    record = HistoryRecord.objects.filter(
        group=f"enterprise.period:{september.pk}", changes__has_key="status"
    ).latest("id")
    assert (record.actor, record.reason) == (administrator, reason)


def test_it_requires_a_comment_to_reject_a_reopening(client, world):
    september = world.period(2026, 9)
    request = PeriodReopening.objects.create(
        period=september, reason="Ошибка", requested_by=world.users["labour"]
    )
    client.force_login(world.users["deputy_director"])
    response = client.post(
        reverse("enterprise:reopening_decide", args=[request.pk]),
        {"approve": "0", "comment": ""},
        follow=True,
    )
    assert "Укажите, почему запрос отклонён." in text_of(response.content)
    request.refresh_from_db()
    assert request.status == PeriodReopening.Status.REQUESTED

    client.post(
        reverse("enterprise:reopening_decide", args=[request.pk]),
        {"approve": "0", "comment": "Ошибка не подтвердилась"},
    )
    request.refresh_from_db()
    september.refresh_from_db()
    assert request.status == PeriodReopening.Status.REJECTED
    assert september.status == Period.Status.CLOSED


def test_the_admin_refuses_overlapping_ranges_as_the_scale_page_does(client, scale):
    """The admin's inline had none of the page's checks (found by the replayed attacks)."""
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root-scales", "", "x")
    client.force_login(root)
    url = reverse("admin:enterprise_stepscale_change", args=[scale.pk])
    page = client.get(url)
    data = form_data(page.context["adminform"].form) | formset_data(
        page.context["inline_admin_formsets"][0].formset
    )
    before = _scale_state(scale)
    data["rows-1-lower"] = "50"  # [50; 105) over [−∞; 100)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Диапазон пересекается с другим диапазоном шкалы." in response.content.decode()
    assert _scale_state(scale) == before


def test_a_negative_row_count_is_refused_not_saved_as_nothing(as_role, scale):
    """TOTAL_FORMS=-1 built no rows and the page said «saved» (found by the attacks)."""
    client = as_role("labour")
    url = reverse("enterprise:scale_edit", args=[scale.pk])
    page = client.get(url)
    data = form_data(page.context["form"]) | formset_data(page.context["formset"])
    data["rows-TOTAL_FORMS"] = "-1"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Таблица пришла не полностью" in response.content.decode()
