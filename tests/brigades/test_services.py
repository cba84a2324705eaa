"""The brigade's month through the services: tables 18 and 19 end to end, membership over
time, KTU, sign-off, rights, closed months, history, edge cases and query counts.

The brigades of tables 18 and 19 work in section A1 from October 2026 (see conftest);
the world's master of A1 keeps the timesheet unless a test says otherwise, and the shop
head of shop A approves.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from brigades import rules
from brigades.models import Brigade, Distribution, Ktu, Line, Membership
from brigades.permissions import may_approve
from brigades.selectors import check_totals
from brigades.services import (
    TimesheetRow,
    distribution_agree,
    distribution_approve,
    distribution_compute,
    distribution_correct,
    distribution_open,
    distribution_return,
    ktu_set,
    membership_add,
    membership_change,
    membership_end,
    timesheet_save,
)
from enterprise.models import HistoryRecord
from enterprise.models.roles import Role
from enterprise.permissions import can
from enterprise.tracking import PeriodClosedError
from tests.brigades.conftest import D, make_crew
from tests.brigades.factories import KtuCriterionFactory, MembershipFactory
from tests.factories import RoleAssignmentFactory, WorkerFactory, close_as_is, reopened

TABLE_18_TARIFF = ["128.09", "95.96", "90.01", "90.01", "91.78", "111.89", "99.53"]
TABLE_18_TOTALS = ["190.85", "142.98", "134.12", "134.12", "136.75", "166.72", "148.30"]
TABLE_19_TARIFF = ["106.66", "37.52", "74.53", "106.66", "96.45"]
TABLE_19_KTU = ["1.00", "0.85", "1.05", "1.00", "1.10"]
TABLE_19_SURPLUS = ["149.27", "44.63", "109.52", "149.27", "148.47"]
TABLE_19_PAY = ["255.93", "82.15", "184.05", "255.93", "244.92"]


def ds(values) -> list[Decimal]:
    return [D(v) for v in values]


def _state(distribution) -> dict:
    """The stored document, its lines and KTU (to compare before and after a refusal)."""
    return {
        "distribution": Distribution.objects.filter(pk=distribution.pk).values().get(),
        "lines": list(Line.objects.filter(distribution=distribution).order_by("pk").values()),
        "ktus": list(Ktu.objects.filter(distribution=distribution).order_by("pk").values()),
    }


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _mark() -> int:
    return HistoryRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def criteria(world):
    """The cuts and raises the council applies in table 19."""
    return {
        "discipline": KtuCriterionFactory(
            enterprise=world.enterprise, name="Нарушение дисциплины", adjustment=D("-0.15")
        ),
        "helping": KtuCriterionFactory(
            enterprise=world.enterprise, name="Помощь другим членам бригады", adjustment=D("0.05")
        ),
        "combining": KtuCriterionFactory(
            enterprise=world.enterprise, name="Совмещение профессий", adjustment=D("0.10")
        ),
    }


@pytest.fixture
def sheet19(table19, october, master, criteria):
    """Table 19 as the council set it: KTU 1.0, 0.85, 1.05, 1.0, 1.1, total 1022.98."""
    distribution = table19.open(master, october)
    workers = table19.workers
    for worker, applied in (
        (workers[1], ["discipline"]),
        (workers[2], ["helping"]),
        (workers[4], ["combining"]),
    ):
        ktu_set(
            distribution=distribution,
            worker=worker,
            criteria=[criteria[name] for name in applied],
            user=master,
        )
    return table19.earn(distribution, master, "1022.98")


@pytest.fixture
def sheet18(table18, october, master):
    """Table 18 filled in and earned (method A, 1053.84), still a draft."""
    distribution = table18.open(master, october, Brigade.Method.TARIFF)
    return table18.earn(distribution, master, "1053.84")


@pytest.fixture
def agreed18(sheet18, leader):
    return distribution_agree(
        distribution=sheet18, minutes="Протокол № 10 от 02.11.2026", user=leader
    )


@pytest.fixture
def approved18(agreed18, shop_head):
    return distribution_approve(distribution=agreed18, user=shop_head)


# --- table 18: method A ------------------------------------------------------------------------


def test_it_opens_a_month_with_a_line_per_member_over_the_whole_month(table18, october, master):
    distribution = table18.open(master, october, hours=False)
    assert distribution.status == Distribution.Status.DRAFT
    assert distribution.method == Brigade.Method.TARIFF
    assert distribution.drafted_by == master
    lines = table18.lines(distribution)
    assert [(line.date_from, line.date_to) for line in lines] == [
        (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    ] * 7
    assert [line.grade for line in lines] == [6, 4, 3, 3, 4, 5, 4]
    assert [line.rate for line in lines] == ds(
        ["0.767", "0.596", "0.539", "0.539", "0.596", "0.670", "0.596"]
    )
    assert all(line.period_id == october.pk for line in lines)


def test_it_splits_table_18_by_tariff_and_hours(table18, sheet18):
    sheet18.refresh_from_db()
    lines = table18.lines(sheet18)
    assert [line.hours for line in lines] == ds(["167", "161", "167", "167", "154", "167", "167"])
    assert [line.tariff for line in lines] == ds(TABLE_18_TARIFF)
    assert [line.tariff + line.surplus for line in lines] == ds(TABLE_18_TOTALS)
    # the leader (grade 6) is paid his surcharge over the split, in his line (table 16):
    # 0.767 × 167 = 128.09 × 10 % = 12.809 → 12.81
    assert [line.surcharge for line in lines] == ds(["12.81"] + ["0.00"] * 6)
    assert [line.total - line.surcharge for line in lines] == ds(TABLE_18_TOTALS)
    assert sum(line.total for line in lines) == D("1053.84") + D("12.81")
    assert sheet18.tariff_total == D("707.27")
    assert rules.coefficient_display(sheet18.coefficient) == D("1.4900")
    assert sheet18.below_tariff is False
    assert check_totals(sheet18, lines) == []


def test_it_splits_the_bonus_and_savings_by_tariff_in_method_a(table18, sheet18, master):
    table18.earn(sheet18, master, "1053.84", bonus="100.00", savings="7.07")
    lines = table18.lines(sheet18)
    tariff = ds(TABLE_18_TARIFF)
    # Members 3 and 4 have the same Тз: which one gets the odd kopeck is the stable order's.
    assert sorted(line.bonus for line in lines) == sorted(rules.allocate(D("100.00"), tariff))
    assert sorted(line.savings for line in lines) == sorted(rules.allocate(D("7.07"), tariff))
    assert sum(line.bonus for line in lines) == D("100.00")
    assert sum(line.savings for line in lines) == D("7.07")
    assert sum(line.total for line in lines) == D("1160.91") + D("12.81")  # + the surcharge


def test_it_refuses_a_second_document_for_the_same_month(table18, sheet18, october, master):
    with pytest.raises(ValidationError) as caught:
        distribution_open(brigade=table18.brigade, period=october, user=master)
    assert "уже есть" in _messages(caught.value)
    assert Distribution.objects.filter(brigade=table18.brigade).count() == 1


# --- table 19: method D ------------------------------------------------------------------------


def test_it_builds_the_ktu_from_the_base_and_the_criteria(table19, sheet19, criteria):
    ktus = {k.worker_id: k for k in sheet19.ktus.all()}
    assert len(ktus) == 3
    cut = ktus[table19.workers[1].pk]
    assert cut.value == D("0.85")
    assert cut.adjustments == [
        {
            "criterion": criteria["discipline"].pk,
            "name": "Нарушение дисциплины",
            "adjustment": "-0.15",
        }
    ]
    assert ktus[table19.workers[2].pk].value == D("1.05")
    assert ktus[table19.workers[4].pk].value == D("1.10")


def test_it_splits_table_19_surplus_by_ktu(table19, sheet19):
    sheet19.refresh_from_db()
    lines = table19.lines(sheet19)
    assert [line.tariff for line in lines] == ds(TABLE_19_TARIFF)
    assert [line.surplus for line in lines] == ds(TABLE_19_SURPLUS)
    assert [line.total for line in lines] == ds(TABLE_19_PAY)
    assert sum(line.total for line in lines) == D("1022.98")
    assert sheet19.tariff_total == D("421.82")
    assert rules.coefficient_display(sheet19.coefficient) == D("1.3995")
    assert sheet19.below_tariff is False


def test_it_splits_the_bonus_and_savings_of_table_19_by_tariff_times_ktu(table19, sheet19, master):
    sheet19 = table19.earn(sheet19, master, "1022.98", bonus="100.00", savings="33.33")
    lines = table19.lines(sheet19)
    weights = [t * k for t, k in zip(ds(TABLE_19_TARIFF), ds(TABLE_19_KTU), strict=True)]
    assert sum(weights) == D("429.5635")
    # 100 × Тз × KTU / 429.5635, floored, the 4 kopecks left to the largest remainders
    assert [line.bonus for line in lines] == ds(["24.83", "7.42", "18.22", "24.83", "24.70"])
    assert [line.savings for line in lines] == rules.allocate(D("33.33"), weights)
    assert sum(line.bonus for line in lines) == D("100.00")
    assert sum(line.savings for line in lines) == D("33.33")
    assert [line.total for line in lines] == [
        pay + line.bonus + line.savings for pay, line in zip(ds(TABLE_19_PAY), lines, strict=True)
    ]
    assert check_totals(sheet19, lines) == []


def test_it_splits_the_surplus_by_tariff_when_every_ktu_is_zero(world, table19, october, master):
    distribution = table19.open(master, october)
    idle = KtuCriterionFactory(enterprise=world.enterprise, name="Простой", adjustment=D("-1.00"))
    for worker in table19.workers:
        ktu_set(distribution=distribution, worker=worker, criteria=[idle], user=master)
    table19.earn(distribution, master, "1022.98")
    lines = table19.lines(distribution)
    assert [line.total for line in lines] == rules.allocate(D("1022.98"), ds(TABLE_19_TARIFF))
    assert sum(line.total for line in lines) == D("1022.98")


# --- membership over the month -----------------------------------------------------------------


def test_it_pays_each_part_of_a_month_with_a_change_of_grade_at_its_own_rate(
    world, table18, october, master
):
    distribution = table18.open(master, october, hours=False)
    before = table18.memberships[2]  # grade 3
    after = membership_change(
        membership=before,
        on=datetime.date(2026, 10, 16),
        grade=4,
        profession=world.professions["turner"],
        conditional_grade=None,
        user=master,
    )
    before.refresh_from_db()
    assert before.valid_to == datetime.date(2026, 10, 15)
    assert (after.valid_from, after.valid_to, after.grade) == (datetime.date(2026, 10, 16), None, 4)
    lines = list(distribution.lines.filter(worker=before.worker).order_by("date_from"))
    assert [(line.date_from, line.date_to, line.grade, line.rate) for line in lines] == [
        (datetime.date(2026, 10, 1), datetime.date(2026, 10, 15), 3, D("0.539")),
        (datetime.date(2026, 10, 16), datetime.date(2026, 10, 31), 4, D("0.596")),
    ]
    timesheet_save(
        distribution=distribution,
        rows=[
            TimesheetRow(line_id=lines[0].pk, hours=D("88")),
            TimesheetRow(line_id=lines[1].pk, hours=D("80")),
        ],
        user=master,
    )
    assert [line.tariff for line in distribution.lines.filter(worker=before.worker)] == [
        D("47.43"),  # 0.539 × 88
        D("47.68"),  # 0.596 × 80
    ]
    assert distribution.lines.count() == 8


def test_it_changes_a_grade_from_the_first_day_of_the_first_open_month(
    world, grid18, october, master
):
    """The stretch began in a closed month: ending it on 30 September changes nothing there."""
    brigade_member = MembershipFactory.build(
        brigade=make_crew(world, grid18, [(4, 160)], number=40).brigade,
        worker=WorkerFactory(section=world.units["A1"], pay_condition=grid18, grade=3),
        valid_from=datetime.date(2026, 6, 1),
    )
    # joined before June–September were closed
    with reopened(*(world.period(2026, month) for month in (6, 7, 8, 9))):
        brigade_member.save()
    after = membership_change(
        membership=brigade_member,
        on=datetime.date(2026, 10, 1),
        grade=4,
        profession=brigade_member.profession,
        conditional_grade=None,
        user=master,
    )
    brigade_member.refresh_from_db()
    assert brigade_member.valid_to == datetime.date(2026, 9, 30)
    assert brigade_member.grade == 3
    assert (after.valid_from, after.grade) == (datetime.date(2026, 10, 1), 4)


def test_it_refuses_a_change_of_grade_from_a_day_of_a_closed_month(world, grid18, master):
    member = MembershipFactory.build(
        brigade=make_crew(world, grid18, [(4, 160)], number=41).brigade,
        worker=WorkerFactory(section=world.units["A1"], pay_condition=grid18, grade=3),
        valid_from=datetime.date(2026, 6, 1),
    )
    with reopened(*(world.period(2026, month) for month in (6, 7, 8, 9))):
        member.save()
    with pytest.raises(ValidationError) as caught:
        membership_change(
            membership=member,
            on=datetime.date(2026, 9, 15),
            grade=4,
            profession=member.profession,
            conditional_grade=None,
            user=master,
        )
    assert "«сентябрь 2026» закрыт" in _messages(caught.value)
    member.refresh_from_db()
    assert (member.valid_to, member.grade) == (None, 3)
    assert Membership.objects.filter(worker=member.worker).count() == 1


def test_it_gives_a_member_who_joins_mid_month_a_line_from_his_join_date(
    world, table18, october, master
):
    distribution = table18.open(master, october)
    newcomer = WorkerFactory(
        section=world.units["A1"], pay_condition=table18.workers[1].pay_condition, grade=5
    )
    membership = membership_add(
        brigade=table18.brigade,
        worker=newcomer,
        valid_from=datetime.date(2026, 10, 12),
        user=master,
    )
    assert (membership.grade, membership.profession) == (5, newcomer.profession)
    line = distribution.lines.get(worker=newcomer)
    assert (line.date_from, line.date_to) == (
        datetime.date(2026, 10, 12),
        datetime.date(2026, 10, 31),
    )
    assert (line.grade, line.rate, line.hours) == (5, D("0.670"), D("0.00"))
    assert distribution.lines.count() == 8


def _line_history(line) -> list[dict]:
    return list(
        HistoryRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(Line), object_pk=str(line.pk)
        )
        .order_by("id")
        .values_list("changes", flat=True)
    )


def test_a_line_added_to_an_open_draft_has_its_rate_from_the_moment_it_exists(
    world, table18, october, master
):
    """Method C: the newcomer (grade 4, conditional grade 5 set by the council) is paid at
    grade 5's 0.670 — created so, not at 0 and corrected by the recomputation after."""
    distribution = table18.open(master, october, Brigade.Method.CONDITIONAL)
    newcomer = WorkerFactory(
        section=world.units["A1"], pay_condition=table18.workers[1].pay_condition, grade=4
    )
    membership_add(
        brigade=table18.brigade,
        worker=newcomer,
        valid_from=datetime.date(2026, 10, 12),
        conditional_grade=5,
        user=master,
    )
    line = distribution.lines.get(worker=newcomer)
    assert (line.grade, line.pay_grade, line.rate) == (4, 5, D("0.670"))
    created, *updates = _line_history(line)
    assert [created[name] for name in ("grade", "pay_grade", "rate")] == [
        [None, 4],
        [None, 5],
        [None, "0.6700"],
    ]
    assert not [changes for changes in updates if {"rate", "pay_grade"} & set(changes)]


