"""The statistics of shop A for the first quarter of 2026, against figures computed by hand.

Meetings of shop A (the shop has four workers):
  15.01 held, 2 present of 4; agenda: 2 organisation, 1 report, 3 proposals, 1 major
  15.02 held, 3 present of 4; agenda: 2 proposals
  15.03 planned (not counted); shop B's 20.01 meeting counts only for the plant.
  Agenda 2/1/5/1 of 9: 222.2…, 111.1…, 555.5…, 111.1… tenths → 22.2, 11.1, 55.6 (the one
  tenth left goes to the largest remainder, 5/9), 11.1 — 100.0; proposals with the major
  ones 66.7. Participation 5 of 8 = 62.5 % (January 50.0, February 75.0).

Proposals of shop A submitted in the quarter, figures as of 31.03 (the period's end):
  P1 05.01, bureau 10.01 (5 d), passed 12.01, agreed 20.01 (8 d), implemented 01.02
  P2 10.01, rejected by the bureau 30.01 (20 d: late)
  P3 01.02, bureau 10.02 (9 d), passed 11.02, no answer (48 d on 31.03: late, term 30)
  P4 01.03, not reviewed (30 d: late)
  P5 25.03, not reviewed (6 d)
  P6 15.02, bureau 20.02 (5 d), passed 21.02, declined 01.03 (8 d)
  P7 20.01, reviewed only on 05.04 — after the period: unanswered on 31.03 (70 d: late)
  (P8 of 20.12.2025 and shop B's P9 are outside.)
  Bureau: 4 answered (5, 20, 9, 5 d) → median (5 + 9) / 2 = 7, 90th percentile the 4th of
  4 = 20; 3 unanswered; 3 late (P2, P4, P7); implemented 1 of 7 = 14.3 %, unanswered
  3 of 7 = 42.9 %. Administration: P1, P3, P6 passed; 2 answered in 8 d → median 8,
  90th 8; 1 late (P3).
  Outcomes: implemented 1, rejected 2 (P2, P6), dropped 0, under way 1 (P3), never
  answered 3 (P4, P5, P7). Open on 31.03: P3 58 d, P4 30 d, P5 6 d, P7 70 d → buckets
  0–15: 1, 16–30: 1, 31–60: 1, 61–90: 1, over 90: 0.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from meetings import selectors
from meetings.models import AgendaItem, Meeting, Proposal
from meetings.pdf import render_statistics
from tests.meetings.worlds import commission, meeting

pytestmark = pytest.mark.django_db
D = Decimal


def day(month: int, d: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, d)


def _agenda(meeting_, *kinds):
    for order, kind in enumerate(kinds, start=1):
        AgendaItem.objects.create(
            meeting=meeting_,
            order=order,
            title=f"Вопрос {order}",
            kind="proposal" if kind == "major" else kind,
            major=kind == "major",
        )


def _proposal(world, number, submitted, *, shop="A", status="submitted", **dates):
    return Proposal.objects.create(
        enterprise=world.enterprise,
        number=number,
        shop=world.units[shop],
        title=f"Предложение {number}",
        problem="Плохо",
        solution="Сделать лучше",
        submitted_on=submitted,
        review_due=submitted + datetime.timedelta(days=15),
        status=status,
        **dates,
    )


@pytest.fixture
def quarter(world):
    shop_a = commission(world.enterprise, world.units["A"])
    shop_b = commission(world.enterprise, world.units["B"])
    workers = world.workers["A1"] + world.workers["A2"]
    january = meeting(shop_a, date=day(1, 15), number=1)
    january.attendees.set(workers[:2])
    _agenda(january, "organisation", "organisation", "report", "proposal", "proposal",
            "proposal", "major")  # fmt: skip
    february = meeting(shop_a, date=day(2, 15), number=2)
    february.attendees.set(workers[:3])
    _agenda(february, "proposal", "proposal")
    march = meeting(shop_a, date=day(3, 15), number=3, status=Meeting.Status.PLANNED)
    _agenda(march, "report")
    b = meeting(shop_b, date=day(1, 20), number=1, headcount=2)
    b.attendees.set(world.workers["B1"][:1])
    _agenda(b, "report")
    _proposal(
        world,
        1,
        day(1, 5),
        status="implemented",
        reviewed_on=day(1, 10),
        passed_on=day(1, 12),
        answered_on=day(1, 20),
        implemented_on=day(2, 1),
    )
    _proposal(world, 2, day(1, 10), status="rejected", reviewed_on=day(1, 30))
    _proposal(world, 3, day(2, 1), status="passed", reviewed_on=day(2, 10), passed_on=day(2, 11))
    _proposal(world, 4, day(3, 1))
    _proposal(world, 5, day(3, 25))
    _proposal(
        world,
        6,
        day(2, 15),
        status="declined",
        reviewed_on=day(2, 20),
        passed_on=day(2, 21),
        answered_on=day(3, 1),
    )
    _proposal(world, 7, day(1, 20), status="accepted", reviewed_on=day(4, 5))
    _proposal(world, 8, day(12, 20, 2025))
    _proposal(world, 9, day(3, 5), shop="B")  # fmt: skip
    return world


def _shop_a(world):
    return next(u for u in selectors.stats_units(world.users["shop_head"]) if not u.is_plant)


def test_shop_a_in_the_first_quarter(quarter):
    stats = selectors.statistics(_shop_a(quarter), day(1, 1), day(3, 31), day(4, 10))
    assert stats.as_of == day(3, 31)
    assert stats.meetings_held == 2
    assert [(row.code, row.count, row.share) for row in stats.agenda] == [
        ("organisation", 2, D("22.2")),
        ("report", 1, D("11.1")),
        ("proposal", 5, D("55.6")),
        ("major", 1, D("11.1")),
        ("other", 0, D("0.0")),
    ]
    assert sum(row.share for row in stats.agenda) == D("100.0")
    assert stats.proposals_share == D("66.7")
    assert (stats.present, stats.headcount, stats.participation) == (5, 8, D("62.5"))
    assert [(m.label, m.rate) for m in stats.months] == [
        ("01.2026", D("50.0")),
        ("02.2026", D("75.0")),
    ]
    review = stats.review
    assert (review.total, review.answered, review.unanswered, review.overdue) == (7, 4, 3, 3)
    assert (review.median_answer_days, review.p90_answer_days) == (D("7"), 20)
    assert (review.implemented, review.implemented_share) == (1, D("14.3"))
    assert review.unanswered_share == D("42.9")
    answer = stats.answer
    assert (answer.total, answer.answered, answer.overdue) == (3, 2, 1)
    assert (answer.median_answer_days, answer.p90_answer_days) == (D("8"), 8)
    o = stats.outcomes
    assert (o.implemented, o.rejected, o.dropped, o.in_progress, o.never_answered) == (
        1,
        2,
        0,
        1,
        3,
    )
    assert o.still_open == 4
    assert [b.count for b in stats.ageing] == [1, 1, 1, 1, 0]
    assert (stats.review_days, stats.answer_days) == (15, 30)


def test_the_plant_adds_shop_b(quarter):
    plant = next(u for u in selectors.stats_units(quarter.users["production_head"]) if u.is_plant)
    stats = selectors.statistics(plant, day(1, 1), day(3, 31), day(4, 10))
    assert stats.meetings_held == 3
    assert (stats.present, stats.headcount, stats.participation) == (6, 10, D("60.0"))
    assert stats.agenda[1].count == 2  # shop B's report
    assert stats.review.total == 8  # P9 of shop B, never answered
    assert stats.outcomes.never_answered == 4


def test_the_shop_head_reads_his_shop_and_not_the_plant(quarter):
    units = selectors.stats_units(quarter.users["shop_head"])
    assert [u.shop_id for u in units] == [quarter.units["A"].pk]
    assert not selectors.stats_units(quarter.users["brigade_leader"])


def test_the_page_shows_the_figures_in_a_pinned_number_of_queries(
    quarter, client, django_assert_max_num_queries
):
    client.force_login(quarter.users["shop_head"])
    url = reverse("meetings:stats")
    query = {"date_from": "2026-01-01", "date_to": "2026-03-31"}
    with django_assert_max_num_queries(14):
        response = client.get(url, query)
    assert response.status_code == 200
    text = response.content.decode()
    assert "55,6" in text and "66,7" in text and "62,5" in text and "42,9" in text
    assert text.count("<svg") >= 4


def test_the_page_s_tables_read_as_cards_on_a_phone(quarter, client):
    """At 390 px the page was 682 px wide (six columns of the answer times): every table
    is a ``table-cards`` one, each row's name its title and each figure labelled with its
    column's heading, which the phone shows above it."""
    client.force_login(quarter.users["shop_head"])
    response = client.get(
        reverse("meetings:stats"), {"date_from": "2026-01-01", "date_to": "2026-03-31"}
    )
    html = response.content.decode()
    tables = re.findall(r'<table class="([^"]*)" data-testid="(stats-[a-z]+)"', html)
    assert [name for _css, name in tables] == [
        "stats-agenda", "stats-outcomes", "stats-times", "stats-ageing", "stats-participation",
    ]  # fmt: skip
    assert all("table-cards" in css.split() for css, _name in tables)
    times = html[html.index('data-testid="stats-times"') :]
    answer = re.search(r'<tr data-step="answer">(.*?)</tr>', times, re.S).group(1)
    cells = re.findall(r"<td([^>]*)>(.*?)</td>", answer, re.S)
    assert 'class="tc-title"' in cells[0][0] and "Ответ администрации" in cells[0][1]
    labels = [re.search(r'data-label="([^"]*)"', attrs).group(1) for attrs, _ in cells[1:]]
    assert labels == ["Срок", "Ответов", "Медиана", "90-й процентиль", "Просрочено"]
    ageing = html[html.index('data-testid="stats-ageing"') :].split("</table>", 1)[0]
    assert 'data-label="0–15 дн."' in ageing
    # the PDF's tables stay plain
    pdf_html = render_to_string(
        "meetings/_stats_tables.html", {"table_class": "list", "stats": response.context["stats"]}
    )
    assert "table-cards" not in pdf_html


def test_a_refused_period_is_said_next_to_its_field(quarter, client):
    client.force_login(quarter.users["shop_head"])
    response = client.get(
        reverse("meetings:stats"), {"date_from": "2026-04-01", "date_to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "Конец периода раньше его начала." in response.content.decode()
    assert response.context["stats"] is None


def test_the_pdf_renders_the_same_figures(quarter, django_assert_num_queries):
    from pypdf import PdfReader

    stats = selectors.statistics(_shop_a(quarter), day(1, 1), day(3, 31), day(4, 10))
    with django_assert_num_queries(0):
        content = render_statistics(stats)
    assert content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Производственные совещания и предложения рабочих" in text
    for figure in ("22,2", "55,6", "66,7", "62,5", "14,3", "42,9"):
        assert figure in text, figure


def test_a_pdf_tables_caption_is_not_left_alone_at_the_foot_of_a_page():
    # the plant's year put «Очередь открытых предложений…» at the foot of page 1 and its
    # table on page 2: the tables avoid breaking inside, but their captions did not stay
    # with them
    import re

    from django.template.loader import get_template

    from meetings.pdf import TEMPLATE

    source = get_template(TEMPLATE).template.source
    rule = re.search(r"\.list caption \{([^}]*)\}", source)
    assert rule is not None and "break-after: avoid" in rule.group(1)


def test_the_pdf_is_served_to_the_shop_head(quarter, client):
    client.force_login(quarter.users["shop_head"])
    response = client.get(
        reverse("meetings:stats_pdf"), {"date_from": "2026-01-01", "date_to": "2026-03-31"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
