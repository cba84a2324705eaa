"""One guard against lost updates for every edit page: the version of the rows it showed.

A page that edits stored rows — a grid (the brigade's timesheet, the output grid, the
section's days, the KTU regulation) or one record's form (an org-technical measure) —
carries in a hidden field the *version* of the rows it showed (:func:`stamp`): a signed
token holding, for each row, a short hash of the fields the page edits, and the last
history record when the page was drawn.

The service that saves the page locks its rows (``select_for_update``, or the row that
owns them) and calls :func:`check` with the posted token and the rows as they are now.
If a row was changed, added or removed meanwhile it raises :class:`StaleError` and
nothing is written. Its messages say who changed which row's field from what to what
and when — read from the rows' history (:class:`enterprise.models.HistoryRecord`, which
:class:`~enterprise.tracking.TrackedModel` writes for every change). The page is shown
again with the user's typed values and the current version (``StaleError.current``,
put into the form by :func:`enterprise.web.run`): saving once more, having read what
changed, writes over it deliberately.

Only the fields the page edits count: a timesheet is not stale because the brigade's
earnings (and so every line's computed pay) changed meanwhile.

An empty token (a page drawn before this guard, a script) is not checked.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .numbers import figure
from .tracking import serialize, stored_form

SALT = "enterprise.versions"
MAX_LENGTH = 20_000  # a token of a few hundred rows; a longer one is no version of ours

MAX_LINES = 30  # changes listed in a message; the rest are counted

Group = tuple[Iterable[models.Model], Sequence[str]]


def _key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def _attnames(model, names: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).attname for name in names]


def _hash(obj: models.Model, names: Sequence[str]) -> str:
    values = []
    for name in names:
        field = obj._meta.get_field(name)
        values.append(serialize(stored_form(field, field.value_from_object(obj))))
    payload = json.dumps(values, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def _hashes(groups: Sequence[Group]) -> tuple[dict[str, str], dict[str, models.Model]]:
    hashes, objects = {}, {}
    for rows, names in groups:
        for obj in rows:
            key = _key(obj)
            hashes[key] = _hash(obj, names)
            objects[key] = obj
    return hashes, objects


def _last_history_id() -> int:
    from .models import HistoryRecord

    return HistoryRecord.objects.aggregate(last=Max("id"))["last"] or 0


def stamp(*groups: Group) -> str:
    """The version of the rows a page shows: ``stamp((rows, ["hours", ...]), ...)``, each
    group its rows and the names of the fields the page edits in them."""
    hashes, _objects = _hashes(groups)
    return signing.dumps({"h": _last_history_id(), "r": hashes}, salt=SALT, compress=True)


class StaleError(ValidationError):
    """The rows changed after the page was drawn; ``current`` is their version now.

    ``rows`` are the rows changed meanwhile as they are now (``None``: removed), by key;
    :meth:`edited` tells whether the user changed a row too (see
    :meth:`enterprise.formsets.RowFormSet.merge_stale`)."""

    def __init__(
        self,
        messages: list[str],
        current: str,
        *,
        rows: dict | None = None,
        shown: dict | None = None,
        names: dict | None = None,
    ):
        super().__init__(messages, code="stale")
        self.current = current
        self.rows = rows or {}
        self.shown = shown or {}
        self.names = names or {}

    def edited(self, key: str, obj: models.Model, values: dict) -> bool:
        """Whether ``values`` (a posted row: field name → cleaned value) differ from the
        row ``key`` as the user's page showed it — by the version's hash of that row; a
        row the page did not show counts as edited when any of its values is filled."""
        names = self.names.get(type(obj), ())
        if key not in self.shown:  # a row added meanwhile: the page showed it blank
            return any(
                values.get(name) not in (None, "") and not isinstance(values.get(name), bool)
                for name in names
            )
        probe = copy.copy(obj)
        for name in names:
            if name in values:
                setattr(probe, obj._meta.get_field(name).attname, values[name])
        return _hash(probe, names) != self.shown[key]


def check(token: str, *groups: Group) -> None:
    """Refuse (:class:`StaleError`) when the rows, as they are now (read under a lock),
    are not those of ``token``; an empty token is not checked."""
    if not token:
        return
    hashes, objects = _hashes(groups)
    try:
        shown = signing.loads(token, salt=SALT)
        shown_rows, since = dict(shown["r"]), int(shown["h"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise StaleError(
            [_("Страница устарела: откройте её заново и внесите изменения ещё раз.")],
            current=stamp(*groups),
        ) from None
    changed = sorted(
        key for key in hashes.keys() | shown_rows.keys() if hashes.get(key) != shown_rows.get(key)
    )
    if not changed:
        return
    fields = {}
    for rows, names in groups:
        for obj in rows:
            fields.setdefault(type(obj), set(_attnames(type(obj), names)))
    header = _(
        "Пока вы редактировали, эти данные уже изменил другой пользователь — ничего не "
        "сохранено. Ваши значения остались в форме: сверьте их с изменениями ниже "
        "и сохраните ещё раз, если они верны."
    )
    names = {}
    for rows, row_names in groups:
        for obj in rows:
            names.setdefault(type(obj), tuple(row_names))
    raise StaleError(
        [header, *what_changed(changed, since, objects, fields)],
        current=stamp(*groups),
        rows={key: objects.get(key) for key in changed},
        shown=shown_rows,
        names=names,
    )


# --- what changed meanwhile ------------------------------------------------------------------


def what_changed(
    keys: Sequence[str], since: int, objects: dict[str, models.Model], fields: dict
) -> list[str]:
    """One line per change of the rows ``keys`` recorded after history record ``since``:
    «И. И. Иванов, 05.12.2026 10:31 — Петров П. П.: Часы: 160 → 150»."""
    from django.contrib.contenttypes.models import ContentType

    from .models import HistoryRecord

    wanted = Q()
    for key in keys:
        label, pk = key.rsplit(":", 1)
        app_label, model_name = label.split(".", 1)
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
        wanted |= Q(content_type=content_type, object_pk=pk)
    records = (
        HistoryRecord.objects.filter(wanted, id__gt=since)
        .select_related("actor", "content_type")
        .order_by("id")
    )
    lines, told = [], set()
    for record in records:
        model = record.content_type.model_class()
        watched = next((names for m, names in fields.items() if m is model), None)
        text = _describe(record, model, watched)
        if text:
            lines.append(text)
            told.add(f"{model._meta.label_lower}:{record.object_pk}")
    for key in keys:
        if key not in told:
            obj = objects.get(key)
            lines.append(
                _("«%(row)s» изменена (кем — не записано).") % {"row": obj}
                if obj is not None
                else _("Строка удалена (кем — не записано).")
            )
    if len(lines) > MAX_LINES:
        rest = len(lines) - MAX_LINES
        lines = [*lines[:MAX_LINES], _("…и ещё изменений: %(n)s.") % {"n": rest}]
    return lines


def _describe(record, model, watched: set | None) -> str:
    from .models import HistoryRecord

    who = _("неизвестный пользователь")
    if record.actor is not None:
        who = record.actor.get_full_name() or record.actor.get_username()
    when = formats.date_format(timezone.localtime(record.at), "d.m.Y H:i")
    # In the model's field order: the stored changes' key order differs between the
    # databases (PostgreSQL's jsonb sorts keys by length).
    order = {field.name: i for i, field in enumerate(model._meta.get_fields())} if model else {}
    changes = {
        name: pair
        for name, pair in sorted(
            (record.changes or {}).items(),
            key=lambda item: (order.get(item[0], len(order)), item[0]),
        )
        if watched is None or name in watched
    }
    if record.action == HistoryRecord.Action.DELETE:
        what = _("строка удалена")
    elif record.action == HistoryRecord.Action.CREATE:
        what = _("строка добавлена: %(values)s") % {
            "values": "; ".join(
                f"{_label(model, name)}: {_shown(pair[1])}" for name, pair in changes.items()
            )
        }
    elif changes:
        what = "; ".join(
            f"{_label(model, name)}: {_shown(pair[0])} → {_shown(pair[1])}"
            for name, pair in changes.items()
        )
    else:
        return ""  # a change of fields this page does not edit
    return f"{who}, {when} — {record.object_repr}: {what}"


def _label(model, attname: str) -> str:
    if model is not None:
        for field in model._meta.concrete_fields:
            if field.attname == attname:
                return str(field.verbose_name)
    return attname


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value) or "—"
    if isinstance(value, dict):
        return str(value.get("name") or value)
    if isinstance(value, str):
        try:
            number = decimal.Decimal(value)
        except decimal.InvalidOperation:
            pass
        else:
            if number.is_finite():
                return figure(number)
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "d.m.Y")
        except ValueError:
            return value
    return str(value)


# --- the hidden field ------------------------------------------------------------------------


class VersionField(forms.CharField):
    """The hidden field that carries a page's version."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_LENGTH)
        super().__init__(**kwargs)


class VersionForm(forms.Form):
    """The version of a grid (a formset has no place for a field of its own).

    Unbound: ``current`` (the rows' version when the page is drawn: a callable, so that a
    posted page does not compute it). Bound: what the page posted — and, after a
    :class:`StaleError`, the rows' version now (:meth:`renew_version`, called by
    :func:`enterprise.web.run`).
    """

    version = VersionField()

    def __init__(self, data=None, *, current: Callable[[], str] | str = "", prefix="grid"):
        super().__init__(data, initial={"version": current}, prefix=prefix)

    @property
    def token(self) -> str:
        if not self.is_bound:
            return self.get_initial_for_field(self.fields["version"], "version")
        # Raw: a mangled token is refused by check(), not skipped as an empty one.
        return str(self.data.get(self.add_prefix("version"), ""))

    def renew_version(self, token: str) -> None:
        renew_version(self, token)


def renew_version(form: forms.BaseForm, token: str, name: str = "version") -> None:
    """Show the rows' version now in a bound form (the user's other values stay)."""
    if form.is_bound:
        data = form.data.copy()
        data[form.add_prefix(name)] = token
        form.data = data
