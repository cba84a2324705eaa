"""The demo plant's brigades (``brigades.demo``, run by ``load_demo``).

The demo is loaded once for the session (tests/conftest.py, ``loaded_demo``);
each test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from brigades import demo as brigades_demo
from brigades.generate import MAX_SIZE, MIN_SIZE, WORKERS_PER_BRIGADE, distribute_month
from brigades.models import Brigade, Distribution, Ktu, KtuCriterion, Post
from brigades.selectors import check_totals
from brigades.services import distribution_compute
from enterprise import demo
from enterprise.models import Enterprise, HistoryRecord, Period
from enterprise.permissions import can
from enterprise.tracking import acting_as
from planning.tracking.demo import EARLY_MONTHS
from tests.conftest import GENERATED_SEED, GENERATED_WORKERS

D = Decimal
TABLE_18_TOTALS = ["190.85", "142.98", "134.12", "134.12", "136.75", "166.72", "148.30"]
TABLE_19_PAY = ["255.93", "82.15", "184.05", "255.93", "244.92"]
TABLE_19_KTU = ["1.00", "0.85", "1.05", "1.00", "1.10"]
MONTHS = [month for _, month in demo.DEMO_MONTHS]  # June … November 2026
STATUSES = {6: "approved", 7: "approved", 8: "approved", 9: "approved", 10: "agreed", 11: "draft"}


# It needs an empty database: it runs outside the shared demo (tests/conftest.py).
@pytest.mark.django_db
def test_a_plant_loaded_before_the_brigades_gets_them_and_its_months_closed_again():
    # The enterprise's demo alone: June–September closed with no brigades in them.
    demo.load_demo(steps=[*demo.BASE_STEPS, *demo.CLOSING_STEPS])
    plant = _enterprise()
    assert not Brigade.objects.filter(enterprise=plant).exists()
    # The brigades' steps as the full load runs them (the first app's: right after the
    # enterprise's), without the other apps' (their own modules load them so).
    steps = [*demo.BASE_STEPS, *brigades_demo.DEMO_STEPS, *demo.CLOSING_STEPS]
    assert demo.app_steps()[: len(brigades_demo.DEMO_STEPS)] == brigades_demo.DEMO_STEPS
    demo.load_demo(steps=steps)
    june = _months(_brigade(plant, 6, 3))[6]
    assert june.status == Distribution.Status.APPROVED
    assert Period.objects.get(enterprise=plant, year=2026, month=6).is_closed
    history = HistoryRecord.objects.count()
    demo.load_demo(steps=steps)
    assert HistoryRecord.objects.count() == history


@pytest.fixture
def plant(loaded_demo):
    return _enterprise()


def _enterprise() -> Enterprise:
    return Enterprise.objects.get(name=demo.ENTERPRISE_NAME)


def _user(username):
    return get_user_model().objects.get(username=username)


def _brigade(plant, shop: int, section: int, number: int = 1) -> Brigade:
    return Brigade.objects.get(
        enterprise=plant, section__shop__number=shop, section__number=section, number=number
    )


def _months(brigade) -> dict[int, Distribution]:
    return {
        d.period.month: d
        for d in Distribution.objects.filter(brigade=brigade, corrects=None).select_related(
            "period"
        )
    }


def _by_table(distribution, numbers) -> list[str]:
    """Each member's pay (tariff + surplus + bonus + savings) in the table's order."""
    totals = {}
    for line in distribution.lines.select_related("worker"):
        key = line.worker.personnel_number
        totals[key] = totals.get(key, D("0.00")) + line.total - line.surcharge
    return [str(totals[number]) for number in numbers]


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


# --- the brigades --------------------------------------------------------------------------


def test_the_brigades_of_tables_18_and_19_with_leaders_and_councils(plant):
    table_18 = _brigade(plant, 6, 3)
    table_19 = _brigade(plant, 6, 1)
    assert table_18.method == Brigade.Method.TARIFF
    assert table_19.method == Brigade.Method.KTU
    assert sorted(table_18.memberships.values_list("worker__personnel_number", flat=True)) == [
        number for number, _ in demo.TABLE_18_BRIGADE
    ]
    assert sorted(table_19.memberships.values_list("worker__personnel_number", flat=True)) == [
        number for number, _, _ in demo.TABLE_19_BRIGADE
    ]
    leader = table_19.leader_on(timezone.localdate())
    assert leader.worker.personnel_number == demo.TABLE_19_LEADER
    assert leader.worker.user == _user("leader61")
    assert table_18.leader_on(timezone.localdate()).worker.user == _user("leader63")
    for brigade in (table_18, table_19):
        assert brigade.posts.filter(kind=Post.Kind.COUNCIL).count() >= 2
    assert Brigade.objects.filter(enterprise=plant).count() >= 3
    # another brigade of section 6.1, which its leader may see but not edit
    other = _brigade(plant, 6, 1, number=2)
    november = _months(other)[11]
    assert can(_user("master61"), "distribution.edit", november)
    assert not can(_user("leader61"), "distribution.edit", november)
    assert can(_user("leader61"), "distribution.edit", _months(table_19)[11])


def test_the_enterprise_has_ktu_criteria_raising_and_cutting(plant):
    criteria = dict(KtuCriterion.objects.filter(enterprise=plant).values_list("name", "adjustment"))
    assert criteria["Совмещение профессий"] == D("0.20")
    assert criteria["Нарушение трудовой дисциплины"] == D("-0.30")
    assert criteria["Невыполнение заданий бригадира"] == D("-0.15")
    assert len(criteria) == len(brigades_demo.KTU_CRITERIA)


def test_the_master_and_leader_of_section_6_3_log_in(plant, client):
    for username in ("master63", "leader63"):
        assert client.login(
            request=HttpRequest(), username=username, password=demo.DEMO_PASSWORD
        ), username
        client.logout()


# --- the months ----------------------------------------------------------------------------


def test_table_18_june_is_approved_with_the_exact_shares(plant):
    june = _months(_brigade(plant, 6, 3))[6]
    assert june.status == Distribution.Status.APPROVED
    assert june.method == Brigade.Method.TARIFF
    assert june.piecework == D("1053.84")
    assert june.tariff_total == D("707.27")
    numbers = [number for number, _ in demo.TABLE_18_BRIGADE]
    assert _by_table(june, numbers) == TABLE_18_TOTALS
    # the leader (grade 6) is paid his surcharge over the split (table 16):
    # 0.767 × 167 = 128.09 × 10 % = 12.809 → 12.81
    leader = june.brigade.leader_on(june.period.end)
    assert [(s.worker_id, s.amount) for s in june.surcharges.all()] == [
        (leader.worker_id, D("12.81"))
    ]
    assert sum(line.total for line in june.lines.all()) == D("1053.84") + D("12.81")
    assert june.approved_by == _user("shop6")
    assert june.drafted_by != june.approved_by


def test_table_19_june_to_september_pay_by_ktu_from_the_criteria(plant):
    months = _months(_brigade(plant, 6, 1))
    numbers = [number for number, _, _ in demo.TABLE_19_BRIGADE]
    for month in (6, 7, 8, 9):
        document = months[month]
        assert document.status == Distribution.Status.APPROVED
        assert document.method == Brigade.Method.KTU
        assert document.piecework == D("1022.98")
        assert _by_table(document, numbers) == TABLE_19_PAY
        ktus = {k.worker.personnel_number: k for k in Ktu.objects.filter(distribution=document)}
        assert [str(ktus[number].value) for number in numbers] == TABLE_19_KTU
        assert [a["name"] for a in ktus["6102"].adjustments] == ["Невыполнение заданий бригадира"]
        for number, ktu in ktus.items():
            adjustments = sum((D(a["adjustment"]) for a in ktu.adjustments), D("0"))
            assert D("1") + adjustments == ktu.value, number
        assert document.drafted_by == _user("leader61")
        assert document.approved_by == _user("shop6")


def test_statuses_by_month(plant):
    for shop, section in ((6, 3), (6, 1)):
        months = _months(_brigade(plant, shop, section))
        assert sorted(months) == MONTHS
        assert {month: d.status for month, d in months.items()} == STATUSES
        october = months[10]
        assert october.agreed_by is not None and october.council_minutes
        assert october.approved_by is None
        assert can(_user("shop6"), "distribution.approve", october)
    # the plant's own months, and January–May that the personal plans' tracking adds closed
    closed = set(demo.CLOSED_MONTHS) | {(2026, month) for month in EARLY_MONTHS}
    for period in Period.objects.filter(enterprise=plant):
        assert period.is_closed == ((period.year, period.month) in closed)


def test_november_of_table_19_is_a_draft_partly_entered_for_leader61(plant):
    november = _months(_brigade(plant, 6, 1))[11]
    assert november.status == Distribution.Status.DRAFT
    assert november.drafted_by == _user("leader61")
    hours = [line.hours for line in november.lines.all()]
    assert any(h > 0 for h in hours) and any(h == 0 for h in hours)
    assert november.piecework == D("0.00")


def test_no_document_is_approved_by_its_drafter_and_every_split_adds_up(plant):
    documents = Distribution.objects.filter(enterprise=plant)
    assert documents.filter(status=Distribution.Status.APPROVED).count() >= 16
    for document in documents:
        assert document.drafted_by_id != document.approved_by_id
        lines = list(document.lines.all())
        if document.status != Distribution.Status.DRAFT:
            assert sum(line.tariff + line.surplus for line in lines) == document.piecework
            assert sum(line.bonus for line in lines) == document.bonus
            assert sum(line.savings for line in lines) == document.savings


def test_a_member_promoted_mid_month_has_two_lines(plant):
    august = _months(_brigade(plant, 1, 1))[8]
    lines = list(august.lines.filter(worker__personnel_number="1104").order_by("date_from"))
    assert [line.grade for line in lines] == [3, 4]


# --- loading -------------------------------------------------------------------------------


def test_a_second_load_changes_nothing_and_adds_no_history(plant):
    counts = _row_counts()
    history = HistoryRecord.objects.count()
    documents = list(Distribution.objects.order_by("pk").values())
    out = io.StringIO()
    demo.load_demo(stdout=out)
    assert _row_counts() == counts
    assert HistoryRecord.objects.count() == history
    assert list(Distribution.objects.order_by("pk").values()) == documents
    assert "leader63" in out.getvalue() and "master63" in out.getvalue()


# --- the plant generator (``generate_plant``) ------------------------------------------------


def test_the_generator_makes_brigades_with_leaders_and_their_latest_month(generated_plant):
    plant = generated_plant
    brigades = list(Brigade.objects.filter(enterprise=plant).select_related("section"))
    assert 25 <= len(brigades) <= round(GENERATED_WORKERS / WORKERS_PER_BRIGADE)
    for brigade in brigades:
        members = list(brigade.memberships.select_related("worker"))
        assert MIN_SIZE <= len(members) <= MAX_SIZE
        assert {m.worker.section_id for m in members} == {brigade.section_id}
        assert brigade.posts.filter(kind=Post.Kind.LEADER).count() == 1
        assert brigade.posts.filter(kind=Post.Kind.COUNCIL).count() >= 2
    periods = list(Period.objects.filter(enterprise=plant).order_by("year", "month"))
    documents = Distribution.objects.filter(enterprise=plant)
    latest = documents.filter(period=periods[-1])
    assert latest.count() == len(brigades)
    assert set(latest.values_list("status", flat=True)) == {Distribution.Status.DRAFT}
    assert set(documents.filter(period=periods[0]).values_list("status", flat=True)) == {
        Distribution.Status.APPROVED
    }
    assert periods[0].is_closed and not periods[-1].is_closed
    for document in documents:
        lines = list(document.lines.all())
        assert document.piecework > 0 and any(line.hours > 0 for line in lines)
        assert check_totals(document, lines) == []
    # computed as the service computes: recomputing the drafts changes nothing
    history = HistoryRecord.objects.count()
    for document in latest.select_related("period"):
        distribution_compute(document)
    assert HistoryRecord.objects.count() == history


def test_distribute_month_gives_what_the_service_gives_and_records_history(generated_plant):
    plant = generated_plant
    period = Period.objects.filter(enterprise=plant).order_by("-year", "-month").first()
    drafts = Distribution.objects.filter(enterprise=plant, period=period)
    drafts.update(piecework=F("piecework") + D("1.00"))
    history = HistoryRecord.objects.count()
    otiz = get_user_model().objects.get(username=f"gen-otiz-{GENERATED_SEED}")
    with acting_as(otiz):
        assert distribute_month(plant, period) == drafts.count()
    recorded = HistoryRecord.objects.filter(pk__gt=0).order_by("-pk")[: drafts.count()]
    assert HistoryRecord.objects.count() > history + drafts.count()
    assert {record.actor for record in recorded} == {otiz}
    for document in drafts:
        assert check_totals(document, list(document.lines.all())) == []
    history = HistoryRecord.objects.count()
    for document in drafts.select_related("period"):
        distribution_compute(document)
    assert HistoryRecord.objects.count() == history
    assert distribute_month(plant, period) == drafts.count()  # nothing left to change
    assert HistoryRecord.objects.count() == history


# The rebuild of a plant with its brigades (``--replace``) is checked on a small plant with
# the other apps' rebuilds: tests/test_generate_plant.py.
