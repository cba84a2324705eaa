"""Writes of the claims app (claims/services.py): filing, routing, the lifecycle, closed months.

Claims are filed in October 2026 of the test world; the default claim is section A1
against section B1 for late parts (idle pay 1 200,00 + 150 % overhead = 3 000,00),
filed by shop A's dispatcher — a claim between shops, which the head of production decides.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction

from claims import permissions, services
from claims.models import Claim, ClaimDocument, ClaimSettings, ClaimType
from claims.seed import IDLE_SLIP, OVERTIME, SCHEDULE, seed_claim_types
from claims.services import DocumentIn
from enterprise.models import HistoryRecord
from enterprise.models.roles import Role
from enterprise.scoping import Grant, Scope, scope_of
from tests.claims.conftest import DOC_DATE, IDLE, LOSS, references
from tests.claims.factories import EXE, JPEG, PDF, PNG, TIFF, party, pdf_bytes, upload
from tests.factories import (
    PeriodFactory,
    RoleAssignmentFactory,
    SectionFactory,
    ShopFactory,
    UserFactory,
    close_as_is,
)

D = Decimal
NBSP = "\u00a0"


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def fresh(user):
    """The user read again: the scope cached on the object forgets roles added since."""
    return get_user_model().objects.get(pk=user.pk)


def state(claim) -> dict:
    return Claim.objects.filter(pk=claim.pk).values().get()


def history(claim) -> list[HistoryRecord]:
    return list(HistoryRecord.objects.filter(group=f"claims.claim:{claim.pk}").order_by("id"))


def claim_history(claim) -> list[HistoryRecord]:
    """The claim row's own records (not its documents'), oldest first."""
    claim_type = ContentType.objects.get_for_model(Claim)
    return [r for r in history(claim) if r.content_type_id == claim_type.pk]


def with_file(titles, index: int, file) -> list[DocumentIn]:
    docs = references(titles)
    docs[index] = DocumentIn(title=docs[index].title, file=file)
    return docs


# --- filing: the loss ------------------------------------------------------------------------


def test_it_computes_the_loss_by_the_types_rule(file_claim, cast, types):
    claim = file_claim()

    assert claim.loss_amount == D("3000.00")
    assert plain(claim.loss_formula) == "1 200,00 + 1 200,00 × 150 % = 3 000,00"
    assert claim.loss_inputs == {"idle_pay": "1200.00", "overhead_percent": "150"}
    assert claim.status == Claim.Status.FILED
    assert claim.claim_type == types["late_parts"]
    assert claim.filed_by == cast.dispatcher
    assert claim.final_amount is None
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.loss_amount == D("3000.00")
    assert sorted(stored.documents.values_list("title", flat=True)) == sorted(
        [SCHEDULE, IDLE_SLIP, OVERTIME]
    )


def test_it_computes_a_tools_loss_with_its_parts(file_claim, units):
    inputs = {"tool_cost": D("4500.00"), "idle_pay": D("800.00"), "overhead_percent": D("120")}
    claim = file_claim(code="poor_tools", inputs=inputs)
    # 4 500,00 + 800,00 + 800,00 × 120 % = 6 260,00
    assert claim.loss_amount == D("6260.00")
    assert plain(claim.loss_formula) == "4 500,00 + 800,00 + 800,00 × 120 % = 6 260,00"


def test_it_refuses_inputs_the_rule_cannot_compute(file_claim):
    with pytest.raises(ValidationError) as caught:
        file_claim(inputs={"idle_pay": D("-5.00"), "overhead_percent": D("150")})
    assert set(caught.value.message_dict) == {"loss_idle_pay"}
    assert Claim.objects.count() == 0


def test_it_refuses_a_claim_with_no_loss(file_claim):
    # 900,00 + 50 % − 1 500,00 < 0: the work order covered the loss.
    inputs = {
        "average_earnings": D("900.00"),
        "overhead_percent": D("50"),
        "work_order_pay": D("1500.00"),
    }
    with pytest.raises(ValidationError) as caught:
        file_claim(code="idle_moved", inputs=inputs)
    assert "loss" in caught.value.message_dict
    assert Claim.objects.count() == 0


def test_it_refuses_a_claim_without_a_description(file_claim):
    with pytest.raises(ValidationError) as caught:
        file_claim(description="   ")
    assert "description" in caught.value.message_dict


# --- filing: number and deadline --------------------------------------------------------------


def test_it_numbers_claims_one_after_another_per_enterprise(world, file_claim, types):
    first, second = file_claim(), file_claim(defendant=world.units["A2"])
    assert (first.number, second.number) == (1, 2)

    other = world.other_enterprise
    dispatcher = UserFactory(username="other_dispatcher")
    RoleAssignmentFactory(user=dispatcher, role=Role.DISPATCHER, shop=world.units["other_shop"])
    seed_claim_types(other)
    other_type = ClaimType.objects.get(enterprise=other, code="late_parts")
    claim = services.claim_file(
        period=PeriodFactory(enterprise=other, year=2026, month=10),
        claim_type=other_type,
        claimant=party(world.units["other_section"]),
        defendant=party(ShopFactory(enterprise=other, number=9)),
        description="Детали поданы позже графика.",
        loss_inputs=dict(IDLE),
        documents=references(other_type.documents),
        user=dispatcher,
    )
    assert claim.number == 1
    assert file_claim(defendant=world.units["B"]).number == 3


def test_it_sets_the_answer_deadline_in_working_days(world, file_claim, frozen_now):
    # Thursday 15 October 2026 + 3 working days: Fri 16, Mon 19, Tue 20.
    moment = frozen_now(datetime.datetime(2026, 10, 15, 10, 30))
    ClaimSettings.objects.create(enterprise=world.enterprise, answer_days=3)
    claim = file_claim()
    assert claim.filed_at == moment
    assert claim.answer_due == datetime.date(2026, 10, 20)


def test_it_skips_the_weekend_with_the_default_five_days(world, file_claim, frozen_now):
    # Friday 16 October 2026 + 5 working days = Friday 23 October.
    frozen_now(datetime.datetime(2026, 10, 16, 17, 0))
    assert ClaimSettings.of(world.enterprise.pk).answer_days == 5
    assert file_claim().answer_due == datetime.date(2026, 10, 23)


def test_it_counts_from_the_local_date_not_utc(world, file_claim, frozen_now):
    # 23:30 UTC on Friday 16 October is already Saturday 17 in Moscow: due Friday 23rd
    # (Mon 19 … Fri 23), not Thursday 22nd.
    frozen_now(datetime.datetime(2026, 10, 16, 23, 30, tzinfo=datetime.UTC))
    ClaimSettings.objects.create(enterprise=world.enterprise, answer_days=5)
    assert file_claim().answer_due == datetime.date(2026, 10, 23)


def test_it_counts_working_days_skipping_saturday_and_sunday():
    friday = datetime.date(2026, 10, 16)
    assert services.working_days_after(friday, 1) == datetime.date(2026, 10, 19)
    assert services.working_days_after(friday, 0) == friday
    assert services.working_days_after(datetime.date(2026, 10, 17), 1) == datetime.date(
        2026, 10, 19
    )


# --- filing: documents ------------------------------------------------------------------------


def test_it_refuses_a_claim_missing_a_required_document(file_claim, types):
    with pytest.raises(ValidationError) as caught:
        file_claim(documents=references([SCHEDULE]))
    errors = caught.value.message_dict
    assert set(errors) == {"documents"}
    assert IDLE_SLIP in errors["documents"][0]
    assert OVERTIME in errors["documents"][0]
    assert Claim.objects.count() == 0
    assert ClaimDocument.objects.count() == 0


def test_it_refuses_a_document_with_neither_file_nor_number_and_date(file_claim):
    docs = references([SCHEDULE, IDLE_SLIP, OVERTIME])
    docs[1] = DocumentIn(title=IDLE_SLIP, number="17")  # no date
    with pytest.raises(ValidationError) as caught:
        file_claim(documents=docs)
    assert set(caught.value.message_dict) == {"document_1"}
    assert IDLE_SLIP in caught.value.message_dict["document_1"][0]
    assert Claim.objects.count() == 0


def test_it_refuses_a_file_that_is_not_a_scan_whatever_its_name(file_claim, media):
    docs = with_file([SCHEDULE, IDLE_SLIP, OVERTIME], 1, upload("Листок простоя.pdf", EXE))
    with pytest.raises(ValidationError) as caught:
        file_claim(documents=docs)
    assert set(caught.value.message_dict) == {"document_1"}
    assert "PDF, PNG, JPEG и TIFF" in caught.value.message_dict["document_1"][0]
    assert Claim.objects.count() == 0
    assert ClaimDocument.objects.count() == 0
    assert not (media / "claims").exists()


def test_it_refuses_a_file_over_10_mb(file_claim):
    big = upload("Листок простоя.pdf", pdf_bytes(10 * 1024 * 1024 + 1))
    assert big.size == 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as caught:
        file_claim(documents=with_file([SCHEDULE, IDLE_SLIP, OVERTIME], 1, big))
    assert "10 МБ" in caught.value.message_dict["document_1"][0]
    assert Claim.objects.count() == 0


def test_it_accepts_a_file_of_exactly_10_mb(file_claim):
    size = 10 * 1024 * 1024
    exact = upload("Листок простоя.pdf", pdf_bytes(size))
    claim = file_claim(documents=with_file([SCHEDULE, IDLE_SLIP, OVERTIME], 1, exact))
    assert claim.documents.get(title=IDLE_SLIP).size == size


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [
        (PDF, "application/pdf", ".pdf"),
        (PNG, "image/png", ".png"),
        (JPEG, "image/jpeg", ".jpg"),
        (TIFF, "image/tiff", ".tif"),
    ],
    ids=["pdf", "png", "jpeg", "tiff"],
)
def test_it_stores_a_scan_under_a_server_made_name(
    world, file_claim, content, content_type, extension
):
    scan = upload(f"../../Листок простоя № 17{extension}", content)
    claim = file_claim(documents=with_file([SCHEDULE, IDLE_SLIP, OVERTIME], 1, scan))

    document = claim.documents.get(title=IDLE_SLIP)
    assert document.file_name == f"Листок простоя № 17{extension}"
    assert document.content_type == content_type
    assert document.size == len(content)
    name = document.file.name
    assert name.startswith(f"claims/{world.enterprise.pk}/")
    assert name.endswith(extension)
    assert "Листок" not in name
    assert ".." not in name
    with default_storage.open(name) as stored:
        assert stored.read() == content
    referenced = claim.documents.get(title=SCHEDULE)
    assert (referenced.number, referenced.date, referenced.file.name) == ("11", DOC_DATE, "")


def test_it_gives_two_uploads_of_one_name_different_stored_names(file_claim):
    docs = references([SCHEDULE, IDLE_SLIP, OVERTIME])
    docs[0] = DocumentIn(title=SCHEDULE, file=upload("scan.pdf"))
    docs[1] = DocumentIn(title=IDLE_SLIP, file=upload("scan.pdf"))
    claim = file_claim(documents=docs)
    names = {d.file.name for d in claim.documents.all() if d.file}
    assert len(names) == 2


# --- filing: who, when, what --------------------------------------------------------------


def test_it_refuses_a_claimant_outside_the_filers_scope(units, cast):
    # who files for which unit is the permission's (the view asks it before the service)
    assert not permissions.may_file(cast.master, party(units["A2"]).ref())
    assert not permissions.may_file(cast.dispatcher, party(units["B1"]).ref())
    assert not permissions.may_file(cast.economist, party(units["A1"]).ref())  # sees shop A
    assert permissions.may_file(cast.master, party(units["A1"]).ref())
    assert permissions.may_file(cast.dispatcher, party(units["A2"]).ref())


def test_it_lets_a_master_file_for_his_own_section(file_claim, units, cast):
    claim = file_claim(claimant=units["A1"], defendant=units["B1"], user=cast.master)
    assert claim.filed_by == cast.master


def test_it_refuses_a_defendant_of_another_enterprise(world, file_claim):
    with pytest.raises(ValidationError):
        file_claim(defendant=world.units["other_section"])
    assert Claim.objects.count() == 0


def test_it_refuses_to_file_in_a_closed_period(world, file_claim):
    with pytest.raises(ValidationError) as caught:
        file_claim(period=world.period(2026, 9))
    assert "period" in caught.value.message_dict
    assert Claim.objects.count() == 0


def test_it_refuses_a_unit_claiming_against_itself(file_claim, units, world):
    with pytest.raises(ValidationError) as caught:
        file_claim(claimant=units["A1"], defendant=units["A1"])
    assert "defendant" in caught.value.message_dict
    worker = world.workers["A1"][0]
    with pytest.raises(ValidationError):
        file_claim(claimant=worker, defendant=worker)
    assert Claim.objects.count() == 0


def test_it_files_once_for_one_submission_token(file_claim, cast):
    first = file_claim(submission="form-7f3a")
    again = file_claim(submission="form-7f3a")
    assert again.pk == first.pk
    assert Claim.objects.count() == 1
    assert ClaimDocument.objects.count() == 3
    # The token is the filer's: another person's form with the same token is another claim.
    other = file_claim(submission="form-7f3a", user=cast.shop_head)
    assert other.pk != first.pk
    # No token: every call files.
    assert file_claim().pk != file_claim().pk
    assert Claim.objects.count() == 4


def test_it_records_the_filing_in_the_claims_history(file_claim, cast):
    claim = file_claim()
    records = history(claim)
    assert {r.action for r in records} == {HistoryRecord.Action.CREATE}
    assert {r.actor for r in records} == {cast.dispatcher}
    assert len(records) == 4  # the claim and its three documents
    created = claim_history(claim)[0]
    assert created.changes["loss_amount"] == [None, "3000.00"]


# --- routing ---------------------------------------------------------------------------------


def route_of(claim) -> tuple:
    return (
        claim.arbitrator_level,
        claim.arbitrator_role,
        claim.arbitrator_shop_id,
        claim.arbitrator_section_id,
    )


def test_it_routes_a_claim_inside_one_section_to_its_master(world, file_claim, cast):
    one, two = world.workers["A1"]
    claim = file_claim(claimant=one, defendant=two)
    assert route_of(claim) == ("section", Role.MASTER, None, world.units["A1"].pk)
    assert permissions.is_arbitrator(cast.master, claim)
    assert not permissions.is_arbitrator(cast.master_a2, claim)
    assert not permissions.is_arbitrator(cast.shop_head, claim)


def test_it_routes_a_brigade_against_a_worker_of_its_section_to_the_master(
    world, file_claim, brigade
):
    claim = file_claim(claimant=brigade, defendant=world.workers["A1"][1])
    assert route_of(claim) == ("section", Role.MASTER, None, world.units["A1"].pk)


def test_it_routes_a_claim_between_sections_of_one_shop_to_the_shop_head(file_claim, units, cast):
    claim = file_claim(claimant=units["A1"], defendant=units["A2"])
    assert route_of(claim) == ("shop", Role.SHOP_HEAD, units["A"].pk, None)
    assert permissions.is_arbitrator(cast.shop_head, claim)
    assert not permissions.is_arbitrator(cast.shop_head_b, claim)
    assert not permissions.is_arbitrator(cast.master, claim)


@pytest.mark.parametrize(
    ("code", "role"),
    [
        ("late_parts", Role.PRODUCTION_HEAD),
        ("late_goods_materials", Role.PRODUCTION_HEAD),
        ("late_tools", Role.DEPUTY_DIRECTOR),
        ("late_energy", Role.DEPUTY_DIRECTOR),
    ],
)
def test_it_routes_a_claim_between_shops_to_the_types_arbitrator(file_claim, units, code, role):
    claim = file_claim(claimant=units["A1"], defendant=units["B1"], code=code)
    assert route_of(claim) == ("plant", role, None, None)


def test_it_moves_a_section_against_its_own_brigade_up_to_the_shop_head(
    file_claim, units, brigade, cast
):
    claim = file_claim(claimant=units["A1"], defendant=brigade)
    assert route_of(claim) == ("shop", Role.SHOP_HEAD, units["A"].pk, None)
    assert not permissions.is_arbitrator(cast.master, claim)


def test_it_moves_a_section_against_its_own_shop_up_to_the_plant(file_claim, units):
    claim = file_claim(claimant=units["A1"], defendant=units["A"])
    assert route_of(claim) == ("plant", Role.PRODUCTION_HEAD, None, None)


def test_it_moves_a_claim_filed_by_the_master_who_would_arbitrate(world, file_claim, cast):
    one, two = world.workers["A1"]
    claim = file_claim(claimant=one, defendant=two, user=cast.master)
    assert route_of(claim) == ("shop", Role.SHOP_HEAD, world.units["A"].pk, None)
    assert permissions.is_arbitrator(cast.shop_head, claim)
    assert not permissions.is_arbitrator(cast.master, claim)


def test_it_moves_a_claim_filed_by_the_shop_head_between_his_sections(file_claim, units, cast):
    claim = file_claim(claimant=units["A1"], defendant=units["A2"], user=cast.shop_head)
    assert route_of(claim) == ("plant", Role.PRODUCTION_HEAD, None, None)


def test_it_gives_the_production_heads_own_claim_to_the_deputy_director(file_claim, units, cast):
    RoleAssignmentFactory(user=cast.production_head, role=Role.DISPATCHER, shop=units["A"])
    head = fresh(cast.production_head)
    claim = file_claim(claimant=units["A1"], defendant=units["B1"], user=head)
    assert route_of(claim) == ("plant", Role.DEPUTY_DIRECTOR, None, None)
    assert not permissions.is_arbitrator(head, claim)
    assert permissions.is_arbitrator(cast.deputy, claim)


def test_it_gives_the_deputy_directors_own_claim_to_the_production_head(file_claim, units, cast):
    RoleAssignmentFactory(user=cast.deputy, role=Role.DISPATCHER, shop=units["A"])
    deputy = fresh(cast.deputy)
    claim = file_claim(code="late_energy", user=deputy)
    assert route_of(claim) == ("plant", Role.PRODUCTION_HEAD, None, None)


def test_it_finds_a_shop_head_whatever_order_his_roles_come_in(monkeypatch, units, cast):
    # A grant of the role in one of the shop's sections, listed first, must not hide the
    # grant for the shop itself.
    enterprise, shop, section = units["B"].enterprise_id, units["B"].pk, units["B1"].pk
    grants = (
        Grant(Role.SHOP_HEAD, enterprise, shop, section),
        Grant(Role.SHOP_HEAD, enterprise, shop, None),
    )
    monkeypatch.setattr(permissions, "scope_of", lambda user: Scope(grants=grants))
    assert permissions.holds(
        cast.shop_head_b, Role.SHOP_HEAD, enterprise_id=enterprise, shop_id=shop
    )
    monkeypatch.setattr(permissions, "scope_of", lambda user: Scope(grants=grants[:1]))
    assert not permissions.holds(
        cast.shop_head_b, Role.SHOP_HEAD, enterprise_id=enterprise, shop_id=shop
    )


# --- the lifecycle ---------------------------------------------------------------------------


def test_it_settles_an_accepted_claim_at_the_full_loss(file_claim, cast):
    claim = file_claim()
    claim = services.claim_answer(
        claim=claim,
        answer=Claim.Answer.ACCEPT,
        accepted_amount=None,
        reason="",
        user=cast.master_b1,
    )
    assert claim.status == Claim.Status.SETTLED
    assert claim.accepted_amount == LOSS
    assert claim.final_amount == LOSS
    stored = state(claim)
    assert (stored["status"], stored["final_amount"]) == (Claim.Status.SETTLED, LOSS)
    assert stored["answered_by_id"] == cast.master_b1.pk


def test_it_sends_a_partly_accepted_claim_to_the_arbitrator_who_decides(file_claim, cast):
    claim = file_claim()
    claim = services.claim_answer(
        claim=claim,
        answer=Claim.Answer.PARTIAL,
        accepted_amount=D("1200.00"),  # 40 %
        reason="Простой 4 часа, не 10: остальное — по вине самого участка.",
        user=cast.master_b1,
    )
    assert claim.status == Claim.Status.ARBITRATION
    assert claim.accepted_amount == D("1200.00")
    assert claim.final_amount is None
    assert claim.disputed_amount == D("1800.00")

    claim = services.claim_decide(
        claim=claim,
        amount=D("2000.00"),
        reason="По графику опоздание 6 часов; простой подтверждён.",
        user=cast.production_head,
    )
    assert claim.status == Claim.Status.DECIDED
    assert claim.decided_amount == D("2000.00")
    assert claim.final_amount == D("2000.00")
    assert state(claim)["decided_by_id"] == cast.production_head.pk


@pytest.mark.parametrize("amount", ["1199.99", "3000.01", "-1.00"])
def test_it_keeps_a_decision_between_the_accepted_part_and_the_loss(file_claim, cast, amount):
    claim = file_claim()
    services.claim_answer(
        claim=claim,
        answer=Claim.Answer.PARTIAL,
        accepted_amount=D("1200.00"),
        reason="Частично.",
        user=cast.master_b1,
    )
    before = state(claim)
    with pytest.raises(ValidationError) as caught:
        services.claim_decide(
            claim=claim, amount=D(amount), reason="Так.", user=cast.production_head
        )
    assert "amount" in caught.value.message_dict
    assert "1 200,00" in plain(caught.value.message_dict["amount"][0])
    assert state(claim) == before


@pytest.mark.parametrize("accepted", ["0.00", "3000.00", "3500.00", None])
def test_it_refuses_a_partial_answer_outside_the_claim(file_claim, cast, accepted):
    claim = file_claim()
    with pytest.raises(ValidationError) as caught:
        services.claim_answer(
            claim=claim,
            answer=Claim.Answer.PARTIAL,
            accepted_amount=None if accepted is None else D(accepted),
            reason="Частично.",
            user=cast.master_b1,
        )
    assert "accepted_amount" in caught.value.message_dict
    assert state(claim)["status"] == Claim.Status.FILED


def test_it_refuses_a_rejection_without_reasons(file_claim, cast):
    claim = file_claim()
    before = state(claim)
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            services.claim_answer(
                claim=claim,
                answer=Claim.Answer.REJECT,
                accepted_amount=None,
                reason=reason,
                user=cast.master_b1,
            )
        assert "reason" in caught.value.message_dict
    assert state(claim) == before


def test_it_sends_a_rejected_claim_to_the_arbitrator_with_nothing_accepted(file_claim, cast):
    claim = services.claim_answer(
        claim=file_claim(),
        answer=Claim.Answer.REJECT,
        accepted_amount=D("999.00"),  # ignored: a rejection accepts nothing
        reason="Детали поданы в срок, см. накладную № 45.",
        user=cast.master_b1,
    )
    assert claim.status == Claim.Status.ARBITRATION
    assert claim.accepted_amount == D("0.00")
    assert claim.answer == Claim.Answer.REJECT


def test_it_refuses_an_answer_from_outside_the_defendants_unit(file_claim, cast):
    claim = file_claim()
    for user in (cast.master, cast.dispatcher_b, cast.production_head, cast.economist):
        assert not permissions.may_answer(user, claim), user
    assert permissions.may_answer(cast.master_b1, claim)
    assert state(claim)["status"] == Claim.Status.FILED


def test_it_refuses_an_answer_by_the_filer(file_claim, cast):
    claim = file_claim()
    assert not permissions.may_answer(cast.dispatcher, claim)
    with pytest.raises(ValidationError):  # and the service keeps the duties apart
        services.claim_answer(
            claim=claim,
            answer=Claim.Answer.ACCEPT,
            accepted_amount=None,
            reason="",
            user=cast.dispatcher,
        )
    assert state(claim)["status"] == Claim.Status.FILED


def test_it_lets_the_defendants_shop_head_answer(file_claim, cast):
    claim = services.claim_answer(
        claim=file_claim(),
        answer=Claim.Answer.ACCEPT,
        accepted_amount=None,
        reason="",
        user=cast.shop_head_b,
    )
    assert claim.status == Claim.Status.SETTLED


def _disputed(file_claim, cast, **kwargs):
    claim = file_claim(**kwargs)
    return services.claim_answer(
        claim=claim,
        answer=Claim.Answer.REJECT,
        accepted_amount=None,
        reason="Не согласны.",
        user=cast.master_b1,
    )


def test_it_refuses_a_decision_by_someone_not_the_arbitrator(file_claim, cast):
    claim = _disputed(file_claim, cast)
    before = state(claim)
    for user in (cast.deputy, cast.shop_head, cast.shop_head_b, cast.master, cast.labour):
        assert not permissions.is_arbitrator(user, claim), user
    assert permissions.is_arbitrator(cast.production_head, claim)
    assert state(claim) == before


def test_it_refuses_a_decision_by_the_filer_even_with_the_arbitrators_role(file_claim, cast):
    claim = _disputed(file_claim, cast)
    RoleAssignmentFactory(user=cast.dispatcher, role=Role.PRODUCTION_HEAD)
    dispatcher = fresh(cast.dispatcher)
    assert Role.PRODUCTION_HEAD in scope_of(dispatcher).roles
    assert not permissions.is_arbitrator(dispatcher, claim)
    with pytest.raises(ValidationError):
        services.claim_decide(claim=claim, amount=D("100.00"), reason="Так.", user=dispatcher)
    assert state(claim)["status"] == Claim.Status.ARBITRATION


def test_it_refuses_a_decision_by_the_filer_even_a_superuser(file_claim, cast):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    claim = _disputed(file_claim, cast, user=admin)
    assert not permissions.is_arbitrator(admin, claim)
    with pytest.raises(ValidationError):
        services.claim_decide(claim=claim, amount=D("100.00"), reason="Так.", user=admin)
    assert state(claim)["status"] == Claim.Status.ARBITRATION


def test_it_refuses_to_decide_a_claim_still_waiting_for_its_answer(file_claim, cast):
    claim = file_claim()
    with pytest.raises(ValidationError) as caught:
        services.claim_decide(claim=claim, amount=LOSS, reason="Так.", user=cast.production_head)
    assert caught.value.code == "stale"
    assert state(claim)["status"] == Claim.Status.FILED


def test_it_refuses_a_decision_without_reasons(file_claim, cast):
    claim = _disputed(file_claim, cast)
    with pytest.raises(ValidationError) as caught:
        services.claim_decide(claim=claim, amount=LOSS, reason=" ", user=cast.production_head)
    assert "reason" in caught.value.message_dict


def test_it_tells_the_second_answer_the_claim_has_changed(file_claim, cast):
    claim = file_claim()
    services.claim_answer(
        claim=claim,
        answer=Claim.Answer.ACCEPT,
        accepted_amount=None,
        reason="",
        user=cast.master_b1,
    )
    with pytest.raises(ValidationError) as caught:
        services.claim_answer(
            claim=claim,  # the stale object, still FILED in memory
            answer=Claim.Answer.REJECT,
            accepted_amount=None,
            reason="Нет.",
            user=cast.shop_head_b,
        )
    assert caught.value.code == "stale"
    assert state(claim)["final_amount"] == LOSS


def test_it_withdraws_a_claim_and_keeps_the_record(file_claim, cast):
    claim = file_claim()
    claim = services.claim_withdraw(
        claim=claim, reason="Детали нашлись на складе участка.", user=cast.dispatcher
    )
    stored = state(claim)
    assert stored["status"] == Claim.Status.WITHDRAWN
    assert stored["withdrawn_reason"] == "Детали нашлись на складе участка."
    assert stored["final_amount"] is None
    assert stored["loss_amount"] == LOSS
    assert ClaimDocument.objects.filter(claim=claim).count() == 3


def test_it_lets_the_claimants_master_withdraw_a_disputed_claim(file_claim, cast):
    claim = _disputed(file_claim, cast)
    claim = services.claim_withdraw(claim=claim, reason="Согласны с доводами.", user=cast.master)
    assert claim.status == Claim.Status.WITHDRAWN


def test_it_refuses_a_withdrawal_without_reason_or_by_the_defendant(file_claim, cast):
    claim = file_claim()
    with pytest.raises(ValidationError):
        services.claim_withdraw(claim=claim, reason="", user=cast.dispatcher)
    assert not permissions.may_withdraw(cast.master_b1, claim)
    assert permissions.may_withdraw(cast.dispatcher, claim)
    assert state(claim)["status"] == Claim.Status.FILED


def test_it_refuses_to_withdraw_a_settled_claim(file_claim, cast):
    claim = file_claim()
    services.claim_answer(
        claim=claim,
        answer=Claim.Answer.ACCEPT,
        accepted_amount=None,
        reason="",
        user=cast.master_b1,
    )
    with pytest.raises(ValidationError) as caught:
        services.claim_withdraw(claim=claim, reason="Передумали.", user=cast.dispatcher)
    assert caught.value.code == "stale"
    assert state(claim)["status"] == Claim.Status.SETTLED


def test_it_escalates_an_unanswered_claim_past_its_deadline(world, file_claim, cast, frozen_now):
    frozen_now(datetime.datetime(2026, 10, 15, 9, 0))  # Thursday: due Thursday 22nd
    claim = file_claim()
    answered = file_claim(defendant=world.units["B"])
    services.claim_answer(
        claim=answered,
        answer=Claim.Answer.ACCEPT,
        accepted_amount=None,
        reason="",
        user=cast.shop_head_b,
    )
    assert claim.answer_due == datetime.date(2026, 10, 22)
    ids = [world.enterprise.pk]

    assert services.escalate_overdue(enterprise_ids=ids, today=claim.answer_due) == 0
    assert state(claim)["status"] == Claim.Status.FILED

    assert services.escalate_overdue(enterprise_ids=ids, today=datetime.date(2026, 10, 23)) == 1
    stored = state(claim)
    assert stored["status"] == Claim.Status.ARBITRATION
    assert stored["escalated_unanswered"] is True
    assert stored["accepted_amount"] == D("0.00")
    assert state(answered)["status"] == Claim.Status.SETTLED
    last = claim_history(claim)[-1]
    assert last.actor is None
    assert "Срок ответа истёк" in last.reason
    assert last.changes["status"] == [Claim.Status.FILED, Claim.Status.ARBITRATION]
    # Once escalated, the answer comes too late; the arbitrator decides.
    with pytest.raises(ValidationError):
        services.claim_answer(
            claim=claim,
            answer=Claim.Answer.ACCEPT,
            accepted_amount=None,
            reason="",
            user=cast.master_b1,
        )
    decided = services.claim_decide(
        claim=claim,
        amount=D("2500.00"),
        reason="Ответа нет; простой подтверждён.",
        user=cast.production_head,
    )
    assert decided.final_amount == D("2500.00")
    # A second run finds nothing more.
    assert services.escalate_overdue(enterprise_ids=ids, today=datetime.date(2026, 10, 30)) == 0


def test_it_lets_the_arbitrator_decide_an_overdue_unanswered_claim(file_claim, cast, frozen_now):
    frozen_now(datetime.datetime(2026, 10, 15, 9, 0))
    claim = file_claim()
    frozen_now(datetime.datetime(2026, 10, 26, 9, 0))  # past the 22nd
    claim = services.claim_decide(
        claim=claim, amount=D("1000.00"), reason="Ответа не было.", user=cast.production_head
    )
    assert claim.status == Claim.Status.DECIDED
    assert claim.escalated_unanswered is True
    assert claim.accepted_amount == D("0.00")
    assert claim.final_amount == D("1000.00")


def test_it_writes_each_step_into_the_claims_history_with_who_and_why(file_claim, cast):
    claim = file_claim()
    services.claim_answer(
        claim=claim,
        answer=Claim.Answer.PARTIAL,
        accepted_amount=D("1200.00"),
        reason="Признаём 4 часа простоя.",
        user=cast.master_b1,
    )
    services.claim_decide(
        claim=claim, amount=D("2000.00"), reason="Опоздание 6 часов.", user=cast.production_head
    )
    records = claim_history(claim)
    steps = [(r.action, r.actor, r.reason) for r in records]
    assert steps == [
        (HistoryRecord.Action.CREATE, cast.dispatcher, ""),
        (HistoryRecord.Action.UPDATE, cast.master_b1, "Признаём 4 часа простоя."),
        (HistoryRecord.Action.UPDATE, cast.production_head, "Опоздание 6 часов."),
    ]
    assert records[1].changes["accepted_amount"] == [None, "1200.00"]
    assert records[2].changes["final_amount"] == [None, "2000.00"]
    assert all(r.group == f"claims.claim:{claim.pk}" for r in history(claim))

    other = file_claim()
    services.claim_withdraw(claim=other, reason="Ошибочно подана.", user=cast.dispatcher)
    withdrawn = claim_history(other)[-1]
    assert (withdrawn.actor, withdrawn.reason) == (cast.dispatcher, "Ошибочно подана.")
    assert withdrawn.changes["status"] == [Claim.Status.FILED, Claim.Status.WITHDRAWN]


# --- closed period ---------------------------------------------------------------------------


@pytest.fixture
def close_october(october, cast):
    """October closed with its open claims left in it, as months were closed before the
    close refused them (the demo's months): such claims stay frozen."""

    def close():
        return close_as_is(october, cast.labour)

    return close


def test_it_refuses_every_step_once_the_claims_month_is_closed(file_claim, cast, close_october):
    waiting = file_claim()
    disputed = _disputed(file_claim, cast)
    close_october()
    before = {c.pk: state(c) for c in (waiting, disputed)}
    count = HistoryRecord.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.claim_answer(
            claim=waiting,
            answer=Claim.Answer.ACCEPT,
            accepted_amount=None,
            reason="",
            user=cast.master_b1,
        )
    assert "закрыт" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError) as caught:
        services.claim_decide(
            claim=disputed, amount=D("100.00"), reason="Так.", user=cast.production_head
        )
    assert "закрыт" in " ".join(caught.value.messages)
    for claim in (waiting, disputed):
        with pytest.raises(ValidationError) as caught:
            services.claim_withdraw(claim=claim, reason="Отзываю.", user=cast.dispatcher)
        assert "закрыт" in " ".join(caught.value.messages)

    assert {c.pk: state(c) for c in (waiting, disputed)} == before
    assert HistoryRecord.objects.count() == count


