import django_tables2 as tables
from django.template import Context
from django.template.base import render_value_in_context
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from enterprise.columns import NumberColumn

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
_CONTEXT = Context(autoescape=True)  # a template's: {{ cell }} localized, then escaped


class ClaimTable(tables.Table):
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
        # django-tables2's template with the rows written by body_html()
        template_name = "claims/_claim_table.html"
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

    def body_html(self) -> str:
        """The page's rows, as the ``table.tbody`` block of django-tables2's template
        writes them (the same cells and attributes; the whitespace between tags aside).

        The template recomputed each column's cell attributes and went through its tags
        for every cell of the page; here a column's attributes are computed once (per cell
        only when they are computed from the record), and each cell is the column's
        rendering (``BoundRow.get_cell``) written as ``{{ cell }}`` writes it."""
        columns = list(self.columns)
        fixed = {}
        for column in columns:
            own = {**self.attrs, **column.column.attrs}
            if not any(callable(v) for v in own.get("td", own.get("cell", {})).values()):
                fixed[column.name] = column.attrs["td"].as_html()
        rows = []
        for row in self.paginated_rows:
            cells = []
            for column in columns:
                value = row.get_cell(column.name)
                attrs = fixed.get(column.name)
                if attrs is None:
                    column.current_value, column.current_record = value, row.record
                    attrs = column.attrs["td"].as_html()
                cells.append(f"<td {attrs}>{render_value_in_context(value, _CONTEXT)}</td>")
            rows.append(f"<tr {row.attrs.as_html()}>\n{chr(10).join(cells)}\n</tr>")
        if not rows and self.empty_text:
            text = render_value_in_context(self.empty_text, _CONTEXT)
            rows.append(f'<tr><td colspan="{len(columns)}">{text}</td></tr>')
        # Each value is escaped as {{ cell }} escapes it; the attributes by as_html().
        return mark_safe("\n".join(rows))  # nosec B308 B703

    def render_status(self, value, record):
        return format_html(
            '<span class="badge {}">{}</span>',
            STATUS_BADGES.get(record.status, "text-bg-light"),
            record.get_status_display(),
        )

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
