"""The competition board of a shop (§6): places by year-to-date fulfilment, the screen
mode, the PDF, who sees which shop's board, and its query count.

Shop A of the test world: section A1 (turners) and A2 (millers). Each month June–November
2026 has 168 h and 21 working days; a plan of 2517 norm-hours a year with a time fund of
1982 h gives 213.348… a month, so the plan to October (five months) is 1066.74.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from planning.tracking import selectors
from tests.factories import WorkerFactory, reopened
from tests.planning.factories import MonthlyOutputFactory, PersonalPlanFactory

D = Decimal
MONTH = D(2517) * D(168) / D(1982)


def plan_of(worker, volume="2517"):
    return PersonalPlanFactory(worker=worker, annual_volume=D(volume), annual_time_fund=D("1982"))


def outputs(world, worker, values):
    """Output of June, July, … in order (the closed months reopened for the write)."""
    months = [world.period(2026, 6 + n) for n in range(len(values))]
    closed = [p for p in months if p.is_closed]
    with reopened(*closed):
        for period, value in zip(months, values, strict=True):
            MonthlyOutputFactory(worker=worker, period=period, output=D(value))


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def contest(world):
    """Shop A's contest to October: see the expected places in the first test."""
    a1_first, a1_second = world.workers["A1"]
    a2_first, a2_second = world.workers["A2"]
    twin = WorkerFactory(
        section=world.units["A1"],
        last_name="Яковлев",
        profession=world.professions["turner"],
        pay_condition=world.conditions["piece"],
        grade=4,
    )
    idle = WorkerFactory(
        section=world.units["A2"],
        last_name="Агеев",
        profession=world.professions["miller"],
        pay_condition=world.conditions["piece"],
        grade=3,
    )
    for worker in (a1_first, a2_first, twin, idle):
        plan_of(worker)
    plan_of(a1_second, "2517.5")
    plan_of(world.workers["B1"][0])  # shop B: not on shop A's board
    outputs(world, a1_first, ["200", "210", "220", "230", "240"])  # 1100: 103.118 %
    outputs(world, twin, ["240", "230", "220", "210", "200"])  # 1100 too: the same place
    outputs(world, a1_second, ["220", "220", "220", "220", "220.2"])  # 1100.2: 103.116 %
    outputs(world, a2_first, ["240", "240", "240", "240", "240"])  # 1200: 112.5 %
    outputs(world, world.workers["B1"][0], ["400", "400", "400", "400", "400"])
    # a2_second has no plan: not on the board; idle has a plan and no output: last
    return {
        "a1_first": a1_first,
        "a1_second": a1_second,
        "a2_first": a2_first,
        "a2_second": a2_second,
        "twin": twin,
        "idle": idle,
    }


def test_it_ranks_by_fulfilment_as_shown_then_by_actual(world, contest):
    result = selectors.board(world.units["A"], world.period(2026, 10))
    table = [(row.place, row.worker) for row in result.rows]
    # the world's workers have generated names: the tied pair's order is their names' order
    tied = sorted(
        (contest["a1_first"], contest["twin"]),
        key=lambda w: (w.last_name, w.first_name, w.personnel_number),
    )
    assert table == [
        (1, contest["a2_first"]),
        # 103.1 % both: the larger output (1100.2) goes first
        (2, contest["a1_second"]),
        # equal fulfilment and output: an equal place (then by name)
        (3, tied[0]),
        (3, tied[1]),
        (5, contest["idle"]),
    ]
    first = result.rows[0]
    assert first.plan_ytd == MONTH * 5
    assert first.actual_ytd == D(1200)
    assert first.fulfilment.quantize(D("0.1")) == D("112.5")
    # (1200 − 1066.74) / (213.348 / 21) = +13.1 days
    assert first.lead_lag_days.quantize(D("0.001")) == D("13.117")
    assert first.lead_lag_label == "+13,1"
    assert first.section == world.units["A2"]
    idle = result.rows[-1]
    assert idle.actual_ytd == 0 and idle.fulfilment == 0
    assert idle.lead_lag_label == "\u2212105,0"  # five months of plan behind
    assert [p.month for p in result.months] == [6, 7, 8, 9, 10]
    assert result.months_label == "июнь 2026 — октябрь 2026"


def test_it_counts_only_the_months_up_to_the_chosen_one(world, contest):
    result = selectors.board(world.units["A"], world.period(2026, 7))
    first = result.rows[0]
    assert first.worker == contest["a2_first"]
    assert first.plan_ytd == MONTH * 2 and first.actual_ytd == D(480)


def test_it_marks_the_date_the_annual_plan_was_reached(world, contest):
    small = WorkerFactory(
        section=world.units["A1"],
        profession=world.professions["turner"],
        pay_condition=world.conditions["piece"],
        grade=4,
    )
    plan_of(small, "600")
    outputs(world, small, ["200", "200", "250"])
    result = selectors.board(world.units["A"], world.period(2026, 10))
    row = next(r for r in result.rows if r.worker == small)
    assert row.completion_label == "годовой план выполнен к 31.08.2026"
    assert row.place == 1  # 650 of a plan of 254.3 to October