def test_a_grade_change_mid_month_creates_the_new_stretch_at_its_rate(table18, october, master):
    """distribution_sync: the member's new stretch from 15 October (grade 4 → 5) is a new
    line created at grade 5's rate."""
    distribution = table18.open(master, october)
    membership_change(
        membership=table18.memberships[1],
        on=datetime.date(2026, 10, 15),
        grade=5,
        profession=table18.memberships[1].profession,
        conditional_grade=None,
        user=master,
    )
    line = distribution.lines.get(worker=table18.workers[1], date_from=datetime.date(2026, 10, 15))
    assert (line.grade, line.rate) == (5, D("0.670"))
    created, *updates = _line_history(line)
    assert created["rate"] == [None, "0.6700"]
    assert not [changes for changes in updates if "rate" in changes]


def test_it_trims_the_line_of_a_member_who_leaves_mid_month(table18, october, master):
    distribution = table18.open(master, october)
    leaving = table18.memberships[4]
    membership_end(membership=leaving, on=datetime.date(2026, 10, 20), user=master)
    line = distribution.lines.get(membership=leaving)
    assert (line.date_from, line.date_to) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 20),
    )
    assert line.hours == D("154.00")
    assert distribution.lines.count() == 7


def test_it_drops_the_line_of_a_membership_ended_before_the_month(world, table18, november, master):
    distribution = table18.open(master, november, hours=False)
    membership_end(membership=table18.memberships[6], on=datetime.date(2026, 10, 31), user=master)
    assert distribution.lines.count() == 6
    assert not distribution.lines.filter(membership=table18.memberships[6]).exists()


