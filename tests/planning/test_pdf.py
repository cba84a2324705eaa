"""The plan sheet (table 24): its data (planning/sheets.py) and its PDF (planning/pdf.py).

The coil winder of table 24 — 2517 norm-hours, growth 5.5 %, hourly output 1.27 — is
rendered and read back with pypdf; batches of sheets are one document, a sheet a page,
each numbered from 1. The sheets of any number of plans load in a constant number of
queries, and the render itself runs none.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from planning.models import OutputUnit, PersonalPlan
from planning.plans.pdf import render_sheet, render_sheets
from planning.plans.sheets import sheet_for, sheets_for, trim
from tests.planning.factories import PersonalPlanFactory
from tests.planning.matrix_print import coil_winder_plan, plant_plans

D = Decimal
A4_PORTRAIT = (595, 842)


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, every kind of space (no-break ones too) as one plain space."""
    return [
        re.sub(r"[^\S\n]+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def has(text: str, phrase: str) -> bool:
    """Does ``text`` contain ``phrase``, spaces aside (thousands separators, kerning)?"""
    return re.sub(r"\s+", "", phrase) in re.sub(r"\s+", "", text)


def _name(user) -> str:
    """A signer under the signature line: surname and initial (Лобанова С.)."""
    return f"{user.last_name} {user.first_name[0]}."


# --- the data -------------------------------------------------------------------------------


def test_it_trims_figures_for_the_sheet():
    assert str(trim(D("2517.000"))) == "2517"
    assert str(trim(D("5.500"), 2)) == "5.5"
    assert str(trim(D("2500.000"))) == "2500"  # never 2.5E+3
    assert str(trim(D("0.8852"))) == "0.885"
    assert trim(None) is None


def test_it_holds_the_coil_winder_figures_of_table_24(world):
    plan = coil_winder_plan(world)
    sheet = sheet_for(plan)
    assert sheet.annual_volume == D("2517")
    assert sheet.growth_percent == D("5.5")
    assert sheet.hourly_output == D("1.27")  # 2517 / 1982
    assert sheet.worker_name == "Кузнецова Анна Петровна"
    assert (sheet.personnel_number, sheet.profession, sheet.grade) == (
        "2417",
        "Намотчик катушек",
        4,
    )
    assert (sheet.shop_number, sheet.section_number) == (6, 1)
    assert sheet.enterprise == "Завод «Красный пролетарий»"
    assert sheet.is_signed and not sheet.is_project and sheet.mark == ""
    assert "2 386" in sheet.calculation.replace("\xa0", " ")
    assert [s.role for s in sheet.signatures] == [
        "Начальник цеха",
        "Мастер",
        "Экономист",
        "Рабочий",
    ]
    assert sheet.signatures[0].name == _name(world.users["shop_head"])
    assert sheet.signatures[1].name == _name(world.users["master"])
    assert all(s.signed_at for s in sheet.signatures)


def test_a_draft_is_a_project_with_blank_signature_lines(world):
    sheet = sheet_for(coil_winder_plan(world, signed=False))
    assert sheet.is_project and sheet.mark == "проект"
    assert [(s.name, s.signed_at) for s in sheet.signatures[:3]] == [("", None)] * 3


def test_the_five_year_frame_shows_the_plan_in_force_of_each_year(world):
    plan = coil_winder_plan(world)
    worker = plan.worker
    # 2027: signed 2600 and a draft revision 2700 — the signed one is in force.
    signed_2027 = PersonalPlanFactory(
        worker=worker,
        year=2027,
        annual_volume=D("2600"),
        status=PersonalPlan.Status.SIGNED,
        signed_at=plan.signed_at,
    )
    PersonalPlanFactory(worker=worker, year=2027, version=2, annual_volume=D("2700"))
    # 2028: superseded 2000 (not in force) and an open draft 2650.
    PersonalPlanFactory(
        worker=worker, year=2028, annual_volume=D("2000"), status=PersonalPlan.Status.SUPERSEDED
    )
    PersonalPlanFactory(worker=worker, year=2028, version=2, annual_volume=D("2650"))
    sheet = sheet_for(plan)
    assert [(y.year, y.volume) for y in sheet.frame] == [
        (2026, D("2517")),
        (2027, D("2600")),
        (2028, D("2650")),
        (2029, None),
        (2030, None),
    ]
    assert sheet.frame_total == D("7767")
    assert not sheet.frame_complete
    assert [y.signed for y in sheet.frame] == [True, True, False, False, False]
    # The sheet of the 2027 signed plan marks its own year.
    assert [y.current for y in sheet_for(signed_2027).frame] == [False, True, False, False, False]


def test_it_builds_any_number_of_sheets_in_two_queries(world, django_assert_num_queries):
    plans = plant_plans(world)
    coil_winder_plan(world)
    # a plan by table 25 and one by the textile method among them
    plans[1].method = PersonalPlan.Method.TABLE
    plans[1].base_output = D("2400")
    plans[1].section_growth_percent = D("5")
    plans[1].section_norm_fulfilment = D("1.220")
    plans[1].worker_norm_fulfilment = D("1.360")
    plans[1].correction_coefficient = D("0.870")
    plans[1].save()
    weaver(world, worker=plans[2].worker, year=2027)
    ids = [p.pk for p in plans]
    with django_assert_num_queries(2):
        sheets = sheets_for(ids)
    assert [s.plan_id for s in sheets] == ids  # in the order asked
    with django_assert_num_queries(2):
        assert len(sheets_for(ids[:2])) == 2
    with django_assert_num_queries(0):
        render_sheets(sheets)


def weaver(world, worker=None, year=1976, **fields) -> PersonalPlan:
    """The weaver of table 23, 1976: 1994 × 29 × 5.1 × 0.965 = 284.6 thousand metres."""
    from tests.factories import WorkerFactory

    worker = worker or WorkerFactory(section=world.units["B1"], last_name="Ткачёва")
    return PersonalPlanFactory(
        worker=worker,
        year=year,
        five_year_from=year - (year - 1976) % 5,
        output_unit=OutputUnit.NATURAL,
        unit="м",
        method=PersonalPlan.Method.TEXTILE,
        average_output=None,
        growth_percent=None,
        time_balance_hours=D("1994.0"),
        service_norm=D("29"),
        machine_productivity=D("5.1"),
        working_share=D("0.965"),
        annual_volume=D("284590.659"),
        annual_time_fund=D("1994.0"),
        **fields,
    )


def test_the_calculation_line_shows_the_methods_inputs(world):
    table = coil_winder_plan(
        world,
        signed=False,
        method=PersonalPlan.Method.TABLE,
        base_output=D("2400"),
        section_growth_percent=D("5"),
        section_norm_fulfilment=D("1.220"),
        worker_norm_fulfilment=D("1.360"),
        correction_coefficient=D("0.870"),
        growth_percent=D("4.350"),
        annual_volume=D("2504.400"),
    )
    line = sheet_for(table).calculation.replace("\xa0", " ")
    assert "К(1,22; 1,36) = 0,870" in line  # table 25: (Ну 1.22, Нр 1.36) → 0.87
    assert "5 × 0,870 = 4,35 %" in line  # Пр = Пу × К
    textile = sheet_for(weaver(world))
    assert "1 994 × 29 × 5,1 × 0,965 = 284 590,659" in textile.calculation.replace("\xa0", " ")
    assert textile.growth_percent is None
    text = pages_text(render_sheet(textile))[0]
    assert has(text, "1 994 × 29 × 5,1 × 0,965")
    assert has(text, "Рост производительности труда —")
    assert has(text, "1976–1980")


def test_it_skips_ids_of_plans_that_are_gone(world):
    plan = coil_winder_plan(world)
    assert [s.plan_id for s in sheets_for([plan.pk, 999_999])] == [plan.pk]


# --- the PDF --------------------------------------------------------------------------------


def test_the_coil_winder_sheet_prints_the_figures_of_table_24(world):
    plan = coil_winder_plan(world)
    pdf = render_sheet(sheet_for(plan))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_PORTRAIT
    text = pages_text(pdf)[0]
    for phrase in (
        "ЛИЧНЫЙ ПЛАН",
        "на 2026 год",
        "Кузнецова Анна Петровна",
        "Намотчик катушек",
        "2417",
        "Цех № 6",
        "Участок № 1",
        "нормо-часы в действующей трудоёмкости",
        "2 517",
        "5,5",
        "1 982",
        "1,27",
        "от средней выработки профессии",
        "2 386 × (1 + 5,5 / 100)",
        "Снижение брака",
        "15",
        "Рационализаторские предложения",
        "2026–2030",
        "Начальник цеха",
        _name(world.users["shop_head"]),
        _name(world.users["master"]),
        _name(world.users["economist"]),
        "10.02.2026",
        "подписан",
        "стр. 1",
    ):
        assert has(text, phrase), phrase
    assert not has(text, "проект")


def test_a_draft_prints_with_the_project_mark(world):
    pdf = render_sheet(sheet_for(coil_winder_plan(world, signed=False)))
    text = pages_text(pdf)[0]
    assert has(text, "ПРОЕКТ")
    assert has(text, "черновик")
    assert not has(text, _name(world.users["master"]))


def test_a_batch_is_one_document_a_page_per_sheet_numbered_from_one(world):
    plans = plant_plans(world)
    pdf = render_sheets(sheets_for([p.pk for p in plans]))
    pages = pages_text(pdf)
    assert len(pages) == len(plans) == 6
    for plan, text in zip(plans, pages, strict=True):
        assert has(text, plan.worker.full_name)
        assert has(text, "стр. 1")
        assert not has(text, "стр. 2")
    # the drafts carry the mark each on its own page
    assert all(has(text, "ПРОЕКТ") for text in pages)


def test_a_long_sheet_numbers_its_pages_and_the_next_sheet_starts_again_at_one(world):
    long_text = " ".join(["Освоить намотку катушек нового типа на полуавтомате."] * 120)
    plans = [coil_winder_plan(world, production_task=long_text), *plant_plans(world)[:1]]
    pages = pages_text(render_sheets(sheets_for([p.pk for p in plans])))
    assert len(pages) > 2
    for number, text in enumerate(pages[:-1], start=1):
        assert has(text, f"стр. {number}") and has(text, "Кузнецова А.П.")
    assert has(pages[-1], "стр. 1") and has(pages[-1], plans[1].worker.short_name)


# --- the view -------------------------------------------------------------------------------


def test_plan_pdf_gives_the_sheet_inline(client, world):
    plan = coil_winder_plan(world)
    client.force_login(world.users["master"])
    response = client.get(reverse("planning:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "2417" in response["Content-Disposition"]
    assert has(pages_text(response.content)[0], "1,27")


def test_savings_read_with_two_places_on_the_page_and_the_sheet(client, world):
    """Money always has its kopecks: «30,00 руб.» on the plan's page and its PDF alike."""
    plan = coil_winder_plan(
        world, signed=False, tools_savings=D("30.00"), materials_savings=D("120.50")
    )
    client.force_login(world.users["master"])
    page = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    page = re.sub(r"\s+", " ", page.replace("\xa0", " "))
    assert "30,00 руб." in page and "120,50 руб." in page
    text = pages_text(client.get(reverse("planning:plan_pdf", args=[plan.pk])).content)[0]
    assert has(text, "Экономия инструмента 30,00 руб.")
    assert has(text, "Экономия материалов 120,50 руб.")
    assert has(text, "Снижение брака 15 %")  # not money: no trailing zeros


def test_plan_pdf_is_404_for_a_plan_out_of_sight(client, world):
    plan = coil_winder_plan(world)
    client.force_login(world.users["worker"])  # not his plan
    assert client.get(reverse("planning:plan_pdf", args=[plan.pk])).status_code == 404
    client.force_login(world.users["master"])
    other = PersonalPlanFactory(worker=world.other_worker)
    assert client.get(reverse("planning:plan_pdf", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("role", ["worker"])
def test_the_worker_gets_his_own_sheet(client, world, role):
    plan = PersonalPlanFactory(worker=world.worker)
    client.force_login(world.users[role])
    response = client.get(reverse("planning:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert has(pages_text(response.content)[0], world.worker.full_name)
