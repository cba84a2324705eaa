"""Shared fixtures of the suite: the test world with a user per role, and the PostgreSQL marker.

Tests marked ``@pytest.mark.postgres`` need PostgreSQL. On SQLite they are skipped with
a visible reason — unless ``REQUIRE_POSTGRES=1`` is set (CI), in which case the whole
session fails instead: there, a missing PostgreSQL is an error, not a reason to skip.

The world is built once per session (per xdist worker) and committed; each test runs in
its own transaction, rolled back afterwards, and gets fresh Python objects of it (see
:func:`world`). Transactional tests (``transactional_db``, ``live_server``,
``django_db(transaction=True)``) empty the tables: the committed world is flushed before
the first of them, they build their own, and the next test that needs it builds it again.
"""

from __future__ import annotations

import copy
import datetime
import os
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from enterprise.models.roles import Role
from tests.factories import (
    EnterpriseFactory,
    PayConditionFactory,
    PeriodFactory,
    ProfessionFactory,
    RoleAssignmentFactory,
    SectionFactory,
    ShopFactory,
    TariffRateFactory,
    UserFactory,
    WorkerFactory,
)

# Property tests keep their example counts but no time limits: a shared 2-core machine (CI,
# parallel workers) makes an example's time say nothing about the code (hypothesis' deadline
# and its "too slow" health check failed on a loaded machine, never on the property).
hypothesis_settings.register_profile(
    "khozraschet", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("khozraschet")

POSTGRES_REASON = "needs PostgreSQL (set DATABASE_URL=postgres://…)"


def on_postgres() -> bool:
    """Is the default database PostgreSQL (read from settings, no connection made)?"""
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _postgres_required() -> bool:
    return os.environ.get("REQUIRE_POSTGRES", "").strip().lower() in {"1", "true", "yes", "on"}


def skip_postgres_tests(items):
    if on_postgres():
        return
    if _postgres_required():
        pytest.exit(
            "REQUIRE_POSTGRES=1, but the default database is not PostgreSQL: "
            "set DATABASE_URL=postgres://… (tests marked 'postgres' must not be skipped).",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    skip = pytest.mark.skip(reason=POSTGRES_REASON)
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


def fast_hashers() -> list[str]:
    """MD5 first (fast test passwords); the others still verify stored hashes."""
    from django.conf import settings

    return ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash test passwords with MD5 (the others still verify stored hashes)."""
    settings.PASSWORD_HASHERS = fast_hashers()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache. The pages cached under a fingerprint of the
    rows they read would otherwise serve a test the page an earlier test left for the same
    rows (right for the page, but not what a query count expects)."""
    from django.core.cache import cache

    cache.clear()


# --- the test world ------------------------------------------------------------------------

ROLES = [role.value for role in Role]

# Where each role user of the world is scoped: a section, a shop or the enterprise.
ROLE_UNITS = {
    Role.WORKER: "enterprise",
    Role.BRIGADE_LEADER: "A1",
    Role.MASTER: "A1",
    Role.SHOP_HEAD: "A",
    Role.DISPATCHER: "A",
    Role.ECONOMIST: "A",
    Role.LABOUR: "enterprise",
    Role.PRODUCTION_HEAD: "enterprise",
    Role.DEPUTY_DIRECTOR: "enterprise",
    Role.ADMINISTRATOR: "enterprise",
}

CLOSED_MONTHS = [(2026, 6), (2026, 7), (2026, 8), (2026, 9)]
OPEN_MONTHS = [(2026, 10), (2026, 11)]
RATES_FROM = datetime.date(2026, 1, 1)
# Hourly rates per grade (piecework, time work) — the shape of the booklet's grid.
GRID = {
    "piece": ["105.200", "114.100", "126.700", "141.600", "160.300", "184.600"],
    "time": ["98.300", "106.600", "118.400", "132.300", "149.800", "172.500"],
}


@dataclass
class World:
    """One plant (shop A: sections A1, A2; shop B: section B1) and a second plant.

    ``units`` by key: ``enterprise``, ``A``, ``B``, ``A1``, ``A2``, ``B1`` and ``other``,
    ``other_shop``, ``other_section`` (the second plant). ``workers[section_key]`` lists
    the workers of a section; ``worker`` is the one whose account is ``users["worker"]``.
    ``users[role]`` is a user holding that role in its unit (see ``ROLE_UNITS``).
    """

    units: dict
    workers: dict
    worker: object
    users: dict
    assignments: dict
    conditions: dict
    professions: dict
    rates: dict
    periods: dict
    other_worker: object = None
    extras: dict = field(default_factory=dict)

    @property
    def enterprise(self):
        return self.units["enterprise"]

    @property
    def other_enterprise(self):
        return self.units["other"]

    def period(self, year: int, month: int):
        return self.periods[(year, month)]

    def rate(self, condition: str, grade: int):
        return self.rates[(condition, grade)]

    def all_workers(self):
        return [w for workers in self.workers.values() for w in workers]


def build_world() -> World:
    enterprise = EnterpriseFactory(name="Завод «Красный пролетарий»", short_name="КП")
    shop_a = ShopFactory(enterprise=enterprise, number=6, name="Механический цех")
    shop_b = ShopFactory(enterprise=enterprise, number=7, name="Сборочный цех")
    units = {
        "enterprise": enterprise,
        "A": shop_a,
        "B": shop_b,
        "A1": SectionFactory(shop=shop_a, number=1, name="Токарный участок"),
        "A2": SectionFactory(shop=shop_a, number=2, name="Фрезерный участок"),
        "B1": SectionFactory(shop=shop_b, number=1, name="Участок сборки"),
    }
    conditions = {
        "piece": PayConditionFactory(enterprise=enterprise, code="piece", name="Сдельная"),
        "time": PayConditionFactory(enterprise=enterprise, code="time", name="Повременная"),
    }
    professions = {
        "turner": ProfessionFactory(enterprise=enterprise, name="Токарь", code="19149"),
        "miller": ProfessionFactory(enterprise=enterprise, name="Фрезеровщик", code="19479"),
        "fitter": ProfessionFactory(enterprise=enterprise, name="Слесарь-сборщик", code="18466"),
    }
    staff = {"A1": "turner", "A2": "miller", "B1": "fitter"}
    workers = {}
    number = 100
    for key, profession in staff.items():
        workers[key] = []
        for grade in (3, 5):
            number += 1
            workers[key].append(
                WorkerFactory(
                    section=units[key],
                    personnel_number=str(number),
                    profession=professions[profession],
                    pay_condition=conditions["piece"],
                    grade=grade,
                )
            )

    other = EnterpriseFactory(name="Завод «Серп и молот»", short_name="СиМ")
    units["other"] = other
    units["other_shop"] = ShopFactory(enterprise=other, number=6, name="Механический цех")
    units["other_section"] = SectionFactory(shop=units["other_shop"], number=1, name="Токарный")
    other_worker = WorkerFactory(section=units["other_section"], personnel_number="101")

    users, assignments = {}, {}
    for role in ROLES:
        user = UserFactory(username=role)
        unit = units[ROLE_UNITS[role]]
        scope = {}
        if ROLE_UNITS[role] in ("A1", "A2", "B1"):
            scope["section"] = unit
        elif ROLE_UNITS[role] in ("A", "B"):
            scope["shop"] = unit
        else:
            scope["enterprise"] = unit
        users[role] = user
        assignments[role] = RoleAssignmentFactory(user=user, role=role, **scope)
    worker = workers["A1"][0]
    worker.user = users[Role.WORKER]
    worker.save()
    shop_a.head = users[Role.SHOP_HEAD]
    shop_a.save()
    units["A1"].head = users[Role.MASTER]
    units["A1"].save()

    rates = {}
    for code, values in GRID.items():
        for grade, value in enumerate(values, start=1):
            rates[(code, grade)] = TariffRateFactory(
                enterprise=enterprise,
                pay_condition=conditions[code],
                grade=grade,
                hourly_rate=Decimal(value),
                valid_from=RATES_FROM,
            )

    periods = {}
    for year, month in CLOSED_MONTHS:
        periods[(year, month)] = PeriodFactory(
            enterprise=enterprise,
            year=year,
            month=month,
            closed=True,
            closed_by=users[Role.LABOUR],
            closed_at=timezone.now(),
        )
    for year, month in OPEN_MONTHS:
        periods[(year, month)] = PeriodFactory(enterprise=enterprise, year=year, month=month)
    return World(
        units=units,
        workers=workers,
        worker=worker,
        users=users,
        assignments=assignments,
        conditions=conditions,
        professions=professions,
        rates=rates,
        periods=periods,
        other_worker=other_worker,
    )


def is_transactional(item) -> bool:
    """Does the test run outside a transaction (its data committed, tables emptied after)?"""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    names = getattr(item, "fixturenames", ())
    return any(
        name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )


class WorldKeeper:
    """The world committed once for the tests that run in a transaction (see the module)."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.world: World | None = None

    def commit(self) -> World | None:
        """The committed world, built now if there is none; ``None`` inside a transaction
        (a test's transaction is already open: it cannot commit)."""
        from django.db import connection, transaction
        from django.test import override_settings

        if self.world is not None:
            return self.world
        with self.blocker.unblock():
            if connection.in_atomic_block:
                return None
            self._flush_leftovers()
            with override_settings(PASSWORD_HASHERS=fast_hashers()), transaction.atomic():
                self.world = build_world()
        return self.world

    def present(self) -> bool:
        from enterprise.models import Enterprise

        return (
            self.world is not None
            and Enterprise.objects.filter(pk=self.world.enterprise.pk).exists()
        )

    def flush(self) -> None:
        """Empty the tables (as a transactional test does after itself)."""
        from django.core.management import call_command

        if self.world is None:
            return
        self.world = None
        with self.blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)

    def _flush_leftovers(self) -> None:
        """A reused database (``--reuse-db``) may keep a world of an interrupted run."""
        from django.contrib.auth import get_user_model
        from django.core.management import call_command

        if get_user_model().objects.filter(username=Role.WORKER.value).exists():
            call_command("flush", interactive=False, verbosity=0)


_keeper: WorldKeeper | None = None


@pytest.fixture(scope="session")
def world_keeper(django_db_setup, django_db_blocker):
    global _keeper
    _keeper = WorldKeeper(django_db_blocker)
    yield _keeper
    _keeper.flush()
    _keeper = None


# --- the demo plant and a generated plant, each loaded once -----------------------------------

GENERATED_SEED = 3
GENERATED_WORKERS = 900
GENERATED_MONTHS = 3


class DataKeeper:
    """A large data set loaded once for the tests that only read it (or roll back what
    they write): the demo plant of ``manage.py load_demo`` (~17,000 queries) or a plant of
    ``generate_plant``.

    A session (an xdist worker) loads it into empty tables, inside a transaction that stays
    open while the tests that ask for it run — each in its own savepoint on top of it,
    rolled back after it. The first other database test rolls the data set back (the suite
    orders each data set's tests together, so that happens once); a later test of the
    data set loads it again.
    """

    def __init__(self, name: str, load, blocker):
        self.name = name
        self.load = load  # () -> whatever the tests read of it (its output, its plant's pk)
        self.blocker = blocker
        self.value = None
        self._atomic = None

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def open(self) -> None:
        import sys

        from django.db import connection, transaction
        from django.test import override_settings

        if self._atomic is not None:
            return
        with self.blocker.unblock():
            if connection.in_atomic_block:
                raise RuntimeError(f"the {self.name} is loaded before the test's transaction")
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                with override_settings(PASSWORD_HASHERS=fast_hashers()):
                    value = self.load()
                check_deferred_constraints()
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        self._atomic, self.value = atomic, value

    def close(self) -> None:
        """Roll the data set back: the tables are as before it was loaded."""
        from django.db import transaction

        if self._atomic is None:
            return
        atomic, self._atomic = self._atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def check_deferred_constraints() -> None:
    """Check the deferred constraints of what the open transaction wrote, now, once.

    After each test in a transaction Django checks the deferred constraints (``SET
    CONSTRAINTS ALL IMMEDIATE``) before rolling the test back. A data set loaded in a
    transaction that stays open has not been checked yet: each test's check would check
    all of its rows again (its check is rolled back with the test) — a quarter of a second
    a test for the demo, seconds for a generated plant. Checked here once, in the data
    set's own transaction, each test checks only what it wrote; a broken reference in the
    data set fails here, as it would have failed the first test.
    """
    from django.db import connection

    connection.check_constraints()


def _load_demo() -> str:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _generate_plant() -> int:
    from enterprise.generate import generate_plant

    plant = generate_plant(workers=GENERATED_WORKERS, months=GENERATED_MONTHS, seed=GENERATED_SEED)
    return plant.pk


# The fixture that asks for a data set -> the data set's loader.
DATA_SETS = {
    "loaded_demo": ("demo plant", _load_demo),
    "generated_plant": ("plant", _generate_plant),
}
_data_keepers: dict[str, DataKeeper] = {}


def _data_keeper(fixture: str, django_db_blocker, world_keeper) -> DataKeeper:
    """The data set's keeper, loaded (session-scoped fixtures set up before any test's
    transaction; ``pytest_runtest_setup`` loads it again when it was rolled back)."""
    keeper = _data_keepers.get(fixture)
    if keeper is None:
        world_keeper.flush()
        for other in _data_keepers.values():
            other.close()
        name, load = DATA_SETS[fixture]
        keeper = _data_keepers[fixture] = DataKeeper(name, load, django_db_blocker)
        keeper.open()
    return keeper


@pytest.fixture(scope="session")
def demo_keeper(django_db_setup, django_db_blocker, world_keeper):
    yield _data_keeper("loaded_demo", django_db_blocker, world_keeper)
    _data_keepers.pop("loaded_demo").close()


@pytest.fixture(scope="session")
def generated_keeper(django_db_setup, django_db_blocker, world_keeper):
    yield _data_keeper("generated_plant", django_db_blocker, world_keeper)
    _data_keepers.pop("generated_plant").close()


@pytest.fixture
def loaded_demo(demo_keeper, db) -> DataKeeper:
    """The demo plant, loaded once (see :class:`DataKeeper`); its ``value`` is what
    ``load_demo`` printed. What the test writes is rolled back."""
    assert demo_keeper.is_open
    return demo_keeper


@pytest.fixture
def generated_plant(generated_keeper, db):
    """The plant of ``generate_plant`` (GENERATED_WORKERS, GENERATED_MONTHS,
    GENERATED_SEED), generated once (see :class:`DataKeeper`). What the test writes is
    rolled back."""
    from enterprise.models import Enterprise

    assert generated_keeper.is_open
    return Enterprise.objects.get(pk=generated_keeper.value)


def data_set(item) -> str | None:
    """The data set the test reads (the name of the fixture asking for it), if any."""
    if is_transactional(item):
        return None
    names = getattr(item, "fixturenames", ())
    return next((fixture for fixture in DATA_SETS if fixture in names), None)


def uses_db(item) -> bool:
    names = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or any(
        name in names for name in ("db", "transactional_db", "live_server")
    )


def in_world(item) -> bool:
    """Does the test run in a transaction over the committed world?"""
    return "world" in getattr(item, "fixturenames", ()) and not is_transactional(item)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # After pytest-django's order (database tests, transactional ones, the others) and the
    # browser tests' (last): among the database tests, those of each data set come first
    # (the demo's, the generated plant's: each loaded once, rolled back after them), then
    # those without the world, then those in it, so that each worker loads each data set
    # and commits the world once.
    #
    # Among the browser tests (the last of each worker), the walks over the demo plant come
    # first: one group, the longest unit of the run, which xdist hands to one worker while
    # the other runs the remaining browser tests one by one. Handed out where their module
    # lies, near the end, they ran alone on one worker after the other had finished.
    def key(item):
        browser = item.get_closest_marker("browser") is not None
        category = 1 if is_transactional(item) else 0 if uses_db(item) else 2
        data = data_set(item)
        order = list(DATA_SETS).index(data) if data else len(DATA_SETS)
        later_browser = browser and item.nodeid.split("::")[0] not in SHARED_MODULES
        return (browser, later_browser, category, in_world(item), order)

    items.sort(key=key)
    skip_postgres_tests(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # A test that does not ask for the world sees none: a transactional one starts from
    # empty tables and builds its own, and so do those without the world (they run before
    # it is committed, unless the order was changed). The next test in the world commits
    # it again.
    #
    # The data sets likewise (the demo, the generated plant): loaded for their tests
    # (into empty tables), rolled back before any other database test.
    data = data_set(item)
    if uses_db(item):
        for fixture, keeper in _data_keepers.items():
            if fixture != data:
                keeper.close()
    if _keeper is not None and _keeper.world is not None and uses_db(item) and not in_world(item):
        _keeper.flush()
    if data in _data_keepers:
        _data_keepers[data].open()


@pytest.fixture
def committed_world(request, world_keeper) -> World | None:
    """The session's committed world, built before the test's transaction opens."""
    if is_transactional(request.node):
        return None
    return world_keeper.commit()


@pytest.fixture
def world(request, committed_world, db) -> World:
    """The shared test world (see :class:`World`): fresh Python objects for each test.

    Its rows are the session's, committed once; what a test writes is rolled back after it.
    A transactional test builds (and commits) a world of its own; so does a test whose
    transaction opened before the world could be committed (a ``django_db`` marker).
    """
    if committed_world is not None:
        keeper = request.getfixturevalue("world_keeper")
        if keeper.present():
            return copy.deepcopy(committed_world)
        keeper.world = None  # emptied behind the keeper's back: committed again next time
    return build_world()


# --- PostgreSQL: the test runner may TRUNCATE; its commits do not wait for the disk --------


def _test_connection(sender, connection, **kwargs):
    from enterprise.pg import allow_truncate

    allow_truncate(connection)
    if connection.vendor == "postgresql":
        # A test database need not survive a crash: its commits (transactional tests, the
        # live server's, the races' threads) do not wait for the WAL's flush to disk.
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


def pytest_configure(config):
    """Flushing between transactional tests empties tables with TRUNCATE, which the
    closed-month trigger refuses while a month is closed — except in a test database
    whose session allows it (enterprise.pg.allow_truncate). Every connection the tests
    open allows it; a test of the refusal turns it off for its transaction."""
    from django.db.backends.signals import connection_created

    connection_created.connect(_test_connection, dispatch_uid="khz-test-connection")
    config.pluginmanager.register(XdistGroups(), "khz-xdist-groups")
    if hasattr(config.option, "loadscopereorder"):  # pytest-xdist: see SHARED_MODULES
        config.option.loadscopereorder = False


# Tests that read one large data set, each loaded once per xdist worker that runs any of them:
# with ``--dist loadgroup`` (``make test``) they go to one worker together, so the data set is
# loaded once in the whole run, not once on each core. The modules whose tests share a large
# module fixture (plants generated and rebuilt, the meetings' demo, the browser walks over the
# demo plant) are kept together for the same reason.
#
# xdist hands out its work units (a group, or a single test) in the order of the collection
# here, not largest first (``loadscopereorder`` off, see ``pytest_configure``): the data sets'
# groups start the two workers, and the browser walks' group comes first among the browser
# tests at the end (``pytest_collection_modifyitems`` above). Largest first would send the
# browser walks to a worker before its other tests, and the tests that a worker runs after a
# browser test meet Playwright's event loop (SynchronousOnlyOperation).
SHARED_MODULES = {
    "tests/test_generate_plant.py": "plant-rebuild",
    "tests/meetings/test_demo.py": "meetings-demo",
    "tests/browser/test_role_days.py": "demo-walks",
}


class XdistGroups:
    """Marks the tests of each shared data set with one ``xdist_group`` (see above)."""

    @pytest.hookimpl(tryfirst=True)  # before xdist reads the marks (its own hook, untagged)
    def pytest_collection_modifyitems(self, config, items):
        for item in items:
            module = item.nodeid.split("::")[0]
            if module in SHARED_MODULES:
                item.add_marker(pytest.mark.xdist_group(SHARED_MODULES[module]))
            elif (group := data_set(item)) and item.get_closest_marker("browser") is None:
                item.add_marker(pytest.mark.xdist_group(group))
