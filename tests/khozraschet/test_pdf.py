"""The printed result of a section's month: its figures and charts, signature lines and
who computed it; rendered without queries; only for a month with a result."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from khozraschet.models import SectionResult
from khozraschet.pdf import section_month_pdf
from khozraschet.selectors import results as selectors

from .results_world import results_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def plant(world):
    results_world(world)
    return world


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _page(world, key, year, month):
    section = (
        type(world.units[key])
        .objects.select_related("shop__enterprise", "shop__head", "head")
        .get(pk=world.units[key].pk)
    )
    page = selectors.section_month(section, year, month)
    page.signatories = selectors.signatories(section)
    return page


def test_the_pdf_carries_the_month_s_figures_and_the_signatures(plant):
    page = _page(plant, "A1", 2026, 11)
    content = section_month_pdf(page)
    assert content.startswith(b"%PDF")
    text = _text(content)
    assert "Итоги хозрасчёта участка за ноябрь 2026" in text
    assert "1,3378" in text  # Кнапр
    assert "1,970" in text  # the competition coefficient
    assert "Подорожание проката" in text
    assert "внеплановый ремонт" in text
    for caption in ("Экономист цеха", "Начальник участка (мастер)", "Начальник цеха"):
        assert caption in text
    economist = plant.users["economist"]
    # (a kerned pair may come out of pdftotext as two words: «Т етерин»)
    compact = "".join(text.split())
    assert "".join((economist.get_full_name() or economist.username).split()) in compact
    assert "Итоги подвёл" in text
    # the charts are drawn in the document (the SVG's axis labels come out as text)
    assert "1-я декада" in text


def test_the_october_pdf_gives_the_master_26_25_percent(plant):
    text = _text(section_month_pdf(_page(plant, "A1", 2026, 10)))
    assert "26,25" in text
    assert "Ккоэкт" in text


def test_the_pdf_runs_no_queries(plant, django_assert_num_queries):
    page = _page(plant, "A1", 2026, 11)
    with django_assert_num_queries(0):
        section_month_pdf(page)


def test_the_pdf_is_served_to_the_section_s_readers_for_a_month_with_a_result(client, plant):
    a1 = plant.units["A1"].pk
    client.force_login(plant.users["master"])
    response = client.get(reverse("khozraschet:section_month_pdf", args=[a1, 2026, 11]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # September has no result: nothing to print
    assert (
        client.get(reverse("khozraschet:section_month_pdf", args=[a1, 2026, 9])).status_code == 404
    )
    SectionResult.objects.filter(section_id=a1).delete()
    assert (
        client.get(reverse("khozraschet:section_month_pdf", args=[a1, 2026, 11])).status_code == 404
    )
    client.force_login(plant.users["worker"])
    assert (
        client.get(reverse("khozraschet:section_month_pdf", args=[a1, 2026, 10])).status_code == 404
    )
