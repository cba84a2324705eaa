"""The monthly close: the booklet's vectors through the whole path, idempotence, closed
months, problems instead of silent defaults, and a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khozraschet.models import (
    IndicatorValue,
    Profile,
    SectionResult,
    ShopResult,
)
from khozraschet.selectors import digests
from khozraschet.selectors.evaluate import evaluate
from khozraschet.services.close import results_compute
from tests.factories import close_as_is

from .terms import install_terms, month_figures, passport

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def plant(world):
    world.extras["khz"] = install_terms(world.enterprise)
    passport(world.units["A1"], 767, 42)  # Kз 18.26: serial
    passport(world.units["A2"], 965, 38)  # Kз 25.39: small-serial
    passport(world.units["B1"], 1832, 86)  # Kз 21.30: small-serial
    return world


def _same_figures(world, november, *keys):
    """The same month of figures for each section named."""
    for key in keys:
        month_figures(
            world,
            world.units[key],
            november,
            productivity=D(110),
            volume=D(1050),
            capital=D(1),
            per_ruble=D("0.99"),
        )


def _raise_b1_productivity(world, november):
    """Section B1's productivity actual goes from 110 to 130 (its result turns stale)."""
    value = IndicatorValue.objects.get(
        section=world.units["B1"], period=november, indicator__code="productivity"
    )
    value.actual = D(130)
    value.save()


def test_the_booklet_s_plan_tension_comes_out_of_the_section_s_month(plant):
    world, november = plant, plant.period(2026, 11)
    section = world.units["A1"]
    month_figures(
        world,
        section,
        november,
        productivity=D(120),
        volume=D(1150),
        capital=D("0.95"),
        per_ruble=D("0.98"),
    )
    results_compute(period=november, user=world.users["economist"])
    result = SectionResult.objects.get(section=section, period=november)
    assert result.tension == D("1.3378")
    assert result.production_type == "serial"
    assert result.details["production"]["kz"] == "18.26"
    assert result.completeness == D("0.8000")
    assert result.rhythmicity == D("1.0000")
    assert result.capacity_use == D("0.7667")  # 1150 / 1500


def test_the_booklet_s_complex_evaluation_gives_the_master_26_25_percent(plant):
    world, november = plant, plant.period(2026, 11)
    section = world.units["A1"]  # serial; completeness 80 %; ratio on plan
    month_figures(
        world,
        section,
        november,
        productivity=D(100),
        volume=D(1000),
        capital=D(1),
        per_ruble=D("1.02"),
    )
    results_compute(period=november, user=world.users["economist"])
    result = SectionResult.objects.get(section=section, period=november)
    master = result.details["complex"]["master"]
    assert (master["points"], master["planned"], master["value"]) == ("11.00", "15.00", "0.73")
    assert result.tension == D("0.9804")  # in 0.97–1.0 → 35 %
    bonus = next(b for b in result.details["bonuses"] if b["code"] == "masters")
    assert (D(bonus["base_percent"]), D(bonus["correction"]), D(bonus["percent"])) == (
        D(35),
        D("0.75"),
        D("26.25"),
    )
    # November is the quarter's second month: 75 % now, 25 % withheld to the quarter.
    assert (bonus["paid_now"], bonus["withheld"]) == ("19.69", "6.56")
    engineers = next(b for b in result.details["bonuses"] if b["code"] == "engineers")
    assert D(engineers["share_of_scale"]) == D(80)


def test_closing_twice_gives_the_same_results_and_writes_nothing_the_second_time(plant):
    world, november = plant, plant.period(2026, 11)
    _same_figures(world, november, "A1", "A2", "B1")
    first = results_compute(period=november, user=world.users["economist"])
    stored = list(SectionResult.objects.filter(period=november).values())
    second = results_compute(period=november, user=world.users["economist"])
    assert (first.sections, first.written) == (3, 3)
    assert (second.sections, second.written) == (3, 0)
    assert list(SectionResult.objects.filter(period=november).values()) == stored
    shops = ShopResult.objects.filter(period=november).order_by("shop__number")
    # The same figures everywhere: the two shops share the first place.
    assert [shop.rank for shop in shops] == [1, 1]


def test_a_new_version_of_the_evaluation_makes_every_open_result_outdated(plant):
    # A close trusts a result whose fingerprint is today's; a change to how results are
    # computed raises EVALUATION_VERSION, and the next close recomputes them all.
    world, november = plant, plant.period(2026, 11)
    _same_figures(world, november, "A1", "B1")
    assert results_compute(period=november).written == 3  # A2 too, with its problem named
    assert results_compute(period=november).written == 0
    with mock.patch.object(digests, "EVALUATION_VERSION", digests.EVALUATION_VERSION + 1):
        again = results_compute(period=november)
    assert (again.sections, again.written) == (3, 3)


def test_a_changed_figure_makes_the_result_stale_and_the_close_rewrites_only_it(plant):
    world, november = plant, plant.period(2026, 11)
    _same_figures(world, november, "A1", "B1")
    results_compute(period=november)
    _raise_b1_productivity(world, november)
    again = results_compute(period=november)
    assert again.written == 1
    assert SectionResult.objects.get(section=world.units["B1"], period=november).tension == D(
        "1.3788"
    )  # 1.3 × 1.05 × 1 / 0.99


def test_a_close_after_a_change_evaluates_the_changed_shop_only_and_equals_a_fresh_one(plant):
    """The close evaluates only the shops whose results are not current; the shops' results
    sum the other shops' sections as stored, and everything equals a close from scratch."""
    world, november = plant, plant.period(2026, 11)
    _same_figures(world, november, "A1", "A2", "B1")
    results_compute(period=november)
    _raise_b1_productivity(world, november)
    with mock.patch("khozraschet.selectors.plant.evaluate", wraps=evaluate) as evaluated:
        again = results_compute(period=november)
    assert [call.args[1].section for call in evaluated.call_args_list] == [world.units["B1"]]
    assert (again.sections, again.written, again.shops) == (3, 1, 2)

    def stored():
        sections = SectionResult.objects.filter(period=november).order_by(
            "section__shop__number", "section__number"
        )  # A1 and B1 are both section 1: by number alone their order was the table's
        shops = ShopResult.objects.filter(period=november).order_by("shop__number")
        return (
            [
                {k: v for k, v in r.items() if k not in ("id", "computed_at")}
                for r in sections.values()
            ],
            [
                {k: v for k, v in r.items() if k not in ("id", "computed_at")}
                for r in shops.values()
            ],
        )

    partial = stored()
    # B1's productivity now beats A's sections: shop B takes the first place alone.
    assert [shop["rank"] for shop in partial[1]] == [2, 1]
    SectionResult.objects.filter(period=november).delete()
    ShopResult.objects.filter(period=november).delete()
    results_compute(period=november)
    assert stored() == partial


def test_a_missing_figure_is_a_problem_named_on_the_result_never_a_default(plant):
    world, november = plant, plant.period(2026, 11)
    results_compute(period=november)
    result = SectionResult.objects.get(section=world.units["A1"], period=november)
    assert result.tension is None
    assert any("Кнапр не рассчитан" in problem for problem in result.problems)
    assert any("Ккт" in problem for problem in result.problems)


def test_a_closed_month_is_not_computed_again(plant):
    world, october = plant, plant.period(2026, 10)
    results_compute(period=october)
    close_as_is(october, world.users["labour"])
    with pytest.raises(ValidationError):
        results_compute(period=october)


def test_a_shop_s_close_writes_its_own_sections_only(plant):
    world, november = plant, plant.period(2026, 11)
    outcome = results_compute(period=november, shop=world.units["A"])
    assert outcome.sections == 2
    assert set(
        SectionResult.objects.filter(period=november).values_list("section__shop", flat=True)
    ) == {world.units["A"].pk}


def test_the_close_s_query_count_does_not_grow_with_the_sections(plant):
    world, november = plant, plant.period(2026, 11)
    month_figures(
        world,
        world.units["A1"],
        november,
        productivity=D(110),
        volume=D(1050),
        capital=D(1),
        per_ruble=D("0.99"),
    )
    results_compute(period=november)  # warm the caches (content types, translations)

    def fresh_close(cold=False):
        SectionResult.objects.filter(period=november).delete()
        ShopResult.objects.filter(period=november).delete()
        if cold:
            ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            results_compute(period=november)
        return len(queries)

    few = fresh_close()
    for key in ("A2", "B1"):
        month_figures(
            world,
            world.units[key],
            november,
            productivity=D(110),
            volume=D(1050),
            capital=D(1),
            per_ruble=D("0.99"),
        )
    assert fresh_close() == few
    # Pinned: the lock, the terms (8), the month's rows by kind (one query each, the
    # sections with their passports in one), the other apps' three figures, the funds,
    # the stored results, and the writes with their history (first close only).
    assert few == 36
    # A process's first close also reads the content types its history names (the two
    # kinds of results), once: what made ``make bench`` count 38 on the plant it closed
    # first and 36 on the next, as if the queries grew with the plant.
    assert fresh_close(cold=True) == few + 2
    assert fresh_close() == few
    with CaptureQueriesContext(connection) as again:
        assert results_compute(period=november).written == 0
    assert len(again) <= 26


def test_an_auxiliary_section_whose_consumers_filed_no_claims_has_its_plan_met(plant):
    """§7: the plan of an auxiliary section is met when its consumers filed no claims;
    a claim of one of them against it (any, not withdrawn) takes that away."""
    from claims.models import Claim
    from tests.claims.factories import ClaimFactory

    world, november = plant, plant.period(2026, 11)
    repair, consumer = world.units["B1"], world.units["A1"]
    profile = Profile.objects.get(section=repair)
    profile.purpose = "auxiliary"
    profile.save()
    profile.consumers.set([consumer])
    # Productivity 90 of 100: a mandatory indicator not met.
    month_figures(
        world,
        repair,
        november,
        productivity=D(90),
        volume=D(1000),
        capital=D(1),
        per_ruble=D(1),
    )
    results_compute(period=november)
    result = SectionResult.objects.get(section=repair, period=november)
    assert (result.plan_met, result.details["auxiliary_met"]) == (True, True)

    claim = ClaimFactory(period=november, claimant=consumer, defendant=repair)
    results_compute(period=november)
    result.refresh_from_db()
    assert (result.plan_met, result.details["auxiliary_met"]) == (False, False)
    assert result.details["claimants"] == [consumer.pk]

    claim.status = Claim.Status.WITHDRAWN
    claim.final_amount = None
    claim.save()
    results_compute(period=november)
    result.refresh_from_db()
    assert result.plan_met is True


def test_idle_hours_without_the_shift_fund_give_their_shares_only(plant):
    from khozraschet.models import IdleRecord

    world, november = plant, plant.period(2026, 11)
    section = world.units["A1"]
    for cause, hours in (("unplanned_repair", D("792.6")), ("no_work", D("109.0"))):
        IdleRecord.objects.create(section=section, period=november, cause=cause, hours=hours)
    results_compute(period=november)
    idle = SectionResult.objects.get(section=section, period=november).details["idle"]
    assert [(r["cause"], r["share"]) for r in idle["rows"]] == [
        ("unplanned_repair", "87.9"),
        ("no_work", "12.1"),
    ]
    assert (idle["total"], idle["fund"], idle["fund_share"]) == ("901.6", None, None)
