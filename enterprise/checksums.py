"""Per-period money checksums of the database (``manage.py money_checksums``).

What a restore drill compares: for every enterprise, every month (or year, for yearly
documents) and every table that carries money or what money is computed from, the
number of rows, the sum of each money column and a SHA-256 of all the rows' columns.
Two databases that give the same checksums hold the same money, kopeck for kopeck.

The apps name their tables in their ``AppConfig.ready()`` with
:func:`register_money_tables` (the platform imports no app): a :class:`MoneyTable`
says where a row's enterprise and period are and which columns to sum. The rows are
read in primary-key order, so the digests do not depend on the physical order a
restore leaves the rows in.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps

CHUNK = 2000


@dataclass(frozen=True)
class MoneyTable:
    """A table whose rows are money, grouped by enterprise and period.

    ``year`` and ``month`` are the lookups of the row's period (``period__year``,
    ``date__month``); ``month`` None groups by year (a year's plans). ``enterprise`` is
    the lookup of the enterprise's id. ``sums`` are the columns summed (nulls left out).
    """

    model: str  # "app_label.Model"
    enterprise: str
    sums: tuple[str, ...]
    year: str = "period__year"
    month: str | None = "period__month"

    @property
    def name(self) -> str:
        return self.model


MONEY_TABLES: list[MoneyTable] = []


def register_money_tables(*tables: MoneyTable) -> None:
    """Add (or replace, on a second ``ready()``) the tables, by model."""
    for table in tables:
        for index, known in enumerate(MONEY_TABLES):
            if known.model == table.model:
                MONEY_TABLES[index] = table
                break
        else:
            MONEY_TABLES.append(table)


@dataclass
class Group:
    """One table's rows of one enterprise and period: count, sums and their digest."""

    enterprise: int
    period: str  # "2026-10", or "2026" for a year
    table: str
    count: int = 0
    sums: dict[str, Decimal] = field(default_factory=dict)
    hasher: object = field(default_factory=hashlib.sha256, repr=False)

    @property
    def key(self) -> tuple[int, str, str]:
        return self.enterprise, self.period, self.table

    def as_dict(self) -> dict:
        return {
            "enterprise": self.enterprise,
            "period": self.period,
            "table": self.table,
            "count": self.count,
            "sums": {name: str(value) for name, value in self.sums.items()},
            "hash": self.hasher.hexdigest(),
        }


def _plain(value):
    """A column's value as JSON sees it, the same on every read of the same row."""
    if isinstance(value, Decimal | datetime.date | datetime.time | datetime.timedelta):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _row_bytes(row: tuple) -> bytes:
    plain = [_plain(value) for value in row]
    return json.dumps(plain, sort_keys=True, ensure_ascii=False, default=str).encode()


def _period(year: int, month: int | None) -> str:
    return f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"


def table_groups(table: MoneyTable, *, enterprise: int | None = None, using: str = "default"):
    """The groups of one table, keyed by (enterprise, period, table)."""
    model = apps.get_model(table.model)
    columns = [f.attname for f in model._meta.concrete_fields]
    keys = [table.enterprise, table.year] + ([table.month] if table.month else [])
    rows = model._base_manager.using(using).order_by("pk")
    if enterprise is not None:
        rows = rows.filter(**{table.enterprise: enterprise})
    positions = [columns.index(name) for name in table.sums]
    groups: dict[tuple, Group] = {}
    for row in rows.values_list(*keys, *columns).iterator(chunk_size=CHUNK):
        head, values = row[: len(keys)], row[len(keys) :]
        period = _period(head[1], head[2] if table.month else None)
        group = groups.get((head[0], period))
        if group is None:
            group = groups[(head[0], period)] = Group(head[0], period, table.name)
            group.sums = dict.fromkeys(table.sums, Decimal(0))
        group.count += 1
        for name, position in zip(table.sums, positions, strict=True):
            if values[position] is not None:
                group.sums[name] += Decimal(values[position])
        group.hasher.update(_row_bytes(values))
    return groups.values()


def money_checksums(
    *, enterprise: int | None = None, tables: Iterable[MoneyTable] | None = None, using="default"
) -> list[dict]:
    """Every registered table's groups, ordered by enterprise, period and table."""
    groups = [
        group.as_dict()
        for table in (MONEY_TABLES if tables is None else tables)
        for group in table_groups(table, enterprise=enterprise, using=using)
    ]
    return sorted(groups, key=lambda g: (g["enterprise"], g["period"], g["table"]))


def digest(groups: list[dict]) -> str:
    """One SHA-256 of all the groups: equal for equal databases."""
    text = json.dumps(groups, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def differences(expected: list[dict], actual: list[dict]) -> list[str]:
    """What differs between two lists of groups, one line per group, in Russian."""
    before = {(g["enterprise"], g["period"], g["table"]): g for g in expected}
    after = {(g["enterprise"], g["period"], g["table"]): g for g in actual}
    lines = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        where = f"предприятие {key[0]}, {key[1]}, {key[2]}"
        if old is None:
            lines.append(f"{where}: лишняя группа ({new['count']} строк)")
        elif new is None:
            lines.append(f"{where}: группы нет ({old['count']} строк)")
        elif old != new:
            changed = [
                f"{name}: {old['sums'].get(name)} → {new['sums'].get(name)}"
                for name in sorted(old["sums"].keys() | new["sums"].keys())
                if old["sums"].get(name) != new["sums"].get(name)
            ]
            if old["count"] != new["count"]:
                changed.insert(0, f"строк: {old['count']} → {new['count']}")
            if not changed:
                changed.append("суммы те же, строки другие (хеш)")
            lines.append(f"{where}: " + "; ".join(changed))
    return lines


__all__ = [
    "MONEY_TABLES",
    "MoneyTable",
    "differences",
    "digest",
    "money_checksums",
    "register_money_tables",
]
