"""History and closed-period protection for every money-affecting model.

A model that affects money or plans subclasses :class:`TrackedModel`. Then every write
path — ``save()``, ``delete()`` (including cascades), ``QuerySet.update()``,
``QuerySet.delete()``, ``bulk_create()`` and ``bulk_update()`` — does two things in the
same transaction as the write:

* refuses the write when it touches a month that is closed (:class:`PeriodClosedError`,
  a ``ValidationError`` with a Russian message, so forms and the admin show it next to
  the form and nothing is written);
* records who, when and what (before/after) in :class:`enterprise.models.HistoryRecord`.

The person is taken from :func:`acting_as` (set for each request by
``ActorMiddleware``, and by management commands and services that act for someone).
On PostgreSQL database triggers repeat the closed-period check as the last line, for
writes that bypass the ORM (see ``enterprise.pg``).
"""

from __future__ import annotations

import copy
import datetime
import decimal
import functools
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models.signals import post_delete, pre_delete
from django.utils.translation import gettext as _

_actor: ContextVar = ContextVar("khozraschet_actor", default=None)
_reason: ContextVar = ContextVar("khozraschet_reason", default="")
# Set while bulk_update() runs: Django implements it with update(), which must not check
# and record the same rows a second time.
_in_bulk_update: ContextVar = ContextVar("khozraschet_in_bulk_update", default=False)


@contextmanager
def acting_as(user, reason: str = "") -> Iterator[None]:
    """Attribute every change made inside the block to ``user`` (with an optional reason)."""
    actor_token = _actor.set(user if user is not None and user.is_authenticated else None)
    reason_token = _reason.set(reason)
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _reason.reset(reason_token)


def current_actor():
    return _actor.get()


class PeriodClosedError(ValidationError):
    """A write that would change a closed month."""

    def __init__(self, period_label: str):
        super().__init__(
            _(
                "Период «%(period)s» закрыт: его данные не изменяются. "
                "Исправления вносятся в открытый период."
            )
            % {"period": period_label},
            code="period_closed",
        )


@dataclass(frozen=True, slots=True)
class MonthKey:
    """A month of one enterprise that a row belongs to.

    With ``onwards`` the row is in force from that month on (a tariff rate, say): any
    closed month from it onwards freezes it.
    """

    enterprise_id: int
    year: int
    month: int
    onwards: bool = False

    @classmethod
    def of(
        cls, enterprise_id: int | None, day: datetime.date | None, *, onwards: bool = False
    ) -> MonthKey | None:
        if enterprise_id is None or day is None:
            return None
        return cls(enterprise_id, day.year, day.month, onwards)

    def as_q(self) -> models.Q:
        if self.onwards:
            return models.Q(enterprise_id=self.enterprise_id) & (
                models.Q(year__gt=self.year) | models.Q(year=self.year, month__gte=self.month)
            )
        return models.Q(enterprise_id=self.enterprise_id, year=self.year, month=self.month)


def assert_months_open(keys: Iterable[MonthKey | None]) -> None:
    """Raise :class:`PeriodClosedError` if any of the months is closed (one query)."""
    from .models import Period

    wanted = {key for key in keys if key is not None}
    if not wanted:
        return
    condition = models.Q()
    for key in wanted:
        condition |= key.as_q()
    closed = Period.objects.filter(condition, status=Period.Status.CLOSED).order_by("year", "month")
    first = closed.first()
    if first is not None:
        raise PeriodClosedError(str(first))


def serialize(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model) -> dict:
    """The tracked field values of ``obj`` as JSON-ready data."""
    return {
        field.attname: serialize(stored_form(field, field.value_from_object(obj)))
        for field in obj._meta.concrete_fields
        if field.name not in obj.history_exclude and not field.primary_key
    }


def stored_form(field, value):
    """A decimal as the column stores it: 150.5 and 150.500 are one value, not a change."""
    if isinstance(field, models.DecimalField) and isinstance(value, decimal.Decimal):
        try:
            return value.quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
        except decimal.InvalidOperation:
            return value
    return value


# What a new row's or a deleted row's field holds when it holds nothing.
_EMPTY = (None, "", [], {})


def diff(before: dict | None, after: dict | None) -> dict:
    """Fields that differ, as ``{attname: [before, after]}``."""
    before = before or {}
    after = after or {}
    keys = after.keys() | before.keys()
    changes = {
        key: [before.get(key), after.get(key)]
        for key in sorted(keys)
        if before.get(key) != after.get(key)
    }
    # A new row's empty fields and a deleted row's empty fields say nothing (an empty list
    # of a JSON field among them: the panel wrote it «— → —»).
    return {
        key: pair for key, pair in changes.items() if pair[0] not in _EMPTY or pair[1] not in _EMPTY
    }