def test_it_refuses_an_end_before_the_join(table18, master):
    with pytest.raises(ValidationError) as caught:
        membership_end(
            membership=table18.memberships[0], on=datetime.date(2026, 9, 30), user=master
        )
    assert "on" in caught.value.error_dict


def test_it_adds_a_member_while_an_old_draft_lies_in_a_closed_month(
    world, table18, october, november, master
):
    """A month closed with its draft still open (as months were closed before the close
    refused open drafts) freezes that draft, not the brigade's future."""
    old = table18.open(master, october)
    close_as_is(october, world.users[Role.LABOUR])
    current = table18.open(master, november)
    before = _state(old)
    newcomer = WorkerFactory(
        section=world.units["A1"], pay_condition=table18.workers[0].pay_condition, grade=4
    )
    membership_add(
        brigade=table18.brigade, worker=newcomer, valid_from=datetime.date(2026, 11, 2), user=master
    )
    membership_end(membership=table18.memberships[1], on=datetime.date(2026, 11, 20), user=master)
    assert current.lines.filter(worker=newcomer).exists()
    assert current.lines.get(membership=table18.memberships[1]).date_to == datetime.date(
        2026, 11, 20
    )
    assert _state(old) == before


# --- KTU ---------------------------------------------------------------------------------------


def test_it_refuses_a_ktu_above_the_enterprise_range_at_the_criteria(
    world, table19, october, master
):
    distribution = table19.open(master, october)
    raises = [
        KtuCriterionFactory(
            enterprise=world.enterprise, name=f"Повышение {n}", adjustment=D("0.75")
        )
        for n in range(2)
    ]
    before = _state(distribution)
    with pytest.raises(ValidationError) as caught:
        ktu_set(distribution=distribution, worker=table19.workers[0], criteria=raises, user=master)
    assert caught.value.message_dict == {
        "criteria": ["КТУ 2,50 вне допустимого диапазона 0,00–2,00"]
    }
    assert _state(distribution) == before


