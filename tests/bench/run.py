"""Benchmarks of the platform at plant scale: ``make bench``.

Builds the plant-scale data set (7,000 workers, 24 months) in a fresh database — an
SQLite file by default, or the PostgreSQL database named by ``BENCH_DATABASE_URL`` —
then measures the generator and the list and detail pages: wall time (median of
several requests) and the number of SQL queries. Prints a table; exits non-zero if a
target is missed. Targets: a page answers in under 0.5 s, and its query count does
not depend on the number of rows (compared with a plant a tenth of the size).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PAGE_TARGET_SECONDS = 0.5
REPEAT = 5


def _setup_database() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='khz-bench-')}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def _measure(client, url: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

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
    return statistics.median(timings), queries, status


def main() -> int:
    url = _setup_database()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from enterprise.generate import generate_plant
    from enterprise.models import Period, Section, Shop, Worker

    print(f"database: {url.split('@')[-1]}")
    rows = []
    failures = []
    query_counts: dict[str, list[int]] = {}
    for workers, seed in ((700, 2), (7000, 1)):
        started = time.perf_counter()
        enterprise = generate_plant(workers=workers, months=24, seed=seed)
        took = time.perf_counter() - started
        rows.append((f"generate_plant --workers {workers} --months 24", took, "", ""))
        user = get_user_model().objects.create_superuser(f"bench-{seed}", password="x")
        client = Client()
        client.force_login(user)
        shop = Shop.objects.filter(enterprise=enterprise).first()
        section = Section.objects.filter(shop__enterprise=enterprise).first()
        worker = Worker.objects.filter(enterprise=enterprise).first()
        period = Period.objects.filter(enterprise=enterprise).first()
        pages = {
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
        }
        for name, page in pages.items():
            seconds, queries, status = _measure(client, page)
            query_counts.setdefault(name, []).append(queries)
            rows.append((f"[{workers}] {name}", seconds, queries, status))
            if status != 200:
                failures.append(f"{name}: HTTP {status}")
            if workers == 7000 and seconds > PAGE_TARGET_SECONDS:
                failures.append(f"{name}: {seconds:.3f} s > {PAGE_TARGET_SECONDS} s")
        started = time.perf_counter()
        response = client.get("/workers/?_export=xlsx", HTTP_HOST="localhost")
        rows.append(
            (f"[{workers}] export all workers to XLSX", time.perf_counter() - started, "", "")
        )
        if response.status_code != 200:
            failures.append(f"export: HTTP {response.status_code}")
    for name, counts in query_counts.items():
        if len(set(counts)) != 1:
            failures.append(f"{name}: queries grow with rows {counts}")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'seconds':>8}  {'queries':>7}  status")
    for name, seconds, queries, status in rows:
        print(f"{name:<{width}}  {seconds:8.3f}  {queries!s:>7}  {status}")
    if failures:
        print("\nMISSED TARGETS:\n  " + "\n  ".join(failures))
        return 1
    print(f"\nall pages under {PAGE_TARGET_SECONDS} s; query counts independent of rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
