"""Proposals as tables: the list (with its export) and the overdue list."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from enterprise.columns import DateColumn, NumberColumn

from ..models import Proposal
from .selectors import days_past_term

S = Proposal.Status


def _status(record: Proposal) -> str:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        record.status_colour,
        record.get_status_display(),
    )


def _holder(record: Proposal) -> str:
    if record.status == S.SUBMITTED:
        return str(_("бюро комиссии"))
    if record.status == S.ACCEPTED:
        return str(_("фабзавком"))
    if record.status == S.PASSED:
        return str(_("администрация"))
    if record.status == S.AGREED:
        return str(_("внедрение"))
    return "—"


class ProposalTable(tables.Table):
    number = tables.Column(verbose_name=_("№"), linkify=True)
    submitted_on = DateColumn(verbose_name=_("Подано"))
    shop = tables.Column(verbose_name=_("Цех"), accessor="shop__number")
    title = tables.Column(verbose_name=_("Предложение"), linkify=True)
    status = tables.Column(verbose_name=_("Состояние"))
    due = DateColumn(verbose_name=_("Срок шага"), accessor="due_date", orderable=False)
    expected_labour = NumberColumn(verbose_name=_("Экономия, нормо-ч"), places=1)

    class Meta:
        model = Proposal
        fields = ["number", "submitted_on", "shop", "title", "status", "due", "expected_labour"]
        order_by = ("-submitted_on", "-number")
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "proposals"}
        row_attrs = {
            "data-testid": lambda record: f"proposal-{record.number}",
            "class": lambda record: (
                "table-danger" if record.is_overdue(timezone.localdate()) else ""
            ),
        }

    def render_number(self, value):
        return str(value)

    def value_number(self, value):
        return value

    def render_status(self, value, record):
        if record.is_overdue(timezone.localdate()):
            return format_html(
                '{} <span class="badge text-bg-danger" data-testid="past-term">{}</span>',
                _status(record),
                _("срок прошёл"),
            )
        return _status(record)

    def value_status(self, value, record):
        return record.get_status_display()


class OverdueTable(tables.Table):
    number = tables.Column(verbose_name=_("№"), linkify=True)
    shop = tables.Column(verbose_name=_("Цех"), accessor="shop__number")
    title = tables.Column(verbose_name=_("Предложение"), linkify=True)
    submitted_on = DateColumn(verbose_name=_("Подано"))
    holder = tables.Column(verbose_name=_("У кого"), accessor="status", orderable=False)
    due = DateColumn(verbose_name=_("Срок"), accessor="due_date", orderable=False)
    past = tables.Column(
        verbose_name=_("Просрочено, дней"),
        accessor="pk",
        orderable=False,
        attrs={"td": {"class": "num", "data-testid": "days-past"}, "th": {"class": "num"}},
    )
    waiting = tables.Column(
        verbose_name=_("Ждёт, дней"),
        accessor="submitted_on",
        orderable=False,
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )

    class Meta:
        model = Proposal
        fields = ["number", "shop", "title", "submitted_on", "holder", "due", "past", "waiting"]
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "overdue"}
        row_attrs = {"data-testid": lambda record: f"overdue-{record.number}"}

    def render_number(self, value):
        return str(value)

    def value_number(self, value):
        return value

    def render_holder(self, value, record):
        return _holder(record)

    def value_holder(self, value, record):
        return _holder(record)

    def render_past(self, value, record):
        return str(days_past_term(record, timezone.localdate()))

    def value_past(self, value, record):
        return days_past_term(record, timezone.localdate())

    def render_waiting(self, value, record):
        return str(record.days_waiting(timezone.localdate()))

    def value_waiting(self, value, record):
        return record.days_waiting(timezone.localdate())