def test_it_refuses_a_ktu_below_a_narrower_enterprise_range(world, table19, october, master):
    world.enterprise.ktu_min, world.enterprise.ktu_max = D("0.70"), D("1.30")
    world.enterprise.save()
    distribution = table19.open(master, october)
    cut = KtuCriterionFactory(enterprise=world.enterprise, name="Брак", adjustment=D("-0.40"))
    with pytest.raises(ValidationError) as caught:
        ktu_set(distribution=distribution, worker=table19.workers[0], criteria=[cut], user=master)
    assert caught.value.message_dict == {
        "criteria": ["КТУ 0,60 вне допустимого диапазона 0,70–1,30"]
    }
    assert not Ktu.objects.exists()


def test_it_refuses_a_ktu_for_a_worker_not_in_the_brigade(
    world, table19, october, master, criteria
):
    distribution = table19.open(master, october)
    outsider = world.workers["A1"][1]
    with pytest.raises(ValidationError) as caught:
        ktu_set(
            distribution=distribution, worker=outsider, criteria=[criteria["helping"]], user=master
        )
    assert "не состоит в бригаде" in _messages(caught.value)
    assert not Ktu.objects.exists()


def test_it_refuses_a_criterion_of_another_enterprise_or_no_longer_in_force(
    world, table19, october, master
):
    distribution = table19.open(master, october)
    foreign = KtuCriterionFactory(enterprise=world.other_enterprise, adjustment=D("0.10"))
    retired = KtuCriterionFactory(enterprise=world.enterprise, adjustment=D("0.10"), active=False)
    with pytest.raises(ValidationError) as caught:
        ktu_set(
            distribution=distribution, worker=table19.workers[0], criteria=[foreign], user=master
        )
    assert "другого предприятия" in _messages(caught.value)
    with pytest.raises(ValidationError) as caught:
        ktu_set(
            distribution=distribution, worker=table19.workers[0], criteria=[retired], user=master
        )
    assert "criteria" in caught.value.error_dict
    assert not Ktu.objects.exists()


