"""Benchmark of section self-financing's monthly close and pages: ``bench_close(...)``.

On the plant-scale data set (the generator's self-financing figures, ``khozraschet/
generate.py``; a plant without them gets a month written here with ``bulk_create``) and
the month's claims (``bench_claims.create_settled_claims`` when the month has none):

a) the bare SQL aggregates over the rows the close reads — per section: the indicators'
   plans and actuals, the cost plan, actual and corrections, idle hours, the recorded
   output by decade, the approved brigades' pay, the decided claims — timed alone
   (median of runs);
b) the close of the whole plant (``khozraschet.services.close.results_compute``) on a
   month with no results yet: seconds, queries; target ≤ 20 s and ≤ 3 × (a);
c) the same close again (nothing changed: nothing written) — idempotence, timed;
d) the close's parts alone, for the ratio's sake: reading the month (``read_month``),
   evaluating it (``evaluate_shops``: the rules, no queries), and the floor of writing its
   results — the same rows sent by the database's fastest path with no ORM and no history
   (``COPY`` on PostgreSQL, ``executemany`` on SQLite), in a transaction rolled back;
e) the section's, the shop's and the plant's result pages (target < 0.15 s each).

Query counts are returned for ``run.py`` to compare across plant sizes: they must not
grow with the number of sections.

Standalone: ``.venv/bin/python tests/bench/bench_khozraschet.py [workers]`` builds a plant
(7,000 workers by default) in a fresh database — an SQLite file in a temporary folder, or
``BENCH_DATABASE_URL`` — prints the figures and exits non-zero if a target is missed.
"""

from __future__ import annotations

import atexit
import math
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
BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

CLOSE_TARGET_SECONDS = 20.0
RATIO_TARGET = 3.0
PAGE_TARGET_SECONDS = 0.15
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
CLAIMS = 5000

D = Decimal


def bench_period(enterprise):
    """The latest open month whose brigades' documents are all approved (a month ready to
    close, as the close is timed for); else the latest open one."""
    from brigades.models import Distribution
    from enterprise.models import Period

    months = list(
        Period.objects.filter(enterprise=enterprise, status=Period.Status.OPEN).order_by(
            "-year", "-month"
        )
    )
    for period in months:
        drafts = Distribution.objects.filter(period=period).exclude(status="approved")
        if Distribution.objects.filter(period=period).exists() and not drafts.exists():
            return period
    return months[0] if months else None


def approve_agreed(enterprise) -> int:
    """Approve the agreed brigade documents of the latest open month that has no draft left
    (the generator leaves some agreed), as a shop head would, so that the
    close is timed on a month whose wage fund is known: a complete month, not one whose
    every section reports its wage fund missing. Returns how many were approved."""
    from django.contrib.auth import get_user_model

    from brigades.models import Distribution
    from brigades.services import distribution_approve
    from enterprise.models import Period

    unfinished = [Distribution.Status.DRAFT]
    for period in Period.objects.filter(enterprise=enterprise, status=Period.Status.OPEN).order_by(
        "-year", "-month"
    ):
        documents = Distribution.objects.filter(period=period)
        if not documents.exists() or documents.filter(status__in=unfinished).exists():
            continue
        agreed = list(documents.filter(status=Distribution.Status.AGREED).order_by("pk"))
        if agreed:
            approver, _created = get_user_model().objects.get_or_create(
                username="bench-approver", defaults={"is_superuser": True, "is_staff": True}
            )
            for distribution in agreed:
                distribution_approve(distribution=distribution, user=approver)
        return len(agreed)
    return 0


