"""Query counts of the brigades' pages: pinned, and the same for a brigade of 25 as of 5.

The sheet of a brigade's month is a table of its members; the lists are tables of
brigades and of their months. A page whose count grows with the members (a worker, a
profession, a KTU fetched per line) would time out at plant scale. Each page is
requested once to warm the per-process caches, measured with a brigade of five, then
the brigade grows to 25 members (with their timesheet lines, KTU and council posts),
four more brigades of five open their month, and every page must make as many queries
as before or fewer (the history on a page resolves the related ids of its
latest records, one query per model they name: how many models that is depends on
what was done last, not on how many members there are), and no statement may repeat
more often than it did for five.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.urls import reverse

from brigades.models import Brigade, Post
from brigades.services import (
    TimesheetRow,
    distribution_agree,
    distribution_approve,
    distribution_sync,
    ktu_set,
    timesheet_save,
)
from enterprise.models.roles import Role
from tests.brigades.conftest import D
from tests.brigades.factories import KtuCriterionFactory, MembershipFactory, PostFactory
from tests.factories import WorkerFactory

NOVEMBER = datetime.date(2026, 11, 1)
GROWN_TO = 25


@dataclass(frozen=True)
class Page:
    name: str
    obj: str | None = None  # "brigade" or "sheet"
    # The most queries the page may make, as measured (November 2026, the most of the
    # three roles). Raise only with a reason.
    pinned: int = 0

    @property
    def id(self):
        return f"{self.name}[{self.obj}]" if self.obj else self.name


# Session, user and role assignments are the first three queries of every page. The
# detail pages of the master and labour & wages show the «История» (one query for the
# records and one per related model they name: a label for each id), the leader's do not
# (10 and 13 queries for him).
PAGES = [
    Page("brigades:brigade_list", pinned=7),
    Page("brigades:distribution_list", pinned=8),
    # the members whose page the reader may open (a name links only then): one more, 16
    Page("brigades:brigade_detail", "brigade", pinned=16),
    # the sheet reads the leader's stored surcharge segments (table 16); its document is
    # read once, with what the sheet shows, and a draft has no corrections to look up: 17
    Page("brigades:distribution_detail", "sheet", pinned=17),
]


@pytest.fixture
def raise_(world):
    return KtuCriterionFactory(
        enterprise=world.enterprise, name="Совмещение профессий", adjustment=D("0.10")
    )


@pytest.fixture
def measured(world, crew_of, leader, master, shop_head, october, november, raise_):
    """A brigade of five (method D) led by the world's leader: October approved,
    November a draft with hours, earnings and one KTU; one council member."""
    crew = crew_of(5, number=30)
    brigade = crew.brigade
    brigade.method = Brigade.Method.KTU
    brigade.save()
    head = crew.workers[0]
    head.user = leader
    head.save()
    PostFactory(brigade=brigade, worker=head)
    PostFactory(brigade=brigade, worker=crew.workers[1], kind=Post.Kind.COUNCIL)
    approved = crew.earn(crew.open(master, october), master, "5000.00", confirmed=True)
    distribution_agree(distribution=approved, minutes="№ 10", user=leader)
    distribution_approve(distribution=approved, user=shop_head)
    sheet = crew.earn(
        crew.open(master, november), master, "5200.00", bonus="300.00", confirmed=True
    )
    ktu_set(distribution=sheet, worker=crew.workers[2], criteria=[raise_], user=master)
    return {"brigade": brigade, "sheet": sheet, "crew": crew}


def _grow(world, measured, crew_of, master, november, raise_):
    """The measured brigade to 25 members; four more brigades of five with a month each."""
    brigade, sheet = measured["brigade"], measured["sheet"]
    section = brigade.section
    condition = measured["crew"].workers[0].pay_condition
    workers = [
        WorkerFactory(
            section=section,
            personnel_number=str(39000 + n),
            profession=world.professions["turner"],
            pay_condition=condition,
            grade=3 + n % 4,
        )
        for n in range(GROWN_TO - 5)
    ]
    for worker in workers:
        MembershipFactory(brigade=brigade, worker=worker, valid_from=NOVEMBER)
    distribution_sync(sheet)
    timesheet_save(
        distribution=sheet,
        rows=[TimesheetRow(line_id=line.pk, hours=D("150")) for line in sheet.lines.all()],
        user=master,
    )
    for worker in workers[::3]:
        ktu_set(distribution=sheet, worker=worker, criteria=[raise_], user=master)
    for worker in workers[:4]:
        PostFactory(brigade=brigade, worker=worker, kind=Post.Kind.COUNCIL, valid_from=NOVEMBER)
    for number in range(31, 35):
        crew = crew_of(5, number=number)
        crew.earn(crew.open(master, november), master, "4000.00", confirmed=True)
    assert sheet.lines.count() == GROWN_TO
    assert Brigade.objects.filter(section=section).count() == 5


def _url(page, objects):
    if page.obj is None:
        return reverse(page.name)
    return reverse(page.name, args=[objects[page.obj].pk])


def _shape(sql: str) -> str:
    """A statement with its literals blanked, to tell which statement repeats."""
    sql = re.sub(r'"_django_curs_\w+"', "cursor", sql)  # PostgreSQL's numbered cursors
    blanked = re.sub(r"'[^']*'|\b\d+\b", "?", sql)
    return re.sub(r"IN \(\?(, \?)*\)", "IN (…)", blanked)


def _checked(client, assertion, url) -> tuple[int, list[str], str | None]:
    failure = None
    try:
        with assertion as captured:
            response = client.get(url)
    except pytest.fail.Exception as error:
        failure = str(error).splitlines()[0]
    else:
        assert response.status_code == 200, url
    return len(captured), [q["sql"] for q in captured.captured_queries], failure


@pytest.mark.parametrize("role", [Role.BRIGADE_LEADER, Role.MASTER, Role.LABOUR])
def test_it_makes_as_many_queries_for_a_brigade_of_25_as_of_5(
    client,
    world,
    measured,
    crew_of,
    master,
    november,
    raise_,
    role,
    django_assert_max_num_queries,
):
    client.force_login(world.users[role])
    urls = {page.id: _url(page, measured) for page in PAGES}
    problems, counted = [], {}
    for page in PAGES:
        url = urls[page.id]
        client.get(url)  # warm the per-process caches
        count, queries, failure = _checked(client, django_assert_max_num_queries(page.pinned), url)
        counted[page.id] = (count, queries)
        if failure:
            problems.append(f"{url}: {failure}")
    _grow(world, measured, crew_of, master, november, raise_)
    for page in PAGES:
        url = urls[page.id]
        count, first = counted[page.id]
        client.get(url)
        grown, queries, failure = _checked(client, django_assert_max_num_queries(count), url)
        extra = Counter(map(_shape, queries)) - Counter(map(_shape, first))
        if failure or extra:
            listed = "\n    ".join(f"{n}× {sql[:300]}" for sql, n in extra.items())
            problems.append(
                f"{url}: {count} → {grown} queries at 25 members; more of:\n    {listed}"
            )
    assert not problems, f"as {role}:\n" + "\n".join(problems)
