"""The «Сравнение бригад» page (table 15): filters, table, charts, XLSX/CSV export."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprise.lists import PlantTableExport
from enterprise.models import Period, Section, Shop
from enterprise.scoping import scope_of

from . import reports, selectors

APPROVED, ALL = "approved", "all"
EXPORT_FORMATS = ("xlsx", "csv")


class PeriodChoiceField(forms.ModelChoiceField):
    show_enterprise = False

    def label_from_instance(self, obj):
        label = str(obj)  # lower-case, as every period label (Period.__str__)
        return f"{label} — {obj.enterprise}" if self.show_enterprise else label


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Цех %(shop)s, участок № %(number)s «%(name)s»") % {
            "shop": obj.shop.number,
            "number": obj.number,
            "name": obj.name,
        }


class ReportFilterForm(forms.Form):
    """The report's filters; only months and units the user may see are offered."""

    period = PeriodChoiceField(
        label=gettext_lazy("Месяц"), queryset=Period.objects.none(), required=False
    )
    shop = forms.ModelChoiceField(
        label=gettext_lazy("Цех"),
        queryset=Shop.objects.none(),
        required=False,
        empty_label=gettext_lazy("Все цеха"),
    )
    section = SectionChoiceField(
        label=gettext_lazy("Участок"),
        queryset=Section.objects.none(),
        required=False,
        empty_label=gettext_lazy("Все участки"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Распределения"),
        choices=[
            (APPROVED, gettext_lazy("только утверждённые")),
            (ALL, gettext_lazy("все, включая неутверждённые")),
        ],
        required=False,
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        scope = scope_of(user)
        period = self.fields["period"]
        period.queryset = reports.periods_with_documents(user).select_related("enterprise")
        period.empty_label = None
        period.show_enterprise = (
            scope.everything or len({g.enterprise_id for g in scope.grants}) > 1
        )
        self.fields["shop"].queryset = selectors.report_shops(user)
        self.fields["section"].queryset = selectors.report_sections(user)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        shop, section = data.get("shop"), data.get("section")
        if shop is not None and section is not None and section.shop_id != shop.pk:
            self.add_error("section", _("Этот участок не из выбранного цеха."))
        return data


def _export_name(period, export_format: str) -> str:
    month = f"-{period.year}-{period.month:02d}" if period else ""
    return f"brigades{month}.{export_format}"


@login_required
def report(request):
    user = request.user
    if not reports.may_view(user):
        # A worker sees his own line of a sheet, not his brigade's sums: no report for him.
        raise Http404
    form = ReportFilterForm(request.GET, user=user)
    data = form.cleaned_data if form.is_valid() else {}
    shop, section = data.get("shop"), data.get("section")
    include_unapproved = data.get("status") == ALL
    period = data.get("period")
    if period is None and not form.errors:
        period = reports.default_period(
            user, shop=shop, section=section, include_unapproved=include_unapproved
        )
        if period is not None:  # the select shows the month the report is for
            form.data = form.data.copy()
            form.data["period"] = period.pk
        else:
            form.fields["period"].empty_label = _("нет данных")
    comparison = reports.brigade_comparison(
        user, period, shop=shop, section=section, include_unapproved=include_unapproved
    )
    export = request.GET.get("_export")
    if export in EXPORT_FORMATS and not form.errors:
        return PlantTableExport(
            export,
            reports.comparison_table(comparison),
            dataset_kwargs={"title": _("Сравнение бригад")},
        ).response(_export_name(period, export))
    unapproved = 0
    if not comparison and not include_unapproved and period is not None:
        unapproved = reports.unapproved_count(user, period, shop=shop, section=section)
    return render(
        request,
        "brigades/report.html",
        {
            "form": form,
            "period": period,
            "comparison": comparison,
            "totals": comparison.totals,
            "charts": reports.comparison_charts(comparison),
            "include_unapproved": include_unapproved,
            "unapproved": unapproved,
            "export_formats": EXPORT_FORMATS,
            "filtered": bool(shop or section),
        },
    )