def record_history(entries: list[tuple[models.Model, str, dict]]) -> None:
    """Write history rows for ``(obj, action, changes)`` triples."""
    from .models import HistoryRecord

    if not entries:
        return
    related: dict = {}
    rows = [row for entry in entries if (row := history_row(*entry, related)) is not None]
    connection = connections[router.db_for_write(HistoryRecord)]
    if rows and connection.vendor == "postgresql":
        _insert_history_pg(connection, rows)
    else:
        HistoryRecord.objects.bulk_create(rows, batch_size=500)


def _insert_history_pg(connection, rows: list) -> None:
    """``rows`` (unsaved history records) by ``COPY``: a shift's recorded outputs write a
    few hundred history rows in one request, and Django's ``INSERT … VALUES (…), (…)``
    builds and binds each of their nine values (a tenth of that request). No ids come back:
    nobody reads them. The row triggers run as for an insert; the copy counts as a query."""
    from .models import HistoryRecord

    changes = HistoryRecord._meta.get_field("changes")
    fields = [f for f in HistoryRecord._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(HistoryRecord._meta.db_table)
    targets = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({targets}) FROM STDIN") as copy:
        for row in rows:
            values = [f.pre_save(row, True) for f in fields]  # the time of ``at`` among them
            copy.write_row(
                [
                    json.dumps(value, cls=f.encoder) if f is changes else value
                    for f, value in zip(fields, values, strict=True)
                ]
            )


def history_row(obj: models.Model, action: str, changes: dict, related: dict | None = None):
    """The (unsaved) history row of one change; ``None`` for an update that changed nothing.

    ``related`` is shared by the rows of one batch: the rows they point to, loaded once for
    the batch (a row's name shows its section, its worker …), not once a row."""
    from django.contrib.contenttypes.models import ContentType

    from .models import HistoryRecord

    if action == HistoryRecord.Action.UPDATE and not changes:
        return None
    if related is not None:
        share_related(obj, related)
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    row = HistoryRecord(
        content_type=content_type,
        object_pk=str(obj.pk),
        object_repr=str(obj)[:200],
        group=obj.history_group(),
        action=action,
        changes=changes,
        actor=current_actor(),
        reason=_reason.get(),
    )
    if related is not None:
        share_related(obj, related)
    return row


def share_related(obj: models.Model, related: dict) -> None:
    """Hand ``obj`` the rows its foreign keys point to that another row of the batch has
    loaded already, and keep those it has loaded itself for the next rows."""
    for fk, key_of in _foreign_keys(type(obj)):
        value = getattr(obj, fk.attname)
        if value is None:
            continue
        key = (key_of, value)
        if fk.is_cached(obj):
            related.setdefault(key, fk.get_cached_value(obj))
        elif key in related:
            fk.set_cached_value(obj, related[key])


@functools.cache
def _foreign_keys(model: type[models.Model]) -> list[tuple[models.Field, tuple]]:
    return [
        (fk, (fk.related_model, fk.target_field.attname))
        for fk in model._meta.concrete_fields
        if fk.many_to_one or fk.one_to_one
    ]


def _share_with_stored(objs: list[models.Model], stored: dict) -> None:
    """Hand the stored copies of ``objs`` (read again to compare) the rows the new values
    already point to: a stored row pointing to the same row needs not load it again for
    its months and its name in the history (a query a row otherwise)."""
    for obj in objs:
        before = stored.get(obj.pk)
        if before is None:
            continue
        for fk, _key_of in _foreign_keys(type(obj)):
            if fk.is_cached(obj) and getattr(before, fk.attname) == getattr(obj, fk.attname):
                fk.set_cached_value(before, fk.get_cached_value(obj))


def _plain_values(objs: list[models.Model], fields) -> bool:
    """Whether every new value of ``fields`` is a plain value (no expression)."""
    names = [objs[0]._meta.get_field(name).attname for name in fields] if objs else []
    return not any(
        hasattr(getattr(obj, name), "resolve_expression") for obj in objs for name in names
    )


class _ByPk(models.Expression):
    """``CASE pk WHEN 1 THEN v1 WHEN 2 THEN v2 … END``: a column's new values row by row,
    written as the SQL text at once (Django's ``Case(When(pk=…))`` of ``bulk_update``
    builds and resolves a lookup a row and a field: most of the time of a bulk update of a
    few hundred values)."""

    def __init__(self, field, pk, pairs: list[tuple]):
        super().__init__(output_field=field)
        self.target, self.pk, self.pairs = field, pk, pairs

    def resolve_expression(self, *args, **kwargs):
        return self

    def as_sql(self, compiler, connection):
        column = f"{connection.ops.quote_name(self.pk.model._meta.db_table)}."
        column += connection.ops.quote_name(self.pk.column)
        params = []
        for pk, value in self.pairs:
            params += [
                self.pk.get_db_prep_value(pk, connection),
                self.target.get_db_prep_save(value, connection),
            ]
        whens = " ".join(["WHEN %s THEN %s"] * len(self.pairs))
        return f"CASE {column} {whens} ELSE NULL END", params


def _bulk_update_by_pk(queryset, objs: list[models.Model], fields) -> int:
    """Django's ``bulk_update`` for plain values, with :class:`_ByPk` for its ``CASE``."""
    from django.db import connections
    from django.db.models.functions import Cast

    if not fields:
        raise ValueError("Field names must be given to bulk_update().")
    opts = queryset.model._meta
    fields = [opts.get_field(name) for name in fields]
    if any(not field.concrete or field.primary_key for field in fields):
        raise ValueError("bulk_update() takes concrete fields other than the primary key.")
    if not objs:
        return 0
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_update", fields=fields)
    connection = connections[queryset.db]
    size = connection.ops.bulk_batch_size([opts.pk, opts.pk, *fields], objs)
    casting = connection.features.requires_casted_case_in_updates
    rows = 0
    with transaction.atomic(using=queryset.db, savepoint=False):
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            values = {}
            for field in fields:
                case = _ByPk(
                    field, opts.pk, [(obj.pk, getattr(obj, field.attname)) for obj in batch]
                )
                values[field.attname] = Cast(case, output_field=field) if casting else case
            rows += (
                queryset.using(queryset.db).filter(pk__in=[o.pk for o in batch]).update(**values)
            )
    return rows


def _planned(objs: Iterable[models.Model], values: dict) -> list[models.Model]:
    """Copies of ``objs`` with plain ``values`` applied (none if any value is an expression)."""
    if any(hasattr(value, "resolve_expression") for value in values.values()):
        return []
    planned = []
    for obj in objs:
        planned_obj = copy.copy(obj)
        for name, value in values.items():
            setattr(planned_obj, name, value)
        planned.append(planned_obj)
    return planned


class TrackedQuerySet(models.QuerySet):
    """QuerySet whose bulk writes keep the closed-period rule and the history."""

    def update(self, **kwargs):
        from .models import HistoryRecord

        if _in_bulk_update.get():
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            before = {obj.pk: obj for obj in self._clone()}
            if not before:
                return 0
            assert_months_open(key for obj in before.values() for key in obj.period_keys())
            # Check the new values before writing (on PostgreSQL the trigger would refuse
            # first, with a bare IntegrityError); expressions are checked after the write.
            assert_months_open(
                key for obj in _planned(before.values(), kwargs) for key in obj.period_keys()
            )
            count = super().update(**kwargs)
            after = list(self.model._base_manager.using(self.db).filter(pk__in=before))
            assert_months_open(key for obj in after for key in obj.period_keys())
            record_history(
                [
                    (
                        obj,
                        HistoryRecord.Action.UPDATE,
                        diff(snapshot(before[obj.pk]), snapshot(obj)),
                    )
                    for obj in after
                ]
            )
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from .models import HistoryRecord

        objs = list(objs)
        with transaction.atomic(using=self.db):
            assert_months_open(key for obj in objs for key in obj.period_keys())
            created = super().bulk_create(objs, *args, **kwargs)
            record_history(
                [
                    (obj, HistoryRecord.Action.CREATE, diff(None, snapshot(obj)))
                    for obj in created
                    if obj.pk is not None
                ]
            )
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        from .models import HistoryRecord

        objs = list(objs)
        with transaction.atomic(using=self.db):
            stored = {
                obj.pk: obj
                for obj in self.model._base_manager.using(self.db).filter(
                    pk__in=[o.pk for o in objs]
                )
            }
            _share_with_stored(objs, stored)
            assert_months_open(key for obj in stored.values() for key in obj.period_keys())
            assert_months_open(key for obj in objs for key in obj.period_keys())
            token = _in_bulk_update.set(True)
            try:
                if args or kwargs or not _plain_values(objs, fields):
                    count = super().bulk_update(objs, fields, *args, **kwargs)
                else:
                    count = _bulk_update_by_pk(self, objs, fields)
            finally:
                _in_bulk_update.reset(token)
            record_history(
                [
                    (
                        obj,
                        HistoryRecord.Action.UPDATE,
                        diff(snapshot(stored[obj.pk]), snapshot(obj)),
                    )
                    for obj in objs
                    if obj.pk in stored
                ]
            )
        return count

    bulk_update.alters_data = True

    def delete(self):
        # A refused delete (see _guard_delete) must not break an enclosing transaction:
        # the collector's own atomic block has no savepoint, so give it one.
        with transaction.atomic(using=self.db), batched_deletes():
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class TrackedModel(models.Model):
    """Base of models whose changes are recorded and frozen with their month."""

    history_exclude: tuple[str, ...] = ()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from .models import HistoryRecord

        with transaction.atomic(using=kwargs.get("using") or self._state.db or "default"):
            stored = self.stored_version()
            assert_months_open(self.guard_keys(stored))
            super().save(*args, **kwargs)
            if stored is None:
                record_history([(self, HistoryRecord.Action.CREATE, diff(None, snapshot(self)))])
            else:
                record_history(
                    [(self, HistoryRecord.Action.UPDATE, diff(snapshot(stored), snapshot(self)))]
                )

    save.alters_data = True

    def delete(self, *args, **kwargs):
        # As TrackedQuerySet.delete: a refused delete rolls back to a savepoint only.
        with (
            transaction.atomic(using=kwargs.get("using") or self._state.db or "default"),
            batched_deletes(),
        ):
            return super().delete(*args, **kwargs)

    delete.alters_data = True

    def period_keys(self) -> list[MonthKey | None]:
        """The months this row belongs to; a closed one freezes it. None: not dated."""
        return []

    def delete_keys(self) -> list[MonthKey | None]:
        """Months that must be open to delete this row (by default its own months)."""
        return self.period_keys()

    def period_error_field(self, stored) -> str | None:
        """The field a closed-month refusal of ``clean()`` is shown next to (a dated row's
        date); None: the whole form."""
        return None

    def history_group(self) -> str:
        """The key under which this row's history is shown (its owner's, for parts)."""
        return f"{self._meta.label_lower}:{self.pk}"

    def guard_keys(self, stored) -> list[MonthKey | None]:
        """Months that must be open to write this row over ``stored`` (None: a new row)."""
        return list(self.period_keys()) + (list(stored.period_keys()) if stored else [])

    def stored_version(self):
        if self.pk is None or self._state.adding:
            return None
        return type(self)._base_manager.filter(pk=self.pk).first()

    def assert_editable(self) -> None:
        """Refuse if the stored row or the new values fall in a closed month."""
        assert_months_open(self.guard_keys(self.stored_version()))

    def clean(self):
        super().clean()
        stored = self.stored_version()
        try:
            assert_months_open(self.guard_keys(stored))
        except PeriodClosedError as error:
            field = self.period_error_field(stored)
            if field is None:
                raise
            raise ValidationError({field: error}) from None


@dataclass
class DeleteBatch:
    """The rows one ``delete()`` removes, its cascades with them: a month found open is
    not asked again, the rows they point to are loaded once, and the history is written
    in one insert after the deletes (in the same transaction)."""

    open_keys: set = field(default_factory=set)
    related: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)


