"""Benchmark of the claims' netting statement: ``bench_netting(enterprise, period, n)``.

Writes ``n`` settled claims among the plant's sections and shops (``bulk_create``, in the
period given, which must be open), then times ``claims.selectors.statement`` for the
whole plant and counts its queries. Target: under 2 s for 5,000 claims.

Standalone: ``.venv/bin/python tests/bench/bench_claims.py [n]`` builds a small plant with
``enterprise.generate.generate_plant`` in a fresh database — an SQLite file in a temporary
folder, or the database named by ``BENCH_DATABASE_URL`` — prints the figures and exits
non-zero if the target is missed.
"""

from __future__ import annotations

import atexit
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 2.0
REPEAT = 3
SEED = 4


def _parties(enterprise) -> list[dict]:
    """Every section and shop of the plant as the fields of one side of a claim."""
    from claims.models import PartyKind
    from enterprise.models import Section, Shop

    parties = []
    for section in Section.objects.filter(shop__enterprise=enterprise).select_related("shop"):
        parties.append(
            {"kind": PartyKind.SECTION, "shop": section.shop, "section": section, "unit": section}
        )
    for shop in Shop.objects.filter(enterprise=enterprise):
        parties.append({"kind": PartyKind.SHOP, "shop": shop, "section": None, "unit": shop})
    return parties


def _filer(enterprise):
    from django.contrib.auth import get_user_model

    from enterprise.models import RoleAssignment

    assignment = RoleAssignment.objects.filter(enterprise=enterprise).select_related("user")
    first = assignment.first()
    if first is not None:
        return first.user
    user, _ = get_user_model().objects.get_or_create(username=f"bench-claims-{enterprise.pk}")
    return user


def create_settled_claims(enterprise, period, n: int, *, seed: int = SEED) -> int:
    """``n`` settled claims between random pairs of the plant's sections and shops."""
    from django.db.models import Max
    from django.utils import timezone

    from claims.models import Claim, ClaimType
    from claims.seed import seed_claim_types
    from enterprise.models.roles import Role

    rng = random.Random(seed)
    seed_claim_types(enterprise)
    types = list(ClaimType.objects.filter(enterprise=enterprise))
    parties = _parties(enterprise)
    if len(parties) < 2:
        raise ValueError("the plant needs at least two units to claim between")
    user = _filer(enterprise)
    now = timezone.now()
    today = timezone.localdate(now)
    number = (Claim.objects.filter(enterprise=enterprise).aggregate(n=Max("number"))["n"]) or 0
    rows = []
    for _ in range(n):
        claimant, defendant = rng.sample(parties, 2)
        amount = Decimal(rng.randrange(100, 500_000)) / 100
        number += 1
        if claimant["shop"].pk != defendant["shop"].pk:
            level, role, arbitrator_shop = Claim.Level.PLANT, Role.PRODUCTION_HEAD, None
        else:
            level, role, arbitrator_shop = Claim.Level.SHOP, Role.SHOP_HEAD, claimant["shop"]
        rows.append(
            Claim(
                enterprise=enterprise,
                number=number,
                period=period,
                claim_type=rng.choice(types),
                claimant_kind=claimant["kind"],
                claimant_shop=claimant["shop"],
                claimant_section=claimant["section"],
                defendant_kind=defendant["kind"],
                defendant_shop=defendant["shop"],
                defendant_section=defendant["section"],
                description="Претензия для замера ведомости взаимного погашения.",
                loss_inputs={"amount": str(amount)},
                loss_amount=amount,
                loss_formula="",
                status=Claim.Status.SETTLED,
                filed_by=user,
                filed_at=now,
                answer_due=today,
                answer=Claim.Answer.ACCEPT,
                accepted_amount=amount,
                answered_by=user,
                answered_at=now,
                arbitrator_level=level,
                arbitrator_role=role,
                arbitrator_shop=arbitrator_shop,
                final_amount=amount,
            )
        )
    Claim.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def bench_netting(enterprise, period, n: int = 5000) -> dict:
    """Create ``n`` settled claims in ``period`` (open), then time the plant's statement.

    Returns ``claims`` (final claims the statement nets), ``created``, ``pairs``, ``units``,
    ``seconds`` (median of a few runs), ``first_seconds`` (the first, cold run),
    ``queries`` (per statement), ``target_seconds`` and ``ok`` (median under the target).
    The claims are left in the database.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.selectors import statement

    started = time.perf_counter()
    created = create_settled_claims(enterprise, period, n)
    setup_seconds = time.perf_counter() - started
    timings = []
    queries = 0
    result = None
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = statement(enterprise.pk, period)
            timings.append(time.perf_counter() - started)
        queries = len(captured)
    seconds = statistics.median(timings)
    return {
        "created": created,
        "claims": result.claims,
        "pairs": len(result.pairs),
        "units": len(result.units),
        "total": result.total,
        "seconds": seconds,
        "first_seconds": timings[0],
        "queries": queries,
        "setup_seconds": setup_seconds,
        "target_seconds": TARGET_SECONDS,
        "ok": seconds < TARGET_SECONDS,
    }


def _setup_database() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        folder = tempfile.mkdtemp(prefix="khz-bench-claims-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        url = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0]) if argv else 5000
    url = _setup_database()
    from enterprise.generate import generate_plant
    from enterprise.models import Period

    print(f"database: {url.split('@')[-1]}")
    started = time.perf_counter()
    enterprise = generate_plant(
        workers=200, months=3, seed=SEED, enterprise_name=f"Завод для замера претензий {SEED}"
    )
    print(f"generate_plant --workers 200 --months 3: {time.perf_counter() - started:.1f} s")
    period = (
        Period.objects.filter(enterprise=enterprise, status=Period.Status.OPEN)
        .order_by("year", "month")
        .first()
    )
    figures = bench_netting(enterprise, period, n)
    print(
        f"claims written: {figures['created']} in {figures['setup_seconds']:.1f} s "
        f"(bulk_create with history)"
    )
    print(
        f"statement({period}, whole plant): {figures['claims']} claims, "
        f"{figures['pairs']} pairs, {figures['units']} units, total {figures['total']}"
    )
    print(
        f"  {figures['seconds']:.3f} s median of {REPEAT} "
        f"(first {figures['first_seconds']:.3f} s), {figures['queries']} queries; "
        f"target < {figures['target_seconds']:.0f} s: "
        f"{'ok' if figures['ok'] else 'MISSED'}"
    )
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
