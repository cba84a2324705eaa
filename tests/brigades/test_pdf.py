"""The distribution sheet as a PDF (brigades/pdf.py): content, numbers, and no queries.

The sheet is built in memory from unsaved model instances — the shape
``selectors.sheet`` returns — so these tests show the PDF needs nothing but its input.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import translation
from pypdf import PdfReader

from brigades import rules
from brigades.models import Brigade, Distribution, Line, Membership, Surcharge
from brigades.pdf import render_sheet
from brigades.selectors import LeaderSurcharge, Sheet, SheetRow
from enterprise.models import Enterprise, Period, Profession, Section, Shop, Worker

D = Decimal
ZERO = D("0.00")
RATES = {6: D("0.767"), 5: D("0.670"), 4: D("0.596"), 3: D("0.539")}
# Table 18: (name, grade, hours) → tariff earnings and shares of 1053.84 by K = 1.4900.
TABLE_18 = [
    ("Алексеев Пётр Иванович", 6, 167, "128.09", "190.85"),
    ("Борисов Сергей Николаевич", 4, 161, "95.96", "142.98"),
    ("Васильев Андрей Петрович", 3, 167, "90.01", "134.12"),
    ("Григорьев Олег Викторович", 3, 167, "90.01", "134.12"),
    ("Дмитриев Иван Сергеевич", 4, 154, "91.78", "136.75"),
    ("Егоров Николай Алексеевич", 5, 167, "111.89", "166.72"),
    ("Жуков Виктор Павлович", 4, 167, "99.53", "148.30"),
]
FIRST, LAST = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)
SUMMED = (
    "hours",
    "absence_hours",
    "output",
    "tariff",
    "surplus",
    "bonus",
    "savings",
    "surcharge",
    "total",
)


def make_sheet(members=TABLE_18, *, status=Distribution.Status.DRAFT) -> Sheet:
    """A method-A sheet of ``members`` (name, grade, hours, tariff, share), all in memory."""
    enterprise = Enterprise(name="Завод «Красный пролетарий»", short_name="КП")
    shop = Shop(enterprise=enterprise, number=6, name="Механический цех")
    section = Section(shop=shop, number=1, name="Токарный участок")
    brigade = Brigade(
        enterprise=enterprise,
        section=section,
        number=3,
        name="Токари-универсалы",
        kind=Brigade.Kind.THROUGH_COMPLEX,
        pay_system=Brigade.PaySystem.PIECE_BONUS,
        method=Brigade.Method.TARIFF,
    )
    period = Period(enterprise=enterprise, year=2026, month=10)
    turner = Profession(enterprise=enterprise, name="Токарь")
    piecework = sum((D(share) for *_, share in members), ZERO)
    distribution = Distribution(
        pk=42,
        enterprise=enterprise,
        brigade=brigade,
        period=period,
        method=Brigade.Method.TARIFF,
        piecework=piecework,
        status=status,
        tariff_total=sum((D(tariff) for *_, tariff, _share in members), ZERO),
        coefficient=D("1.49002078"),
    )
    rows = []
    for number, (name, grade, hours, tariff, share) in enumerate(members, start=1):
        last, first, middle = name.split()
        worker = Worker(
            enterprise=enterprise,
            personnel_number=str(1000 + number),
            last_name=last,
            first_name=first,
            middle_name=middle,
            grade=grade,
            section=section,
        )
        membership = Membership(
            brigade=brigade, worker=worker, profession=turner, grade=grade, valid_from=FIRST
        )
        line = Line(
            distribution=distribution,
            membership=membership,
            worker=worker,
            date_from=FIRST,
            date_to=LAST,
            grade=grade,
            pay_grade=grade,
            rate=RATES[grade],
            hours=D(hours),
            tariff=D(tariff),
            surplus=D(share) - D(tariff),
            total=D(share),
        )
        rows.append(SheetRow(line=line, ktu=D("1.00"), ktu_adjustments=[], ktu_note=""))
    leader = rows[0].line
    # table 16 on the leader's line: 0.767 × 167 = 128.09 × 10 % = 12.809 → 12.81
    segment = Surcharge(
        worker=leader.worker,
        date_from=leader.date_from,
        date_to=leader.date_to,
        rate=leader.rate,
        hours=leader.hours,
        tariff=leader.tariff,
        percent=rules.leader_surcharge_rate(len(rows)) * 100,
        amount=rules.leader_surcharge(leader.rate, leader.hours, len(rows)),
    )
    leader.surcharge = segment.amount
    leader.total += segment.amount
    totals = {name: sum((getattr(row.line, name) for row in rows), ZERO) for name in SUMMED}
    totals["share"] = totals["tariff"] + totals["surplus"]
    return Sheet(
        distribution=distribution,
        brigade=brigade,
        period=period,
        rows=rows,
        own_only=False,
        headcount=len(rows),
        totals=totals,
        problems=[],
        coefficient_label="K",
        coefficient=distribution.coefficient,
        surcharge=LeaderSurcharge(
            worker_name=leader.worker.short_name,
            percent=segment.percent,
            segments=[segment],
            amount=segment.amount,
            hours=segment.hours,
        ),
        leader_name=leader.worker.short_name,
        council_names=[row.line.worker.short_name for row in rows[1:6:4]],
        master_name="Кузнецов Михаил Андреевич",
        shop_head_name="Орлов Дмитрий Сергеевич",
    )


def text_of(pdf: bytes) -> str:
    """The PDF's text with every kind of space (no-break ones too) as one plain space."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[^\S\n]+", " ", text)


