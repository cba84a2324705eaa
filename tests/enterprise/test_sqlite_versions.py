"""SQLite's table versions (enterprise/sqlite.py): every write changes them, a rollback
takes them back without ever giving other rows a version already used, and a table that
SQLite's schema editor rebuilt gets its triggers again at the next migrate.

Run on a private in-memory SQLite database of their own, whatever the suite's database
is (CI runs on PostgreSQL), with two of the application's real tables."""

import pytest
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper

from enterprise import sqlite
from enterprise.models import Profession, Shop

TABLES = [Profession._meta.db_table, Shop._meta.db_table]


@pytest.fixture
def memory(django_db_blocker):
    django_db_blocker.unblock()  # a database of the test's own, not the suite's
    connection = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "OPTIONS": {},
            "TIME_ZONE": None,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias="sqlite_versions",
    )
    connections["sqlite_versions"] = connection  # the schema editor's atomic looks it up
    with connection.schema_editor() as editor:
        editor.create_model(Profession)
        editor.create_model(Shop)
    _execute(connection, "PRAGMA foreign_keys = OFF")  # no enterprise table here
    yield connection
    connection.close()
    del connections["sqlite_versions"]
    django_db_blocker.restore()


def _execute(connection, sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _profession(connection, code, name):
    _execute(
        connection,
        f"INSERT INTO {TABLES[0]} (enterprise_id, code, name) VALUES (1, %s, %s)",
        [code, name],
    )


def test_no_versions_until_installed(memory):
    assert sqlite.tables_version(memory, TABLES) is None  # no table of versions yet
    sqlite.install_on(memory)
    assert sqlite.tables_version(memory, TABLES) is not None
    assert sqlite.tables_version(memory, [*TABLES, "not_a_model_table"]) is None


def test_every_write_changes_the_version_of_its_table_only(memory):
    sqlite.install_on(memory)
    both = sqlite.tables_version(memory, TABLES)
    shops = sqlite.tables_version(memory, TABLES[1:])
    assert sqlite.tables_version(memory, list(reversed(TABLES))) == both  # order-free
    seen = {both}
    for sql in (
        None,  # an insert
        f"UPDATE {TABLES[0]} SET name = 'Фрезеровщик'",  # raw SQL, as a bulk update
        f"DELETE FROM {TABLES[0]}",
    ):
        if sql is None:
            _profession(memory, "T1", "Токарь")
        else:
            _execute(memory, sql)
        now = sqlite.tables_version(memory, TABLES)
        assert now not in seen
        seen.add(now)
        assert sqlite.tables_version(memory, TABLES[1:]) == shops  # the other table: as was
    assert sqlite.tables_version(memory, TABLES) == sqlite.tables_version(memory, TABLES)


def test_a_rollback_takes_the_version_back_and_the_next_write_gets_a_new_one(memory):
    sqlite.install_on(memory)
    before = sqlite.tables_version(memory, TABLES)
    memory.set_autocommit(False)
    _profession(memory, "T1", "Токарь")
    rolled_back = sqlite.tables_version(memory, TABLES)
    memory.rollback()
    memory.set_autocommit(True)
    assert sqlite.tables_version(memory, TABLES) == before
    # other rows written by the same number of writes: never the rolled-back version
    # (a counter would give it again, and the page cached under it would be shown)
    _profession(memory, "T2", "Слесарь")
    assert sqlite.tables_version(memory, TABLES) not in {before, rolled_back}


def test_a_rebuilt_table_gets_its_triggers_again(memory):
    sqlite.install_on(memory)
    field = Profession._meta.get_field("name")
    wider = field.clone()
    wider.set_attributes_from_name("name")
    wider.max_length = field.max_length + 50
    with memory.schema_editor() as editor:  # SQLite rebuilds the table: its triggers go
        editor.alter_field(Profession, field, wider)
    _execute(memory, "PRAGMA foreign_keys = OFF")  # the editor turned them back on
    before = sqlite.tables_version(memory, TABLES)
    _profession(memory, "T1", "Токарь")
    assert sqlite.tables_version(memory, TABLES) == before  # no trigger: the write unseen
    sqlite.install_on(memory)  # what the next migrate does
    _profession(memory, "T2", "Слесарь")
    assert sqlite.tables_version(memory, TABLES) != before


def test_a_migrated_sqlite_database_keeps_the_versions(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the suite's database is not SQLite: the tests above cover it")
    assert sqlite.tables_version(connection, TABLES) is not None
