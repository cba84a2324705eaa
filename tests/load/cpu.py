"""CPU per page, in process: where ``make load``'s CPU per request goes, page by page.

``make load`` measures the whole server under a shift's load; this measures each page of its
mix alone, in one process, as the role that reads it: the Python CPU time of the request
(``time.process_time``: not the wall time, so another process on the machine changes it
little), the SQL queries it makes, and the time PostgreSQL spent answering them (the wall
time inside the cursor calls). It runs against the load test's database (``make load``
makes it once) in production settings (DEBUG off, cached templates), through Django's test
client (no HTTP, no gunicorn: the same view, middleware and templates).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khozraschet_load \\
        .venv/bin/python tests/load/cpu.py [--repeat 10] [--only home,board]

Prints, per page, the median CPU ms, the queries and the database ms, and the mean over the
mix weighted as locust's users read (``WEIGHTS``). It writes nothing but the sessions of the
logins it uses.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECRET_KEY", "cpu-measure-only-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("TRUSTED_PROXY_COUNT", "0")

# (page, role kind, URL template, weight in locust's mix: the tasks' weights × the users').
PAGES = (
    ("home (worker)", "worker", "/", 18),
    ("plan (worker)", "worker", "/planning/plans/{plan}/", 12),
    ("board (worker)", "worker", "/planning/board/{shop}/", 6),
    ("home (leader)", "leader", "/", 12),
    ("distributions (leader)", "leader", "/brigades/distributions/", 12),
    ("distribution (leader)", "leader", "/brigades/distributions/{draft}/", 18),
    ("brigades (leader)", "leader", "/brigades/", 6),
    ("home (master)", "master", "/", 36),
    ("workers (master)", "master", "/workers/", 24),
    ("brigades (master)", "master", "/brigades/", 12),
    ("distributions (master)", "master", "/brigades/distributions/", 12),
    ("distribution (master)", "master", "/brigades/distributions/{draft}/", 24),
    ("plans (master)", "master", "/planning/", 24),
    ("plan (master)", "master", "/planning/plans/{signed}/", 24),
    ("claims (master)", "master", "/claims/", 12),
    ("claim form (master)", "master", "/claims/new/", 12),
    ("inbox (master)", "master", "/claims/inbox/?box=to_answer", 24),
    ("home (economist)", "economist", "/", 12),
    ("bonuses (economist)", "economist", "/planning/bonuses/", 12),
    ("board (economist)", "economist", "/planning/board/{shop}/", 12),
    ("plans (economist)", "economist", "/planning/", 6),
    ("statement (economist)", "economist", "/claims/statement/?period={period}", 6),
    ("home (shop head)", "shop_head", "/", 18),
    ("board (shop head)", "shop_head", "/planning/board/{shop}/", 12),
    ("bonuses (shop head)", "shop_head", "/planning/bonuses/", 6),
    ("inbox (shop head)", "shop_head", "/claims/inbox/", 6),
    ("home (dispatcher)", "dispatcher", "/", 12),
    ("claims (dispatcher)", "dispatcher", "/claims/", 12),
    ("workers (dispatcher)", "dispatcher", "/workers/", 6),
    ("home (production head)", "prodhead", "/", 6),
    ("board (production head)", "prodhead", "/planning/board/{shops0}/", 6),
    ("inbox (production head)", "prodhead", "/claims/inbox/", 3),
    ("statement (production head)", "prodhead", "/claims/statement/?period={period}", 3),
    ("workers (labour)", "labour", "/workers/", 3),
    ("distributions (labour)", "labour", "/brigades/distributions/", 3),
    ("bonuses (labour)", "labour", "/planning/bonuses/?shop={shops0}", 3),
    # The floors of every page (tests/bench/bench_urls.py), outside the mix (weight 0): the
    # middleware, the session and the user; and the base template with its menus.
    ("empty (master)", "master", "/__bench__/empty/", 0),
    ("base (master)", "master", "/__bench__/base/", 0),
    ("empty (worker)", "worker", "/__bench__/empty/", 0),
    ("base (worker)", "worker", "/__bench__/base/", 0),
)


def _url(template: str, account: dict, pool: dict) -> str | None:
    values = {"period": pool["period"], **account}
    for key in ("plan", "draft", "signed", "shops0"):
        if key == "shops0":
            values[key] = (account.get("shops") or [None])[0]
        elif isinstance(account.get(f"{key}s"), list):  # drafts → draft
            values[key] = (account.get(f"{key}s") or [None])[0]
        elif isinstance(account.get(key), list):
            values[key] = (account.get(key) or [None])[0]
    try:
        url = template.format(**values)
    except KeyError:
        return None
    return None if "None" in url else url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--only", default="", help="comma-separated words a page must contain")
    parser.add_argument("--profile", default="", help="write a cProfile of the pages here")
    parser.add_argument(
        "--queries", type=int, default=0, help="print each page's N slowest queries (median ms)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from prepare import prepare

    # Production settings serve static files through the manifest (as gunicorn in make load).
    call_command("collectstatic", interactive=False, verbosity=0)
    # The application's URLs and the two minimal views beside them (the floors above).
    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    settings.ROOT_URLCONF = "bench_urls"
    pool = prepare(workers=int(os.environ.get("LOAD_WORKERS", "7000")))
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()

    database_ms = 0.0
    per_query: dict[str, list[float]] = {}  # SQL → its times on this page, ms

    def timed(execute, sql, params, many, context):
        nonlocal database_ms
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = (time.perf_counter() - started) * 1000
            database_ms += spent
            per_query.setdefault(sql, []).append(spent)

    rows = []
    for name, kind, template, weight in PAGES:
        if wanted and not any(w in name for w in wanted):
            continue
        accounts = pool["pool"].get(kind) or []
        if not accounts:
            continue
        account = accounts[0]
        url = _url(template, account, pool)
        if url is None:
            print(f"  {name}: no document for {kind} — skipped", flush=True)
            continue
        client = Client()
        client.cookies["sessionid"] = account["session"]
        response = client.get(url)  # warm: templates, caches, the connection
        if response.status_code != 200:
            print(f"  {name}: {url} answered {response.status_code} — skipped", flush=True)
            continue
        cpu, queries, db = [], [], []
        per_query.clear()
        for _ in range(args.repeat):
            database_ms = 0.0
            with connection.execute_wrapper(timed), CaptureQueriesContext(connection) as captured:
                if profiler:
                    profiler.enable()
                started = time.process_time()
                client.get(url)
                cpu.append((time.process_time() - started) * 1000)
                if profiler:
                    profiler.disable()
            queries.append(len(captured.captured_queries))
            db.append(database_ms)
        row = (name, url, statistics.median(cpu), max(queries), statistics.median(db), weight)
        rows.append(row)
        print(
            f"{name:32} {statistics.median(cpu):8.1f} ms CPU {max(queries):5} q "
            f"{statistics.median(db):7.1f} ms db   {url}",
            flush=True,
        )
        slowest = sorted(per_query.items(), key=lambda item: -statistics.median(item[1]))
        for sql, times in slowest[: args.queries]:
            print(f"    {statistics.median(times):6.1f} ms  {sql[:160]}")
    total = sum(r[5] for r in rows)
    if total:  # none when only the floors (weight 0) were measured
        mean_cpu = sum(r[2] * r[5] for r in rows) / total
        mean_q = sum(r[3] * r[5] for r in rows) / total
        mean_db = sum(r[4] * r[5] for r in rows) / total
        print(
            f"{'weighted mean (the load mix)':32} {mean_cpu:8.1f} ms CPU {mean_q:5.0f} q "
            f"{mean_db:7.1f} ms db"
        )
    if profiler:
        profiler.dump_stats(args.profile)
        print(f"profile: {args.profile}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