def has(text: str, phrase: str) -> bool:
    """Does ``text`` contain ``phrase``, spaces aside (text extraction splits kerned pairs)?"""
    return re.sub(r"\s+", "", phrase) in re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def sheet_pdf() -> bytes:
    return render_sheet(make_sheet())


def test_it_renders_a_pdf(sheet_pdf):
    assert sheet_pdf.startswith(b"%PDF")


def test_it_shows_title_brigade_and_month(sheet_pdf):
    text = text_of(sheet_pdf)
    assert has(text, "Расчёт распределения коллективного заработка бригады")
    assert has(text, "Бригада № 3 «Токари-универсалы»")
    assert has(text, "Участок № 1 «Токарный участок»")
    assert has(text, "Цех № 6 «Механический цех»")
    assert has(text, "за октябрь 2026 г.")
    assert has(text, "А — по тарифу и отработанному времени")


def test_it_lists_every_worker_with_his_share(sheet_pdf):
    text = text_of(sheet_pdf)
    for name, _grade, _hours, tariff, share in TABLE_18:
        last, first, middle = name.split()
        assert has(text, f"{last} {first[0]}.{middle[0]}.")
        assert tariff.replace(".", ",") in text
        assert share.replace(".", ",") in text


def test_it_prints_totals_in_russian_number_format(sheet_pdf):
    text = text_of(sheet_pdf)
    assert "1 053,84" in text  # piecework, total column and earnings block
    assert "707,27" in text  # Σ tariff earnings
    assert "1 150" in text  # Σ hours
    assert "K = 1,4900" in text
    assert "1053.84" not in text


def test_it_prints_hourly_rates_at_the_grids_three_places(sheet_pdf):
    """The rate reads as on the pages and the tariff grid («0,670»), not «0,6700»."""
    text = text_of(sheet_pdf)
    for rate in ("0,767", "0,670", "0,596", "0,539"):
        assert rate in text
    assert not re.search(r"0,(767|670|596|539)0", text)


def test_it_says_the_columns_add_up(sheet_pdf):
    assert has(text_of(sheet_pdf), "Сумма по столбцам равна итогам: да")


def test_it_says_when_the_columns_do_not_add_up():
    sheet = make_sheet()
    sheet.problems = ["Сумма по столбцу «премия» не равна итогу: распределять не по чему."]
    text = text_of(render_sheet(sheet))
    assert has(text, "Сумма по столбцам равна итогам: нет")
    assert has(text, "«премия» не равна итогу")


def test_it_shows_the_leader_surcharge(sheet_pdf):
    text = text_of(sheet_pdf)
    assert has(text, "Доплата бригадиру Алексеев П.И.")
    assert "0,767 руб./ч × 167 ч = 128,09 × 10 %" in text
    assert has(text, "Итого доплата 167 ч 12,81")
    # paid in his line: 190.85 of the split + 12.81 = 203.66, and in the sheet's total
    assert "203,66" in text
    assert "1 066,65" in text


