"""Benchmarks of the platform at plant scale: ``make bench``.

Builds the plant-scale data set (3,500 and 7,000 workers, 24 months) in a fresh database — an
SQLite file by default, or the PostgreSQL database named by ``BENCH_DATABASE_URL`` —
then measures the generator and the list and detail pages: wall time (median of
several requests) and the number of SQL queries. Prints a table; exits non-zero if a
target is missed. Targets: a page answers in under 0.5 s, and its query count does
not depend on the number of rows (compared with a plant half the size).

Brigades: the month's distribution of every brigade of the plant (~400 at 7,000
workers) — once one draft at a time through ``brigades.services.distribution_compute``
(its queries per brigade must not grow with the brigade's size) and once in a batch
(``brigades.generate.distribute_month``, target ≤ 10 s) — and the brigade pages, when
the brigades app has its views.

Section self-financing (``bench_khozraschet``): the monthly close of the whole plant
(target ≤ 20 s and ≤ 3 × the bare SQL aggregates over the rows it reads, both printed),
the same close again (idempotent: nothing written), and the section's, shop's and plant's
result pages (< 0.15 s); their query counts must not grow with the plant.

The pages a plant uses all day — the competition board, the dispatcher's Р − Г board of
five-day ranks, a section's shift task with the most lines, a shop's bonus proposals (the
month, the quarter) and the claims statement of a month of 5,000 claims — answer in under
0.15 s; recording the stubs of that shift task in one request, in under 0.3 s; the
export of the whole plant's workers to XLSX in under 1 s.

With ``BENCH_DATABASE_URL`` (a PostgreSQL database) the whole run is made twice, on an
SQLite file and on that database, each in a process of its own; both tables are printed,
and the exit status is non-zero when either missed a target.

One report (``tests/bench/report.py``) gathers the run: Markdown and JSON under
``bench-report/`` (not in git; the path is printed), with the machine it ran on (CPU,
cores, RAM, Python, SQLite and PostgreSQL versions, the load average at the start), every
page's median and 95th percentile and queries at ½× and 1× scale (``BENCH_SCALES``,
default 3,500 and 7,000 workers; ``BENCH_REPEAT`` requests a page, default 10) on both
databases side by side, beside two minimal views of the same stack (``bench_urls.py``),
and every other measure beside its counterpart on the other database. ``BENCH_PRINTING=0``
leaves out the printing of the plant's sheets (minutes on each database).

Plan sheets (``bench_planning``): WeasyPrint's raw rate for the sheet template (beside
wkhtmltopdf's on the same HTML), one worker's sheet through its view (target < 0.5 s),
and the whole plant's sheets printed by two ``db_worker`` processes (aim ≥ 0.8 × raw
rate × 2), with the workers' peak memory.
"""

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402  (tests/bench/report.py: the one report of a run)

PAGE_TARGET_SECONDS = 0.5
FAST_PAGE_TARGET_SECONDS = 0.15
FAST_PAGES = (
    "competition board",
    "R - G board (five-day ranks)",
    "shift task (the largest)",
    "bonus proposals (a shop, the month)",
    "bonus proposals (a shop, the quarter)",
)
EXPORT_TARGET_SECONDS = 1.0
DISTRIBUTE_TARGET_SECONDS = 10.0
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
# The plant at ½× and 1× scale (workers): pages and the close are measured at both, the
# distribution, netting and printing at the largest.
SCALES = tuple(int(n) for n in os.environ.get("BENCH_SCALES", "3500,7000").split(","))
SHIFT_OUTPUT_TARGET_SECONDS = 0.3


