"""Reads of the claims app (claims/selectors.py): the netting statement, effects, inboxes.

Statement rows are written straight with ``ClaimFactory`` (settled unless told otherwise);
the inboxes are filled through the services, so the claims are routed as in life.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest

from claims import netting, permissions, selectors, services
from claims.models import Claim
from tests.claims.factories import ClaimFactory
from tests.factories import PeriodFactory, SectionFactory, ShopFactory

D = Decimal
ZERO = D("0.00")
SHOP_A, SHOP_B = "цех № 6", "цех № 7"


def claim(period, claimant, defendant, amount, status=Claim.Status.SETTLED, **kwargs):
    return ClaimFactory(
        period=period,
        claimant=claimant,
        defendant=defendant,
        loss_amount=D(amount),
        status=status,
        **kwargs,
    )


def row_of(statement, first, second):
    (row,) = [p for p in statement.pairs if {p.first, p.second} == {first, second}]
    return row


def net_of(statement) -> dict[str, Decimal]:
    return {u.label: u.net for u in statement.units}


# --- the netting statement -------------------------------------------------------------------


def test_it_offsets_counter_claims_and_moves_the_balance(world, units, october):
    claim(october, units["A"], units["B"], "1000.00")
    claim(october, units["B"], units["A"], "300.00", status=Claim.Status.DECIDED)

    statement = selectors.statement(world.enterprise.pk, october)

    row = row_of(statement, SHOP_A, SHOP_B)
    assert (row.first, row.second) == (SHOP_A, SHOP_B)
    assert (row.first_to_second, row.second_to_first) == (D("1000.00"), D("300.00"))
    assert row.offset == D("300.00")
    assert row.balance == D("700.00")
    assert (row.debtor, row.creditor) == (SHOP_B, SHOP_A)
    assert row.claims == 2
    assert net_of(statement) == {SHOP_A: D("700.00"), SHOP_B: D("-700.00")}
    a = next(u for u in statement.units if u.label == SHOP_A)
    assert (a.credited, a.charged) == (D("1000.00"), D("300.00"))
    assert statement.total == D("1300.00")
    assert statement.offset_total == D("300.00")
    assert (statement.claims, statement.pending) == (2, 0)


def test_it_charges_the_final_amount_not_the_claimed_one(world, units, october):
    claim(
        october,
        units["A1"],
        units["B1"],
        "3000.00",
        status=Claim.Status.DECIDED,
        accepted_amount=D("1200.00"),
        decided_amount=D("2000.00"),
        final_amount=D("2000.00"),
    )
    statement = selectors.statement(world.enterprise.pk, october)
    (row,) = statement.pairs
    assert row.balance == D("2000.00")
    assert statement.total == D("2000.00")


def test_it_balances_every_units_net_effect_to_zero(world, units, october, brigade):
    a1_worker, b1_worker = world.workers["A1"][0], world.workers["B1"][0]
    claim(october, units["A"], units["B"], "1000.00")
    claim(october, units["B1"], units["A1"], "250.50")
    claim(october, units["A1"], units["B1"], "100.00")
    claim(october, brigade, b1_worker, "480.25")
    claim(october, a1_worker, units["A2"], "77.77")
    claim(october, units["A2"], brigade, "12.00")

    statement = selectors.statement(world.enterprise.pk, october)

    assert sum((u.net for u in statement.units), ZERO) == ZERO
    assert sum((u.credited for u in statement.units), ZERO) == statement.total
    assert sum((u.charged for u in statement.units), ZERO) == statement.total
    a1_b1 = row_of(statement, "участок № 1 цеха № 6", "участок № 1 цеха № 7")
    assert (a1_b1.offset, a1_b1.balance) == (D("100.00"), D("150.50"))
    assert a1_b1.debtor == "участок № 1 цеха № 6"
    effects = selectors.unit_effects(world.enterprise.pk, october)
    assert sum(effects.values(), ZERO) == ZERO
    assert effects[("brigade", brigade.pk)] == D("480.25") - D("12.00")
    assert effects[("worker", b1_worker.pk)] == D("-480.25")
    assert effects[("shop", units["A"].pk)] == D("1000.00")


def test_it_rolls_brigades_and_workers_into_their_sections(world, units, october, brigade):
    a1_worker, b1_worker = world.workers["A1"][0], world.workers["B1"][0]
    claim(october, brigade, b1_worker, "500.00")  # A1 +500, B1 −500
    claim(october, a1_worker, units["A2"], "200.00")  # A1 +200, A2 −200
    claim(october, units["B1"], units["A1"], "100.00")  # B1 +100, A1 −100
    claim(october, brigade, world.workers["A1"][1], "40.00")  # inside A1: nets out
    claim(october, units["A"], units["B"], "1000.00")  # shops as a whole: no section's

    effects = selectors.section_effects(world.enterprise.pk, october)

    assert effects == {
        units["A1"].pk: D("600.00"),
        units["A2"].pk: D("-200.00"),
        units["B1"].pk: D("-400.00"),
    }


def test_it_counts_only_settled_and_decided_claims_as_moving_money(world, units, october):
    claim(october, units["A1"], units["B1"], "1000.00")
    claim(october, units["A1"], units["B1"], "500.00", status=Claim.Status.FILED)
    claim(
        october,
        units["B1"],
        units["A1"],
        "400.00",
        status=Claim.Status.ARBITRATION,
        accepted_amount=D("100.00"),
    )
    claim(october, units["B1"], units["A1"], "900.00", status=Claim.Status.WITHDRAWN)

    statement = selectors.statement(world.enterprise.pk, october)

    (row,) = statement.pairs
    assert (row.balance, row.offset, row.claims) == (D("1000.00"), ZERO, 1)
    assert (statement.claims, statement.pending) == (1, 2)
    assert selectors.section_effects(world.enterprise.pk, october) == {
        units["A1"].pk: D("1000.00"),
        units["B1"].pk: D("-1000.00"),
    }


def test_it_keeps_to_its_period_and_enterprise(world, units, october):
    november = world.period(2026, 11)
    claim(october, units["A"], units["B"], "1000.00")
    claim(november, units["B"], units["A"], "300.00")
    other = world.units["other"]
    other_shop = world.units["other_shop"]
    other_period = PeriodFactory(enterprise=other, year=2026, month=10)
    claim(other_period, other_shop, ShopFactory(enterprise=other, number=8), "50.00")

    statement = selectors.statement(world.enterprise.pk, october)
    assert net_of(statement) == {SHOP_A: D("1000.00"), SHOP_B: D("-1000.00")}
    assert selectors.statement(world.enterprise.pk, november).total == D("300.00")
    assert selectors.unit_effects(world.enterprise.pk, october) == {
        ("shop", units["A"].pk): D("1000.00"),
        ("shop", units["B"].pk): D("-1000.00"),
    }


def test_it_keeps_only_the_pairs_touching_the_shop(world, units, october):
    shop_c = ShopFactory(enterprise=world.enterprise, number=9, name="Инструментальный цех")
    c1 = SectionFactory(shop=shop_c, number=1)
    c2 = SectionFactory(shop=shop_c, number=2)
    claim(october, units["A1"], units["A2"], "100.00")
    claim(october, units["A1"], units["B1"], "200.00")
    claim(october, c1, c2, "300.00")
    claim(october, c1, units["B1"], "400.00", status=Claim.Status.FILED)
    claim(october, units["A2"], c2, "500.00", status=Claim.Status.FILED)

    for_b = selectors.statement(world.enterprise.pk, october, shop=units["B"])
    assert [(p.first, p.second) for p in for_b.pairs] == [
        ("участок № 1 цеха № 6", "участок № 1 цеха № 7")
    ]
    assert (for_b.total, for_b.pending) == (D("200.00"), 1)

    for_a = selectors.statement(world.enterprise.pk, october, shop=units["A"])
    assert {(p.first, p.second) for p in for_a.pairs} == {
        ("участок № 1 цеха № 6", "участок № 2 цеха № 6"),
        ("участок № 1 цеха № 6", "участок № 1 цеха № 7"),
    }
    assert (for_a.total, for_a.pending) == (D("300.00"), 1)

    plant = selectors.statement(world.enterprise.pk, october)
    assert (plant.total, plant.pending, len(plant.pairs)) == (D("600.00"), 2, 3)


def test_it_orders_pairs_by_the_balance_moved(world, units, october):
    claim(october, units["A1"], units["A2"], "100.00")
    claim(october, units["A1"], units["B1"], "900.00")
    claim(october, units["A2"], units["B1"], "500.00")
    balances = [p.balance for p in selectors.statement(world.enterprise.pk, october).pairs]
    assert balances == [D("900.00"), D("500.00"), D("100.00")]


def test_it_gives_an_empty_statement_for_a_month_without_claims(world, october):
    statement = selectors.statement(world.enterprise.pk, october)
    assert (statement.pairs, statement.units, statement.total) == ([], [], ZERO)
    assert (statement.claims, statement.pending, statement.offset_total) == (0, 0, ZERO)


def _many_claims(world, october, n: int) -> None:
    units = world.units
    workers = world.workers["A1"] + world.workers["A2"]
    parties = [
        (units["A"], units["B"]),
        (units["B1"], units["A1"]),
        (workers[0], units["B1"]),
        (units["A2"], workers[1]),
        (workers[2], workers[3]),
    ]
    for index in range(n):
        claimant, defendant = parties[index % len(parties)]
        claim(october, claimant, defendant, f"{100 + index}.00")
    claim(october, units["A1"], units["B1"], "10.00", status=Claim.Status.FILED)


def test_it_reads_the_statement_in_the_same_queries_for_10_and_100_claims(
    world, october, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _many_claims(world, october, 10)
    with CaptureQueriesContext(connection) as ten:
        small = selectors.statement(world.enterprise.pk, october)
    assert small.claims == 10
    # the claims' ids and amounts, a label query per kind of unit (at most four), pending
    assert len(ten) <= 6

    _many_claims(world, october, 90)
    with django_assert_max_num_queries(len(ten)):
        large = selectors.statement(world.enterprise.pk, october)
    assert large.claims == 100
    with django_assert_max_num_queries(1):
        selectors.section_effects(world.enterprise.pk, october)
    with django_assert_max_num_queries(1):
        selectors.unit_effects(world.enterprise.pk, october)


def test_it_nets_as_the_rule_does_to_the_kopeck(world, units, october):
    """The statement sums in the database (whole kopecks) and nets in integers: its pairs
    and units carry rules.net's and net_effect's figures for the same claims, exactly."""
    from claims import rules

    a, b, c = units["A1"], units["B1"], units["A2"]
    claims = [
        (a, b, "0.10"),
        (a, b, "0.20"),  # two of a direction: 0.30, a sum a float does not keep exact
        (b, a, "0.30"),  # offsets it fully: a zero balance
        (a, c, "1234567.89"),
        (c, a, "0.01"),
        (b, c, "99.99"),
        (c, b, "100.00"),
        (c, b, "0.07"),
    ]
    for claimant, defendant, amount in claims:
        claim(october, claimant, defendant, amount)
    statement = selectors.statement(world.enterprise.pk, october)

    keys = [("section", unit.pk) for unit in (a, b, c)]
    labels = netting.unit_labels(keys)
    unit_of = {labels[key]: key for key in keys}
    balances = rules.net(
        [(("section", x.pk), ("section", y.pk), D(amount)) for x, y, amount in claims]
    )
    assert len(statement.pairs) == len(balances) == 3
    for row in statement.pairs:
        first, second = unit_of[row.first], unit_of[row.second]
        rule = balances[frozenset((first, second))]
        assert (row.first_to_second, row.second_to_first, row.offset, row.balance) == (
            rule.each_way[first, second],
            rule.each_way[second, first],
            rule.offset,
            rule.balance,
        )
        assert (unit_of[row.debtor], unit_of[row.creditor]) == (rule.debtor, rule.creditor)
        assert all(
            figure.as_tuple().exponent == -2
            for figure in (row.first_to_second, row.second_to_first, row.offset, row.balance)
        )
    assert {unit_of[u.label]: u.net for u in statement.units} == rules.net_effect(balances)
    settled = row_of(statement, labels[keys[0]], labels[keys[1]])
    assert (settled.balance, settled.offset, settled.claims) == (ZERO, D("0.30"), 3)
    assert str(statement.total) == "1234768.56"
    assert statement.claims == len(claims)


# --- inboxes ---------------------------------------------------------------------------------


@pytest.fixture
def mail(world, units, cast, file_claim, brigade):
    """Four claims in four states of the route.

    - ``plant``: A1 against B1 (late parts) — partly accepted by B1's master, the head of
      production decides;
    - ``shop``: A2 against A1, filed by shop A's dispatcher — waits for A1's master;
    - ``section``: A1's brigade against a worker of A1 — rejected by the shop head, A1's
      master decides;
    - ``energy``: B1 against A1 (late energy), filed by shop B's dispatcher — rejected by
      A1's master, the deputy director decides.
    """
    plant = file_claim()
    services.claim_answer(
        claim=plant,
        answer=Claim.Answer.PARTIAL,
        accepted_amount=D("1200.00"),
        reason="Частично.",
        user=cast.master_b1,
    )
    shop = file_claim(claimant=units["A2"], defendant=units["A1"])
    section = file_claim(claimant=brigade, defendant=world.workers["A1"][1])
    services.claim_answer(
        claim=section,
        answer=Claim.Answer.REJECT,
        accepted_amount=None,
        reason="Не виноват.",
        user=cast.shop_head,
    )
    energy = file_claim(
        claimant=units["B1"], defendant=units["A1"], code="late_energy", user=cast.dispatcher_b
    )
    services.claim_answer(
        claim=energy,
        answer=Claim.Answer.REJECT,
        accepted_amount=None,
        reason="Энергию отключала подстанция.",
        user=cast.master,
    )
    return {"plant": plant, "shop": shop, "section": section, "energy": energy}


def names(mail, claims) -> set[str]:
    by_pk = {c.pk: name for name, c in mail.items()}
    return {by_pk[c.pk] for c in claims}


@pytest.mark.parametrize(
    ("who", "to_answer", "to_decide", "mine"),
    [
        ("master", {"shop"}, {"section"}, {"plant", "section"}),
        # the shop head arbitrates A2 against A1: its answer is A1's master's
        ("shop_head", set(), set(), {"plant", "shop", "section"}),
        ("dispatcher", set(), set(), {"plant", "shop", "section"}),
        ("master_a2", set(), set(), {"shop"}),
        ("master_b1", set(), set(), {"energy"}),
        ("dispatcher_b", set(), set(), {"energy"}),
        ("shop_head_b", set(), set(), {"energy"}),
        ("production_head", set(), {"plant"}, set()),
        ("deputy", set(), {"energy"}, set()),
        ("economist", set(), set(), set()),
        ("labour", set(), set(), set()),
        ("worker", set(), set(), set()),
        ("brigade_leader", set(), set(), set()),
    ],
)
def test_it_fills_each_roles_inboxes(mail, cast, who, to_answer, to_decide, mine):
    user = getattr(cast, who)
    assert names(mail, selectors.inbox(user, "to_answer")) == to_answer
    assert names(mail, selectors.inbox(user, "to_decide")) == to_decide
    assert names(mail, selectors.inbox(user, "mine")) == mine
    assert selectors.inbox_counts(user) == {
        "to_answer": len(to_answer),
        "to_decide": len(to_decide),
    }
    assert selectors.inbox_counts(user, names=("mine", "to_answer", "to_decide")) == {
        "mine": len(mine),
        "to_answer": len(to_answer),
        "to_decide": len(to_decide),
    }


def test_it_lists_in_to_decide_exactly_what_the_user_may_decide(mail, cast):
    for who in ("master", "shop_head", "production_head", "deputy", "master_b1", "dispatcher"):
        user = getattr(cast, who)
        deciding = {c.pk for c in selectors.inbox(user, "to_decide")}
        allowed = {
            c.pk
            for c in Claim.objects.filter(status=Claim.Status.ARBITRATION)
            if permissions.is_arbitrator(user, c)
        }
        assert deciding == allowed, who


def test_it_drops_a_claim_from_to_answer_once_answered(mail, cast):
    services.claim_answer(
        claim=mail["shop"],
        answer=Claim.Answer.ACCEPT,
        accepted_amount=None,
        reason="",
        user=cast.master,
    )
    assert list(selectors.inbox(cast.master, "to_answer")) == []
    assert names(mail, selectors.inbox(cast.master_a2, "mine")) == {"shop"}


def test_it_lists_tasks_the_last_day_urgent_and_no_answer_past_it(mail, cast, frozen_now):
    last_day = mail["shop"].answer_due
    frozen_now(datetime.datetime.combine(last_day, datetime.time(10, 0)))
    tasks = selectors.tasks_for(cast.master)
    assert len(tasks) == 2
    answer, decide = tasks
    assert f"№ {mail['shop'].number}" in str(answer.title)
    assert answer.urgent
    assert "последний день" in str(answer.detail)
    assert f"№ {mail['section'].number}" in str(decide.title)
    # The parties are named as labels after a colon: «От участок № 1 …» read wrongly.
    due = last_day.strftime("%d.%m.%Y")
    assert re.fullmatch(
        rf"Заявитель: [^;—]+; сумма [\d\u00a0 ]+,\d\d руб\., "
        rf"ответить до {due} — последний день\.",
        str(answer.detail),
    ), answer.detail
    assert re.fullmatch(
        r"Заявитель: [^;—]+; ответчик: [^;—]+; "
        r"спорная сумма [\d\u00a0 ]+,\d\d руб\.",
        str(decide.detail),
    ), decide.detail

    # past the deadline the claim is no longer his to answer (no form on its page): it is
    # its arbitrator's
    frozen_now(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(10)))
    tasks = selectors.tasks_for(cast.master)
    assert [f"№ {mail['section'].number}" in str(t.title) for t in tasks] == [True]


def test_it_shows_a_worker_only_the_claims_about_him(world, cast, file_claim):
    worker = world.worker  # the world's worker user's record, in A1
    about = file_claim(claimant=world.units["B1"], defendant=worker, user=cast.dispatcher_b)
    file_claim()
    visible = list(selectors.claims_for(cast.worker))
    assert [c.pk for c in visible] == [about.pk]


def test_it_reads_the_claims_parties_in_a_query_per_kind_not_per_claim(
    mail, cast, django_assert_max_num_queries
):
    """claims_for() joins period and type only; the parties' units (shops, sections, a
    brigade, a worker) with their sections and shops come in one query per kind, and the
    labels read as they did from the joined rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    joined = Claim.objects.select_related(
        "period",
        "claim_type",
        "claimant_shop",
        "claimant_section__shop",
        "claimant_brigade__section__shop",
        "claimant_worker__section__shop",
        "defendant_shop",
        "defendant_section__shop",
        "defendant_brigade__section__shop",
        "defendant_worker__section__shop",
    ).order_by("pk")
    expected = [
        (c.claimant_label, c.defendant_label, str(c.period), str(c.claim_type)) for c in joined
    ]
    assert len(expected) == 4

    claims = selectors.claims_for(cast.production_head).order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        rows = list(claims)
        labels = [
            (c.claimant_label, c.defendant_label, str(c.period), str(c.claim_type)) for c in rows
        ]
    assert labels == expected
    # the claims; brigades, workers, sections, shops — whatever the number of claims
    assert len(queries) <= 5
    assert not any('JOIN "enterprise_shop"' in q["sql"] for q in queries[:1])
    with django_assert_max_num_queries(0):
        for claim in rows:
            for side in ("claimant", "defendant"):
                unit = claim.party(side)
                if hasattr(unit, "section"):
                    assert unit.section.shop.number


