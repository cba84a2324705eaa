"""The «История» panel's reading of history records: as a person reads them, paged.

A record stores raw values (ids, decimals as the column keeps them, JSON); the panel shows
names, not ids (each related model's rows fetched once for the page, not per record),
figures through :mod:`enterprise.numbers` as their pages show them — money with exactly
two places («20,00»), a rate with three («0,670»), any other figure without trailing
zeros (a coefficient kept to 8 places reads to 4) — choices by their labels, a JSON list
of criteria as «criterion: value» lines, and each field by its verbose name (a relation
without one by its model's name). A model's ``history_exclude`` fields (internal ones: a
document's size) are not shown, in the records written before they were excluded either.
Newest first, :data:`PER_PAGE` a page.

Records written before figures had one form keep their text: a name «Иванов И. И.: 159.50 ч»,
a stored «0.32889553» in a field that is text. The panel writes such a figure again when it
is plainly a number (with a unit): :func:`old_figures`; any other text stays as it is.
A model may show a field of its own way (``history_shown``: field name → function of the
stored value), as a claim shows its loss calculation's inputs by their labels.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from . import money, numbers
from .lists import PlantPaginator
from .models import HistoryRecord

PER_PAGE = 20
PAGE_PARAMETER = "history_page"
SHOWN_PLACES = 4
"""The most places a figure of the history shows (a coefficient kept to 8 reads to 4)."""
RATE_SHOWN = -money.RATE_PLACES.as_tuple().exponent
"""An hourly rate's places (3), as the tariff grid keeps it."""
SIGNED_KEYS = ("adjustment",)
UNITS = ("нормо-ч", "ч", "руб.", "%", "шт.")
"""Units after a figure in a stored text, as the models' names and reasons write them."""
_UNIT = "|".join(re.escape(unit) for unit in UNITS)
_OLD_FIGURE = re.compile(rf"(?<![\w.,\-\u2212])(-?\d+\.\d+)(?=[ \u00a0](?:{_UNIT})(?!\w))")
"""A figure as Python wrote it (a decimal point, a hyphen for minus) before a unit: the
figures of an old record's name or reason («159.50 ч»)."""
_PLAIN_FIGURE = re.compile(rf"([-\u2212]?\d+(?:[.,]\d+)?)(?:[ \u00a0]({_UNIT}))?")
"""A stored text that is a figure and nothing else, with its unit or without."""
"""Keys of a JSON item whose figure is a raise or a cut («+0,2», «−0,1»)."""


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    actor: str
    action: str
    object_repr: str
    reason: str
    changes: list[Change] = field(default_factory=list)

    @property
    def changes_html(self) -> SafeString:
        """The panel's «Было → стало» cell: a line a change, written here rather than by a
        template loop (a document's history page holds a few hundred of them)."""
        return format_html_join(
            "",
            '<div class="small"><span class="text-body-secondary">{}:</span> {} → '
            "<strong>{}</strong></div>",
            ((change.label, change.before, change.after) for change in self.changes),
        )


class History:
    """The history of ``groups`` (an object's own rows and its parts'), newest first.

    Iterating gives every entry (at most ``limit``); :meth:`page` gives one page of the
    panel. Nothing is read until one of them is asked for.
    """

    def __init__(self, *groups: str, limit: int = 200, per_page: int = PER_PAGE):
        self.groups = groups
        self.limit = limit
        self.per_page = per_page

    def records(self):
        return (
            HistoryRecord.objects.filter(group__in=self.groups)
            .select_related("actor", "content_type")
            .order_by("-at", "-id")
        )

    def __iter__(self):
        return iter(entries_of(list(self.records()[: self.limit])))

    def page(self, number):
        """The page ``number`` (the first for a wrong one) and its entries."""
        paginator = PlantPaginator(self.records(), self.per_page)
        try:
            page = paginator.page(number or 1)
        except (EmptyPage, PageNotAnInteger):
            page = paginator.page(1)
        return page, entries_of(list(page.object_list))


def history_for(*groups: str, limit: int = 200) -> History:
    """The history shown on an object's page (its own rows and its parts')."""
    return History(*groups, limit=limit)