def _setup_database() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")  # empty: an SQLite file
    if not url:
        folder = tempfile.mkdtemp(prefix="khz-bench-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)  # ~50–600 MB of plant
        url = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def _measure(client, url: str) -> tuple[float, int, int, float]:
    """Median seconds, queries, status and the 95th percentile of REPEAT requests (after one
    unmeasured request that warms the caches, as a server's first request does)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the query log keeps 9,000 entries: a full one counts nothing
    client.get(url, HTTP_HOST="localhost")
    timings = []
    queries = 0
    status = 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST="localhost")
            timings.append(time.perf_counter() - started)
        queries = len(captured)
        status = response.status_code
    return statistics.median(timings), queries, status, report.percentile(timings, 0.95)


def _plant_client(enterprise_pk: int):
    """A test client whose pages work in one plant: the superuser sees both plants of the
    run, and a page that works in one enterprise answers 404 without the choice."""
    from django.test import Client

    class PlantClient(Client):
        def get(self, path, *args, **kwargs):
            separator = "&" if "?" in path else "?"
            return super().get(f"{path}{separator}enterprise={enterprise_pk}", *args, **kwargs)

    return PlantClient()


def _minimal_views() -> dict[str, str]:
    """A minimal Django view on the same stack (middleware, session, login), as the floor
    every page's time stands on: an empty response, and the base template with the menus."""
    from django.conf import settings
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()
    return {
        "minimal view (HttpResponse)": "/__bench__/empty/",
        "minimal page (base.html)": "/__bench__/base/",
    }


def _brigade_pages(enterprise) -> dict[str, str]:
    """The brigade list and the sheet of the largest brigade's latest month ({} without views)."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from brigades.models import Distribution

    try:
        import brigades.views  # noqa: F401

        brigade_list = reverse("brigades:brigade_list")
    except (ImportError, NoReverseMatch) as exc:
        print(f"note: brigade pages skipped (views not importable yet: {exc})")
        return {}
    document = (
        Distribution.objects.filter(enterprise=enterprise, corrects=None)
        .annotate(size=Count("lines"))
        .order_by("-period__year", "-period__month", "-size", "pk")
        .first()
    )
    pages = {"brigades": brigade_list}
    if document is not None:
        pages["distribution (largest brigade)"] = reverse(
            "brigades:distribution_detail", args=[document.pk]
        )
    return pages


def _planning_pages(enterprise) -> dict[str, str]:
    """Personal plans: the lists, the section's check, a plan, tracking, board, measures."""
    from django.db.models import Count
    from django.urls import reverse

    from enterprise.models import Period, Section
    from planning.models import PersonalPlan

    section = (
        Section.objects.filter(shop__enterprise=enterprise)
        .annotate(size=Count("workers"))
        .order_by("-size", "pk")
        .first()
    )
    plan = PersonalPlan.objects.filter(worker__section=section).order_by("-year", "pk").first()
    period = Period.objects.filter(enterprise=enterprise).order_by("-year", "-month").first()
    if plan is None or period is None:
        return {}
    return {
        "personal plans": reverse("planning:plan_list"),
        "plans vs section tasks": reverse("planning:plan_checks"),
        "section's plans (largest)": reverse("planning:section_plans", args=[section.pk]),
        "personal plan": reverse("planning:plan_detail", args=[plan.pk]),
        "output entry (largest section)": reverse(
            "planning:output_entry", args=[section.pk, period.pk]
        ),
        "competition board": reverse("planning:board", args=[section.shop_id]),
        "bonus proposals (a shop, the month)": reverse("planning:bonuses"),
        "bonus proposals (a shop, the quarter)": reverse("planning:bonuses") + "?kind=quarterly",
        "measures": reverse("planning:measure_list"),
        "measures by growth factor": reverse("planning:measure_summary"),
        **_operational_pages(enterprise),
        **_shift_pages(enterprise),
    }


def _largest_task(enterprise):
    from django.db.models import Count

    from planning.operational.models import ShiftTask

    return (
        ShiftTask.objects.filter(enterprise=enterprise)
        .annotate(lines=Count("items"))
        .order_by("-lines", "-date", "pk")
        .first()
    )


def _shift_pages(enterprise) -> dict[str, str]:
    """Shift tasks: the task with the most lines (target < 0.15 s), its section's month."""
    from django.urls import reverse

    from enterprise.models import Period

    task = _largest_task(enterprise)
    if task is None:
        return {}
    period = Period.objects.get(enterprise=enterprise, year=task.date.year, month=task.date.month)
    return {
        "shift task (the largest)": reverse("planning:shift_task", args=[task.pk]),
        "shift tasks of a section's month": reverse(
            "planning:shift_month", args=[task.section_id, period.pk]
        ),
    }


def _shift_output(enterprise, client, rows, failures) -> None:
    """Recording the largest task's stubs in one request (target < 0.3 s): each run
    changes every line (one more piece), so each writes and derives everything."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from enterprise.plausibility import CONFIRM_FIELD
    from planning.operational.models import ShiftTaskItem
    from planning.operational.shifts import services
    from planning.operational.shifts.forms import OutputForm

    task = _largest_task(enterprise)
    if task is None:
        return
    url = reverse("planning:shift_output", args=[task.pk])
    timings, queries, status = [], 0, None
    for _run in range(REPEAT):
        # The form as the page draws it (field names and version), from the stored stubs.
        items = list(ShiftTaskItem.objects.filter(task=task).prefetch_related("outputs"))
        outputs = [output for item in items for output in item.outputs.all()]
        # Confirmed: a line of a long operation (a few pieces a shift) passes twice the
        # norm after a run or two of one more piece — asked, and then nothing is written.
        data = {"grid-version": services.output_version(outputs), CONFIRM_FIELD: "1"}
        for item in items:
            stored = next(iter(item.outputs.all()), None)
            made = (stored.quantity if stored else item.quantity) + 1
            data[OutputForm.name(item, "quantity")] = str(made)
            data[OutputForm.name(item, "hours")] = "8"
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, data, HTTP_HOST="localhost")
            timings.append(time.perf_counter() - started)
        queries, status = len(captured), response.status_code
    seconds = statistics.median(timings)
    name = f"record a shift's output ({len(items)} lines, one request)"
    rows.append((name, seconds, queries, status))
    if status != 302:
        failures.append(f"{name}: HTTP {status}")
    if seconds > SHIFT_OUTPUT_TARGET_SECONDS:
        failures.append(f"{name}: {seconds:.3f} s > {SHIFT_OUTPUT_TARGET_SECONDS} s")


def _operational_pages(enterprise) -> dict[str, str]:
    """Operational scheduling: the dispatcher's Р − Г board (target < 0.15 s), the
    proportionality file and the capacity of the shop with the most parts."""
    from django.db.models import Count
    from django.urls import reverse

    from enterprise.models import Shop

    shop = (
        Shop.objects.filter(enterprise=enterprise)
        .annotate(parts=Count("assembled_parts"))
        .order_by("-parts", "pk")
        .first()
    )
    machining = (
        Shop.objects.filter(enterprise=enterprise)
        .annotate(groups=Count("equipment_groups"))
        .order_by("-groups", "pk")
        .first()
    )
    if shop is None or not shop.parts:
        return {}
    return {
        "R - G board (five-day ranks)": reverse("planning:rhythm_board")
        + f"?enterprise={enterprise.pk}",
        "proportionality file (an assembly shop)": reverse("planning:kits", args=[shop.pk]),
        "capacity (a machining shop)": reverse("planning:capacity", args=[machining.pk]),
        "parts and routes": reverse("planning:part_list"),
    }


def _distribute(enterprise, rows, failures) -> None:
    """Distribute the latest month of every brigade: one draft at a time, then in a batch."""
    from collections import defaultdict

    from django.db import connection, reset_queries
    from django.db.models import Count, F
    from django.test.utils import CaptureQueriesContext

    from brigades.generate import distribute_month
    from brigades.models import Distribution
    from brigades.services import distribution_compute
    from enterprise.models import Period
    from enterprise.tracking import acting_as

    period = Period.objects.filter(enterprise=enterprise).order_by("-year", "-month").first()
    drafts = Distribution.objects.filter(
        enterprise=enterprise, period=period, status=Distribution.Status.DRAFT
    )
    with acting_as(None, "bench"):
        # new earnings for every draft, so that every line's share changes
        drafts.update(piecework=F("piecework") + 10)
        documents = list(
            drafts.select_related("period", "enterprise", "brigade").annotate(size=Count("lines"))
        )
        if not documents:  # a plant too small for brigades (BENCH_SCALES of a few hundred)
            print(f"note: no draft distributions in {period}: distribution not measured")
            return
        per_size: dict[int, set[int]] = defaultdict(set)
        total_queries = 0
        started, cpu = time.perf_counter(), time.process_time()
        for document in documents:
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                distribution_compute(document)
            per_size[document.size].add(len(captured))
            total_queries += len(captured)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        sizes = sorted(per_size)
        small, large = per_size[sizes[0]], per_size[sizes[-1]]
        rows.append(
            (
                f"distribute {len(documents)} brigades one by one (distribution_compute), "
                f"cpu {cpu:.1f} s",
                took,
                total_queries,
                "",
            )
        )
        rows.append(
            (
                f"  queries per brigade: {sorted(small)} with {sizes[0]} members, "
                f"{sorted(large)} with {sizes[-1]}",
                0.0,
                "",
                "",
            )
        )
        if max(large) > max(small):
            failures.append(
                f"distribution_compute: queries grow with members {dict(sorted(per_size.items()))}"
            )
        if took > DISTRIBUTE_TARGET_SECONDS:
            print(
                f"note: one draft at a time takes {took:.1f} s for {len(documents)} brigades "
                f"(> {DISTRIBUTE_TARGET_SECONDS:.0f} s); the batch below is the measured target"
            )

        drafts.update(piecework=F("piecework") + 10)
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started, cpu = time.perf_counter(), time.process_time()
            count = distribute_month(enterprise, period)
            took, cpu = time.perf_counter() - started, time.process_time() - cpu
        rows.append(
            (
                f"distribute {count} brigades in a batch (distribute_month), cpu {cpu:.1f} s",
                took,
                len(captured),
                "",
            )
        )
        if took > DISTRIBUTE_TARGET_SECONDS:
            failures.append(f"distribute_month: {took:.1f} s > {DISTRIBUTE_TARGET_SECONDS} s")


def _netting(enterprise, client, rows, failures, workers) -> None:
    """A month of 5,000 decided claims netted for the whole plant (claims issue: < 2 s)."""
    from bench_claims import bench_netting

    from enterprise.models import Period
    from enterprise.tracking import acting_as

    period = (
        Period.objects.filter(enterprise=enterprise, status=Period.Status.OPEN)
        .order_by("-year", "-month")
        .first()
    )
    with acting_as(None, "bench"):
        figures = bench_netting(enterprise, period, 5000)
    rows.append(
        (
            f"net {figures['claims']} claims of a month ({figures['pairs']} pairs, "
            f"{figures['units']} units), median of runs",
            figures["seconds"],
            figures["queries"],
            "",
        )
    )
    if not figures["ok"]:
        failures.append(f"netting: {figures['seconds']:.2f} s > {figures['target_seconds']} s")
    url = f"/claims/statement/?period={period.pk}"
    seconds, queries, status, p95 = _measure(client, url)
    rows.append((f"[{workers}] claims statement page, 5,000 claims", seconds, queries, status, p95))
    if status != 200:
        failures.append(f"statement page: HTTP {status}")
    if seconds > FAST_PAGE_TARGET_SECONDS:
        failures.append(f"statement page: {seconds:.3f} s > {FAST_PAGE_TARGET_SECONDS} s")


def _printing(enterprise, rows, failures) -> None:
    """The plant's plan sheets: WeasyPrint's raw rate, one sheet through the view, and the
    whole plant through the background pipeline with two db_worker processes."""
    from bench_planning import bench_printing

    bench_printing(enterprise, rows, failures)


def _khozraschet(enterprise, client, rows, failures, workers) -> dict[str, int]:
    """The monthly close of self-financing and its result pages (bench_khozraschet)."""
    from bench_khozraschet import bench_close

    return bench_close(enterprise, rows, failures, client=client, label=f"[{workers}] ")


def main() -> int:
    """One database's run; its rows reach the report even when a step fails midway."""
    rows: list[tuple] = []
    failures: list[str] = []
    try:
        return _run(rows, failures)
    except Exception as exc:
        failures.append(f"stopped by {type(exc).__name__}: {exc}")
        report.save_rows(rows, failures)
        raise


def _run(rows: list, failures: list) -> int:
    url = _setup_database()
    from django.contrib.auth import get_user_model

    from enterprise.generate import generate_plant
    from enterprise.models import Period, Section, Shop, Worker

    print(f"database: {url.split('@')[-1]}")
    query_counts: dict[str, list[int]] = {}
    minimal = _minimal_views()
    for workers in sorted(SCALES):
        # the full plant is seed 1, the data set of `make load` and the issues' figures
        seed = 1 if workers == max(SCALES) else 2 + sorted(SCALES).index(workers)
        started = time.perf_counter()
        enterprise = generate_plant(workers=workers, months=24, seed=seed)
        took = time.perf_counter() - started
        rows.append((f"generate_plant --workers {workers} --months 24", took, "", ""))
        user = get_user_model().objects.create_superuser(f"bench-{seed}", password="x")
        client = _plant_client(enterprise.pk)
        client.force_login(user)
        shop = Shop.objects.filter(enterprise=enterprise).first()
        section = Section.objects.filter(shop__enterprise=enterprise).first()
        worker = Worker.objects.filter(enterprise=enterprise).first()
        period = Period.objects.filter(enterprise=enterprise).first()
        pages = {
            **minimal,
            "home": "/",
            "shops": "/shops/",
            "sections": "/sections/",
            "workers": "/workers/",
            "workers sorted by grade": "/workers/?sort=-grade",
            "workers filtered": "/workers/?grade=4&q=а",
            "workers page 10": "/workers/?page=10",
            "periods": "/periods/",
            "tariff grid": "/tariffs/",
            "shop": f"/shops/{shop.pk}/",
            "section": f"/sections/{section.pk}/",
            "worker": f"/workers/{worker.pk}/",
            "period": f"/periods/{period.pk}/",
            **_brigade_pages(enterprise),
            **_planning_pages(enterprise),
        }
        for name, page in pages.items():
            seconds, queries, status, p95 = _measure(client, page)
            query_counts.setdefault(name, []).append(queries)
            rows.append((f"[{workers}] {name}", seconds, queries, status, p95))
            if status != 200:
                failures.append(f"{name}: HTTP {status}")
            target = FAST_PAGE_TARGET_SECONDS if name in FAST_PAGES else PAGE_TARGET_SECONDS
            if workers == max(SCALES) and seconds > target:
                failures.append(f"{name}: {seconds:.3f} s > {target} s")
        started = time.perf_counter()
        response = client.get("/workers/?_export=xlsx", HTTP_HOST="localhost")
        took = time.perf_counter() - started
        rows.append((f"[{workers}] export all workers to XLSX", took, "", response.status_code))
        if response.status_code != 200:
            failures.append(f"export: HTTP {response.status_code}")
        if workers == max(SCALES) and took > EXPORT_TARGET_SECONDS:
            failures.append(f"export all workers: {took:.3f} s > {EXPORT_TARGET_SECONDS} s")
        for name, queries in _khozraschet(enterprise, client, rows, failures, workers).items():
            query_counts.setdefault(name, []).append(queries)
        if workers == max(SCALES):
            _shift_output(enterprise, client, rows, failures)
            _distribute(enterprise, rows, failures)
            _netting(enterprise, client, rows, failures, workers)
            if os.environ.get("BENCH_PRINTING", "1") != "0":  # 0: the sheets are not printed
                _printing(enterprise, rows, failures)
    for name, counts in query_counts.items():
        if len(set(counts)) != 1:
            failures.append(f"{name}: queries grow with rows {counts}")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'seconds':>8}  {'p95':>8}  {'queries':>7}  status")
    for name, seconds, queries, status, *p95 in rows:
        shown = f"{seconds:8.3f}" if seconds else " " * 8
        tail = f"{p95[0]:8.3f}" if p95 else " " * 8
        print(f"{name:<{width}}  {shown}  {tail}  {queries!s:>7}  {status}")
    report.save_rows(rows, failures)
    if failures:
        print("\nMISSED TARGETS:\n  " + "\n  ".join(failures))
        return 1
    print(f"\nall pages under {PAGE_TARGET_SECONDS} s; query counts independent of rows")
    return 0


