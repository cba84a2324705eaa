"""Query counts of the list and detail pages: pinned, and the same at ten times the rows.

A page whose count grows with its rows makes a query per row somewhere (a relation not
fetched with the rows, a count per item): at plant scale (7,000 workers) that is the
difference between a page and a timeout. Each page is requested once to warm the
per-process caches (content types), then measured; then the world grows tenfold — shops,
sections, workers, periods, scales, tariff rates, reopening requests and history — and
the same page must make exactly as many queries. (pytest-django's query assertions
capture with Django's ``CaptureQueriesContext``; a failure lists the new statements.)
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprise.models import PeriodReopening, Worker
from enterprise.tracking import acting_as
from tests.factories import (
    PayConditionFactory,
    PeriodFactory,
    SectionFactory,
    ShopFactory,
    StepScaleFactory,
    StepScaleRowFactory,
    TariffRateFactory,
    UserFactory,
    WorkerFactory,
)

FACTOR = 10


@dataclass(frozen=True)
class Page:
    name: str
    obj: str | None = None  # key of _objects()
    query: str = ""
    # The most queries the page may make, as measured (November 2026: session, user and
    # role assignments are the first three of every page). Raise only with a reason.
    pinned: int = 0

    @property
    def id(self):
        return f"{self.name}{'[' + self.obj + ']' if self.obj else ''}{self.query}"


PAGES = [
    # the platform's tasks plus those of brigades (drafts, approvals, months to open) and
    # claims (to answer, to decide); the proposals' card: the user's seats on commissions,
    # his own proposals (a filer's) and those waiting on his step — three more (issue 14);
    # issue 16: no query for a part none of the user's roles can act on, the parties of
    # the claims by kind of unit, the worker record once; the shift tasks waiting for the
    # bureau's or the master's step, counted by section in one query, with the open months
    # read once for the page's reminder, the brigades' current month and the shift tasks
    Page("home", pinned=14),
    Page("enterprise:shop_list", pinned=5),
    Page("enterprise:section_list", pinned=6),
    Page("enterprise:worker_list", pinned=8),
    Page("enterprise:worker_list", query="?sort=-grade&grade=3", pinned=8),
    Page("enterprise:worker_list", query="?_export=xlsx", pinned=7),
    Page("enterprise:section_list", query="?_export=csv", pinned=7),
    Page("enterprise:period_list", pinned=5),
    Page("enterprise:scale_list", pinned=6),
    Page("enterprise:tariff_grid", pinned=9),
    Page("enterprise:shop_detail", "shop A", pinned=9),
    Page("enterprise:section_detail", "section A1", pinned=9),
    Page("enterprise:worker_detail", "worker of A1", pinned=10),
    Page("enterprise:period_detail", "closed period", pinned=12),
    Page("enterprise:scale_detail", "scale", pinned=8),
]


def _objects(world, scale):
    return {
        "shop A": world.units["A"],
        "section A1": world.units["A1"],
        "worker of A1": world.workers["A1"][0],
        "closed period": world.period(2026, 9),
        "scale": scale,
    }


def _url(page, objects):
    url = reverse(page.name, args=[objects[page.obj].pk]) if page.obj else reverse(page.name)
    return url + page.query


def _grow(world, scale):
    """Ten times the rows of everything the pages show, around the measured objects."""
    enterprise = world.enterprise
    labour = world.users["labour"]
    heads = [UserFactory() for _ in range(5)]
    shops = [world.units["A"], world.units["B"]]
    shops += [
        ShopFactory(enterprise=enterprise, number=100 + n, head=heads[n % 5])
        for n in range(2 * FACTOR - 2)
    ]
    # Sections: 3 → 30, shop A's two → twenty.
    sections = [world.units[key] for key in ("A1", "A2", "B1")]
    sections += [
        SectionFactory(shop=world.units["A"], number=10 + n, head=heads[n % 5]) for n in range(18)
    ]
    sections += [SectionFactory(shop=shop, number=50) for shop in shops[2:11]]
    # Workers: 6 → 66, section A1's two → twenty; a profession and condition each.
    professions = list(world.professions.values())
    for n in range(18):
        WorkerFactory(
            section=world.units["A1"],
            profession=professions[n % 3],
            pay_condition=world.conditions["time"],
            grade=n % 6 + 1,
        )
    for n, section in enumerate(sections[3:] * 2):
        WorkerFactory(section=section, profession=professions[n % 3], grade=3)
    # Periods: 6 → 66 (all of 2021–2025, open; the world's months stay as they are).
    for year in range(2021, 2026):
        for month in range(1, 13):
            PeriodFactory(enterprise=enterprise, year=year, month=month)
    # Reopening requests of September: decided ones (the pending one stays single).
    september = world.period(2026, 9)
    for n in range(FACTOR):
        PeriodReopening.objects.create(
            period=september,
            reason=f"Запрос {n}",
            requested_by=heads[n % 5],
            status=PeriodReopening.Status.REJECTED,
            decided_by=world.users["deputy_director"],
            decided_at=timezone.now(),
            decision_comment="Нет оснований",
        )
    # Scales: 1 → 10, the measured one with ten times the ranges.
    for n in range(FACTOR - 1):
        other = StepScaleFactory(enterprise=enterprise)
        StepScaleRowFactory(scale=other, lower=None, upper=None, value=Decimal(n))
    scale.rows.all().delete()
    for n in range(3 * FACTOR):
        StepScaleRowFactory(
            scale=scale, lower=Decimal(n * 5), upper=Decimal(n * 5 + 5), value=Decimal(n)
        )
    # Tariff grid: 2 → 20 pay conditions, six rates each, in force from October.
    october = datetime.date(2026, 10, 1)
    for _ in range(2 * FACTOR - 2):
        condition = PayConditionFactory(enterprise=enterprise)
        for grade in range(1, 7):
            TariffRateFactory(
                enterprise=enterprise,
                pay_condition=condition,
                grade=grade,
                hourly_rate=Decimal(100 + grade),
                valid_from=october,
            )
    # History: the measured worker changed by several people, moved between sections.
    worker = world.workers["A1"][0]
    for n in range(2 * FACTOR):
        with acting_as(heads[n % 5] if n % 2 else labour, reason=f"Приказ № {n}"):
            worker.grade = n % 6 + 1
            worker.section = sections[n % len(sections)] if n % 3 else world.units["A1"]
            worker.profession = professions[n % 3]
            worker.save()
    worker.section = world.units["A1"]
    worker.save()
    for shop in shops[:2]:
        with acting_as(labour):
            shop.name = shop.name + " (переименован)"
            shop.save()
    assert Worker.objects.filter(section=world.units["A1"]).count() == 2 * FACTOR


@pytest.fixture
def scale(world):
    """The measured scale; and a pending request on September (its decision form shows)."""
    scale = StepScaleFactory(enterprise=world.enterprise, code="plan")
    StepScaleRowFactory(scale=scale, lower=None, upper=Decimal("100"), value=Decimal("0"))
    StepScaleRowFactory(scale=scale, lower=Decimal("100"), upper=None, value=Decimal("10"))
    PeriodReopening.objects.create(
        period=world.period(2026, 9), reason="Пересчитать", requested_by=world.users["labour"]
    )
    return scale


def _shape(sql: str) -> str:
    """A statement with its literals blanked, to tell which statement repeats."""
    blanked = re.sub(r"'[^']*'|\b\d+\b", "?", sql)
    return re.sub(r"IN \(\?(, \?)*\)", "IN (…)", blanked)


def _checked(client, assertion, url) -> tuple[int, list[str], str | None]:
    """Request ``url`` inside a pytest-django query assertion; (count, SQL, failure)."""
    failure = None
    try:
        with assertion as captured:
            response = client.get(url)
    except pytest.fail.Exception as error:
        failure = str(error).splitlines()[0]
    else:
        assert response.status_code == 200, url
    return len(captured), [q["sql"] for q in captured.captured_queries], failure


@pytest.mark.parametrize("role", ["labour", "master"])
def test_it_makes_as_many_queries_at_ten_times_the_rows(
    client, world, scale, role, django_assert_max_num_queries
):
    """One test per role (the world grows once): every page is pinned, then re-counted."""
    client.force_login(world.users[role])
    objects = _objects(world, scale)
    urls = {target.id: _url(target, objects) for target in PAGES}
    problems, measured = [], {}
    for target in PAGES:
        url = urls[target.id]
        client.get(url)  # warm the per-process caches
        pinned = django_assert_max_num_queries(target.pinned)
        count, queries, failure = _checked(client, pinned, url)
        measured[target.id] = (count, queries)
        if failure:
            problems.append(f"{url}: {failure}")
    _grow(world, scale)
    for target in PAGES:
        url = urls[target.id]
        count, first = measured[target.id]
        client.get(url)
        # No more than before (a paged panel may read fewer related models on its page).
        grown, queries, failure = _checked(client, django_assert_max_num_queries(count), url)
        if failure:
            extra = Counter(map(_shape, queries)) - Counter(map(_shape, first))
            listed = "\n    ".join(f"{n}× {sql[:300]}" for sql, n in extra.items())
            problems.append(f"{url}: {count} → {grown} queries at 10× rows; more of:\n    {listed}")
    assert not problems, f"as {role}:\n" + "\n".join(problems)