def test_the_page_shows_the_board_of_the_month_with_output(world, contest):
    response = client_of(world.worker.user).get(
        reverse("planning:board", args=[world.units["A"].pk])
    )
    assert response.status_code == 200
    assert response.context["period"] == world.period(2026, 10)  # November has no output yet
    page = response.content.decode()
    assert 'http-equiv="refresh" content="60"' in page
    assert "Полноэкранный режим" in page
    assert "board-screen" not in page
    assert contest["a2_first"].short_name in page
    assert "112,5" in page and "+13,1" in page and "1\u00a0200,0" in page
    shown = [row.worker_id for row in response.context["board"].rows]
    assert contest["a2_first"].pk in shown and world.workers["B1"][0].pk not in shown


def test_the_screen_mode_hides_the_navigation_and_keeps_refreshing(world, contest):
    url = reverse("planning:board", args=[world.units["A"].pk])
    page = client_of(world.worker.user).get(url, {"screen": "1"}).content.decode()
    assert "board-screen" in page
    assert 'http-equiv="refresh" content="60"' in page
    assert "Выйти из полноэкранного режима" in page
    assert "board.css" in page  # its rules hide the navigation bar


def test_a_worker_sees_his_own_shop_board_and_no_other(world, contest):
    client = client_of(world.worker.user)
    assert client.get(reverse("planning:board_index")).url == reverse(
        "planning:board", args=[world.units["A"].pk]
    )
    assert client.get(reverse("planning:board", args=[world.units["B"].pk])).status_code == 404
    other = reverse("planning:board", args=[world.units["other_shop"].pk])
    assert client_of(world.users["labour"]).get(other).status_code == 404
    labour = client_of(world.users["labour"])
    assert labour.get(reverse("planning:board", args=[world.units["B"].pk])).status_code == 200


def test_a_month_of_another_plant_is_not_found(world, contest):
    from enterprise.models import Period

    other = Period.objects.create(enterprise=world.other_enterprise, year=2026, month=10)
    url = reverse("planning:board", args=[world.units["A"].pk])
    client = client_of(world.users["master"])
    assert client.get(url, {"period": other.pk}).status_code == 404
    assert client.get(url, {"period": "x"}).status_code == 404
    assert client.get(url, {"period": world.period(2026, 8).pk}).status_code == 200