def ensure_month(enterprise, period) -> bool:
    """Self-financing figures of ``period`` for every section; True when written here."""
    from enterprise.models import Section
    from khozraschet.models import (
        CostArticle,
        CostCorrection,
        CostLine,
        IdleRecord,
        Indicator,
        IndicatorValue,
        Passport,
        Profile,
        SectionMonth,
    )

    if IndicatorValue.objects.filter(period=period).exists():
        return False
    from tests.khozraschet.terms import install_terms

    if not Indicator.objects.filter(enterprise=enterprise).exists():
        install_terms(enterprise)
    indicators = list(Indicator.objects.filter(enterprise=enterprise, active=True))
    articles = list(CostArticle.objects.filter(enterprise=enterprise))
    sections = list(Section.objects.filter(shop__enterprise=enterprise))
    known = set(Profile.objects.values_list("section_id", flat=True))
    Profile.objects.bulk_create([Profile(section=s) for s in sections if s.pk not in known])
    dated = set(Passport.objects.values_list("section_id", flat=True))
    Passport.objects.bulk_create(
        [
            Passport(
                section=s,
                valid_from=period.start.replace(month=1),
                area=D(1000),
                operations=800,
                workplaces=40,
                output_plan=D(5000),
                weight_max=D(100),
                weight_min=D(1),
                equipment=40,
                workers=40,
                average_grade=D("3.5"),
                specialisation="technological",
                norms_met=D(110),
                shifts=D("1.5"),
                output_per_worker=D(9000),
                mechanisation_degree=D(40),
                mechanisation_level=D(30),
                capacity=D(20000),
            )
            for s in sections
            if s.pk not in dated
        ]
    )
    rnd = random.Random(12)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            section=s, period=period, indicator=i, plan=D(100), actual=D(rnd.randint(95, 115))
        )
        for s in sections
        for i in indicators
    )
    SectionMonth.objects.bulk_create(
        SectionMonth(
            section=s,
            period=period,
            plan_decade_1=D(300),
            plan_decade_2=D(300),
            plan_decade_3=D(400),
            on_time_output=D(rnd.randint(70, 100)),
            shortfall=D(rnd.randint(0, 20)),
            quality_collective=D(rnd.randint(45, 120)) / 100,
            quality_masters=D(rnd.randint(80, 110)) / 100,
            shift_fund_hours=D(3000),
        )
        for s in sections
    )
    CostLine.objects.bulk_create(
        CostLine(
            section=s,
            period=period,
            article=a,
            plan=D(100000),
            actual=D(rnd.randint(95000, 105000)),
        )
        for s in sections
        for a in articles
    )
    CostCorrection.objects.bulk_create(
        CostCorrection(
            section=s,
            period=period,
            article=articles[0],
            amount=D("1250.00"),
            reason="металл подорожал",
        )
        for s in sections
    )
    IdleRecord.objects.bulk_create(
        IdleRecord(section=s, period=period, cause=cause, hours=D(rnd.randint(1, 300)))
        for s in sections
        for cause in ("unplanned_repair", "no_work", "no_tools", "other")
    )
    return True


BARE_SQL = (
    # the indicators, the month sheets, costs and corrections, idle, energy of the month
    "SELECT section_id, COUNT(*), SUM(plan), SUM(actual) FROM khozraschet_indicatorvalue"
    " WHERE period_id = %(period)s GROUP BY section_id",
    "SELECT section_id, SUM(plan_decade_1 + plan_decade_2 + plan_decade_3), SUM(on_time_output),"
    " SUM(shortfall), MAX(quality_collective), MAX(quality_masters) FROM khozraschet_sectionmonth"
    " WHERE period_id = %(period)s GROUP BY section_id",
    "SELECT section_id, SUM(plan), SUM(actual) FROM khozraschet_costline"
    " WHERE period_id = %(period)s GROUP BY section_id",
    "SELECT section_id, SUM(amount) FROM khozraschet_costcorrection"
    " WHERE period_id = %(period)s GROUP BY section_id",
    "SELECT section_id, SUM(hours) FROM khozraschet_idlerecord"
    " WHERE period_id = %(period)s GROUP BY section_id",
    "SELECT section_id, SUM(saved_value * percent) FROM khozraschet_energysaving"
    " WHERE period_id = %(period)s GROUP BY section_id",
    # the passports in force and the sections on self-financing
    "SELECT p.section_id, MAX(p.valid_from) FROM khozraschet_passport p"
    " JOIN khozraschet_profile f ON f.section_id = p.section_id"
    " WHERE p.valid_from <= %(end)s GROUP BY p.section_id",
    # the other apps' figures: recorded output, brigades' pay, decided claims
    "SELECT section_id, SUM(output) FROM planning_sectiondayoutput"
    " WHERE date BETWEEN %(start)s AND %(end)s GROUP BY section_id",
    "SELECT b.section_id, SUM(d.piecework + d.bonus + d.savings) FROM brigades_distribution d"
    " JOIN brigades_brigade b ON b.id = d.brigade_id"
    " WHERE d.period_id = %(period)s AND d.status = 'approved' GROUP BY b.section_id",
    "SELECT claimant_section_id, defendant_section_id, SUM(final_amount) FROM claims_claim"
    " WHERE period_id = %(period)s AND status IN ('settled', 'decided')"
    " GROUP BY claimant_section_id, defendant_section_id",
    "SELECT DISTINCT defendant_section_id, claimant_section_id FROM claims_claim"
    " WHERE period_id = %(period)s AND status <> 'withdrawn'",
)


