"""Settings fail loudly on bad environment values; production settings pass check --deploy.

Each case runs ``manage.py`` in a fresh interpreter, since settings are read once at start.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Variables the settings read; each case starts from none of them.
SETTINGS_VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "SESSION_COOKIE_AGE",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "MEDIA_ROOT",
    "LOG_LEVEL",
    "TRUSTED_PROXY_COUNT",
    "CACHE_DIR",
    "PG_PREPARED",
    "PG_RANDOM_PAGE_COST",
]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(48)[:64],
    "ALLOWED_HOSTS": "khozraschet.example",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _fails_with(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode != 0, result.stdout + result.stderr
    assert "ImproperlyConfigured" in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def test_it_runs_with_no_environment_at_all():
    result = _manage("check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["maybe", "2", "truee", "да"])
def test_it_refuses_a_debug_value_that_is_not_a_boolean(value):
    _fails_with(_manage("check", DEBUG=value), "DEBUG=", "is not a boolean")


@pytest.mark.parametrize("value", ["true", "False", "1", "0", "yes", "off"])
def test_it_accepts_the_usual_boolean_spellings(value):
    env = {"DEBUG": value}
    if value.lower() in {"false", "0", "off"}:
        env.update(PRODUCTION)
    assert _manage("check", **env).returncode == 0


def test_it_refuses_production_without_a_secret_key():
    _fails_with(
        _manage("check", DEBUG="false", ALLOWED_HOSTS="khozraschet.example"),
        "SECRET_KEY must be set",
    )


def test_it_refuses_production_with_a_short_secret_key():
    _fails_with(
        _manage("check", **{**PRODUCTION, "SECRET_KEY": "short-key"}),
        "SECRET_KEY must be at least 50 characters",
    )


def test_it_refuses_production_without_allowed_hosts():
    _fails_with(
        _manage("check", DEBUG="false", SECRET_KEY=PRODUCTION["SECRET_KEY"]),
        "ALLOWED_HOSTS must be set",
    )


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("nonsense://whatever", "DATABASE_URL"),
        ("mysql://user:pass@localhost/db", "Unsupported database engine"),
    ],
)
def test_it_refuses_a_bad_database_url(url, fragment):
    _fails_with(_manage("check", DATABASE_URL=url), fragment)


def test_it_refuses_a_bad_integer():
    _fails_with(_manage("check", SESSION_COOKIE_AGE="ten hours"), "SESSION_COOKIE_AGE=")


def test_production_settings_pass_the_deployment_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def _values(*names: str, **env: str) -> list[str]:
    code = "from django.conf import settings; " + "; ".join(
        f"print('value:', repr(settings.{name}))" for name in names
    )
    result = _manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return [line[7:] for line in result.stdout.splitlines() if line.startswith("value: ")]


SESSION_AND_LOGIN = (
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "SESSION_SAVE_EVERY_REQUEST",
    "TRUSTED_PROXY_COUNT",
    "AXES_FAILURE_LIMIT",
    "AXES_LOCKOUT_PARAMETERS",
)


def test_a_session_is_one_shift_ending_with_the_browser_and_logins_are_throttled():
    # development: no proxy in front
    assert _values(*SESSION_AND_LOGIN) == [
        "28800", "True", "False", "0", "10", "[['username', 'ip_address']]"
    ]  # fmt: skip
    # production: one reverse proxy terminating TLS, its X-Forwarded-For entry trusted
    assert _values(*SESSION_AND_LOGIN, **PRODUCTION)[:4] == ["28800", "True", "False", "1"]
    assert _values("TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2", **PRODUCTION) == ["2"]
    _fails_with(_manage("check", TRUSTED_PROXY_COUNT="one"), "TRUSTED_PROXY_COUNT=")


def test_the_deployment_checks_fail_with_the_development_defaults():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on


# --- the suite's PostgreSQL marker (tests/conftest.py) -------------------------------------


def _pytest(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    environment.pop("REQUIRE_POSTGRES", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


SQLITE_IN_MEMORY = "sqlite:///:memory:"
POSTGRES_TEST = "tests/enterprise/test_periods.py::test_it_has_the_lock_triggers_installed"


def test_it_skips_postgres_tests_on_sqlite_with_a_visible_reason():
    result = _pytest(POSTGRES_TEST, "-rs", DATABASE_URL=SQLITE_IN_MEMORY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "needs PostgreSQL (set DATABASE_URL=postgres://…)" in result.stdout


def test_it_fails_the_session_on_sqlite_when_postgres_is_required():
    result = _pytest(POSTGRES_TEST, DATABASE_URL=SQLITE_IN_MEMORY, REQUIRE_POSTGRES="1")
    assert result.returncode != 0
    assert "REQUIRE_POSTGRES=1" in result.stdout + result.stderr
    assert "1 skipped" not in result.stdout


def test_a_cache_folder_is_shared_by_the_servers_processes(tmp_path):
    """With CACHE_DIR, what one process caches (a board's rows) another reads; without it,
    each process keeps its own."""
    folder = str(tmp_path / "pages")
    write = "from django.core.cache import cache; cache.set('board', 'written', 60)"
    read = "from django.core.cache import cache; print(cache.get('board', 'missing'))"
    assert _manage("shell", "-c", write, CACHE_DIR=folder).returncode == 0
    assert _manage("shell", "-c", read, CACHE_DIR=folder).stdout.strip().endswith("written")
    assert (Path(folder).stat().st_mode & 0o777) == 0o700  # nobody else's to read or plant
    assert _manage("shell", "-c", read).stdout.strip().endswith("missing")


def test_gunicorn_starts_with_an_empty_cache_folder(tmp_path, monkeypatch):
    import runpy

    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "1f.djcache").write_bytes(b"stale")
    (folder / "sub" / "2e.djcache").write_bytes(b"stale")
    (folder / "notes.txt").write_text("not the cache's")
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    monkeypatch.setenv("CACHE_DIR", str(folder))
    hooks["on_starting"](None)
    # only the cache's own files: a folder set by mistake loses nothing else
    assert sorted(p.name for p in folder.rglob("*")) == ["2e.djcache", "notes.txt", "sub"]
    monkeypatch.setenv("CACHE_DIR", str(tmp_path / "none yet"))
    hooks["on_starting"](None)  # a folder not made yet is no error


@pytest.mark.parametrize(
    ("url", "extra", "expected"),
    [
        ("postgres://u@127.0.0.1:5432/khz?pool=true", {}, "True 5 -c random_page_cost=1.1"),
        (
            "postgres://u@127.0.0.1:5432/khz",
            {"PG_PREPARED": "false", "PG_RANDOM_PAGE_COST": ""},
            "None None None",
        ),
        ("sqlite:///db.sqlite3", {}, "None None None"),
    ],
)
def test_postgresql_binds_prepares_and_reads_in_memory_unless_told_not_to(url, extra, expected):
    """Prepared statements on a PostgreSQL connection (psycopg's pool keeps them), off with
    PG_PREPARED=false (PgBouncer in transaction mode cannot) and on SQLite; the planner's
    random page cost 1.1 unless PG_RANDOM_PAGE_COST is empty (the server's own)."""
    show = (
        "from django.db import connection; o = connection.settings_dict['OPTIONS']; "
        "print(o.get('server_side_binding'), o.get('prepare_threshold'), o.get('options'))"
    )
    result = _manage("shell", "-c", show, DATABASE_URL=url, **extra)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_a_random_page_cost_that_is_no_number_is_refused():
    result = _manage(
        "check", DATABASE_URL="postgres://u@127.0.0.1:5432/khz", PG_RANDOM_PAGE_COST="fast"
    )
    _fails_with(result, "PG_RANDOM_PAGE_COST must be a number, not 'fast'")


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_connection_reaches_postgresql_with_its_random_page_cost():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
