"""Claims of the test world: the types of table 10, the people who file, answer and decide.

The world (tests/conftest.py) has shop A (sections A1, A2) and shop B (section B1), a
master of A1, a shop head, dispatcher and economist of shop A and the plant's roles. Claims
need the other sides too, so :class:`Cast` adds a master of A2, a master of B1, a shop head
and a dispatcher of shop B. Claims are filed in October 2026, the first open month (June to
September are closed). Files go to a temporary MEDIA_ROOT.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from claims.models import ClaimType
from claims.seed import IDLE_SLIP, OVERTIME, SCHEDULE, seed_claim_types
from claims.services import DocumentIn, claim_file
from enterprise.models.roles import Role
from tests.brigades.factories import BrigadeFactory
from tests.claims.factories import party
from tests.factories import RoleAssignmentFactory, UserFactory

D = Decimal
# Idle pay 1 200,00 with the section's 150 % overhead: a loss of 3 000,00.
IDLE = {"idle_pay": D("1200.00"), "overhead_percent": D("150")}
LOSS = D("3000.00")
DOC_DATE = datetime.date(2026, 10, 5)
LATE_PARTS_DOCS = (SCHEDULE, IDLE_SLIP, OVERTIME)


@dataclass
class Cast:
    """Who acts on claims: the world's users plus the heads of the other units."""

    dispatcher: object  # shop A
    master: object  # section A1
    shop_head: object  # shop A
    economist: object  # shop A
    brigade_leader: object  # section A1
    worker: object
    labour: object
    production_head: object
    deputy: object
    administrator: object
    master_a2: object
    master_b1: object
    shop_head_b: object
    dispatcher_b: object


def _role_user(username: str, role: str, **unit):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, role=role, **unit)
    return user


@pytest.fixture
def cast(world) -> Cast:
    u, units = world.users, world.units
    return Cast(
        dispatcher=u[Role.DISPATCHER],
        master=u[Role.MASTER],
        shop_head=u[Role.SHOP_HEAD],
        economist=u[Role.ECONOMIST],
        brigade_leader=u[Role.BRIGADE_LEADER],
        worker=u[Role.WORKER],
        labour=u[Role.LABOUR],
        production_head=u[Role.PRODUCTION_HEAD],
        deputy=u[Role.DEPUTY_DIRECTOR],
        administrator=u[Role.ADMINISTRATOR],
        master_a2=_role_user("master_a2", Role.MASTER, section=units["A2"]),
        master_b1=_role_user("master_b1", Role.MASTER, section=units["B1"]),
        shop_head_b=_role_user("shop_head_b", Role.SHOP_HEAD, shop=units["B"]),
        dispatcher_b=_role_user("dispatcher_b", Role.DISPATCHER, shop=units["B"]),
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def types(world) -> dict[str, ClaimType]:
    """The claim types of table 10 and §4, seeded for the world's plant, by code."""
    seed_claim_types(world.enterprise)
    return {t.code: t for t in ClaimType.objects.filter(enterprise=world.enterprise)}


@pytest.fixture
def october(world):
    return world.period(2026, 10)


@pytest.fixture
def units(world):
    return world.units


@pytest.fixture
def brigade(world):
    """Brigade № 18 of section A1."""
    return BrigadeFactory(section=world.units["A1"], number=18, name="Бригада токарей")


def references(titles) -> list[DocumentIn]:
    """Each named document referenced by number and date (no file)."""
    return [
        DocumentIn(title=title, number=f"{n}", date=DOC_DATE) for n, title in enumerate(titles, 11)
    ]


@pytest.fixture
def file_claim(world, types, october, cast):
    """File a claim through the service; by default section A1 against section B1 for late
    parts (idle pay 1 200,00 + 150 %), filed by shop A's dispatcher, documents referenced."""

    def file(
        claimant=None,
        defendant=None,
        *,
        code: str = "late_parts",
        user=None,
        period=None,
        inputs=None,
        documents=None,
        description: str = "Детали корпуса поданы на двое суток позже графика.",
        submission: str = "",
    ):
        claim_type = types[code]
        return claim_file(
            period=period or october,
            claim_type=claim_type,
            claimant=party(claimant or world.units["A1"]),
            defendant=party(defendant or world.units["B1"]),
            description=description,
            loss_inputs=dict(IDLE if inputs is None else inputs),
            documents=references(claim_type.documents) if documents is None else documents,
            user=user or cast.dispatcher,
            submission=submission,
        )

    return file


@pytest.fixture
def frozen_now(monkeypatch):
    """Fix ``timezone.now`` at a moment (Moscow time); returns a setter for other moments."""

    def freeze(moment: datetime.datetime) -> datetime.datetime:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze
