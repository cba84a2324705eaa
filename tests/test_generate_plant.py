"""``generate_plant`` rebuilds a plant the same (``--replace``) and another seed gives other
data — checked for every app's part of the plant, on SMALL plants generated once.

A plant takes long to generate, so the module generates as few as it can: the fixture
:func:`rebuild` generates the plant of ``SEED`` once, is refused when it generates it again
without ``--replace``, rebuilds it with ``--replace`` once and generates the plant of
``OTHER_SEED``; it notes what each app's generator wrote before and after the rebuild
(:class:`Snapshot`), and each app's test below checks its part. What a generated plant
contains is checked on the session's large shared plant (``generated_plant``,
tests/conftest.py) by each app's tests.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from brigades.models import Brigade
from enterprise.models import Enterprise, HistoryRecord, Section, Worker
from khozraschet import demo as khz_demo
from khozraschet.generate import MONTHS as SELF_FINANCING_MONTHS
from khozraschet.models import Indicator, IndicatorValue, SectionMonth
from planning.models import MonthlyOutput, PersonalPlan, SectionTask
from tests.conftest import check_deferred_constraints, fast_hashers

# The fewest workers that still give the plant brigades (a section needs 5 staff for one),
# personal plans and every section's self-financing months; the first of the months is
# closed, so the rebuild reopens it.
WORKERS = 400
MONTHS = 2
SEED = 7
OTHER_SEED = 8


def _digest(enterprise: Enterprise) -> str:
    """The plant's workers, everything the generator chose about them, as one hash."""
    rows = Worker.objects.filter(enterprise=enterprise).order_by("personnel_number")
    text = "\n".join(
        "|".join(
            str(value)
            for value in (
                w.personnel_number,
                w.full_name,
                w.grade,
                w.profession.name,
                w.pay_condition.code,
                w.section.shop.number,
                w.section.number,
                w.section.name,
                w.birth_date,
                w.hire_date,
                w.dismissal_date,
            )
        )
        for w in rows.select_related("profession", "pay_condition", "section__shop")
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _generate(seed: int, *extra: str) -> Enterprise:
    out = io.StringIO()
    call_command(
        "generate_plant", "--workers", str(WORKERS), "--months", str(MONTHS),
        "--seed", str(seed), *extra, stdout=out,
    )  # fmt: skip
    return Enterprise.objects.get(name=f"Завод-генератор (seed {seed})")


@dataclass(frozen=True)
class Snapshot:
    """What each app's generator wrote for a plant."""

    pk: int
    name: str
    digest: str  # enterprise: the workers
    workers: int
    sections: int
    brigades: int  # brigades
    section_months: int  # khozraschet
    indicators: int
    indicator_values: int
    indicator_values_by_name: int
    plans: int  # planning
    section_tasks: int
    monthly_outputs: int

    @classmethod
    def of(cls, plant: Enterprise) -> Snapshot:
        by_section = {"section__shop__enterprise": plant}
        return cls(
            pk=plant.pk,
            name=plant.name,
            digest=_digest(plant),
            workers=Worker.objects.filter(enterprise=plant).count(),
            sections=Section.objects.filter(shop__enterprise=plant).count(),
            brigades=Brigade.objects.filter(enterprise=plant).count(),
            section_months=SectionMonth.objects.filter(**by_section).count(),
            indicators=Indicator.objects.filter(enterprise=plant).count(),
            indicator_values=IndicatorValue.objects.filter(**by_section).count(),
            indicator_values_by_name=IndicatorValue.objects.filter(
                section__shop__enterprise__name=plant.name
            ).count(),
            plans=PersonalPlan.objects.filter(enterprise=plant).count(),
            section_tasks=SectionTask.objects.filter(enterprise=plant).count(),
            monthly_outputs=MonthlyOutput.objects.filter(enterprise=plant).count(),
        )


@dataclass(frozen=True)
class Rebuild:
    first: Snapshot  # the plant of SEED as first generated
    refusal: str  # the error of generating it again without --replace
    refused: Snapshot  # the plant after the refusal
    rebuilt: Snapshot  # the plant generated again with --replace
    generated_plants: int  # plants named "Завод-генератор…" right after the rebuild
    deletions: tuple[int, int]  # DELETE history records before and after the rebuild
    old_plant_deleted: bool  # the DELETE of the first plant's enterprise row is recorded
    left_of_the_old_plant: dict  # rows still pointing at the first plant's pk
    other: Snapshot  # the plant of OTHER_SEED


def _left_of(pk: int) -> dict[str, int]:
    return {
        "workers": Worker.objects.filter(enterprise_id=pk).count(),
        "brigades": Brigade.objects.filter(enterprise_id=pk).count(),
        "section_months": SectionMonth.objects.filter(section__shop__enterprise_id=pk).count(),
        "plans": PersonalPlan.objects.filter(enterprise_id=pk).count(),
        "section_tasks": SectionTask.objects.filter(enterprise_id=pk).count(),
        "monthly_outputs": MonthlyOutput.objects.filter(enterprise_id=pk).count(),
    }


def _rebuild() -> Rebuild:
    first = Snapshot.of(_generate(SEED))
    with pytest.raises(CommandError, match="уже есть") as refusal:
        _generate(SEED)
    refused = Snapshot.of(Enterprise.objects.get(pk=first.pk))
    deletions = HistoryRecord.objects.filter(action=HistoryRecord.Action.DELETE)
    before = deletions.count()
    rebuilt = _generate(SEED, "--replace")
    return Rebuild(
        first=first,
        refusal=str(refusal.value),
        refused=refused,
        rebuilt=Snapshot.of(rebuilt),
        generated_plants=Enterprise.objects.filter(name__startswith="Завод-генератор").count(),
        deletions=(before, deletions.count()),
        old_plant_deleted=deletions.filter(
            content_type__model="enterprise", object_pk=str(first.pk)
        ).exists(),
        left_of_the_old_plant=_left_of(first.pk) if rebuilt.pk != first.pk else {},
        other=Snapshot.of(_generate(OTHER_SEED)),
    )


@pytest.fixture(scope="module")
def rebuild(django_db_setup, django_db_blocker) -> Rebuild:
    """The small plants, generated once for the tests below (rolled back after them)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast_hashers()),
        transaction.atomic(),
    ):
        rebuilt = _rebuild()
        check_deferred_constraints()  # once here, not again after each test
        yield rebuilt
        transaction.set_rollback(True)


# --- enterprise ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_generate_plant_refuses_an_existing_plant_and_rebuilds_it_the_same_with_replace(rebuild):
    first, rebuilt = rebuild.first, rebuild.rebuilt
    assert first.workers == WORKERS and first.sections == 120
    # refused: nothing written, nothing deleted
    assert "уже есть" in rebuild.refusal and "--replace" in rebuild.refusal
    assert rebuild.refused == first
    # rebuilt: the same workers, the old plant gone (its deletion in the history)
    assert rebuilt.digest == first.digest
    assert (rebuilt.name, rebuilt.workers, rebuilt.sections) == (
        first.name,
        first.workers,
        first.sections,
    )
    assert rebuild.generated_plants == 1
    before, after = rebuild.deletions
    assert after > before
    assert rebuilt.pk == first.pk or rebuild.old_plant_deleted
    assert not any(rebuild.left_of_the_old_plant.values())


@pytest.mark.django_db
def test_generate_plant_gives_other_data_for_another_seed(rebuild):
    assert rebuild.other.workers == rebuild.first.workers == WORKERS
    assert rebuild.other.digest != rebuild.first.digest


# --- brigades ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_generator_rebuilds_a_plant_with_brigades(rebuild):
    assert rebuild.rebuilt.brigades == rebuild.first.brigades > 0
    assert rebuild.generated_plants == 1
    assert rebuild.left_of_the_old_plant.get("brigades", 0) == 0


# --- khozraschet -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_generator_rebuilds_a_plant_with_its_self_financing(rebuild):
    first, rebuilt = rebuild.first, rebuild.rebuilt
    assert (
        rebuilt.section_months
        == first.section_months
        == first.sections * min(SELF_FINANCING_MONTHS, MONTHS)
    )
    assert rebuilt.indicators == first.indicators == len(khz_demo.INDICATORS)
    assert rebuilt.indicator_values == first.indicator_values > 0
    # no self-financing row of the deleted plant is left under the plant's name
    assert rebuilt.indicator_values_by_name == rebuilt.indicator_values
    assert rebuild.left_of_the_old_plant.get("section_months", 0) == 0


# --- planning ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_replace_deletes_the_plant_s_planning_rows_and_builds_them_the_same_again(rebuild):
    first, rebuilt = rebuild.first, rebuild.rebuilt
    assert rebuilt.plans == first.plans > 0
    assert rebuilt.section_tasks == first.section_tasks > 0
    assert rebuilt.monthly_outputs == first.monthly_outputs > 0
    left = rebuild.left_of_the_old_plant
    assert rebuilt.pk == first.pk or (
        left["plans"] == left["section_tasks"] == left["monthly_outputs"] == 0
    )