def entries_of(records: list[HistoryRecord]) -> list[HistoryEntry]:
    """``records`` as the panel shows them; related names in one query per model."""
    related = _related_labels(records)
    entries = []
    for record in records:
        model = record.content_type.model_class()
        changes = []
        hidden = getattr(model, "history_exclude", ())
        for attname, (before, after) in sorted(record.changes.items()):
            field_obj = field_of(model, attname)
            if field_obj is not None and field_obj.name in hidden:
                continue  # internal (a file's size): kept out, older records included
            changes.append(
                Change(
                    label=label_of(field_obj, attname),
                    before=shown(field_obj, before, related),
                    after=shown(field_obj, after, related),
                )
            )
        actor = record.actor
        entries.append(
            HistoryEntry(
                at=record.at,
                actor=(actor.get_full_name() or actor.username) if actor else _("система"),
                action=record.get_action_display(),
                object_repr=old_figures(record.object_repr),
                reason=old_figures(record.reason),
                changes=changes,
            )
        )
    return entries


def _related_labels(records) -> dict:
    wanted: dict[type, set] = {}
    for record in records:
        model = record.content_type.model_class()
        for attname, values in record.changes.items():
            field_obj = field_of(model, attname)
            if field_obj is not None and field_obj.is_relation:
                wanted.setdefault(field_obj.related_model, set()).update(
                    v for v in values if v is not None
                )
    labels = {}
    for model, ids in wanted.items():
        # A relation a label follows beyond those fetched with the rows is fetched once
        # for all of them (FETCH_PEERS), not once a label: a page of a task of 40 lines
        # would read the task's section 40 times.
        rows = model._default_manager.filter(pk__in=ids).fetch_mode(models.FETCH_PEERS)
        # A label may follow a relation (a section's names its shop): fetch it with the
        # rows, or each label costs a query. A model says which relations its label
        # follows (``history_label_related``); else every one is fetched.
        forward = getattr(model, "history_label_related", None)
        if forward is None:
            forward = [f.name for f in model._meta.concrete_fields if f.many_to_one]
        if forward:
            rows = rows.select_related(*forward)
        # A model whose label carries figures that change (a timesheet line's hours) names
        # a row by what stays (``history_label``): an old change would read today's figures.
        steady = getattr(model, "history_label", None)
        for obj in rows:
            if steady is not None:
                label = obj.history_label()
            else:
                label = obj.get_full_name() if hasattr(obj, "get_full_name") else ""
            labels[(model, obj.pk)] = label or str(obj)
    return labels


_FIELDS: dict[type, dict[str, object]] = {}
"""Each model's concrete fields by attname and by name (the first field that has it), built
once per process: the panel asks for a field at every change of every record."""


def field_of(model, attname):
    if model is None:
        return None
    fields = _FIELDS.get(model)
    if fields is None:
        fields = {}
        for field_obj in model._meta.concrete_fields:
            fields.setdefault(field_obj.attname, field_obj)
            fields.setdefault(field_obj.name, field_obj)
        _FIELDS[model] = fields
    return fields.get(attname)


_LABELS: dict[tuple, str] = {}


def label_of(field_obj, attname: str) -> str:
    """A field's verbose name; a relation left without one (Django's default, the field's
    own name: «period») reads as its model's name («Период»). Kept per language."""
    key = (field_obj, attname, get_language())
    label = _LABELS.get(key)
    if label is None:
        label = _LABELS[key] = _label_of(field_obj, attname)
    return label


def _label_of(field_obj, attname: str) -> str:
    if field_obj is None:
        return capfirst(attname)
    label = str(field_obj.verbose_name)
    if field_obj.is_relation and label == field_obj.name.replace("_", " "):
        label = str(field_obj.related_model._meta.verbose_name)
    return capfirst(label)