def bare_seconds(period) -> tuple[float, int]:
    """The median time of the bare aggregates over the close's rows, and their row count."""
    from django.db import connection

    params = {"period": period.pk, "start": period.start, "end": period.end}
    timings, rows = [], 0
    for _ in range(REPEAT):
        started = time.perf_counter()
        rows = 0
        with connection.cursor() as cursor:
            for sql in BARE_SQL:
                cursor.execute(sql, params)
                rows += len(cursor.fetchall())
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), rows


def warm_caches() -> None:
    """What a running server has read once and keeps: the content types the close's
    history records name. Without it the first close of a process counts two lookups more
    than the next one (38 against 36 queries), and ``run.py`` took that for queries growing
    with the plant (its smaller plant is closed first)."""
    from django.contrib.contenttypes.models import ContentType

    from khozraschet.models import SectionResult, ShopResult

    ContentType.objects.get_for_models(SectionResult, ShopResult)


def _median_seconds(work, times: int = 3) -> float:
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def write_floor_seconds(period, results) -> float:
    """The median time of writing ``results`` (unsaved ``SectionResult`` rows of ``period``)
    by the database's fastest path — no ORM, no history — each time in a transaction rolled
    back, with the month's stored results deleted first (untimed). The rows pass the table's
    triggers and indexes as the close's own insert does."""
    from django.db import connection, transaction

    from khozraschet.models import SectionResult

    fields = [f for f in SectionResult._meta.concrete_fields if not f.primary_key]
    rows = [
        [f.get_db_prep_save(getattr(r, f.attname), connection) for f in fields] for r in results
    ]
    table = connection.ops.quote_name(SectionResult._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    timings = []
    for _ in range(3):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE period_id = %s", [period.pk])  # nosec B608
            started = time.perf_counter()
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # nosec B608
            timings.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return statistics.median(timings)


def close_parts(enterprise, period) -> dict[str, float]:
    """Seconds of the close's parts alone: read, evaluate, and the floor of the write."""
    from django.utils import timezone

    from khozraschet.selectors.plant import evaluate_shops, read_month
    from khozraschet.services.close import _section_writes

    read = _median_seconds(lambda: read_month(enterprise.pk, period))
    month = read_month(enterprise.pk, period)
    evaluate = _median_seconds(lambda: evaluate_shops(month, period))
    created, _updated = _section_writes(
        period, evaluate_shops(month, period), {}, None, timezone.now()
    )
    return {"read": read, "evaluate": evaluate, "write": write_floor_seconds(period, created)}


def close_once(period) -> tuple[float, int, object]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from enterprise.tracking import acting_as
    from khozraschet.services.close import results_compute

    reset_queries()
    with CaptureQueriesContext(connection) as captured, acting_as(None, "bench"):
        started = time.perf_counter()
        outcome = results_compute(period=period)
        took = time.perf_counter() - started
    return took, len(captured), outcome


def _page(client, url: str) -> tuple[float, int, int, float]:
    """Median seconds, queries, status, and the 95th percentile (the nearest rank)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    client.get(url, HTTP_HOST="localhost")  # unmeasured: warms the caches
    timings, queries, status = [], 0, 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST="localhost")
            timings.append(time.perf_counter() - started)
        queries, status = len(captured), response.status_code
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return statistics.median(timings), queries, status, p95


def result_pages(enterprise, period) -> dict[str, str]:
    """The section's, the shop's and the plant's result pages ({} while they are not built)."""
    from django.urls import NoReverseMatch, reverse

    from khozraschet.models import SectionResult

    result = (
        SectionResult.objects.filter(period=period).select_related("section").order_by("pk").first()
    )
    if result is None:
        return {}
    args = [period.year, period.month]
    try:
        return {
            "khozraschet section's month": reverse(
                "khozraschet:section_month", args=[result.section_id, *args]
            ),
            "khozraschet shop's month": reverse(
                "khozraschet:shop_month", args=[result.section.shop_id, *args]
            ),
            "khozraschet plant's month": reverse("khozraschet:plant_month", args=args),
        }
    except NoReverseMatch:
        return {}


def bench_close(enterprise, rows: list, failures: list, *, client=None, label: str = "") -> dict:
    """Measure (a)–(d); append table rows and missed targets. Returns query counts by name."""
    from bench_claims import create_settled_claims

    from claims.models import Claim
    from enterprise.tracking import acting_as
    from khozraschet.models import SectionResult, ShopResult

    approved = approve_agreed(enterprise)
    period = bench_period(enterprise)
    with acting_as(None, "bench"):
        wrote = ensure_month(enterprise, period)
        if not Claim.objects.filter(period=period).exists():
            create_settled_claims(enterprise, period, CLAIMS)
    SectionResult.objects.filter(period=period).delete()
    ShopResult.objects.filter(period=period).delete()
    counts: dict[str, int] = {}
    warm_caches()
    bare, bare_rows = bare_seconds(period)
    first, first_queries, outcome = close_once(period)
    again, again_queries, repeat = close_once(period)
    parts = close_parts(enterprise, period)
    ratio = first / bare if bare else float("inf")
    note = " (month written by the bench)" if wrote else ""
    if approved:
        note += f" ({approved} agreed brigade documents approved by the bench)"
    rows.append(
        (
            f"{label}bare SQL aggregates of the close's rows ({bare_rows} groups){note}",
            bare,
            len(BARE_SQL),
            "",
        )
    )
    rows.append(
        (
            f"{label}close the plant's month: {outcome.sections} sections, {outcome.shops} shops, "
            f"{outcome.written} written, {outcome.problems} with problems; "
            f"ratio {ratio:.1f} × bare",
            first,
            first_queries,
            "",
        )
    )
    rows.append(
        (f"{label}close again, nothing changed: {repeat.written} written", again, again_queries, "")
    )
    for name, what in (
        ("read", "read the month alone (read_month)"),
        ("evaluate", "evaluate it alone, no queries (evaluate_shops)"),
        ("write", "write its results' rows alone, no ORM, no history (the floor)"),
    ):
        share = parts[name] / bare if bare else float("inf")
        rows.append((f"{label}  part: {what}; {share:.1f} × bare", parts[name], "", ""))
    counts["khozraschet close"] = first_queries
    counts["khozraschet close again"] = again_queries
    if first > CLOSE_TARGET_SECONDS:
        failures.append(f"khozraschet close: {first:.1f} s > {CLOSE_TARGET_SECONDS} s")
    if ratio > RATIO_TARGET:
        failures.append(f"khozraschet close: {ratio:.1f} × the bare aggregates > {RATIO_TARGET}")
    if repeat.written:
        failures.append(f"khozraschet close again wrote {repeat.written} results")
    if client is not None:
        for name, url in result_pages(enterprise, period).items():
            seconds, queries, status, p95 = _page(client, url)
            counts[name] = queries
            rows.append((f"{label}{name}", seconds, queries, status, p95))
            if status != 200:
                failures.append(f"{name}: HTTP {status}")
            if seconds > PAGE_TARGET_SECONDS:
                failures.append(f"{name}: {seconds:.3f} s > {PAGE_TARGET_SECONDS} s")
    return counts


def _setup_database() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        folder = tempfile.mkdtemp(prefix="khz-bench-")
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
    workers = int(argv[0]) if argv else 7000
    url = _setup_database()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from enterprise.generate import generate_plant

    print(f"database: {url.split('@')[-1]}")
    rows, failures = [], []
    started = time.perf_counter()
    enterprise = generate_plant(workers=workers, months=3, seed=1)
    rows.append(
        (f"generate_plant --workers {workers} --months 3", time.perf_counter() - started, "", "")
    )
    user = get_user_model().objects.create_superuser("bench-khz", password="x")
    client = Client()
    client.force_login(user)
    bench_close(enterprise, rows, failures, client=client)
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'seconds':>8}  {'queries':>7}  status")
    for name, seconds, queries, status, *_p95 in rows:
        shown = f"{seconds:8.3f}" if seconds else " " * 8
        print(f"{name:<{width}}  {shown}  {queries!s:>7}  {status}")
    if failures:
        print("\nMISSED TARGETS:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