def test_its_home_tasks_read_the_claims_months_once_not_per_claim(mail, cast):
    """The home page's tasks read the claims without the month's join (the type only); the
    months then come in one query with the parties', not one query per claim."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        tasks = selectors.tasks_for(cast.master)
    assert len(tasks) == 2  # one to answer, one to decide: two lists of claims
    months = [q["sql"] for q in queries if 'FROM "enterprise_period"' in q["sql"]]
    # a query a list, by the ids it holds — not ``"id" = …`` once for every claim
    assert len(months) <= 2, months
    assert not any('"enterprise_period"."id" = ' in sql for sql in months), months


def test_it_counts_and_lists_with_parties_without_loading_them_twice(mail, cast):
    claims = selectors.claims_for(cast.production_head)
    assert claims.count() == 4
    assert sorted(claims.values_list("pk", flat=True)) == sorted(c.pk for c in mail.values())
    first = claims.order_by("pk").first()
    assert first.claimant_label and first.defendant_label


def test_its_home_tasks_name_the_parties_without_loading_their_units(mail, cast):
    """The tasks name a claim's parties by ``unit_labels`` (one query a kind of unit); the
    claims' own units, months and carried-from months are not read besides (they were: a
    section, a shop and a month query more on every home page of a master)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enterprise.scoping import scope_of

    scope_of(cast.master)  # the request's, read once for every part of the page
    with CaptureQueriesContext(connection) as queries:
        tasks = selectors.tasks_for(cast.master)
    assert len(tasks) == 2
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries]
    assert tables.count('"claims_claim"') == 2  # to answer, to decide
    assert '"enterprise_period"' not in tables
    # then one query a kind of the parties' units, none read twice
    labels = [t for t in tables if t != '"claims_claim"']
    assert len(labels) == len(set(labels)) <= 4, tables
    # and the parties are named all the same
    assert all("—" not in task.detail for task in tasks), [t.detail for t in tasks]


def test_the_inbox_counts_its_tabs_in_one_query(mail, cast, client):
    """The three tabs' counts (mine, to answer, to decide) come from one aggregate, not a
    COUNT each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(cast.shop_head)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("claims:inbox"))
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and '"claims_claim"' in q["sql"]]
    assert len(counts) <= 2, counts  # the tabs' aggregate, the list's paginator