def shown(field_obj, raw, related: dict) -> str:
    """A stored value as a person reads it."""
    if raw is None or raw == "" or raw == [] or raw == {}:
        return numbers.DASH
    if field_obj is None:
        return _document(raw) if isinstance(raw, list | dict) else _text(raw)
    if field_obj.is_relation:
        return related.get((field_obj.related_model, raw), f"#{raw}")
    own = getattr(field_obj.model, "history_shown", {}).get(field_obj.name)
    if own is not None:
        return own(raw)
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(raw, raw))
    internal = field_obj.get_internal_type()
    if internal == "DecimalField":
        number = _number(raw)
        if number is None:
            return str(raw)
        places = money_places(field_obj)
        if places is not None:
            return numbers.figure(number, places)
        return numbers.figure_plain(number, min(field_obj.decimal_places, SHOWN_PLACES))
    if internal in ("FloatField",):
        return numbers.figure_plain(raw, SHOWN_PLACES)
    if internal == "DateField":
        return date_format(datetime.date.fromisoformat(raw), "d.m.Y")
    if internal == "DateTimeField":
        return date_format(timezone.localtime(datetime.datetime.fromisoformat(raw)), "d.m.Y H:i")
    if internal == "BooleanField":
        return _("да") if raw else _("нет")
    if isinstance(raw, list | dict):
        return _document(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        if _names_not_counts(field_obj):
            return str(raw)  # a year, a number: «2026», «№ 1024», never «2 026»
        return numbers.figure(raw)
    return _text(raw)


def _names_not_counts(field_obj) -> bool:
    """Is an integer field a year or a number that names something (a shop's, a claim's),
    written without the thousands' spaces of a count?"""
    return "year" in field_obj.name or "number" in field_obj.name


_MONEY_PLACES: dict[object, int | None] = {}
_COUNTED = ("шт", "нормо")
"""Words of a 2-place field's name that make it a count, not money (a quantity, norm-hours)."""


def money_places(field_obj) -> int | None:
    """The places a decimal field of money or a rate is shown with on every page, so the
    history too: money its two («20,00», never «20»), an hourly rate the grid's three
    («0,670», a line's rate kept to 4 too); None for any other figure (hours, a percent, a
    quantity), which reads without trailing zeros as the pages write it («159,5 ч»).

    Money is a field named in rubles («…, руб.») or one of the money columns' shape (two
    places, 12 digits or more) that is not a count («шт.», «нормо-ч»); the name is read in
    its source language (the msgid), whatever the reader's."""
    try:
        return _MONEY_PLACES[field_obj]
    except KeyError:
        pass
    with override(None):
        name = str(field_obj.verbose_name)
    places = None
    if "руб" in name:
        places = min(field_obj.decimal_places, RATE_SHOWN)
    elif field_obj.decimal_places == 2 and (field_obj.max_digits or 0) >= 12:
        places = None if any(word in name for word in _COUNTED) else 2
    _MONEY_PLACES[field_obj] = places
    return places


def _number(raw):
    """A stored figure as a ``Decimal``: a number, or a text of one with a decimal point or
    comma («159.50», «0,32889553» of an old record); None for any other text."""
    if isinstance(raw, str):
        raw = raw.strip().replace(",", ".")
    return numbers.to_decimal(raw) if isinstance(raw, int | float | str | Decimal) else None


def _text(raw) -> str:
    """A stored text: a figure alone with a fraction or a unit («0,32889553», «159.50 ч»)
    written as figures are; else as it is."""
    text = str(raw)
    match = _PLAIN_FIGURE.fullmatch(text.strip())
    if match is None or not (match.group(2) or "." in text or "," in text):
        return text  # a code («0042») is not a figure
    figure = numbers.figure_plain(_number(match.group(1)), SHOWN_PLACES)
    return f"{figure}\u00a0{match.group(2)}" if match.group(2) else figure


def old_figures(text: str) -> str:
    """``text`` (a record's name or reason) with figures written as Python writes them
    before a unit («159.50 ч», «-12.5 %») written as figures are («159,5 ч», «−12,5 %»);
    the rest of it as it is."""
    if not text or "." not in text:
        return text
    return _OLD_FIGURE.sub(
        lambda m: numbers.figure_plain(numbers.to_decimal(m.group(1)), SHOWN_PLACES), text
    )


def _scalar(key: str, value) -> str:
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    number = numbers.to_decimal(value) if isinstance(value, int | float | str | Decimal) else None
    if number is not None and not (isinstance(value, str) and not value.strip()):
        if key in SIGNED_KEYS:
            return numbers.figure_signed(numbers.trimmed(number, SHOWN_PLACES))
        return numbers.figure_plain(number, SHOWN_PLACES)
    return str(value)


def _item(item) -> str:
    """One item of a JSON list: «name: value» for a named one (an applied criterion),
    else its keys and values."""
    if not isinstance(item, dict):
        return _scalar("", item)
    name = item.get("name") or item.get("label")
    rest = {k: v for k, v in item.items() if k not in ("name", "label", "criterion", "id")}
    values = ", ".join(_scalar(k, v) for k, v in rest.items())
    if name:
        return f"{name}: {values}" if values else str(name)
    return ", ".join(f"{k}: {_scalar(k, v)}" for k, v in rest.items())


def _document(raw) -> str:
    """A JSON value: a list as «a; b», a mapping as «key: value; …»."""
    if isinstance(raw, list):
        return "; ".join(_item(item) for item in raw)
    return "; ".join(f"{k}: {_scalar(k, v)}" for k, v in raw.items())