def test_the_pdf_is_the_same_board_on_a4_landscape(world, contest):
    url = reverse("planning:board_pdf", args=[world.units["A"].pk])
    response = client_of(world.users["shop_head"]).get(url, {"period": world.period(2026, 10).pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = reader.pages[0].extract_text()
    assert "Итоги соревнования по личным планам" in text
    # (the text layer spaces the initials its own way and splits a kerned pair, «Т етерин»:
    # the surname is looked for with the spaces taken out)
    leader = contest["a2_first"]
    solid = "".join(text.split())
    assert leader.last_name in solid and leader.personnel_number in text
    assert "112,5" in text and "+13,1" in text


@pytest.mark.parametrize("extra", [0, 15])
def test_the_board_takes_a_constant_number_of_queries(
    world, contest, django_assert_num_queries, extra
):
    for _n in range(extra):
        worker = WorkerFactory(
            section=world.units["A2"],
            profession=world.professions["miller"],
            pay_condition=world.conditions["piece"],
            grade=3,
        )
        plan_of(worker)
        MonthlyOutputFactory(worker=worker, period=world.period(2026, 10), output=D("200"))
    url = reverse("planning:board", args=[world.units["A"].pk])
    client = client_of(world.users["master"])
    # One query more for the rows' fingerprint, and the second request is served from the
    # cache (the fingerprint: on PostgreSQL the rows' versions, on SQLite the versions of
    # their tables).
    with django_assert_num_queries(10):  # the board computed (and cached)
        response = client.get(url, {"period": world.period(2026, 10).pk})
    assert len(response.context["board"].rows) == 5 + extra
    with django_assert_num_queries(7):  # the board from the cache
        again = client.get(url, {"period": world.period(2026, 10).pk})
    assert again.context["rows_html"] == response.context["rows_html"]


# --- the cached board: a changed figure is shown at once, a reader's mark is his own -------


def _board_html(user, world, month=10):
    url = reverse("planning:board", args=[world.units["A"].pk])
    response = client_of(user).get(url, {"period": world.period(2026, month).pk})
    assert response.status_code == 200
    return response.content.decode()


def test_the_cached_board_shows_a_changed_output_at_once(world, contest):
    from planning.tracking.models import MonthlyOutput

    master = world.users["master"]
    assert "112,5" in _board_html(master, world)  # 1200 of 1066.74: now cached
    assert "112,5" in _board_html(master, world)  # (from the cache)
    october = world.period(2026, 10)
    with reopened(*([october] if october.is_closed else [])):
        MonthlyOutput.objects.filter(worker=contest["a2_first"], period=october).update(
            output=D("340")
        )
    page = _board_html(master, world)
    assert "112,5" not in page and "1\u00a0300,0" in page  # 1300 of 1066.74: 121.9 %
    assert "121,9" in page


@pytest.mark.django_db(transaction=True)
def test_the_cached_board_follows_a_closed_month_reopened_and_changed(world, contest):
    """A closed month's output is not read for the fingerprint (it cannot change while the
    month is closed): reopening the month — another transaction — writes its row anew."""
    from planning.tracking.models import MonthlyOutput

    master = world.users["master"]
    june = world.period(2026, 6)
    assert june.is_closed
    assert "112,5" in _board_html(master, world)
    with reopened(june):
        MonthlyOutput.objects.filter(worker=contest["a2_first"], period=june).update(
            output=D("340")
        )
    assert world.period(2026, 6).is_closed
    assert "121,9" in _board_html(master, world)


@pytest.mark.postgres
def test_the_fingerprint_tells_every_version_of_a_row_apart_within_one_transaction(world, contest):
    """One transaction (the test's) updates a worker, back, and back again: each write is a
    new version of the row, in a new place (``ctid``), so each fingerprint differs from all
    the others — the last two rows read the same, and are still told apart. (Telling apart
    rows that read the same is not needed for a correct page, only harmless; what is needed
    is that no changed row keeps its fingerprint.)"""
    from enterprise.models import Worker
    from planning.tracking.pages import board_fingerprint

    shop, period = world.units["A"], world.period(2026, 10)
    worker = contest["a2_first"]
    seen = [board_fingerprint(shop, period)]
    for name in ("Переименованный", worker.last_name, worker.last_name):
        Worker.objects.filter(pk=worker.pk).update(last_name=name)
        seen.append(board_fingerprint(shop, period))
    assert None not in seen
    assert len(set(seen)) == 4


@pytest.mark.postgres
def test_the_fingerprint_follows_a_plans_figures_not_its_signatures(world, contest):
    """Of a plan, the board shows what its status, volume and time fund make: a signature
    that leaves the plan agreed keeps the board as it is (cached), a changed figure or the
    status the last signature gives change it, and a figure set back reads as before."""
    from django.utils import timezone

    from planning.plans.models import PersonalPlan
    from planning.tracking.pages import board_fingerprint

    shop, period = world.units["A"], world.period(2026, 10)
    plan = PersonalPlan.objects.filter(worker=contest["a2_first"]).get()
    rows = PersonalPlan.objects.filter(pk=plan.pk)
    first = board_fingerprint(shop, period)
    rows.update(master_signed_at=timezone.now(), economist_signed_at=timezone.now())
    assert board_fingerprint(shop, period) == first
    changed = set()
    for column, value in (
        ("annual_volume", D("2769")),
        ("annual_time_fund", plan.annual_time_fund + 1),
        ("unit", "шт."),
        ("status", PersonalPlan.Status.SUPERSEDED),
        (
            "section_id",
            world.units["A1"].pk
            if plan.section_id != world.units["A1"].pk
            else world.units["A2"].pk,
        ),
    ):
        rows.update(**{column: value})
        changed.add(board_fingerprint(shop, period))
        rows.update(**{column: getattr(plan, column)})
        assert board_fingerprint(shop, period) == first, column
    assert first not in changed and len(changed) == 5


def test_the_cached_board_follows_the_plans_workers_and_months(world, contest):
    from enterprise.models import Period, Worker
    from planning.plans.models import PersonalPlan

    master = world.users["master"]
    leader = contest["a2_first"]
    assert "112,5" in _board_html(master, world)
    # the plan: 2517 → 2769 a year, so 1200 of 1173.6 to October is 102.25… %
    PersonalPlan.objects.filter(worker=leader).update(annual_volume=D("2769"))
    assert "102,3" in _board_html(master, world)
    Worker.objects.filter(pk=leader.pk).update(last_name="Переименованный")
    assert "Переименованный" in _board_html(master, world)
    # a month's hours: October's 168 → 190 makes the plan to October 1094.67: 109.6 %
    PersonalPlan.objects.filter(worker=leader).update(annual_volume=D("2517"))
    october = world.period(2026, 10)
    with reopened(*([october] if october.is_closed else [])):
        Period.objects.filter(pk=october.pk).update(working_hours=D("190"))
    assert "109,6" in _board_html(master, world)


def test_the_cached_board_marks_only_the_readers_own_row(world, contest):
    worker = world.worker
    board = selectors.board(world.units["A"], world.period(2026, 10))
    if not any(row.worker == worker for row in board.rows):
        plan_of(worker)
    own = _board_html(worker.user, world)
    assert own.count('data-testid="board-mine"') == 1 and "это вы" in own
    other = _board_html(world.users["master"], world)  # the same cached rows
    assert 'data-testid="board-mine"' not in other and "это вы" not in other
    assert 'data-testid="board-mine"' in _board_html(worker.user, world)