def both() -> int:
    """``make bench``: the run on an SQLite file, and on ``BENCH_DATABASE_URL`` when given
    (each in a process of its own: one process sets Django up for one database)."""
    if os.environ.get("BENCH_CHILD"):
        return main()
    databases = [("SQLite", "")]
    if os.environ.get("BENCH_DATABASE_URL"):
        databases.append(("PostgreSQL", os.environ["BENCH_DATABASE_URL"]))
    machine = report.machine(os.environ.get("BENCH_DATABASE_URL", ""))
    results = []
    runs = {}
    for label, url in databases:
        print(f"\n=== {label} ===", flush=True)
        out = Path(tempfile.mkdtemp(prefix="khz-bench-")) / "rows.json"
        env = {**os.environ, "BENCH_CHILD": "1", "BENCH_DATABASE_URL": url, "BENCH_ROWS": str(out)}
        results.append((label, subprocess.run([sys.executable, __file__], env=env).returncode))
        runs[label] = report.load_rows(out)
        shutil.rmtree(out.parent, ignore_errors=True)
    print(
        "\n" + "; ".join(f"{label}: {'ok' if code == 0 else 'MISSED'}" for label, code in results)
    )
    path = report.write(machine, runs, SCALES, ROOT / "bench-report")
    print(f"report: {path} (and {path.with_suffix('.json').name})")
    return max(code for _label, code in results)


if __name__ == "__main__":
    sys.exit(both())
