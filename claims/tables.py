import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from enterprise.columns import NumberColumn
from enterprise.table_body import FastBodyTable

from .models import Claim

STATUS_BADGES = {
    Claim.Status.FILED: "text-bg-warning",
    Claim.Status.ARBITRATION: "text-bg-info",
    Claim.Status.SETTLED: "text-bg-success",
    Claim.Status.DECIDED: "text-bg-success",
    Claim.Status.WITHDRAWN: "text-bg-secondary",
}


def is_late(claim: Claim, today) -> bool:
    """Unanswered past the deadline: still waiting, or sent to the arbitrator for it."""
    return claim.is_overdue(today) or (
        claim.escalated_unanswered and claim.status == Claim.Status.ARBITRATION
    )


_PARTY = {"td": {"class": "small"}}


class ClaimTable(FastBodyTable):
    number = tables.Column(verbose_name=_("№"), linkify=True)
    period = tables.Column(
        verbose_name=_("Период"),
        order_by=("period__year", "period__month"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    claim_type = tables.Column(verbose_name=_("Вид претензии"), order_by=("claim_type__name",))
    claimant = tables.Column(verbose_name=_("Истец"), accessor="claimant_label", orderable=False)
    defendant = tables.Column(
        verbose_name=_("Ответчик"), accessor="defendant_label", orderable=False
    )
    loss_amount = NumberColumn(verbose_name=_("Сумма, руб."), places=2)
    final_amount = NumberColumn(verbose_name=_("Отнесено, руб."), places=2, default="—")
    status = tables.Column(verbose_name=_("Состояние"))
    answer_due = tables.Column(verbose_name=_("Ответить до"))
    # Only in the export (the page marks a late claim beside its date).
    overdue = tables.Column(
        verbose_name=_("Просрочена"), accessor="pk", visible=False, orderable=False
    )

    class Meta:
        model = Claim
        fields = [
            "number",
            "period",
            "claim_type",
            "claimant",
            "defendant",
            "loss_amount",
            "final_amount",
            "status",
            "answer_due",
        ]
        order_by = ("-number",)
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "claims"}
        row_attrs = {"class": lambda table, record: "table-danger" if table.late(record) else ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self._late = {}

    def late(self, record) -> bool:
        # asked for by the row's class and twice by its date: once per claim
        if record.pk not in self._late:
            self._late[record.pk] = is_late(record, self.today)
        return self._late[record.pk]

    def render_status(self, value, record):
        # a page has fifty claims in five states: each badge is written once per table
        badges = self.__dict__.setdefault("_badges", {})
        badge = badges.get(record.status)
        if badge is None:
            badge = badges[record.status] = format_html(
                '<span class="badge {}">{}</span>',
                STATUS_BADGES.get(record.status, "text-bg-light"),
                record.get_status_display(),
            )
        return badge

    def value_status(self, value, record):
        return record.get_status_display()

    def render_answer_due(self, value, record):
        date = value.strftime("%d.%m.%Y")
        if record.status != Claim.Status.FILED and not self.late(record):
            return format_html('<span class="text-body-secondary">{}</span>', date)
        if self.late(record):
            return format_html(
                '{} <span class="badge text-bg-danger" data-testid="overdue">{}</span>',
                date,
                _("просрочено"),
            )
        return date

    def value_answer_due(self, value, record):
        return value  # a date cell; the export's own column tells a late claim

    def value_overdue(self, value, record):
        return _("просрочено") if self.late(record) else ""
