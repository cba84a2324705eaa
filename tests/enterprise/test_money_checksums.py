"""``manage.py money_checksums``: per-period money checksums for the restore drill.

A small world of two shops in October and November 2026: claims between them and a
worker's monthly output. The checksums of an untouched database compare equal to
themselves; a kopeck changed anywhere, or two rows that trade a kopeck (the sums stay,
the rows differ), make ``--compare`` fail and name the group.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from planning.models import MonthlyOutput
from tests.claims.factories import ClaimFactory
from tests.factories import EnterpriseFactory, PeriodFactory, ShopFactory, WorkerFactory
from tests.planning.factories import MonthlyOutputFactory

D = Decimal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    enterprise = EnterpriseFactory()
    october = PeriodFactory(enterprise=enterprise, year=2026, month=10)
    november = PeriodFactory(enterprise=enterprise, year=2026, month=11)
    shop_a = ShopFactory(enterprise=enterprise, number=6)
    shop_b = ShopFactory(enterprise=enterprise, number=7)
    claims = [
        ClaimFactory(period=october, claimant=shop_a, defendant=shop_b, loss_amount=D("1000.00")),
        ClaimFactory(
            period=october,
            claimant=shop_b,
            defendant=shop_a,
            loss_amount=D("250.55"),
            status=Claim.Status.FILED,
        ),
        ClaimFactory(period=november, claimant=shop_a, defendant=shop_b, loss_amount=D("99.99")),
    ]
    worker = WorkerFactory(enterprise=enterprise, section__shop=shop_a)
    output = MonthlyOutputFactory(worker=worker, period=october, output=D("212.345"))
    return enterprise, claims, output


def checksums(*args) -> str:
    out = io.StringIO()
    call_command("money_checksums", *args, stdout=out)
    return out.getvalue()


def groups_of(enterprise) -> dict[tuple[str, str], dict]:
    document = json.loads(checksums("--enterprise", str(enterprise.pk), "--json", "-"))
    return {(g["period"], g["table"]): g for g in document["groups"]}


def test_it_counts_and_sums_each_table_by_month(world):
    enterprise, _, _ = world

    groups = groups_of(enterprise)

    assert set(groups) == {
        ("2026-10", "claims.Claim"),
        ("2026-11", "claims.Claim"),
        ("2026-10", "planning.MonthlyOutput"),
    }
    october = groups[("2026-10", "claims.Claim")]
    assert october["count"] == 2
    # the filed claim has no final amount yet: only the settled one's is summed
    assert october["sums"] == {
        "loss_amount": "1250.55",
        "accepted_amount": "0",
        "decided_amount": "0",
        "final_amount": "1000.00",
    }
    assert groups[("2026-11", "claims.Claim")]["sums"]["loss_amount"] == "99.99"
    output = groups[("2026-10", "planning.MonthlyOutput")]
    assert (output["count"], output["sums"]) == (
        1,
        {"output": "212.345", "hours_worked": "168.0"},
    )
    assert len(october["hash"]) == 64


def test_the_same_database_compares_equal_and_the_table_names_every_group(world, tmp_path):
    enterprise, _, _ = world
    saved = tmp_path / "before.json"

    table = checksums("--enterprise", str(enterprise.pk), "--json", str(saved))
    again = checksums("--enterprise", str(enterprise.pk), "--compare", str(saved))

    lines = table.splitlines()
    assert lines[0].split()[:5] == ["предпр.", "период", "таблица", "строк", "хеш"]
    assert any("2026-10" in line and "claims.Claim" in line and "1250.55" in line for line in lines)
    assert lines[-1].startswith("Групп: 3, строк: 4, общий хеш ")
    assert again.splitlines()[-1] == f"Совпадает с {saved}: 3 группы."


def test_a_kopeck_changed_fails_the_comparison_and_names_the_month(world, tmp_path):
    enterprise, claims, _ = world
    saved = tmp_path / "before.json"
    checksums("--enterprise", str(enterprise.pk), "--json", str(saved))

    Claim.objects.filter(pk=claims[2].pk).update(loss_amount=D("100.00"), final_amount=D("100.00"))

    with pytest.raises(CommandError) as error:
        checksums("--enterprise", str(enterprise.pk), "--compare", str(saved))
    message = str(error.value)
    assert "расходятся в 1 группе:" in message
    assert (
        f"предприятие {enterprise.pk}, 2026-11, claims.Claim: "
        "final_amount: 99.99 → 100.00; loss_amount: 99.99 → 100.00"
    ) in message
    assert "2026-10" not in message


def test_rows_that_trade_a_kopeck_keep_the_sums_but_not_the_hash(world, tmp_path):
    enterprise, claims, output = world
    saved = tmp_path / "before.json"
    before = groups_of(enterprise)
    checksums("--enterprise", str(enterprise.pk), "--json", str(saved))

    Claim.objects.filter(pk=claims[0].pk).update(loss_amount=D("999.99"), final_amount=None)
    Claim.objects.filter(pk=claims[1].pk).update(loss_amount=D("250.56"), final_amount=D("1000.00"))
    MonthlyOutput.objects.filter(pk=output.pk).update(nomenclature_met=not output.nomenclature_met)

    after = groups_of(enterprise)
    october = ("2026-10", "claims.Claim")
    assert after[october]["sums"] == before[october]["sums"]
    assert after[october]["hash"] != before[october]["hash"]
    with pytest.raises(CommandError) as error:
        checksums("--enterprise", str(enterprise.pk), "--compare", str(saved))
    message = str(error.value)
    assert "расходятся в 2 группах:" in message
    assert "2026-10, claims.Claim: суммы те же, строки другие (хеш)" in message
    assert "2026-10, planning.MonthlyOutput: суммы те же, строки другие (хеш)" in message


def test_another_enterprise_is_left_out_when_one_is_named(world):
    enterprise, _, _ = world
    other = EnterpriseFactory()
    period = PeriodFactory(enterprise=other, year=2026, month=10)
    ClaimFactory(
        period=period,
        claimant=ShopFactory(enterprise=other),
        defendant=ShopFactory(enterprise=other),
    )

    assert {g["count"] for g in groups_of(enterprise).values()} == {2, 1}
    document = json.loads(checksums("--json", "-"))
    assert {g["enterprise"] for g in document["groups"]} == {enterprise.pk, other.pk}


def test_a_month_that_lost_its_rows_or_gained_some_is_named(world, tmp_path):
    enterprise, claims, output = world
    saved = tmp_path / "before.json"
    checksums("--enterprise", str(enterprise.pk), "--json", str(saved))

    Claim.objects.filter(pk=claims[2].pk).delete()
    MonthlyOutputFactory(worker=output.worker, period=claims[2].period, output=D("1.000"))

    with pytest.raises(CommandError) as error:
        checksums("--enterprise", str(enterprise.pk), "--compare", str(saved))
    message = str(error.value)
    assert f"предприятие {enterprise.pk}, 2026-11, claims.Claim: группы нет (1 строк)" in message
    assert (
        f"предприятие {enterprise.pk}, 2026-11, planning.MonthlyOutput: лишняя группа (1 строк)"
    ) in message