def test_it_replaces_a_members_ktu_when_the_council_sets_it_again(
    table19, sheet19, master, criteria
):
    worker = table19.workers[1]
    ktu_set(distribution=sheet19, worker=worker, criteria=[criteria["helping"]], user=master)
    assert sheet19.ktus.get(worker=worker).value == D("1.05")
    assert sheet19.ktus.count() == 3
    assert sum(line.total for line in sheet19.lines.all()) == D("1022.98")


# --- sign-off ----------------------------------------------------------------------------------


def test_it_records_the_councils_agreement(agreed18, leader):
    agreed18.refresh_from_db()
    assert agreed18.status == Distribution.Status.AGREED
    assert agreed18.agreed_by == leader
    assert agreed18.agreed_at is not None
    assert agreed18.council_minutes == "Протокол № 10 от 02.11.2026"


def test_it_lets_the_shop_head_approve_an_agreed_document(approved18, shop_head):
    approved18.refresh_from_db()
    assert approved18.status == Distribution.Status.APPROVED
    assert approved18.approved_by == shop_head
    assert approved18.approved_at is not None
    assert approved18.is_final


def test_it_refuses_to_approve_a_draft(sheet18, shop_head):
    with pytest.raises(ValidationError) as caught:
        distribution_approve(distribution=sheet18, user=shop_head)
    assert "согласованное" in _messages(caught.value)
    sheet18.refresh_from_db()
    assert sheet18.status == Distribution.Status.DRAFT


def test_it_refuses_the_approval_by_the_one_who_drafted_it(
    world, table18, october, shop_head, leader
):
    # The shop head also stands in as master of A1 and drafts the month himself.
    RoleAssignmentFactory(user=shop_head, role=Role.MASTER, section=world.units["A1"])
    distribution = table18.open(shop_head, october)
    table18.earn(distribution, shop_head, "1053.84")
    distribution_agree(distribution=distribution, minutes="Протокол № 11", user=leader)
    # Separation of duties: the page offers no approval, and the service refuses it.
    assert can(shop_head, "distribution.approve", distribution)
    assert not may_approve(shop_head, distribution)
    with pytest.raises(ValidationError) as caught:
        distribution_approve(distribution=distribution, user=shop_head)
    assert "составили" in _messages(caught.value)
    distribution.refresh_from_db()
    assert (distribution.status, distribution.approved_by) == (Distribution.Status.AGREED, None)


