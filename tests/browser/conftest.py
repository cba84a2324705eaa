"""Browser tests: pytest-playwright driving Debian's Chromium against ``live_server``.

The browser is the system's ``/usr/bin/chromium`` (the ``chromium`` Debian package), never
one downloaded by ``playwright install``. Playwright's sync API runs an event loop in
the test's thread, so Django's ORM there needs ``DJANGO_ALLOW_ASYNC_UNSAFE`` — set for
these tests only (the live server answers in its own thread either way).

Screenshots go to ``$SCREENSHOT_DIR`` when it is set (nothing is saved otherwise).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import build_world

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-sandbox",  # CI and the dev containers run as root
]


def pytest_collection_modifyitems(config, items):
    # Browser tests run last. Playwright's session-wide event loop stays current in the
    # main thread until the session ends; every test after the first browser test would
    # need DJANGO_ALLOW_ASYNC_UNSAFE, which is set for the browser tests alone.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _database_before_the_browser(django_db_setup):
    """Create the test database before Playwright starts its loop (it is not async-safe)."""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": browser_type_launch_args.get("headless", True),
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "ru-RU",
        "timezone_id": "Europe/Moscow",
        "viewport": {"width": 1280, "height": 860},
    }


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright():
    """The ORM in the test's thread while Playwright's loop is current there.

    Package-scoped so that it is set before ``transactional_db`` (which pytest-django's
    ``live_server`` pulls in ahead of function fixtures) and until after it empties the
    tables; the browser tests run last, so nothing outside this package runs with it.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def live_world(transactional_db):
    """The suite's world, committed so that the live server's thread sees it.

    ``tests.conftest.world`` uses ``db`` (one transaction, rolled back), which another
    thread cannot see; this one uses ``transactional_db`` (tables emptied afterwards).
    """
    return build_world()


@pytest.fixture
def shoot(request):
    """``shoot(page, "name")`` saves a full-page screenshot to $SCREENSHOT_DIR, if set."""
    folder = os.environ.get("SCREENSHOT_DIR")
    prefix = re.sub(r"\W+", "-", request.node.name).strip("-")
    counter = iter(range(1, 100))

    def take(page, name: str):
        if not folder:
            return None
        path = Path(folder) / f"{prefix}-{next(counter):02d}-{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def console_errors(page):
    """Errors the page logs (a script or style refused by the CSP shows up here)."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors
