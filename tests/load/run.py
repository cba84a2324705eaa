"""``make load``: a shift's load on gunicorn + PostgreSQL, measured, on this machine.

1. The database ``LOAD_DATABASE_URL`` (default: ``khozraschet_load`` on the local
   PostgreSQL) is created when missing, migrated, and given the plant-scale data set and its
   users (``tests/load/prepare.py``); a later run reuses them.
2. gunicorn serves the application in production settings (DEBUG off, WhiteNoise, the
   connection pool) on a free loopback port, with the settings ``LOAD_GUNICORN`` names
   (default: the ones the README recommends).
   ``LOAD_ROLES`` limits the users to some of the locustfile's classes (``Master Leader``).
   ``LOAD_PROFILE=1`` samples gunicorn's workers with py-spy meanwhile and prints the ten
   functions where their CPU goes (on the stack, and at its top), in ms per request.
3. locust, headless, runs ``USERS`` simulated users (default 50) for ``DURATION`` (default
   60s) from ``tests/load/locustfile.py``; it stops by itself, and this script stops gunicorn.
4. While it runs, the CPU of gunicorn's processes, of the PostgreSQL backends of this
   database, of locust and of everything else on the machine is sampled from /proc (psutil).

Prints p50/p95/p99 per page and overall (after the logins), the requests per second, the
errors by kind, and the CPU split; writes the same as JSON and Markdown under
``bench-report/`` (not in git) and prints the path.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
REPORT_DIR = ROOT / "bench-report"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/khozraschet_load"
# The README's recommendation (measured by this script, see its section «Нагрузка»).
RECOMMENDED = "--workers 4 --worker-class gthread --threads 4 --keep-alive 75"
PRODUCTION_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "false",
    "TRUSTED_PROXY_COUNT": "0",
}


def _seconds(text: str) -> int:
    """``60``, ``60s``, ``2m`` → seconds."""
    text = text.strip().lower()
    if text.endswith("m"):
        return int(float(text[:-1]) * 60)
    return int(float(text.rstrip("s")))


def _pooled(url: str) -> str:
    return url if "pool=" in url else url + ("&" if "?" in url else "?") + "pool=true"


def _ensure_database(url: str) -> None:
    """CREATE DATABASE when the server has no database of that name."""
    import psycopg
    from psycopg import sql

    base, _, name = url.split("?")[0].rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        if connection.execute(query, [name]).fetchone() is None:
            print(f"load: creating database {name}", flush=True)
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _prepare(url: str, pool_file: Path, secret: str) -> dict:
    """Migrate, generate (once) and give the plant its logins and their sessions, in a
    process of its own (with the server's secret key: a session's hash is made with it)."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secret,
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    code = (
        "import json, sys; sys.path.insert(0, 'tests/load'); import django; django.setup(); "
        "from prepare import prepare; "
        f"data = prepare(workers=int({os.environ.get('LOAD_WORKERS', '7000')!r})); "
        f"open({str(pool_file)!r}, 'w', encoding='utf-8').write(json.dumps(data))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    return json.loads(pool_file.read_text(encoding="utf-8"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("load: gunicorn did not answer in time")


def _wait_settled(server_pid: int, timeout: float = 60) -> None:
    """Wait until gunicorn's workers have all started and gone quiet: the first answer comes
    from the first worker ready, while the others may still be importing the project and
    warming their PDF engine (``gunicorn.conf.py``), a few CPU seconds that are the server's
    start, not its requests' cost."""
    server = psutil.Process(server_pid)

    def used() -> float:
        total = 0.0
        for process in server.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                times = process.cpu_times()
                total += times.user + times.system
        return total

    deadline = time.monotonic() + timeout
    before = used()
    while time.monotonic() < deadline:
        time.sleep(1)
        now = used()
        if now - before < 0.05:
            return
        before = now


class CpuSampler:
    """CPU seconds of process groups between two samples, from /proc (psutil)."""

    def __init__(self, gunicorn_pid: int, database: str, url: str):
        self.gunicorn = psutil.Process(gunicorn_pid)
        self.database = database
        self.url = url
        self.seen: dict[int, float] = {}  # pid → cpu seconds at the first sample
        self.last: dict[int, float] = {}
        self.group: dict[int, str] = {}

    def _backends(self) -> list[int]:
        import psycopg

        base = self.url.split("?")[0].rpartition("/")[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
            ).fetchall()
        return [pid for (pid,) in rows]

    def sample(self, locust_pid: int | None) -> None:
        groups = {"gunicorn": [self.gunicorn, *self.gunicorn.children(recursive=True)]}
        groups["postgresql"] = []
        for pid in self._backends():
            with contextlib.suppress(psutil.NoSuchProcess):
                groups["postgresql"].append(psutil.Process(pid))
        if locust_pid:
            with contextlib.suppress(psutil.NoSuchProcess):
                groups["locust"] = [psutil.Process(locust_pid)]
        for name, processes in groups.items():
            for process in processes:
                try:
                    times = process.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                used = times.user + times.system
                self.seen.setdefault(process.pid, used)
                self.last[process.pid] = used
                self.group[process.pid] = name

    def totals(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for pid, used in self.last.items():
            name = self.group[pid]
            totals[name] = totals.get(name, 0.0) + used - self.seen[pid]
        return totals


def _profiler(server_pid: int, seconds: int, out: Path) -> subprocess.Popen | None:
    """py-spy sampling gunicorn's workers for the run (``LOAD_PROFILE=1``), or None."""
    if not os.environ.get("LOAD_PROFILE"):
        return None
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return subprocess.Popen(
        [spy, "record", "--pid", str(server_pid), "--subprocesses", "--nonblocking",
         "--rate", "100", "--format", "raw", "--output", str(out), "--duration", str(seconds)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


PROFILE_TITLES = {
    "libraries": "by library (the innermost frame's)",
    "self": "functions, self (at the top of the stack)",
    "inclusive": "the application's functions, with what they call",
}
FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def _frame(raw: str) -> str:
    """``render (django/template/base.py:1005)`` → ``render (django/template/base.py)``, the
    file shortened to its package path."""
    found = FRAME.match(raw.strip())
    if not found:
        return raw.strip()
    path = found.group("file")
    for marker in ("site-packages/", "/lib/python3.13/", str(ROOT) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{found.group('function')} ({path})"


APPS = ("enterprise/", "brigades/", "claims/", "planning/", "khozraschet/", "config/")
LIBRARIES = (
    ("psycopg", "database driver (psycopg)"),
    ("django/db/", "Django ORM"),
    ("django/template/", "Django templates"),
    ("django_tables2/", "django-tables2"),
    ("crispy", "crispy forms"),
    ("django/forms/", "Django forms"),
    ("django/utils/translation/", "translation (gettext)"),
    ("django/utils/", "Django utils (formats, numbers, safestring …)"),
    ("django/contrib/sessions", "sessions"),
    ("django/contrib/auth", "auth"),
    ("axes/", "django-axes"),
    ("weasyprint", "WeasyPrint (PDF)"),
    ("pydyf", "WeasyPrint (PDF)"),
    ("fontTools", "WeasyPrint (PDF)"),
    ("tinycss2", "WeasyPrint (PDF)"),
    ("cssselect2", "WeasyPrint (PDF)"),
    ("pygal", "pygal (charts)"),
    ("django/", "Django (other)"),
    ("gunicorn/", "gunicorn"),
    ("selectors.py", "gunicorn's poller (idle)"),
)


def _library(frame: str) -> str:
    path = frame.rpartition(" (")[2]
    if path.startswith(APPS):
        return "the application's own code"
    return next((label for marker, label in LIBRARIES if marker in path), "Python (other)")


def _profile_summary(raw: Path, cpu_ms_per_request: float, top: int = 10) -> dict:
    """Where the workers' time on CPU went: by the library of the innermost frame, by
    function at the top of the stack (self), and the application's own functions with
    everything they call (inclusive), as shares of the samples and ms per request.

    py-spy counts a thread that is runnable, so on a busy machine a share also holds the
    time a thread waited for a core."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    libraries: dict[str, int] = {}
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        frames = [_frame(f) for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += samples
        own[frames[-1]] = own.get(frames[-1], 0) + samples
        library = _library(frames[-1])
        libraries[library] = libraries.get(library, 0) + samples
        for frame in set(frames):
            function, _, path = frame.rpartition(" (")
            # views, selectors, services: not the middleware every request passes through
            if path.startswith(APPS) and not function.endswith("Middleware.__call__"):
                inclusive[frame] = inclusive.get(frame, 0) + samples

    def ranked(counts: dict[str, int], key: str = "function", limit: int = top) -> list[dict]:
        rows = sorted(counts.items(), key=lambda item: -item[1])[:limit]
        return [
            {
                key: name,
                "share_percent": round(100 * n / total, 1),
                "ms_per_request": round(cpu_ms_per_request * n / total, 1),
            }
            for name, n in rows
        ]

    return {
        "samples": total,
        "libraries": ranked(libraries, "function", 20),
        "self": ranked(own),
        "inclusive": ranked(inclusive),
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))  # nearest rank
    return ordered[index]


def _summary(samples: list[dict], seconds: float) -> dict:
    pages: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for s in samples:
        pages.setdefault(s["name"], []).append(s["ms"])
        if s["error"]:
            key = f"{s['name']}: {s['error']}"
            errors[key] = errors.get(key, 0) + 1
    rows = []
    for name in sorted(pages):
        times = pages[name]
        failed = sum(1 for s in samples if s["name"] == name and s["error"])
        rows.append(
            {
                "page": name,
                "requests": len(times),
                "failed": failed,
                "p50_ms": round(_percentile(times, 0.50)),
                "p95_ms": round(_percentile(times, 0.95)),
                "p99_ms": round(_percentile(times, 0.99)),
                "max_ms": round(max(times)),
            }
        )
    work = [s["ms"] for s in samples if not s["name"].startswith("login")]
    overall = {
        "page": "overall (after the logins)",
        "requests": len(work),
        "failed": sum(1 for s in samples if s["error"] and not s["name"].startswith("login")),
        "p50_ms": round(_percentile(work, 0.50)),
        "p95_ms": round(_percentile(work, 0.95)),
        "p99_ms": round(_percentile(work, 0.99)),
        "max_ms": round(max(work)) if work else 0,
    }
    return {
        "pages": rows,
        "overall": overall,
        "errors": errors,
        "requests_per_second": round(len(samples) / seconds, 1) if seconds else 0.0,
        "mean_ms": round(statistics.fmean(work)) if work else 0,
    }


def _markdown(report: dict) -> str:
    machine, cpu = report["machine"], report["cpu"]
    lines = [
        f"# make load — {report['started']}",
        "",
        f"{report['users']} users for {report['duration_s']} s, gunicorn `{report['gunicorn']}`, "
        f"{machine['cpu']} ({machine['cores']} cores), load average at start "
        f"{machine['load_average_start']}, at end {machine['load_average_end']}.",
        "",
        f"Throughput {report['summary']['requests_per_second']} requests/s; "
        f"CPU per request (gunicorn + PostgreSQL) {cpu['ms_per_request']} ms.",
        "",
        "| page | requests | failed | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in [*report["summary"]["pages"], report["summary"]["overall"]]:
        lines.append(
            f"| {row['page']} | {row['requests']} | {row['failed']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['p99_ms']} | {row['max_ms']} |"
        )
    lines += ["", "CPU over the run (share of the machine's cores, 100 % = all of them):", ""]
    lines += [f"- {name}: {share} %" for name, share in cpu["share_percent"].items()]
    if profile := report.get("profile"):
        lines += ["", f"Where gunicorn's CPU goes (py-spy, {profile['samples']} samples):"]
        for kind in ("libraries", "self", "inclusive"):
            lines += ["", f"| {PROFILE_TITLES[kind]} | share | ms per request |", "|---|---:|---:|"]
            lines += [
                f"| `{r['function']}` | {r['share_percent']} % | {r['ms_per_request']} |"
                for r in profile[kind]
            ]
    if report.get("missing_writes"):
        lines += ["", "Writes the run never made: " + ", ".join(report["missing_writes"]) + "."]
    if report["summary"]["errors"]:
        lines += ["", "Errors:", ""]
        lines += [f"- {key}: {count}" for key, count in report["summary"]["errors"].items()]
    return "\n".join(lines) + "\n"


def _print(report: dict) -> None:
    summary, cpu = report["summary"], report["cpu"]
    print(
        f"\n{report['users']} users, {report['duration_s']} s, gunicorn {report['gunicorn']}; "
        f"load average at start {report['machine']['load_average_start']}"
    )
    width = max(len(r["page"]) for r in [*summary["pages"], summary["overall"]])
    print(f"{'page':<{width}}  {'req':>5}  {'fail':>4}  {'p50':>6}  {'p95':>6}  {'p99':>6}  (ms)")
    for row in [*summary["pages"], summary["overall"]]:
        print(
            f"{row['page']:<{width}}  {row['requests']:>5}  {row['failed']:>4}  "
            f"{row['p50_ms']:>6}  {row['p95_ms']:>6}  {row['p99_ms']:>6}"
        )
    print(f"throughput: {summary['requests_per_second']} requests/s")
    shares = ", ".join(f"{k} {v} %" for k, v in cpu["share_percent"].items())
    print(f"CPU (of {report['machine']['cores']} cores): {shares}")
    print(f"CPU per request, gunicorn + PostgreSQL: {cpu['ms_per_request']} ms")
    if profile := report.get("profile"):
        print(f"where gunicorn's CPU goes ({profile['samples']} samples, ms per request):")
        for kind in ("libraries", "self", "inclusive"):
            print(f"  {PROFILE_TITLES[kind]}:")
            for row in profile[kind]:
                print(
                    f"    {row['share_percent']:>5} %  {row['ms_per_request']:>6} ms  "
                    f"{row['function']}"
                )
    if report.get("missing_writes"):
        print("WRITES NEVER MADE: " + ", ".join(report["missing_writes"]))
    if summary["errors"]:
        print("errors:")
        for key, count in summary["errors"].items():
            print(f"  {count:>5}  {key}")
    else:
        print("errors: none")


def _machine(load_start) -> dict:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": model,
        "cores": psutil.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": sys.version.split()[0],
        "load_average_start": ", ".join(f"{v:.2f}" for v in load_start),
        "load_average_end": ", ".join(f"{v:.2f}" for v in os.getloadavg()),
    }


WRITES = ("timesheet saved", "claim filed", "claim answered", "plan signed", "plan sheet (PDF)")
"""The mix's writes (and the print): a run of every role that made none of one of them
did not measure what it claims — a form the locustfile no longer finds is skipped, not
failed — so the report names it."""


def missing_writes(summary: dict, roles: str = "") -> list[str]:
    """The writes of :data:`WRITES` the run made no request of (none when ``LOAD_ROLES``
    limited the users to some roles: their writes are theirs)."""
    if roles.strip():
        return []
    made = {row["page"] for row in summary["pages"] if row["requests"]}
    return [name for name in WRITES if name not in made]


def _stop(signum, frame):
    raise SystemExit(f"load: stopped by signal {signum}")


def main() -> int:
    signal.signal(signal.SIGTERM, _stop)  # gunicorn and locust are stopped on the way out
    users = int(os.environ.get("USERS", "50"))
    duration = _seconds(os.environ.get("DURATION", "60s"))
    spawn = os.environ.get("SPAWN_RATE", "10")
    gunicorn_args = os.environ.get("LOAD_GUNICORN") or RECOMMENDED
    url = os.environ.get("LOAD_DATABASE_URL") or DEFAULT_URL
    database = url.split("?")[0].rpartition("/")[2]
    work = Path(tempfile.mkdtemp(prefix="khz-load-"))
    _ensure_database(url)
    secret = secrets.token_urlsafe(64)
    pool = _prepare(url, work / "pool.json", secret)
    logins = sum(len(v) for v in pool["pool"].values())
    print(f"load: database {database}, {logins} logins of {len(pool['pool'])} roles", flush=True)

    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "DATABASE_URL": _pooled(url),
        "SECRET_KEY": secret,
        "MEDIA_ROOT": str(work / "media"),
        # shared by gunicorn's processes, as the README recommends (LOAD_CACHE_DIR="" for
        # each process's own memory)
        "CACHE_DIR": os.environ.get("LOAD_CACHE_DIR", str(work / "cache")),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            *gunicorn_args.split(),
            "--timeout",
            "120",
            "--error-logfile",
            str(work / "gunicorn.log"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    locust = None
    try:
        _wait_ready(base)
        _wait_settled(server.pid)
        sampler = CpuSampler(server.pid, database, url)
        load_start = os.getloadavg()
        machine_start = psutil.cpu_times()
        sampler.sample(None)
        samples_file = work / "samples.json"
        started = time.monotonic()
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        print(f"load: {users} users for {duration} s against {base} ({gunicorn_args})", flush=True)
        locust = subprocess.Popen(
            [
                sys.executable, "-m", "locust", "-f", str(ROOT / "tests/load/locustfile.py"),
                "--headless", "--users", str(users), "--spawn-rate", spawn,
                "--run-time", f"{duration}s", "--stop-timeout", "10", "--host", base,
                "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
                *os.environ.get("LOAD_ROLES", "").split(),
            ],
            cwd=ROOT,
            env={**os.environ, "LOAD_POOL": str(work / "pool.json"),
                 "LOAD_SAMPLES": str(samples_file)},
            stdout=subprocess.DEVNULL,
            stderr=(work / "locust.log").open("w"),  # its own tables: the summary below says it
        )  # fmt: skip
        profiler = _profiler(server.pid, duration, work / "profile.txt")
        while locust.poll() is None:
            if time.monotonic() - started > duration + 90:
                locust.send_signal(signal.SIGTERM)
            sampler.sample(locust.pid)
            time.sleep(1)
        elapsed = time.monotonic() - started
        machine_end = psutil.cpu_times()
        if profiler is not None:
            profiler.wait(timeout=60)
    finally:
        if locust is not None and locust.poll() is None:
            locust.kill()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    if locust.returncode or not samples_file.exists():
        print((work / "locust.log").read_text(encoding="utf-8", errors="replace")[-3000:])
        shutil.rmtree(work, ignore_errors=True)
        raise SystemExit(f"load: locust stopped with {locust.returncode}")
    samples = json.loads(samples_file.read_text(encoding="utf-8"))
    summary = _summary(samples, elapsed)
    cores = psutil.cpu_count()
    totals = sampler.totals()
    busy = sum(
        getattr(machine_end, f) - getattr(machine_start, f)
        for f in ("user", "system", "nice", "irq", "softirq", "steal")
    )
    shares = {name: round(100 * totals.get(name, 0.0) / (elapsed * cores), 1) for name in
              ("gunicorn", "postgresql", "locust")}  # fmt: skip
    shares["everything else"] = round(
        100 * max(0.0, busy - sum(totals.values())) / (elapsed * cores), 1
    )
    served = summary["overall"]["requests"] + sum(
        r["requests"] for r in summary["pages"] if r["page"].startswith("login")
    )
    report = {
        "started": stamp,
        "users": users,
        "duration_s": duration,
        "gunicorn": gunicorn_args,
        "database": database,
        "machine": _machine(load_start),
        "summary": summary,
        "cpu": {
            "seconds": {k: round(v, 1) for k, v in totals.items()},
            "share_percent": shares,
            "ms_per_request": round(
                1000 * (totals.get("gunicorn", 0) + totals.get("postgresql", 0)) / max(served, 1)
            ),
        },
    }
    report["missing_writes"] = missing_writes(summary, os.environ.get("LOAD_ROLES", ""))
    if profiler is not None and (work / "profile.txt").exists():
        gunicorn_ms = 1000 * totals.get("gunicorn", 0) / max(served, 1)
        report["profile"] = _profile_summary(work / "profile.txt", gunicorn_ms)
    _print(report)
    REPORT_DIR.mkdir(exist_ok=True)
    name = f"load-{datetime.datetime.now():%Y%m%d-%H%M%S}-{users}u"
    (REPORT_DIR / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (REPORT_DIR / f"{name}.md").write_text(_markdown(report), encoding="utf-8")
    print(f"report: {REPORT_DIR / name}.md (and .json)")
    # The folder holds the logins' session keys (pool.json), valid for a shift: not left.
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