@pytest.mark.parametrize("status", ["agreed", "approved"])
def test_it_refuses_changes_to_a_document_past_the_draft(
    request, table18, master, criteria, status
):
    distribution = request.getfixturevalue(f"{status}18")
    label = distribution.get_status_display()
    before = _state(distribution)
    line = table18.lines(distribution)[0]
    attempts = [
        lambda: timesheet_save(
            distribution=distribution,
            rows=[TimesheetRow(line_id=line.pk, hours=D("1"))],
            user=master,
        ),
        lambda: table18.earn(distribution, master, "9999.99"),
        lambda: ktu_set(
            distribution=distribution,
            worker=table18.workers[0],
            criteria=[criteria["helping"]],
            user=master,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert _messages(caught.value) == (
            f"Распределение уже {label}: его нельзя изменить. "
            "Верните его на доработку или внесите исправление в открытом месяце."
        )
    assert _state(distribution) == before


def test_it_returns_an_agreed_document_to_the_draft_with_a_reason(agreed18, shop_head):
    mark = _mark()
    with pytest.raises(ValidationError) as caught:
        distribution_return(distribution=agreed18, reason="  ", user=shop_head)
    assert "reason" in caught.value.error_dict
    returned = distribution_return(
        distribution=agreed18, reason="Не учтены часы Петрова за 30.10", user=shop_head
    )
    returned.refresh_from_db()
    assert returned.status == Distribution.Status.DRAFT
    assert (returned.agreed_by, returned.agreed_at) == (None, None)
    record = HistoryRecord.objects.filter(
        id__gt=mark, group=f"brigades.distribution:{agreed18.pk}"
    ).get()
    assert record.actor == shop_head
    assert record.reason == "Не учтены часы Петрова за 30.10"
    assert record.changes["status"] == ["agreed", "draft"]


def test_it_refuses_to_return_an_approved_document(approved18, shop_head):
    with pytest.raises(ValidationError):
        distribution_return(distribution=approved18, reason="Ошибка", user=shop_head)
    approved18.refresh_from_db()
    assert approved18.status == Distribution.Status.APPROVED


def test_it_corrects_an_approved_month_in_an_open_month_with_its_lines_and_ktu(
    table19, sheet19, november, master, leader, shop_head
):
    distribution_agree(distribution=sheet19, minutes="Протокол № 7", user=master)
    sheet19 = distribution_approve(distribution=sheet19, user=shop_head)
    correction = distribution_correct(original=sheet19, period=november, user=master)
    assert (correction.corrects, correction.period, correction.status) == (
        sheet19,
        november,
        Distribution.Status.DRAFT,
    )
    assert correction.method == Brigade.Method.KTU
    original_lines = table19.lines(sheet19)
    lines = table19.lines(correction)
    assert [(line.worker_id, line.date_from, line.date_to, line.hours) for line in lines] == [
        (line.worker_id, line.date_from, line.date_to, line.hours) for line in original_lines
    ]
    assert all(line.period_id == november.pk for line in lines)
    assert sorted(correction.ktus.values_list("worker_id", "value")) == sorted(
        sheet19.ktus.values_list("worker_id", "value")
    )
    assert [line.total for line in lines] == [D("0.00")] * 5
    # What is added is split like the surplus: by Тз × KTU, the tariff being paid already.
    correction = table19.earn(correction, master, "100.00")
    lines = table19.lines(correction)
    assert [line.total for line in lines] == ds(["24.83", "7.42", "18.22", "24.83", "24.70"])
    assert [line.tariff for line in lines] == [D("0.00")] * 5
    correction.refresh_from_db()
    assert correction.below_tariff is False
    assert check_totals(correction, lines) == []
    # ... and what is taken back, the same way.
    table19.earn(correction, master, "-100.00")
    assert [line.total for line in table19.lines(correction)] == ds(
        ["-24.83", "-7.42", "-18.22", "-24.83", "-24.70"]
    )
    # The original does not change.
    assert [line.total for line in table19.lines(sheet19)] == ds(TABLE_19_PAY)


def test_it_refuses_negative_earnings_outside_a_correction(table18, sheet18, master):
    with pytest.raises(ValidationError) as caught:
        table18.earn(sheet18, master, "-1.00")
    assert "отрицательными" in _messages(caught.value)


def test_it_corrects_only_an_approved_document(agreed18, november, master):
    with pytest.raises(ValidationError):
        distribution_correct(original=agreed18, period=november, user=master)
    assert not Distribution.objects.filter(corrects=agreed18).exists()


def test_it_keeps_a_corrections_lines_when_the_membership_changes_later(
    table18, approved18, november, master
):
    correction = distribution_correct(original=approved18, period=november, user=master)
    before = list(correction.lines.order_by("pk").values("membership_id", "date_from", "date_to"))
    membership_end(membership=table18.memberships[3], on=datetime.date(2026, 11, 10), user=master)
    assert (
        list(correction.lines.order_by("pk").values("membership_id", "date_from", "date_to"))
        == before
    )


# --- rights ------------------------------------------------------------------------------------
# Who may act is asked by the views before a service runs (``enterprise.web.allow``, the
# permission matrix checks every URL); here the predicates they ask.


def test_it_lets_the_leader_keep_the_timesheet_of_his_own_brigade(table18, october, leader):
    distribution = table18.open(leader, october)
    assert sum(line.hours for line in distribution.lines.all()) == D("1150.00")
    assert can(leader, "distribution.edit", distribution)
    assert can(leader, "distribution.view_all", distribution)


def test_it_refuses_the_leader_another_brigade_of_his_section(
    table18, table19, october, leader, master
):
    other = table19.open(master, october)
    assert can(leader, "distribution.edit", table18.brigade)
    # opening a month, the timesheet, the council's agreement: not his
    assert not can(leader, "distribution.edit", table19.brigade)
    assert not can(leader, "distribution.edit", other)
    assert not can(leader, "distribution.agree", other)
    assert not can(leader, "distribution.view_all", other)


def test_it_refuses_the_leader_once_his_term_is_over(table18, october, leader, master):
    distribution = table18.open(master, october)
    assert can(leader, "distribution.edit", distribution)
    post = table18.brigade.posts.get()
    post.valid_to = datetime.date(2026, 10, 31)
    post.save()
    assert not can(leader, "distribution.edit", distribution)
    assert not can(leader, "distribution.agree", distribution)


def test_it_refuses_a_worker_any_change(world, table18, sheet18):
    worker_user = world.users[Role.WORKER]
    assert not can(worker_user, "brigade.edit", table18.brigade)
    assert not can(worker_user, "distribution.agree", sheet18)
    assert not can(worker_user, "distribution.approve", sheet18)
    assert not can(worker_user, "distribution.return", sheet18)
    assert not can(worker_user, "distribution.view_all", sheet18)
    assert not can(worker_user, "distribution.edit", sheet18)


def test_it_refuses_the_approval_to_the_head_of_another_shop(world, agreed18):
    head_b = RoleAssignmentFactory(role=Role.SHOP_HEAD, shop=world.units["B"]).user
    assert not can(head_b, "distribution.approve", agreed18)
    assert not may_approve(head_b, agreed18)


def test_it_refuses_the_shop_head_the_timesheet(table18, sheet18, shop_head):
    assert can(shop_head, "distribution.approve", sheet18)
    assert not can(shop_head, "distribution.edit", sheet18)


# --- closed months -----------------------------------------------------------------------------


@pytest.fixture
def closed18(world, table18, october, master, criteria):
    """October's draft, filled in, then the month closed with it still a draft."""
    distribution = table18.open(master, october)
    table18.earn(distribution, master, "1053.84")
    ktu_set(
        distribution=distribution,
        worker=table18.workers[0],
        criteria=[criteria["helping"]],
        user=master,
    )
    close_as_is(october, world.users[Role.LABOUR])
    return distribution


def test_it_refuses_the_timesheet_of_a_closed_month(table18, closed18, master):
    before = _state(closed18)
    line = table18.lines(closed18)[0]
    with pytest.raises(PeriodClosedError) as caught:
        timesheet_save(
            distribution=closed18, rows=[TimesheetRow(line_id=line.pk, hours=D("100"))], user=master
        )
    assert "октябрь 2026" in _messages(caught.value)
    assert "закрыт" in _messages(caught.value)
    assert _state(closed18) == before


def test_it_refuses_the_earnings_and_ktu_of_a_closed_month(table18, closed18, master, criteria):
    before = _state(closed18)
    with pytest.raises(PeriodClosedError):
        table18.earn(closed18, master, "2000.00")
    with pytest.raises(PeriodClosedError):
        ktu_set(
            distribution=closed18,
            worker=table18.workers[1],
            criteria=[criteria["helping"]],
            user=master,
        )
    assert _state(closed18) == before


def test_it_refuses_a_bulk_update_of_the_lines_of_a_closed_month(closed18):
    before = _state(closed18)
    with pytest.raises(PeriodClosedError):
        Line.objects.filter(distribution=closed18).update(hours=D("1"))
    with pytest.raises(PeriodClosedError):
        Ktu.objects.filter(distribution=closed18).delete()
    assert _state(closed18) == before


@pytest.mark.postgres
def test_it_refuses_raw_sql_on_the_lines_of_a_closed_month(closed18):
    before = _state(closed18)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE brigades_line SET hours = 1 WHERE distribution_id = %s", [closed18.pk]
        )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM brigades_ktu WHERE distribution_id = %s", [closed18.pk])
    assert _state(closed18) == before


@pytest.mark.postgres
def test_it_lets_raw_sql_change_the_lines_of_an_open_month(table18, sheet18):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE brigades_line SET absence_note = 'отпуск' WHERE distribution_id = %s",
            [sheet18.pk],
        )
    assert set(sheet18.lines.values_list("absence_note", flat=True)) == {"отпуск"}


