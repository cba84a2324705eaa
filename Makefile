# Хозрасчёт — the two commands of the README are `make run` and `make test` (`make dev`
# is `make run` for a developer: DEBUG on, the code reloaded as it changes).

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=

# Python 3.13 from pyenv (the machines have it there), else python3.13 on PATH.
PYTHON_VERSION := $(shell cat .python-version)
BASE_PYTHON := $(or $(wildcard $(shell pyenv root 2>/dev/null)/versions/$(PYTHON_VERSION)/bin/python),$(shell command -v python3.13 2>/dev/null))

.PHONY: venv setup run dev test lint bench load load-keepalive restore-drill audit messages clean system-app system-test

$(STAMP): pyproject.toml
	@if [ -z "$(BASE_PYTHON)" ]; then echo "Python $(PYTHON_VERSION) not found: install it (pyenv install $(PYTHON_VERSION)) or put python3.13 on PATH." >&2; exit 1; fi
	@[ -x $(PY) ] || $(BASE_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# The Debian packages of scripts/system-packages.sh: installed when run as root, else the
# command to install them is named. `run` needs the app's (fonts, WeasyPrint, gettext),
# `test` Chromium and poppler too.
system-app:
	@scripts/system-packages.sh app

system-test:
	@scripts/system-packages.sh test

# Catalogs (English, and the Russian plurals and Django strings the source lacks):
# compiled when gettext's msgfmt is there.
messages: venv
	@if [ ! -d locale ]; then :; elif command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v0; \
	else echo "msgfmt not found (apt-get install gettext): the English translation stays off."; fi

setup: venv messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# The demo as the product runs: DEBUG off (the application's own 403/404/500 pages, never
# Django's debug page), gunicorn serving it and WhiteNoise its collected static files, on
# this machine over plain HTTP (no TLS proxy in front: no HTTPS redirect, no secure-only
# cookies, no HSTS, no proxy's address to trust). Its secret key is made once and kept in
# $(DEMO_SECRET) (not in git), so sessions outlive a restart.
DEMO_SECRET := .demo-secret-key
DEMO_ENV := DEBUG=false ALLOWED_HOSTS='127.0.0.1,localhost,[::1]' SECURE_SSL_REDIRECT=false \
	SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 \
	SECURE_HSTS_INCLUDE_SUBDOMAINS=false TRUSTED_PROXY_COUNT=0 CACHE_DIR=$(CURDIR)/.cache/pages

# gunicorn as `make load` recommends (README, «Нагрузка»): two processes per core, four
# threads each, and connections kept 75 s, longer than a person's pause between clicks (gthread's
# default of 2 s closes them as the clicks arrive).
GUNICORN_SETTINGS := --workers 4 --worker-class gthread --threads 4 --keep-alive 75

$(DEMO_SECRET): | venv
	@umask 077; $(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > $@

# The server and a task worker beside it (batches of plan sheets print in the background),
# and the scheduler of the periodic jobs (overdue claims to the arbitrator, every five
# minutes, on that worker); Ctrl-C stops them all. The worker and the scheduler run in
# process groups of their own, so that they stop whole (the worker's autoreloader's child
# too, under `make dev`) whichever ends first.
WORKERS = setsid $(PY) manage.py db_worker $(1) --interval 1 & worker=$$!; \
	setsid $(PY) manage.py claims_escalate --every 300 >/dev/null & scheduler=$$!; \
	trap 'kill -TERM -$$worker -$$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM

run: system-app setup $(DEMO_SECRET)
	@export $(DEMO_ENV) SECRET_KEY="$$(cat $(DEMO_SECRET))"; \
	$(PY) manage.py collectstatic --noinput -v0 || exit 1; \
	echo "Хозрасчёт: http://127.0.0.1:8000 (Ctrl-C — остановить)"; \
	$(call WORKERS,--no-reload); \
	$(PY) -m gunicorn config.wsgi --bind 127.0.0.1:8000 $(GUNICORN_SETTINGS) --timeout 120 --access-logfile -

# For development: DEBUG on (Django's debug page, static files straight from static/) and
# runserver reloading the code as it changes.
dev: system-app setup
	@$(call WORKERS,); \
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole suite on every core (pytest-xdist; each worker has its own test database and
# live server). Not `--dist worksteal`: a test stolen by the worker that runs the browser
# tests meets Playwright's running event loop (SynchronousOnlyOperation). ARGS adds to it:
# `make test ARGS="tests/claims -x"`, `ARGS=--lf`, `ARGS="-n 0"`. `--dist loadgroup`: the
# tests of one large data set (the demo plant, the generated plant) run on one worker, which
# loads it once (tests/conftest.py, XdistGroups); the other tests are shared out one by one.
test: system-test venv messages
	$(PY) -m pytest -n auto --dist loadgroup $(ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: venv
	@scripts/system-packages.sh bench
	$(PY) tests/bench/run.py

# Known vulnerabilities of the installed packages (pip-audit) and bandit over the code
# (README «Supply chain»); AUDIT_STRICT=1 fails when pip-audit could audit nothing.
audit: venv
	scripts/audit.sh

# pg_dump → restore into a new database → the money checksums of both must be equal
# (README «Backup and restore»): DATABASE_URL must name a PostgreSQL database.
restore-drill: venv
	scripts/restore-drill.sh

# A shift's load (tests/load/run.py): gunicorn in production settings on PostgreSQL with
# the plant-scale data set (made once into its own database, then reused), locust's
# simulated users of every role on loopback for a bounded time; prints p50/p95/p99 per
# page, the errors and the CPU split. USERS, DURATION and LOAD_GUNICORN (its settings)
# change it: `make load USERS=100 DURATION=120s`.
USERS ?= 50
DURATION ?= 60s
load: venv
	USERS=$(USERS) DURATION=$(DURATION) $(PY) tests/load/run.py

# What each gunicorn setting drops when clients pause 1–3 s on kept-alive connections.
load-keepalive: venv
	$(PY) tests/load/keepalive.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles *.egg-info $(DEMO_SECRET) bench-report .cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
