# Хозрасчёт — the two commands of the README are `make run` and `make test`.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=

# Python 3.13 from pyenv (the machines have it there), else python3.13 on PATH.
PYTHON_VERSION := $(shell cat .python-version)
BASE_PYTHON := $(or $(wildcard $(shell pyenv root 2>/dev/null)/versions/$(PYTHON_VERSION)/bin/python),$(shell command -v python3.13 2>/dev/null))

.PHONY: venv setup run test lint bench messages clean system-app system-test

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

# The server and a task worker beside it (batches of plan sheets print in the background),
# and the scheduler of the periodic jobs (overdue claims to the arbitrator, every five
# minutes, on that worker); Ctrl-C stops them all. The worker and the scheduler run in
# process groups of their own, so that they stop whole (the worker's autoreloader's child
# too) whichever ends first.
run: system-app setup
	@setsid $(PY) manage.py db_worker --interval 1 & worker=$$!; \
	setsid $(PY) manage.py claims_escalate --every 300 >/dev/null & scheduler=$$!; \
	trap 'kill -TERM -$$worker -$$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole suite on every core (pytest-xdist; each worker has its own test database and
# live server). Not `--dist worksteal`: a test stolen by the worker that runs the browser
# tests meets Playwright's running event loop (SynchronousOnlyOperation). ARGS adds to it:
# `make test ARGS="tests/claims -x"`, `ARGS=--lf`, `ARGS="-n 0"`.
test: system-test venv messages
	$(PY) -m pytest -n auto $(ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: venv
	$(PY) tests/bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
