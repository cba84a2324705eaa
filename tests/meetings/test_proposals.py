"""Services of a proposal's life (meetings/proposals/services.py): every step, every refusal
(the wrong person, the wrong state, dates out of order, attachments the document checks
refuse), and the org-technical measure it becomes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enterprise.models.history import HistoryRecord
from meetings.models import Proposal, ProposalAuthor
from meetings.proposals import selectors, services
from meetings.proposals.services import DocumentIn, Expected
from planning.measures.models import OrgMeasure
from planning.measures.selectors import account
from tests.claims.factories import HTML_AS_PDF, PNG, upload
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.meetings.proposal_world import ago, proposal, proposal_world

S = Proposal.Status
D = Decimal


@pytest.fixture
def pw(world):
    return proposal_world(world)


def today():
    return timezone.localdate()


def authors_of(p):
    return [a.worker_id for a in ProposalAuthor.objects.filter(proposal=p).order_by("order", "pk")]


def co_author(world):
    return next(w for w in world.workers["A1"] if w.pk != world.worker.pk)


def file(world, **values):
    args = {
        "shop": world.units["A"],
        "section": world.units["A1"],
        "title": "Упор для отрезки",
        "problem": "Заготовку меряют линейкой",
        "solution": "Поставить откидной упор",
        "authors": [co_author(world), world.worker],
        "user": world.users["worker"],
        "expected": Expected(labour=D("86.5"), materials=D("1200.00"), money=D("3400.50")),
    }
    args.update(values)
    return services.proposal_file(**args)


# --- filing --------------------------------------------------------------------------------


def test_a_worker_files_a_proposal_with_a_coauthor_and_a_sketch(world, pw):
    sketch = upload("эскиз упора.png", PNG)
    p = file(world, documents=[DocumentIn(name="Эскиз упора", file=sketch)])
    last = max(pw[k].number for k in pw if k.endswith("of A") and isinstance(pw[k], Proposal))
    assert p.number > last
    assert p.status == S.SUBMITTED
    assert p.submitted_on == today()
    assert p.review_due == today() + datetime.timedelta(days=15)  # shop A's commission
    assert p.submitted_by == world.users["worker"]
    assert (p.expected_labour, p.expected_money) == (D("86.5"), D("3400.50"))
    # the filer first, whatever order he named them in
    assert authors_of(p) == [world.worker.pk, co_author(world).pk]
    [doc] = p.documents.all()
    assert (doc.name, doc.content_type, doc.file_name) == (
        "Эскиз упора",
        "image/png",
        "эскиз упора.png",
    )
    assert doc.file.name.endswith(".png")
    records = HistoryRecord.objects.filter(group=p.history_group(), object_pk=str(p.pk))
    assert records.filter(action=HistoryRecord.Action.CREATE, actor=world.users["worker"]).exists()
    named = records.get(action=HistoryRecord.Action.UPDATE).changes
    assert named == {"авторы": ["—", f"{world.worker.short_name}, {co_author(world).short_name}"]}


def test_shop_b_is_reviewed_by_the_plant_commission_on_its_term(world, pw):
    fitter = world.workers["B1"][0]
    head_of_b = UserFactory(username="head-of-b")
    RoleAssignmentFactory(user=head_of_b, role="shop_head", shop=world.units["B"])
    p = services.proposal_file(
        shop=world.units["B"],
        title="Стенд",
        problem="Долго",
        solution="Стенд",
        authors=[fitter],
        user=head_of_b,
    )
    assert p.review_due == today() + datetime.timedelta(days=10)


def test_a_worker_files_only_as_one_of_the_authors(world, pw):
    with pytest.raises(ValidationError) as refused:
        file(world, authors=[co_author(world)])
    assert "authors" in refused.value.message_dict


def test_authors_are_workers_of_the_proposals_shop(world, pw):
    with pytest.raises(ValidationError) as refused:
        file(world, authors=[world.worker, world.workers["B1"][0]])
    assert "не из этого цеха" in refused.value.message_dict["authors"][0]


def test_a_worker_does_not_file_in_another_shop(world, pw):
    with pytest.raises(PermissionDenied):
        file(world, shop=world.units["B"], section=None)


def test_a_role_that_files_nothing_is_refused(world, pw):
    with pytest.raises(PermissionDenied):
        file(world, user=world.users["dispatcher"])


def test_attachments_refused_by_the_document_checks(world, pw):
    fake = upload("эскиз.pdf", HTML_AS_PDF)
    misnamed = upload("фото.pdf", PNG)
    with pytest.raises(ValidationError) as refused:
        file(
            world,
            documents=[DocumentIn(name="Эскиз", file=fake), DocumentIn(name="Фото", file=misnamed)],
        )
    messages = refused.value.message_dict["documents"]
    assert len(messages) == 2
    assert "«эскиз.pdf» повреждён" in messages[0]
    assert "по содержимому это PNG" in messages[1]
    assert not Proposal.objects.filter(title="Упор для отрезки").exists()


def test_a_unit_without_a_commission_takes_no_proposals(world, pw):
    from meetings.models import Commission, Meeting

    Meeting.objects.filter(enterprise=world.enterprise).delete()
    Commission.objects.filter(enterprise=world.enterprise).delete()  # the shop's and the plant's
    with pytest.raises(ValidationError) as refused:
        file(world)
    assert "нет производственной комиссии" in refused.value.message_dict["shop"][0]


def test_a_meeting_of_another_shop_is_refused(world, pw):
    from meetings.models import Meeting
    from tests.meetings.proposal_world import commission

    b = commission(world.enterprise, world.units["B"])
    meeting = Meeting.objects.create(
        enterprise=world.enterprise,
        commission=b,
        number=1,
        date=ago(3),
        status="held",
        headcount=2,
    )
    with pytest.raises(ValidationError) as refused:
        file(world, meeting=meeting)
    assert refused.value.message_dict["meeting"] == ["Совещание другого цеха."]


# --- the bureau ----------------------------------------------------------------------------


def test_the_bureau_accepts(world, pw):
    p = services.proposal_review(
        proposal=pw["submitted proposal of A"], accept=True, user=world.users["worker"]
    )
    assert (p.status, p.reviewed_on, p.reviewed_by) == (S.ACCEPTED, today(), world.users["worker"])


def test_the_bureau_rejects_with_a_reason(world, pw):
    p = services.proposal_review(
        proposal=pw["submitted proposal of A"],
        accept=False,
        reason="Упор уже заказан",
        user=world.users["worker"],
    )
    assert (p.status, p.review_reason) == (S.REJECTED, "Упор уже заказан")
    with pytest.raises(ValidationError) as refused:
        services.proposal_review(
            proposal=pw["submitted proposal of A"], accept=False, user=world.users["worker"]
        )
    assert "уже в состоянии «отклонено бюро»" in refused.value.messages[0]


def test_a_rejection_without_a_reason_is_refused(world, pw):
    with pytest.raises(ValidationError) as refused:
        services.proposal_review(
            proposal=pw["submitted proposal of A"], accept=False, user=world.users["worker"]
        )
    assert refused.value.message_dict == {"reason": ["Отклоняя предложение, укажите причину."]}


@pytest.mark.parametrize("role", ["brigade_leader", "master", "shop_head", "production_head"])
def test_only_the_bureau_reviews(world, pw, role):
    with pytest.raises(PermissionDenied):
        services.proposal_review(
            proposal=pw["submitted proposal of A"], accept=True, user=world.users[role]
        )


def test_the_review_date_follows_the_submission(world, pw):
    p = pw["submitted proposal of A"]
    with pytest.raises(ValidationError) as refused:
        services.proposal_review(
            proposal=p,
            accept=True,
            user=world.users["worker"],
            on=p.submitted_on - datetime.timedelta(days=1),
        )
    assert "раньше" in refused.value.message_dict["on"][0]
    with pytest.raises(ValidationError):
        services.proposal_review(
            proposal=p,
            accept=True,
            user=world.users["worker"],
            on=today() + datetime.timedelta(days=1),
        )


# --- the factory committee and the administration ------------------------------------------


def test_the_committee_passes_it_on_and_the_administrations_term_starts(world, pw):
    p = services.proposal_pass(
        proposal=pw["accepted proposal of A"], user=world.users["brigade_leader"]
    )
    assert (p.status, p.passed_on, p.answer_due) == (
        S.PASSED,
        today(),
        today() + datetime.timedelta(days=30),
    )


@pytest.mark.parametrize("role", ["worker", "master", "shop_head"])
def test_only_the_committee_passes(world, pw, role):
    with pytest.raises(PermissionDenied):
        services.proposal_pass(proposal=pw["accepted proposal of A"], user=world.users[role])


def test_a_submitted_proposal_is_not_passed(world, pw):
    with pytest.raises(ValidationError):
        services.proposal_pass(
            proposal=pw["submitted proposal of A"], user=world.users["brigade_leader"]
        )


@pytest.mark.parametrize("role", ["shop_head", "production_head", "deputy_director"])
def test_the_administration_agrees(world, pw, role):
    p = services.proposal_answer(
        proposal=pw["passed proposal of A"],
        agree=True,
        answer="Сделать в ноябре",
        user=world.users[role],
    )
    assert (p.status, p.answered_on, p.answer) == (S.AGREED, today(), "Сделать в ноябре")
    # 40 days after passing, 10 past the 30 days' term: answered late
    assert p.answered_on > p.answer_due


def test_a_refusal_by_the_administration_says_why(world, pw):
    with pytest.raises(ValidationError) as refused:
        services.proposal_answer(
            proposal=pw["passed proposal of A"], agree=False, user=world.users["shop_head"]
        )
    assert refused.value.message_dict == {"answer": ["Отказывая, укажите причину."]}
    p = services.proposal_answer(
        proposal=pw["passed proposal of A"],
        agree=False,
        answer="Нет средств",
        user=world.users["shop_head"],
    )
    assert p.status == S.DECLINED


@pytest.mark.parametrize("role", ["worker", "brigade_leader", "master", "economist", "labour"])
def test_others_do_not_answer(world, pw, role):
    with pytest.raises(PermissionDenied):
        services.proposal_answer(
            proposal=pw["passed proposal of A"], agree=True, user=world.users[role]
        )


# --- implemented or dropped -----------------------------------------------------------------


def test_the_master_records_the_implementation(world, pw):
    p = services.proposal_implement(
        proposal=pw["agreed proposal of A"],
        implemented_on=ago(1),
        responsible="Мастер Сидоров",
        actual_labour=D("110.0"),
        actual_money=D("2500.00"),
        actual_effect="Упор стоит на двух станках",
        user=world.users["master"],
    )
    assert (p.status, p.implemented_on, p.actual_labour) == (S.IMPLEMENTED, ago(1), D("110.0"))


def test_an_implementation_before_the_answer_or_without_a_responsible_is_refused(world, pw):
    with pytest.raises(ValidationError) as refused:
        services.proposal_implement(
            proposal=pw["agreed proposal of A"],
            implemented_on=ago(6),  # agreed 5 days ago
            responsible=" ",
            user=world.users["master"],
        )
    assert set(refused.value.message_dict) == {"implemented_on", "responsible"}


def test_only_agreed_proposals_are_implemented_or_dropped(world, pw):
    with pytest.raises(ValidationError):
        services.proposal_implement(
            proposal=pw["passed proposal of A"],
            implemented_on=today(),
            responsible="М",
            user=world.users["shop_head"],
        )
    with pytest.raises(ValidationError):
        services.proposal_drop(
            proposal=pw["implemented proposal of A"], reason="Поздно", user=world.users["shop_head"]
        )


@pytest.mark.parametrize("role", ["worker", "brigade_leader", "economist", "dispatcher"])
def test_others_do_not_implement_or_drop(world, pw, role):
    with pytest.raises(PermissionDenied):
        services.proposal_implement(
            proposal=pw["agreed proposal of A"],
            implemented_on=today(),
            responsible="М",
            user=world.users[role],
        )
    with pytest.raises(PermissionDenied):
        services.proposal_drop(
            proposal=pw["agreed proposal of A"], reason="х", user=world.users[role]
        )


def test_a_drop_says_why(world, pw):
    with pytest.raises(ValidationError) as refused:
        services.proposal_drop(
            proposal=pw["agreed proposal of A"], reason="", user=world.users["shop_head"]
        )
    assert "reason" in refused.value.message_dict
    p = services.proposal_drop(
        proposal=pw["agreed proposal of A"], reason="Станок списан", user=world.users["shop_head"]
    )
    assert (p.status, p.dropped_on, p.dropped_reason) == (S.DROPPED, today(), "Станок списан")


# --- attachments ------------------------------------------------------------------------------


def test_an_author_attaches_a_photo_to_an_open_proposal(world, pw):
    p = pw["submitted proposal of A"]
    services.proposal_attach(
        proposal=p,
        documents=[DocumentIn(name="Фото", file=upload("ф.png", PNG))],
        user=world.users["worker"],
    )
    assert [d.name for d in p.documents.order_by("pk")] == ["Эскиз", "Фото"]


def test_attachments_are_refused_to_strangers_closed_proposals_and_bad_files(world, pw):
    photo = DocumentIn(name="Фото", file=upload("ф.png", PNG))
    with pytest.raises(PermissionDenied):
        services.proposal_attach(
            proposal=pw["submitted proposal of A"], documents=[photo], user=world.users["master"]
        )
    with pytest.raises(PermissionDenied):
        services.proposal_attach(
            proposal=pw["implemented proposal of A"], documents=[photo], user=world.users["worker"]
        )
    with pytest.raises(ValidationError) as refused:
        services.proposal_attach(
            proposal=pw["submitted proposal of A"],
            documents=[DocumentIn(name="Скан", file=upload("скан.pdf", HTML_AS_PDF))],
            user=world.users["worker"],
        )
    assert "повреждён" in refused.value.message_dict["documents"][0]


# --- the org-technical measure ----------------------------------------------------------------


def _measure(world, **values):
    fields = {
        "section": world.units["A1"],
        "year": today().year,
        "name": "Кондуктор для сверления",
        "factor": "progressive_technology",
        "responsible": "Технолог Петров",
        "deadline": today() + datetime.timedelta(days=30),
        "labour_before": D("0.450"),
        "labour_after": D("0.290"),
        "annual_quantity": D("750"),
        "headcount": 20,
    }
    fields.update(values)
    return OrgMeasure(**fields)


def test_an_accepted_labour_saving_proposal_becomes_a_measure_of_its_authors(world, pw):
    p = pw["agreed proposal of A"]
    measure = services.proposal_to_measure(
        proposal=p, measure=_measure(world), user=world.users["master"]
    )
    p.refresh_from_db()
    assert p.measure_id == measure.pk
    assert measure.status == OrgMeasure.Status.PLANNED
    # Т = (0.45 − 0.29) × 750 = 120 norm-hours; А = 120 / (1807 × 1.2) = 0.0553 workers
    assert measure.reduction == D("120.00000")
    assert round(measure.released, 4) == D("0.0553")
    assert sorted(measure.authors.values_list("pk", flat=True)) == sorted(
        [world.worker.pk, co_author(world).pk]
    )
    # the author's creative-contribution account records it
    own = account(world.users["worker"], world.worker, today().year)
    assert [a.measure.pk for a in own.authored] == [measure.pk]
    assert own.authored[0].co_authors == 1


def test_a_proposal_becomes_a_measure_once_and_only_when_it_saves_labour(world, pw):
    p = pw["agreed proposal of A"]
    services.proposal_to_measure(proposal=p, measure=_measure(world), user=world.users["master"])
    with pytest.raises(ValidationError) as refused:
        services.proposal_to_measure(
            proposal=p, measure=_measure(world), user=world.users["master"]
        )
    assert "уже стало оргтехмероприятием" in refused.value.messages[0]
    no_labour = proposal(world.units["A"], [world.worker], status=S.ACCEPTED, expected_labour=D(0))
    with pytest.raises(ValidationError):
        services.proposal_to_measure(
            proposal=no_labour, measure=_measure(world), user=world.users["master"]
        )
    with pytest.raises(ValidationError):  # not accepted (yet)
        services.proposal_to_measure(
            proposal=pw["submitted proposal of A"],
            measure=_measure(world),
            user=world.users["master"],
        )


def test_the_measure_checks_who_and_where(world, pw):
    p = pw["agreed proposal of A"]
    with pytest.raises(PermissionDenied):
        services.proposal_to_measure(
            proposal=p, measure=_measure(world), user=world.users["worker"]
        )
    with pytest.raises(ValidationError) as refused:
        services.proposal_to_measure(
            proposal=p,
            measure=_measure(world, section=world.units["B1"]),
            user=world.users["production_head"],
        )
    assert refused.value.message_dict == {"section": ["Участок другого цеха."]}
    # authors must work in the measure's section (planning's own check)
    with pytest.raises(ValidationError) as refused:
        services.proposal_to_measure(
            proposal=p,
            measure=_measure(world, section=world.units["A2"]),
            user=world.users["shop_head"],
        )
    assert "authors" in refused.value.message_dict


# --- what waits on whom, and what is past its term --------------------------------------------


def test_the_overdue_list_holds_what_is_past_the_bureaus_or_the_administrations_term(world, pw):
    rows = list(selectors.overdue_for(world.users["shop_head"]))
    assert [p.pk for p in rows] == [
        pw["passed proposal of A"].pk,  # answer due 10 days ago: the longest past first
        pw["submitted proposal of A"].pk,  # review due 5 days ago
    ]
    assert [selectors.days_past_term(p, today()) for p in rows] == [10, 5]
    # the production head sees the plant's: shop B's is within its term; the other plant's
    # is not his
    assert [p.pk for p in selectors.overdue_for(world.users["production_head"])] == [
        p.pk for p in rows
    ]


def test_each_holder_sees_what_waits_on_him(world, pw):
    def held(role):
        return [p.pk for p in selectors.held_by(world.users[role])]

    assert held("worker") == [pw["submitted proposal of A"].pk]  # the bureau
    assert held("brigade_leader") == [pw["accepted proposal of A"].pk]  # the committee
    # the shop head answers (past its term: first) and implements
    assert held("shop_head") == [pw["passed proposal of A"].pk, pw["agreed proposal of A"].pk]
    assert held("master") == [pw["agreed proposal of A"].pk]  # of his section A1
    assert held("dispatcher") == []


def test_a_brigade_leader_files_for_the_people_of_his_unit(world, pw):
    p = file(world, authors=[co_author(world)], user=world.users["brigade_leader"])
    assert authors_of(p) == [co_author(world).pk]
    assert p.submitted_by == world.users["brigade_leader"]