_delete_batch: ContextVar[DeleteBatch | None] = ContextVar("khozraschet_delete_batch", default=None)


@contextmanager
def batched_deletes() -> Iterator[None]:
    """Deletes inside the block check and record as a batch (see :class:`DeleteBatch`);
    the block must run inside the deletes' transaction."""
    from .models import HistoryRecord

    batch = DeleteBatch()
    token = _delete_batch.set(batch)
    try:
        yield
    finally:
        _delete_batch.reset(token)
    HistoryRecord.objects.bulk_create(batch.rows, batch_size=500)


def _guard_delete(sender, instance, **kwargs):
    batch = _delete_batch.get()
    if batch is None:
        assert_months_open(instance.delete_keys())
        return
    share_related(instance, batch.related)
    keys = {key for key in instance.delete_keys() if key is not None} - batch.open_keys
    assert_months_open(keys)
    batch.open_keys |= keys
    share_related(instance, batch.related)


@contextmanager
def closed_month_on(field: str) -> Iterator[None]:
    """Show a closed-month refusal raised in the block next to ``field`` (a service's date
    argument: the day a post starts, the day a member leaves …)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            if any(e.code == "period_closed" for e in error.error_list):
                raise ValidationError({field: error.error_list}) from None
            raise
        moved: dict[str, list] = {}
        for name, errors in error.error_dict.items():
            for item in errors:
                moved.setdefault(field if item.code == "period_closed" else name, []).append(item)
        if moved.keys() == error.error_dict.keys():
            raise
        raise ValidationError(moved) from None


def _record_delete(sender, instance, **kwargs):
    from .models import HistoryRecord

    entry = (instance, HistoryRecord.Action.DELETE, diff(snapshot(instance), None))
    batch = _delete_batch.get()
    if batch is None:
        record_history([entry])
    else:
        batch.rows.append(history_row(*entry, batch.related))


def connect_signals() -> None:
    """Deletes (single, queryset and cascades) go through signals for every tracked model."""
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, TrackedModel):
            pre_delete.connect(_guard_delete, sender=model, dispatch_uid=f"guard-{model}")
            post_delete.connect(_record_delete, sender=model, dispatch_uid=f"history-{model}")
