"""SQLite's stand-in for PostgreSQL's row versions: a version per table, kept by triggers.

The pages cached under a fingerprint of the rows they read (the competition board, the
bonus proposals — :mod:`planning.tracking.pages`) take it on PostgreSQL from each row's
``xmin``. SQLite keeps no row versions, so there every table of the application carries a
version in ``khz_table_version``, which triggers set anew — to a random number — on every
insert, update and delete of its rows: the ORM's, a bulk update or raw SQL alike. A
fingerprint on SQLite is the versions of the tables it reads: coarser than PostgreSQL's
(any write to a table changes it for every page that reads the table), never stale.

Random, not counted: a rolled-back transaction takes its versions back with it, and a
counter would then give the next transaction's different rows the version a page of the
rolled-back rows was cached under.

The triggers are (re)installed after every ``migrate`` (:func:`install`, on
``post_migrate``): SQLite's schema editor rebuilds a table to alter it, which drops its
triggers. A table without its version row gives no fingerprint, and nothing is cached.
"""

from __future__ import annotations

import functools
import hashlib
import re

from django.apps import apps
from django.db import OperationalError, connections

TABLE = "khz_table_version"
EVENTS = ("INSERT", "UPDATE", "DELETE")


def install(using: str = "default", **kwargs) -> None:
    """``post_migrate``: :func:`install_on` the database just migrated."""
    install_on(connections[using])


def install_on(connection) -> None:
    """Give every model table of ``connection`` (SQLite only) its version row and the
    three triggers that renew it; those already there are left as they are."""
    if connection.vendor != "sqlite":
        return
    existing = set(connection.introspection.table_names())
    tables = sorted({model._meta.db_table for model in apps.get_models()} & existing)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        for table in tables:
            # table names come from the models, not from any input
            cursor.execute(f"INSERT OR IGNORE INTO {TABLE} VALUES (%s, random())", [table])
            for event in EVENTS:
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {quote(f'khz_version_{table}_{event.lower()}')} "  # nosec B608
                    f"AFTER {event} ON {quote(table)} BEGIN "
                    f"UPDATE {TABLE} SET version = random() WHERE name = '{table}'; END"
                )


def tables_version(connection, tables) -> str | None:
    """An md5 of the versions of ``tables`` (names of model tables), or None when one of
    them has no version kept (the triggers were not installed)."""
    names = sorted(set(tables))
    marks = ", ".join(["%s"] * len(names))
    try:
        with connection.cursor() as cursor:  # the names are parameters: only marks go in
            cursor.execute(
                f"SELECT name, version FROM {TABLE} WHERE name IN ({marks}) ORDER BY name",  # nosec B608
                names,
            )
            rows = cursor.fetchall()
    except OperationalError:  # a database migrated before the versions were kept
        return None
    if len(rows) != len(names):
        return None
    text = ";".join(f"{name}={version}" for name, version in rows)
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


# --- LIKE for every alphabet ----------------------------------------------------------------


def unicode_like(sender, connection, **kwargs) -> None:
    """SQLite's LIKE with the case of every alphabet folded, as PostgreSQL's ``UPPER(…) LIKE
    UPPER(…)`` of Django's ``icontains`` is: SQLite's own folds only A–Z, so a search for
    «петров» found no «Петров» on the embedded database. Django reads every text lookup of
    SQLite (``contains``, ``icontains``, ``iexact``, ``startswith`` …) as ``LIKE … ESCAPE``,
    all without regard to case there already; this makes them so for Cyrillic as well."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("like", 2, _like, deterministic=True)
    raw.create_function("like", 3, _like, deterministic=True)


def _like(pattern, value, escape=None):
    """``value LIKE pattern [ESCAPE escape]``: SQLite's function ``like(X, Y[, Z])`` takes
    the pattern first."""
    if pattern is None or value is None:
        return None
    return _like_regex(pattern, escape).fullmatch(str(value)) is not None


@functools.lru_cache(maxsize=512)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern:
    parts, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if escape and char == escape and index + 1 < len(pattern):
            parts.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        index += 1
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)
