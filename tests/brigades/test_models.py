"""The brigades models on their own: validation, constraints, months they freeze, scoping.

The world has June–September 2026 closed and October, November open; a membership that
began before the months were closed is written with the months reopened, as it would
have been at the time.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from brigades.models import Brigade, Distribution, Ktu, KtuCriterion, Line, Membership, Post
from brigades.services import distribution_correct, distribution_open
from enterprise.models.roles import Role
from enterprise.tracking import MonthKey, PeriodClosedError
from tests.brigades.factories import (
    BrigadeFactory,
    KtuCriterionFactory,
    MembershipFactory,
    PostFactory,
)
from tests.factories import RoleAssignmentFactory, WorkerFactory, reopened

D = Decimal
JUNE = datetime.date(2026, 6, 1)
OCTOBER = datetime.date(2026, 10, 1)


def _errors(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


@pytest.fixture
def brigade(world):
    return BrigadeFactory(section=world.units["A1"], number=3, name="Токари-универсалы")


@pytest.fixture
def since_june(world, brigade):
    """A member since June, open-ended: the closed June–September hold his pay."""
    member = MembershipFactory.build(
        brigade=brigade, worker=WorkerFactory(section=world.units["A1"], grade=4), valid_from=JUNE
    )
    with reopened(*(world.period(2026, month) for month in (6, 7, 8, 9))):
        member.save()
    return Membership.objects.get(pk=member.pk)


# --- Brigade -----------------------------------------------------------------------------------


def test_it_names_a_brigade_by_number_and_name(brigade):
    assert str(brigade) == "Бригада № 3 «Токари-универсалы»"
    assert brigade.scope_unit() == (
        brigade.enterprise_id,
        brigade.section.shop_id,
        brigade.section_id,
    )


def test_it_rejects_a_second_brigade_with_the_same_number_in_a_section(world, brigade):
    twin = BrigadeFactory.build(section=world.units["A1"], number=3)
    assert _errors(twin) == {"__all__": ["Бригада с таким номером на участке уже есть."]}
    BrigadeFactory.build(section=world.units["A2"], number=3).full_clean()


def test_it_rejects_a_brigade_disbanded_before_it_was_formed(world):
    brigade = BrigadeFactory.build(
        section=world.units["A1"],
        formed_on=datetime.date(2026, 5, 1),
        disbanded_on=datetime.date(2026, 4, 30),
    )
    assert _errors(brigade) == {"__all__": ["Бригаду нельзя расформировать раньше её создания."]}


def test_it_rejects_a_section_of_another_enterprise(world):
    brigade = BrigadeFactory.build(
        section=world.units["other_section"], enterprise=world.enterprise
    )
    assert _errors(brigade) == {"section": ["Участок другого предприятия."]}


def test_it_finds_the_leader_on_a_day_within_his_term(world, brigade):
    post = PostFactory(brigade=brigade, valid_to=datetime.date(2026, 10, 31))
    assert brigade.leader_on(datetime.date(2026, 10, 15)) == post
    assert brigade.leader_on(datetime.date(2026, 10, 31)) == post
    assert brigade.leader_on(datetime.date(2026, 11, 1)) is None
    assert brigade.leader_on(datetime.date(2026, 9, 30)) is None


def test_it_lets_a_leader_act_for_the_brigade_he_leads_today_only(world, brigade):
    leader = world.users[Role.BRIGADE_LEADER]
    other = BrigadeFactory(section=world.units["A1"], number=4)
    post = PostFactory(brigade=brigade)
    post.worker.user = leader
    post.worker.save()
    assert brigade.leader_on(datetime.date(2026, 11, 1), user=leader) == post
    assert brigade.permits(leader, Role.BRIGADE_LEADER)
    assert not other.permits(leader, Role.BRIGADE_LEADER)
    # other roles are not narrowed by the brigade
    assert other.permits(world.users[Role.MASTER], Role.MASTER)


# --- Membership --------------------------------------------------------------------------------


def test_it_rejects_a_member_from_another_section(world, brigade):
    member = MembershipFactory.build(brigade=brigade, worker=world.workers["A2"][0])
    assert _errors(member) == {"worker": ["Рабочий другого участка."]}


def test_it_rejects_a_worker_in_two_brigades_at_once(world, brigade):
    worker = world.workers["A1"][1]
    MembershipFactory(brigade=brigade, worker=worker, valid_to=datetime.date(2026, 10, 15))
    other = BrigadeFactory(section=world.units["A1"], number=4)
    clash = MembershipFactory.build(
        brigade=other, worker=worker, valid_from=datetime.date(2026, 10, 15)
    )
    assert _errors(clash) == {"valid_from": ["В эти даты рабочий уже состоит в бригаде."]}
    clash.valid_from = datetime.date(2026, 10, 16)
    clash.full_clean()


def test_it_rejects_a_membership_ending_before_it_starts(world, brigade):
    member = MembershipFactory.build(
        brigade=brigade, worker=world.workers["A1"][1], valid_to=datetime.date(2026, 9, 30)
    )
    assert _errors(member)["valid_to"] == ["Дата окончания раньше даты начала."]


def test_it_pays_by_the_conditional_grade_where_the_council_set_one(world, brigade):
    member = MembershipFactory.build(brigade=brigade, worker=world.workers["A1"][1], grade=5)
    assert member.pay_grade == 5
    member.conditional_grade = 3
    assert member.pay_grade == 3


def test_it_knows_which_days_a_stretch_covers(world, brigade):
    member = MembershipFactory.build(
        brigade=brigade,
        worker=world.workers["A1"][1],
        valid_from=datetime.date(2026, 10, 5),
        valid_to=datetime.date(2026, 10, 20),
    )
    assert member.covers(datetime.date(2026, 10, 5))
    assert member.covers(datetime.date(2026, 10, 20))
    assert not member.covers(datetime.date(2026, 10, 21))
    assert member.overlaps(datetime.date(2026, 10, 20), None)
    assert not member.overlaps(datetime.date(2026, 9, 1), datetime.date(2026, 10, 4))


def test_it_refuses_a_new_membership_that_starts_in_a_closed_month(world, brigade):
    with pytest.raises(PeriodClosedError):
        MembershipFactory(
            brigade=brigade, worker=world.workers["A1"][1], valid_from=datetime.date(2026, 9, 1)
        )
    assert not Membership.objects.exists()


def test_it_lets_a_stretch_of_closed_months_end_on_their_last_day(since_june):
    since_june.valid_to = datetime.date(2026, 9, 30)
    since_june.save()
    since_june.refresh_from_db()
    assert since_june.valid_to == datetime.date(2026, 9, 30)


@pytest.mark.parametrize(
    "change",
    [
        {"valid_to": datetime.date(2026, 9, 14)},
        {"valid_from": datetime.date(2026, 10, 1)},
        {"grade": 5},
        {"conditional_grade": 3},
    ],
    ids=["end-inside-a-closed-month", "start-moved-past-closed", "grade", "conditional-grade"],
)
def test_it_refuses_a_change_that_alters_the_pay_of_a_closed_month(since_june, change):
    for name, value in change.items():
        setattr(since_june, name, value)
    with pytest.raises(PeriodClosedError):
        since_june.save()
    since_june.refresh_from_db()
    assert (since_june.valid_from, since_june.valid_to, since_june.grade) == (JUNE, None, 4)


def test_it_guards_exactly_the_months_a_moved_date_touches(world, brigade):
    member = MembershipFactory(
        brigade=brigade,
        worker=world.workers["A1"][1],
        valid_from=datetime.date(2026, 10, 5),
        valid_to=datetime.date(2026, 12, 10),
    )
    stored = Membership.objects.get(pk=member.pk)
    key = MonthKey
    ent = world.enterprise.pk
    member.valid_to = datetime.date(2026, 10, 31)  # November and December lose him
    assert member.guard_keys(stored) == [key(ent, 2026, 11), key(ent, 2026, 12)]
    member.valid_to = None  # from 11 December on he stays
    assert member.guard_keys(stored) == [key(ent, 2026, 12, onwards=True)]
    member.valid_to = stored.valid_to
    member.valid_from = datetime.date(2026, 11, 1)  # 5–31 October lose him
    assert member.guard_keys(stored) == [key(ent, 2026, 10)]


# --- Post --------------------------------------------------------------------------------------


def test_it_rejects_a_second_leader_at_the_same_time(world, brigade):
    PostFactory(brigade=brigade, valid_to=datetime.date(2026, 10, 31))
    second = MembershipFactory(brigade=brigade, worker=world.workers["A1"][1]).worker
    overlapping = Post(
        brigade=brigade,
        worker=second,
        kind=Post.Kind.LEADER,
        valid_from=datetime.date(2026, 10, 31),
    )
    assert _errors(overlapping) == {
        "valid_from": [
            "В эти даты у бригады уже есть бригадир: сначала укажите, по какое число он им был."
        ]
    }
    overlapping.valid_from = datetime.date(2026, 11, 1)
    overlapping.full_clean()


def test_it_rejects_the_same_council_member_twice_but_takes_several(world, brigade):
    first, second = (
        MembershipFactory(brigade=brigade, worker=w).worker for w in world.workers["A1"]
    )
    PostFactory(brigade=brigade, worker=first, kind=Post.Kind.COUNCIL)
    PostFactory(brigade=brigade, worker=second, kind=Post.Kind.COUNCIL).full_clean()
    again = Post(brigade=brigade, worker=first, kind=Post.Kind.COUNCIL, valid_from=OCTOBER)
    assert _errors(again) == {"valid_from": ["В эти даты рабочий уже в совете бригады."]}


# --- KtuCriterion ------------------------------------------------------------------------------


def test_it_rejects_a_criterion_that_changes_nothing(world):
    criterion = KtuCriterionFactory.build(enterprise=world.enterprise, adjustment=D("0"))
    assert _errors(criterion) == {"__all__": ["Изменение КТУ не может быть нулевым."]}


def test_it_rejects_a_second_criterion_of_the_same_name(world):
    KtuCriterionFactory(enterprise=world.enterprise, name="Совмещение профессий")
    twin = KtuCriterionFactory.build(enterprise=world.enterprise, name="Совмещение профессий")
    assert _errors(twin) == {"__all__": ["Такой показатель уже есть."]}
    KtuCriterionFactory.build(enterprise=world.other_enterprise, name="Совмещение профессий")


def test_it_shows_a_criterion_with_its_signed_adjustment(world):
    raise_ = KtuCriterionFactory.build(name="Совмещение профессий", adjustment=D("0.10"))
    cut = KtuCriterionFactory.build(name="Нарушение дисциплины", adjustment=D("-0.15"))
    assert str(raise_) == "Совмещение профессий (+0,10)"
    assert str(cut) == "Нарушение дисциплины (\N{MINUS SIGN}0,15)"  # as the KTU form shows it
    assert list(KtuCriterion._meta.ordering) == ["order", "name"]


# --- Distribution, its lines and KTU -----------------------------------------------------------


@pytest.fixture
def october_sheet(world, table18, master):
    return distribution_open(brigade=table18.brigade, period=world.period(2026, 10), user=master)


def test_it_rejects_a_second_document_of_a_brigade_month_but_not_a_correction(
    world, october_sheet, master
):
    twin = Distribution(
        enterprise=world.enterprise,
        brigade=october_sheet.brigade,
        period=october_sheet.period,
        method=Brigade.Method.TARIFF,
        drafted_by=master,
    )
    assert _errors(twin) == {"__all__": ["Распределение за этот месяц уже есть."]}
    twin.corrects = october_sheet
    twin.full_clean()


def test_it_rejects_an_approved_document_without_an_approver(october_sheet):
    october_sheet.status = Distribution.Status.APPROVED
    assert _errors(october_sheet) == {
        "__all__": ["У утверждённого распределения должен быть утвердивший."]
    }


def test_it_sums_the_earnings_and_names_a_correction(world, october_sheet, shop_head, master):
    october_sheet.piecework, october_sheet.bonus, october_sheet.savings = (
        D("1053.84"),
        D("100.00"),
        D("7.07"),
    )
    assert october_sheet.total == D("1160.91")
    assert str(october_sheet) == "Распределение: Бригада № 18 «Бригада № 18», октябрь 2026"
    assert not october_sheet.is_final
    Distribution.objects.filter(pk=october_sheet.pk).update(
        status=Distribution.Status.APPROVED, approved_by=shop_head, approved_at=timezone.now()
    )
    october_sheet.refresh_from_db()
    assert october_sheet.is_final
    correction = distribution_correct(
        original=october_sheet, period=world.period(2026, 11), user=master
    )
    assert str(correction) == (
        "Распределение: Бригада № 18 «Бригада № 18», ноябрь 2026 (исправление)"
    )


def test_it_keeps_the_document_rows_under_its_month_and_history(world, october_sheet):
    line = october_sheet.lines.first()
    assert line.period == october_sheet.period
    assert line.period_keys() == [MonthKey(world.enterprise.pk, 2026, 10)]
    assert line.history_group() == f"brigades.distribution:{october_sheet.pk}"
    assert october_sheet.period_keys() == [MonthKey(world.enterprise.pk, 2026, 10)]
    assert october_sheet.history_group() == f"brigades.distribution:{october_sheet.pk}"


def test_it_takes_a_rows_month_from_its_document_on_save(world, october_sheet):
    line = october_sheet.lines.first()
    ktu = Ktu(
        distribution=october_sheet,
        period=world.period(2026, 11),  # wrong: the document's month wins
        worker=line.worker,
        value=D("1.20"),
    )
    ktu.save()
    assert ktu.period == october_sheet.period


def test_it_rejects_negative_hours_next_to_the_field(october_sheet):
    line = october_sheet.lines.first()
    line.hours = D("-1")
    assert _errors(line) == {"hours": ["Часы не могут быть отрицательными."]}


def test_it_rejects_a_negative_ktu(october_sheet):
    ktu = Ktu(
        distribution=october_sheet,
        period=october_sheet.period,
        worker=october_sheet.lines.first().worker,
        value=D("-0.10"),
    )
    assert _errors(ktu) == {"__all__": ["КТУ не может быть отрицательным."]}


def test_it_updates_the_rows_of_an_open_month_in_bulk_with_history(world, october_sheet):
    count = Line.objects.filter(distribution=october_sheet).update(absence_note="отпуск")
    assert count == 7
    assert set(october_sheet.lines.values_list("absence_note", flat=True)) == {"отпуск"}


# --- scoping -----------------------------------------------------------------------------------


def test_it_shows_a_worker_the_brigades_and_documents_he_is_in_once(world, table18, master):
    worker_user = world.users[Role.WORKER]
    MembershipFactory(
        brigade=table18.brigade, worker=world.worker, valid_to=datetime.date(2026, 10, 15)
    )
    MembershipFactory(
        brigade=table18.brigade,
        worker=world.worker,
        grade=5,
        valid_from=datetime.date(2026, 10, 16),
    )
    BrigadeFactory(section=world.units["A1"], number=5)
    assert list(Brigade.objects.visible_to(worker_user)) == [table18.brigade]
    sheet = distribution_open(brigade=table18.brigade, period=world.period(2026, 10), user=master)
    assert sheet.lines.filter(worker=world.worker).count() == 2
    assert list(Distribution.objects.visible_to(worker_user)) == [sheet]


def test_it_shows_a_shop_head_only_his_shops_brigades(world, table18):
    head_b = RoleAssignmentFactory(role=Role.SHOP_HEAD, shop=world.units["B"]).user
    BrigadeFactory(section=world.units["B1"], number=1)
    assert list(Brigade.objects.visible_to(world.users[Role.SHOP_HEAD])) == [table18.brigade]
    assert [b.section for b in Brigade.objects.visible_to(head_b)] == [world.units["B1"]]
