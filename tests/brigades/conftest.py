"""Brigades of the test world: the brigades of tables 18 and 19 (seed 004, chapter IV).

Both work in section A1 of the world (so its master, leader and shop head act on them)
from 1 October 2026, the first open month. Each table has its own pay condition: the
booklet's two plants used different grids (table 18: grade 3 → 0.539, 4 → 0.596;
table 19: 3 → 0.606, 4 → 0.670), both in force from October. The first member of
table 18 (grade 6) is the world's brigade-leader user and the brigade's leader.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from brigades.models import Brigade, Distribution, Line, Membership
from brigades.services import TimesheetRow, distribution_open, earnings_save, timesheet_save
from enterprise.models.roles import Role
from tests.brigades.factories import BrigadeFactory, MembershipFactory, PostFactory
from tests.factories import PayConditionFactory, TariffRateFactory, WorkerFactory

D = Decimal
OCTOBER = datetime.date(2026, 10, 1)

TABLE_18_RATES = {3: "0.539", 4: "0.596", 5: "0.670", 6: "0.767"}
# (grade, hours) in the table's order
TABLE_18_MEMBERS = [(6, 167), (4, 161), (3, 167), (3, 167), (4, 154), (5, 167), (4, 167)]
TABLE_19_RATES = {2: "0.548", 3: "0.606", 4: "0.670"}
TABLE_19_MEMBERS = [(3, 176), (4, 56), (2, 136), (3, 176), (2, 176)]


@dataclass
class Crew:
    """A brigade with its members in a known order, and the hours each worked."""

    brigade: Brigade
    memberships: list[Membership]
    hours: list[Decimal]

    @property
    def workers(self):
        return [m.worker for m in self.memberships]

    def open(self, user, period, method: str = "", *, hours: bool = True) -> Distribution:
        """Open the month (a draft) and, unless ``hours=False``, fill in the timesheet."""
        distribution = distribution_open(
            brigade=self.brigade, period=period, user=user, method=method
        )
        if hours:
            self.fill(distribution, user)
        return distribution

    def fill(self, distribution, user, hours=None) -> None:
        lines = self.lines(distribution)
        rows = [
            TimesheetRow(line_id=line.pk, hours=D(h))
            for line, h in zip(lines, hours or self.hours, strict=True)
        ]
        timesheet_save(distribution=distribution, rows=rows, user=user)

    def earn(self, distribution, user, piecework, *, method=None, bonus="0", savings="0", **kwargs):
        """Set the month's earnings; ``confirmed=True`` for amounts far above the tariff of
        the hours (these crews are paid at the 1980s rates of tables 18 and 19)."""
        return earnings_save(
            distribution=distribution,
            method=method or distribution.method,
            piecework=D(piecework),
            bonus=D(bonus),
            savings=D(savings),
            norm_hours=D("0"),
            user=user,
            **kwargs,
        )

    def lines(self, distribution) -> list[Line]:
        """The document's lines in the table's order (one per member here)."""
        by_membership = {line.membership_id: line for line in distribution.lines.all()}
        return [by_membership[m.pk] for m in self.memberships]


def make_grid(world, code: str, rates: dict[int, str]):
    condition = PayConditionFactory(enterprise=world.enterprise, code=code, name=f"Сетка {code}")
    for grade, value in rates.items():
        TariffRateFactory(
            enterprise=world.enterprise,
            pay_condition=condition,
            grade=grade,
            hourly_rate=D(value),
            valid_from=OCTOBER,
        )
    return condition


def make_crew(world, condition, members, *, number: int, section=None) -> Crew:
    section = section or world.units["A1"]
    brigade = BrigadeFactory(section=section, number=number, name=f"Бригада № {number}")
    memberships = []
    for index, (grade, _hours) in enumerate(members):
        worker = WorkerFactory(
            section=section,
            personnel_number=str(number * 1000 + index),
            profession=world.professions["turner"],
            pay_condition=condition,
            grade=grade,
        )
        memberships.append(MembershipFactory(brigade=brigade, worker=worker))
    return Crew(brigade, memberships, [D(hours) for _grade, hours in members])


@pytest.fixture
def october(world):
    return world.period(2026, 10)


@pytest.fixture
def november(world):
    return world.period(2026, 11)


@pytest.fixture
def master(world):
    return world.users[Role.MASTER]


@pytest.fixture
def shop_head(world):
    return world.users[Role.SHOP_HEAD]


@pytest.fixture
def leader(world):
    return world.users[Role.BRIGADE_LEADER]


@pytest.fixture
def grid18(world):
    return make_grid(world, "table-18", TABLE_18_RATES)


@pytest.fixture
def grid19(world):
    return make_grid(world, "table-19", TABLE_19_RATES)


@pytest.fixture
def table18(world, grid18, leader) -> Crew:
    """Brigade № 18 of section A1; its first member is the leader user's worker and leads it."""
    crew = make_crew(world, grid18, TABLE_18_MEMBERS, number=18)
    head = crew.workers[0]
    head.user = leader
    head.save()
    PostFactory(brigade=crew.brigade, worker=head)
    return crew


@pytest.fixture
def table19(world, grid19) -> Crew:
    """Brigade № 19 of section A1 (method D): nobody of the world's users leads it."""
    crew = make_crew(world, grid19, TABLE_19_MEMBERS, number=19)
    crew.brigade.method = Brigade.Method.KTU
    crew.brigade.save()
    return crew


@pytest.fixture
def crew_of(world, grid18):
    """A brigade of ``n`` members of grades 3–6, each with 160 hours: crew_of(30, number=30)."""

    def build(n: int, *, number: int) -> Crew:
        members = [(3 + index % 4, 160) for index in range(n)]
        return make_crew(world, grid18, members, number=number)

    return build