def test_it_has_signature_lines_with_names(sheet_pdf):
    text = text_of(sheet_pdf)
    for caption in (
        "Бригадир",
        "Члены совета бригады",
        "Мастер (начальник участка)",
        "Начальник цеха",
        "Председатель профкома цеха",
    ):
        assert has(text, caption)
    for name in ("Борисов С.Н.", "Егоров Н.А.", "Кузнецов Михаил Андреевич"):
        assert has(text, name)


def test_it_marks_a_draft_and_numbers_pages(sheet_pdf):
    text = text_of(sheet_pdf)
    assert "черновик" in text.lower()
    assert "стр. 1 из 1" in text
    assert has(text, "Распределение № 42")


def test_it_does_not_mark_an_approved_sheet_as_draft():
    text = text_of(render_sheet(make_sheet(status=Distribution.Status.APPROVED)))
    assert "черновик" not in text.lower()
    assert "не утверждено" not in text


def test_it_shows_a_part_month_line_with_its_dates():
    sheet = make_sheet()
    sheet.rows[2].line.date_from = datetime.date(2026, 10, 15)
    assert has(text_of(render_sheet(sheet)), "с 15.10 по 31.10")


def test_it_breaks_a_long_sheet_over_pages_with_the_header_repeated():
    members = [(f"Рабочий{n:02d} Иван Петрович", 4, 167, "99.53", "148.30") for n in range(40)]
    reader = PdfReader(io.BytesIO(render_sheet(make_sheet(members))))
    assert len(reader.pages) >= 2
    last_page = re.sub(r"\s+", " ", reader.pages[-1].extract_text())
    assert "Тарифный заработок" in last_page or "Председатель профкома цеха" in last_page
    assert f"стр. {len(reader.pages)} из {len(reader.pages)}" in last_page


def test_it_renders_in_russian_even_when_no_language_is_active():
    with translation.override(None):
        text = text_of(render_sheet(make_sheet()))
    assert "1 053,84" in text


@pytest.mark.django_db
def test_it_runs_no_queries(django_assert_num_queries):
    sheet = make_sheet()
    with django_assert_num_queries(0):
        render_sheet(sheet)


@pytest.mark.django_db
def test_it_renders_the_selectors_sheet_without_queries(world, django_assert_num_queries):
    from brigades import selectors, services
    from enterprise.models.roles import Role

    master = world.users[Role.MASTER]
    first, second = world.workers["A1"]
    brigade = services.brigade_save(
        brigade=Brigade(
            enterprise=world.enterprise,
            section=world.units["A1"],
            number=1,
            name="Токари",
            kind=Brigade.Kind.SPECIALISED,
            pay_system=Brigade.PaySystem.PIECEWORK,
            method=Brigade.Method.TARIFF,
            formed_on=FIRST,
        ),
        user=master,
    )
    for worker in (first, second):
        services.membership_add(brigade=brigade, worker=worker, valid_from=FIRST, user=master)
    services.post_assign(
        brigade=brigade,
        worker=second,
        kind="leader",
        valid_from=FIRST,
        user=master,
    )
    distribution = services.distribution_open(
        brigade=brigade, period=world.period(2026, 10), user=master
    )
    services.timesheet_save(
        distribution=distribution,
        rows=[
            services.TimesheetRow(line_id=line.pk, hours=D("167"))
            for line in distribution.lines.all()
        ],
        user=master,
    )
    services.earnings_save(
        distribution=distribution,
        method=Brigade.Method.TARIFF,
        piecework=D("61234.56"),
        bonus=D("5000.00"),
        savings=ZERO,
        norm_hours=ZERO,
        user=master,
    )
    sheet = selectors.sheet(distribution, master)

    with django_assert_num_queries(0):
        pdf = render_sheet(sheet)

    text = text_of(pdf)
    assert has(text, first.short_name) and has(text, second.short_name)
    assert "61 234,56" in text
    assert "66 234,56" in text
    assert has(text, "Сумма по столбцам равна итогам: да")