# --- history -----------------------------------------------------------------------------------


def test_it_records_who_changed_which_hours_under_the_document(table18, october, master):
    distribution = table18.open(master, october, hours=False)
    line = table18.lines(distribution)[2]
    mark = _mark()
    timesheet_save(
        distribution=distribution,
        rows=[TimesheetRow(line_id=line.pk, hours=D("167"), absence_note="больничный 1 день")],
        user=master,
    )
    records = HistoryRecord.objects.filter(
        id__gt=mark,
        group=f"brigades.distribution:{distribution.pk}",
        content_type=ContentType.objects.get_for_model(Line),
        object_pk=str(line.pk),
    ).order_by("id")
    assert [r.actor for r in records] == [master, master]
    assert records[0].changes == {
        "hours": ["0.00", "167.00"],
        "absence_note": ["", "больничный 1 день"],
    }
    # the recomputation: Тз, and (no earnings yet) a surplus of minus the tariff
    assert records[1].changes == {"tariff": ["0.00", "90.01"], "surplus": ["0.00", "-90.01"]}
    document = HistoryRecord.objects.filter(
        id__gt=mark, content_type=ContentType.objects.get_for_model(Distribution)
    ).get()
    assert document.group == f"brigades.distribution:{distribution.pk}"
    assert document.changes["tariff_total"] == ["0.00", "90.01"]
    assert document.actor == master


def test_it_attributes_the_recomputation_at_agreement_to_the_one_who_agrees(
    table18, sheet18, leader
):
    # A rate changes after the timesheet: agreeing recomputes, and says who did it.
    Line.objects.filter(pk=table18.lines(sheet18)[0].pk).update(rate=D("0"))
    mark = _mark()
    distribution_agree(distribution=sheet18, minutes="Протокол № 3", user=leader)
    records = HistoryRecord.objects.filter(id__gt=mark, group=f"brigades.distribution:{sheet18.pk}")
    assert records.exists()
    assert {r.actor for r in records} == {leader}


# --- edge cases --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", [Brigade.Method.TARIFF, Brigade.Method.KTU])
def test_it_leaves_everything_zero_when_nobody_worked_and_refuses_to_agree(
    table18, october, master, leader, method
):
    distribution = table18.open(master, october, method, hours=False)
    table18.earn(distribution, master, "1053.84", bonus="50.00")
    distribution.refresh_from_db()
    lines = table18.lines(distribution)
    assert {(line.tariff, line.surplus, line.bonus, line.total) for line in lines} == {
        (D("0.00"), D("0.00"), D("0.00"), D("0.00"))
    }
    assert distribution.tariff_total == D("0.00")
    assert distribution.coefficient is None
    problems = check_totals(distribution, lines)
    assert len(problems) == 3  # no hours; piecework and bonus not distributed
    assert "нет отработанных часов" in problems[0]
    assert "сдельный заработок" in problems[1]
    assert "премия" in problems[2]
    with pytest.raises(ValidationError) as caught:
        distribution_agree(distribution=distribution, minutes="—", user=leader)
    assert caught.value.messages == problems
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DRAFT


def test_it_splits_earnings_below_the_tariff_by_tariff_and_says_so(table19, sheet19, master):
    table19.earn(sheet19, master, "400.00")
    sheet19.refresh_from_db()
    lines = table19.lines(sheet19)
    assert sheet19.below_tariff is True
    assert [line.total for line in lines] == rules.allocate(D("400.00"), ds(TABLE_19_TARIFF))
    assert sum(line.total for line in lines) == D("400.00")
    assert all(line.total < line.tariff for line in lines)
    assert all(line.surplus < 0 for line in lines)
    assert check_totals(sheet19, lines) == []


def test_it_pays_a_member_with_zero_hours_nothing(table18, october, master):
    distribution = table18.open(master, october, hours=False)
    table18.fill(distribution, master, hours=["167", "0", "167", "167", "154", "167", "167"])
    table18.earn(distribution, master, "1053.84")
    lines = table18.lines(distribution)
    assert (lines[1].tariff, lines[1].total) == (D("0.00"), D("0.00"))
    assert sum(line.total - line.surcharge for line in lines) == D("1053.84")


def test_it_leaves_a_coefficient_too_large_for_its_column_blank(world, grid18, october, master):
    # One member, 0.01 h: Тз 0.01 against 50 000.00 gives K = 5 000 000 (the column
    # holds less than a million); the split itself stays exact.
    crew = make_crew(world, grid18, [(6, "0.01")], number=60)
    distribution = crew.open(master, october)
    distribution = crew.earn(distribution, master, "50000.00", confirmed=True)
    distribution.refresh_from_db()
    assert distribution.coefficient is None
    assert distribution.tariff_total == D("0.01")
    assert crew.lines(distribution)[0].total == D("50000.00")


def test_it_refuses_negative_hours_and_saves_no_line(table18, october, master):
    distribution = table18.open(master, october)
    before = _state(distribution)
    lines = table18.lines(distribution)
    with pytest.raises(ValidationError) as caught:
        timesheet_save(
            distribution=distribution,
            rows=[
                TimesheetRow(line_id=lines[0].pk, hours=D("100")),
                TimesheetRow(line_id=lines[1].pk, hours=D("-1")),
            ],
            user=master,
        )
    assert "hours" in caught.value.error_dict
    assert _state(distribution) == before


def test_it_refuses_a_line_of_another_document(table18, table19, october, master):
    ours = table18.open(master, october, hours=False)
    theirs = table19.open(master, october, hours=False)
    with pytest.raises(ValidationError):
        timesheet_save(
            distribution=ours,
            rows=[TimesheetRow(line_id=table19.lines(theirs)[0].pk, hours=D("1"))],
            user=master,
        )


def test_it_splits_by_conditional_grades_in_method_c(world, table18, october, master):
    beginner = table18.memberships[0]
    membership_change(
        membership=beginner,
        on=beginner.valid_from,
        grade=6,
        profession=beginner.profession,
        conditional_grade=3,
        user=master,
    )
    distribution = table18.open(master, october, Brigade.Method.CONDITIONAL)
    line = table18.lines(distribution)[0]
    assert (line.grade, line.pay_grade, line.rate, line.tariff) == (6, 3, D("0.539"), D("90.01"))
    table18.earn(distribution, master, "1053.84", method=Brigade.Method.TARIFF)
    line.refresh_from_db()
    assert (line.pay_grade, line.rate, line.tariff) == (6, D("0.767"), D("128.09"))


def test_it_refuses_a_month_without_a_rate_for_a_members_grade(world, grid18, october, master):
    crew = make_crew(world, grid18, [(2, 160)], number=50)  # grid 18 has no grade 2
    with pytest.raises(ValidationError) as caught:
        crew.open(master, october)
    assert "нет ставки 2 разряда" in _messages(caught.value)
    assert not Distribution.objects.filter(brigade=crew.brigade).exists()


# --- query counts ------------------------------------------------------------------------------

# Pinned as measured (SQLite and PostgreSQL alike; savepoints count). Recomputing: the
# lines (with membership and worker), the tariff grid, the KTU, the lines' months; the
# lines' bulk update (stored rows, two closed-month checks, the UPDATE, history) and the
# document's own save (stored row, its month, the check, the UPDATE, history); the
# brigade's leaders of the month and the stored surcharge segments (table 16) — 22.
# Saving a timesheet adds the helper's read of the lines, the permission's brigade, the
# locked document, the closed-month check, the lines and their bulk update — 34.
# Neither grows with the brigade; raise only with a reason.
COMPUTE_QUERIES = 22
TIMESHEET_QUERIES = 34


def _count(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def test_it_recomputes_a_month_in_a_constant_number_of_queries(
    crew_of, october, master, django_assert_max_num_queries
):
    crews = [crew_of(10, number=10), crew_of(30, number=30)]
    documents = [crew.open(master, october) for crew in crews]
    for crew, document in zip(crews, documents, strict=True):
        crew.earn(document, master, "50000.00", confirmed=True)

    def recompute(index, piecework):
        distribution = Distribution.objects.select_related("period").get(pk=documents[index].pk)
        distribution.piecework = D(piecework)
        return lambda: distribution_compute(distribution)

    recompute(0, "55000.00")()  # warm the content-type cache
    counts = [_count(recompute(index, "60000.00")) for index in (0, 1)]
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(COMPUTE_QUERIES):
        recompute(1, "70000.00")()


def test_it_saves_a_timesheet_in_a_constant_number_of_queries(
    crew_of, october, master, django_assert_max_num_queries
):
    crews = [crew_of(10, number=10), crew_of(30, number=30)]
    documents = [crew.open(master, october, hours=False) for crew in crews]
    crews[0].fill(documents[0], master)  # warm the caches
    counts = [
        _count(lambda i=i: crews[i].fill(documents[i], master, hours=["150"] * len(crews[i].hours)))
        for i in (0, 1)
    ]
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(TIMESHEET_QUERIES):
        crews[1].fill(documents[1], master, hours=["140"] * 30)