def test_it_does_not_escalate_claims_of_a_closed_month(world, file_claim, close_october):
    claim = file_claim()
    close_october()
    later = claim.answer_due + datetime.timedelta(days=30)
    assert services.escalate_overdue(enterprise_ids=[world.enterprise.pk], today=later) == 0
    assert state(claim)["status"] == Claim.Status.FILED


def test_it_refuses_an_overdue_decision_in_a_closed_month(
    file_claim, cast, close_october, frozen_now
):
    frozen_now(datetime.datetime(2026, 10, 15, 9, 0))
    claim = file_claim()
    close_october()
    frozen_now(datetime.datetime(2026, 11, 20, 9, 0))
    with pytest.raises(ValidationError):
        services.claim_decide(claim=claim, amount=LOSS, reason="Так.", user=cast.production_head)
    assert state(claim)["status"] == Claim.Status.FILED


@pytest.mark.postgres
def test_it_refuses_raw_sql_on_a_claim_of_a_closed_month(file_claim, close_october):
    claim = file_claim()
    close_october()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_claim SET final_amount = 1, status = 'settled' WHERE id = %s",
            [claim.pk],
        )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM claims_claim WHERE id = %s", [claim.pk])
    assert state(claim)["status"] == Claim.Status.FILED


@pytest.mark.postgres
def test_it_lets_raw_sql_change_a_claim_of_an_open_month(file_claim):
    claim = file_claim()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_claim SET description = 'x' WHERE id = %s", [claim.pk])
    assert state(claim)["description"] == "x"


def test_it_refuses_to_file_for_a_section_of_another_shop_it_does_not_see(world, file_claim, cast):
    stranger = SectionFactory(shop=world.units["B"], number=5)
    assert not permissions.may_file(cast.master, party(stranger).ref())
