"""The claims models (claims/models.py), their constraints, and the seed of table 10."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Claim, ClaimDocument, ClaimSettings, ClaimType, document_path
from claims.rules import Unit
from claims.seed import IDLE_SLIP, OVERTIME, SCHEDULE, TABLE_10, seed_claim_types
from enterprise.models import HistoryRecord
from enterprise.models.roles import Role
from enterprise.tracking import PeriodClosedError
from tests.claims.factories import ClaimFactory, ClaimTypeFactory
from tests.factories import RoleAssignmentFactory, UserFactory

D = Decimal


# --- claim types and their seed -------------------------------------------------------------


def test_it_seeds_the_types_of_table_10_once(world):
    assert seed_claim_types(world.enterprise) == len(TABLE_10) == 11
    assert seed_claim_types(world.enterprise) == 0
    types = {t.code: t for t in ClaimType.objects.filter(enterprise=world.enterprise)}
    assert types["late_parts"].documents == [SCHEDULE, IDLE_SLIP, OVERTIME]
    assert types["late_parts"].arbitrator_role == Role.PRODUCTION_HEAD
    assert types["late_goods_materials"].arbitrator_role == Role.PRODUCTION_HEAD
    assert types["late_tools"].documents == ["Наряд на оплату работ", IDLE_SLIP]
    assert types["late_tools"].arbitrator_role == Role.DEPUTY_DIRECTOR
    assert types["late_energy"].documents == ["График подачи энергии", IDLE_SLIP]
    assert types["late_energy"].arbitrator_role == Role.DEPUTY_DIRECTOR
    assert types["late_shipment"].documents == ["График отгрузки"]
    assert types["late_shipment"].arbitrator_role == Role.DEPUTY_DIRECTOR
    assert types["price_deviation"].arbitrator_role == Role.DEPUTY_DIRECTOR
    assert types["price_deviation"].loss_rule == "process_deviation"
    assert types["unproductive"].loss_rule == "unproductive"
    assert [t.code for t in ClaimType.objects.filter(enterprise=world.enterprise)] == [
        row[0] for row in TABLE_10
    ]
    for claim_type in types.values():
        claim_type.full_clean()


def test_it_leaves_a_type_the_plant_has_edited_alone(world):
    seed_claim_types(world.enterprise)
    late = ClaimType.objects.get(enterprise=world.enterprise, code="late_parts")
    late.documents = [SCHEDULE]
    late.save()
    ClaimType.objects.filter(enterprise=world.enterprise, code="unproductive").delete()

    assert seed_claim_types(world.enterprise) == 1
    late.refresh_from_db()
    assert late.documents == [SCHEDULE]
    assert seed_claim_types(world.other_enterprise) == 11


@pytest.mark.parametrize("documents", [["График", ""], ["График", "  "], "График", [1, 2]], ids=str)
def test_it_wants_the_documents_as_a_list_of_names(world, documents):
    claim_type = ClaimTypeFactory.build(enterprise=world.enterprise, documents=documents)
    with pytest.raises(ValidationError) as caught:
        claim_type.full_clean()
    assert "documents" in caught.value.message_dict


def test_it_keeps_type_codes_unique_per_enterprise(world):
    ClaimTypeFactory(enterprise=world.enterprise, code="late_parts")
    twin = ClaimTypeFactory.build(enterprise=world.enterprise, code="late_parts")
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert "Вид претензии с таким кодом уже есть." in caught.value.messages
    ClaimTypeFactory(enterprise=world.other_enterprise, code="late_parts").full_clean()


def test_it_offers_only_the_plant_level_arbitrators_for_a_type(world):
    claim_type = ClaimTypeFactory.build(enterprise=world.enterprise, arbitrator_role=Role.MASTER)
    with pytest.raises(ValidationError) as caught:
        claim_type.full_clean()
    assert "arbitrator_role" in caught.value.message_dict


def test_it_gives_five_working_days_to_answer_unless_the_plant_says_otherwise(world):
    assert ClaimSettings.of(world.enterprise.pk).answer_days == 5
    assert ClaimSettings.of(world.enterprise.pk).pk is None
    ClaimSettings.objects.create(enterprise=world.enterprise, answer_days=10)
    assert ClaimSettings.of(world.enterprise.pk).answer_days == 10
    for days in (0, 61):
        with pytest.raises(ValidationError):
            ClaimSettings(enterprise=world.other_enterprise, answer_days=days).full_clean()


# --- claims: constraints -------------------------------------------------------------------


@pytest.fixture
def a_to_b(world, october):
    def build(**kwargs):
        kwargs.setdefault("claimant", world.units["A1"])
        kwargs.setdefault("defendant", world.units["B1"])
        return ClaimFactory(period=october, **kwargs)

    return build


def test_it_refuses_a_claim_of_no_amount(a_to_b):
    with pytest.raises(IntegrityError), transaction.atomic():
        a_to_b(loss_amount=D("0.00"), status=Claim.Status.FILED)
    assert Claim.objects.count() == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"accepted_amount": D("1000.01")},
        {"accepted_amount": D("-0.01")},
        {"decided_amount": D("1000.01")},
        {"decided_amount": D("-1.00")},
    ],
    ids=["accepted-over", "accepted-negative", "decided-over", "decided-negative"],
)
def test_it_keeps_accepted_and_decided_amounts_within_the_claim(a_to_b, fields):
    claim = a_to_b(loss_amount=D("1000.00"), status=Claim.Status.ARBITRATION)
    for name, value in fields.items():
        setattr(claim, name, value)
    with pytest.raises(ValidationError):
        claim.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        claim.save()
    assert Claim.objects.filter(pk=claim.pk).values_list(*fields).get() == (None,)


def test_it_numbers_claims_uniquely_per_enterprise(world, a_to_b, october):
    a_to_b(number=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        a_to_b(number=7)
    twin = ClaimFactory.build(
        period=october, claimant=world.units["A"], defendant=world.units["B"], number=7
    )
    with pytest.raises(ValidationError) as caught:
        twin.validate_constraints()
    assert "Претензия с таким номером уже есть." in caught.value.messages


def test_it_files_a_submission_key_once_per_filer(a_to_b, cast):
    a_to_b(filed_by=cast.dispatcher, submission="")
    a_to_b(filed_by=cast.dispatcher, submission="")  # no key: no limit
    a_to_b(filed_by=cast.dispatcher, submission="k-1")
    a_to_b(filed_by=cast.master, submission="k-1")  # another filer's key
    with pytest.raises(IntegrityError), transaction.atomic():
        a_to_b(filed_by=cast.dispatcher, submission="k-1")
    assert Claim.objects.count() == 4


def test_it_refuses_a_claim_in_a_closed_month(world):
    with pytest.raises(PeriodClosedError):
        ClaimFactory(
            period=world.period(2026, 9), claimant=world.units["A"], defendant=world.units["B"]
        )
    assert Claim.objects.count() == 0


def test_it_wants_a_file_or_a_number_and_date_for_a_document(a_to_b):
    claim = a_to_b()
    for fields in ({}, {"number": "5"}, {"date": datetime.date(2026, 10, 5)}):
        document = ClaimDocument(claim=claim, title=IDLE_SLIP, **fields)
        with pytest.raises(ValidationError) as caught:
            document.full_clean()
        assert "Приложите файл или укажите номер и дату документа." in caught.value.messages
        with pytest.raises(IntegrityError), transaction.atomic():
            document.save()
    ClaimDocument.objects.create(
        claim=claim, title=IDLE_SLIP, number="5", date=datetime.date(2026, 10, 5)
    )
    assert claim.documents.count() == 1


def test_it_files_a_documents_history_under_its_claim(a_to_b):
    claim = a_to_b()
    document = ClaimDocument.objects.create(
        claim=claim, title=IDLE_SLIP, number="5", date=datetime.date(2026, 10, 5)
    )
    record = HistoryRecord.objects.get(
        content_type=ContentType.objects.get_for_model(ClaimDocument), object_pk=str(document.pk)
    )
    assert record.group == f"claims.claim:{claim.pk}"
    assert record.changes["number"] == [None, "5"]
    assert "file" not in record.changes


def test_it_names_a_stored_file_itself(a_to_b, world):
    document = ClaimDocument(claim=a_to_b(), title=IDLE_SLIP)
    first = document_path(document, "x.pdf")
    second = document_path(document, "x.pdf")
    assert first != second
    assert first.startswith(f"claims/{world.enterprise.pk}/")
    assert first.endswith(".pdf")
    hostile = document_path(document, "../../etc/passwd.sh")
    assert hostile.startswith(f"claims/{world.enterprise.pk}/")
    assert not hostile.endswith(".sh")
    assert "passwd" not in hostile


# --- claims: what they say about themselves ------------------------------------------------


def test_it_labels_each_kind_of_party(world, october, brigade):
    worker = world.workers["B1"][0]
    claim = ClaimFactory(period=october, claimant=brigade, defendant=worker)
    assert claim.claimant_label == "бригада № 18 (уч. 1, цех 6)"
    assert claim.defendant_label == f"рабочий {worker.short_name} (уч. 1, цех 7)"
    assert claim.party("claimant") == brigade
    shop_claim = ClaimFactory(
        period=october, claimant=world.units["A2"], defendant=world.units["B"]
    )
    assert shop_claim.claimant_label == "участок № 2 цеха № 6"
    assert shop_claim.defendant_label == "цех № 7"
    assert str(shop_claim) == f"Претензия № {shop_claim.number}"


def test_it_places_each_party_for_the_routing_rule(world, october, brigade):
    worker = world.workers["B1"][0]
    claim = ClaimFactory(period=october, claimant=brigade, defendant=worker)
    a1, a, b1, b = (world.units[k].pk for k in ("A1", "A", "B1", "B"))
    assert claim.unit("claimant") == Unit("brigade", brigade.pk, section_id=a1, shop_id=a)
    assert (claim.unit("defendant").section, claim.unit("defendant").shop) == (b1, b)
    shop = ClaimFactory(period=october, claimant=world.units["A"], defendant=world.units["B1"])
    assert (shop.unit("claimant").kind, shop.unit("claimant").section) == ("shop", None)
    assert shop.claimant_section_id is None


def test_it_knows_when_a_claim_is_overdue_and_what_is_disputed(a_to_b):
    claim = a_to_b(
        status=Claim.Status.FILED,
        loss_amount=D("3000.00"),
        answer_due=datetime.date(2026, 10, 22),
    )
    assert claim.is_open
    assert not claim.is_overdue(datetime.date(2026, 10, 22))
    assert claim.is_overdue(datetime.date(2026, 10, 23))
    assert claim.disputed_amount == D("3000.00")
    claim.status, claim.accepted_amount = Claim.Status.ARBITRATION, D("1200.00")
    assert not claim.is_overdue(datetime.date(2026, 10, 23))
    assert claim.disputed_amount == D("1800.00")
    claim.status = Claim.Status.WITHDRAWN
    assert not claim.is_open


# --- claims: who sees them -----------------------------------------------------------------


@pytest.fixture
def spread(world, october, brigade):
    """A claim inside A1, one between A2 and B1, one between the shops."""
    return {
        "a1": ClaimFactory(period=october, claimant=brigade, defendant=world.workers["A1"][1]),
        "a2_b1": ClaimFactory(
            period=october, claimant=world.units["A2"], defendant=world.units["B1"]
        ),
        "shops": ClaimFactory(
            period=october, claimant=world.units["A"], defendant=world.units["B"]
        ),
    }


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("master", {"a1"}),
        ("master_a2", {"a2_b1"}),
        ("master_b1", {"a2_b1"}),
        ("shop_head", {"a1", "a2_b1", "shops"}),
        ("shop_head_b", {"a2_b1", "shops"}),
        ("economist", {"a1", "a2_b1", "shops"}),
        ("production_head", {"a1", "a2_b1", "shops"}),
        ("deputy", {"a1", "a2_b1", "shops"}),
        ("worker", set()),
    ],
)
def test_it_shows_claims_to_the_units_they_concern(spread, cast, who, seen):
    by_pk = {c.pk: name for name, c in spread.items()}
    visible = Claim.objects.visible_to(getattr(cast, who))
    assert {by_pk[pk] for pk in visible.values_list("pk", flat=True)} == seen


def test_it_shows_nothing_of_another_plant(world, spread):
    outsider = UserFactory(username="other_head")
    RoleAssignmentFactory(
        user=outsider, role=Role.PRODUCTION_HEAD, enterprise=world.other_enterprise
    )
    assert not Claim.objects.visible_to(outsider).exists()
