"""Pages where the bureau (dispatcher) and the shop's economist enter a section's month
(``khz.enter``): the hub, the indicators' grid, the month's sheet, idle hours, energy
savings; and the incentive fund labour & wages hands down (``khz.fund``).

Thin views: the section for this user (404 outside the scope or without the action) →
the month (404 when the enterprise has none) → form → service → message → redirect. A
closed month is shown read-only; a post to it says why not and goes back.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from enterprise import web
from enterprise.models import Period, Section
from enterprise.permissions import can
from enterprise.versions import VersionForm

from ..forms.months import (
    ConfirmForm,
    EnergyFormSet,
    FundForm,
    IdleFormSet,
    IndicatorFormSet,
    SectionMonthForm,
)
from ..models import SectionMonth
from ..selectors import months as selectors
from ..services import months as services

# --- helpers ---------------------------------------------------------------------------------


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored figure as the user typed it: 1234.500 → 1234.5, 160.0 → 160."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _month(year: int, month: int) -> None:
    if not 1 <= month <= 12 or not 1900 <= year <= 2999:
        raise Http404


def _section_month(request, section_pk: int, year: int, month: int) -> tuple[Section, Period]:
    """The section (404 outside the user's scope or without ``khz.enter`` on it) and the
    month of its enterprise (404 when there is none)."""
    _month(year, month)
    section = get_object_or_404(
        Section.objects.visible_to(request.user).select_related("shop__enterprise"),
        pk=section_pk,
    )
    web.allow(request.user, "khz.enter", section)
    period = selectors.period_of(section.shop.enterprise_id, year, month)
    if period is None:
        raise Http404
    return section, period


def _closed_reason(period: Period) -> str:
    return _(
        "Период «%(period)s» закрыт: его данные не изменяются. Исправления вносятся в "
        "открытый период."
    ) % {"period": period}


def _refuse_closed(request, period: Period):
    """A post to a closed month: said at the top of the page it came from."""
    messages.error(request, _closed_reason(period))
    return redirect(request.path)


def _context(section: Section, period: Period, active: str, **extra) -> dict:
    return {
        "section": section,
        "period": period,
        "active": active,
        "read_only": period.is_closed,
        "closed_reason": _closed_reason(period) if period.is_closed else "",
        **extra,
    }


def _pairs(rows, formset, key: str, row_key) -> list:
    """Each grid row with its form, paired by the row's key (a posted grid may be older
    than the list: a row added meanwhile is shown without a form)."""
    forms = {str(form[key].value()): form for form in formset.forms}
    return [(row, forms.get(str(row_key(row)))) for row in rows]


def _saved(result) -> str:
    return _("Сохранено: новых строк %(c)s, изменено %(u)s, удалено %(d)s.") % {
        "c": result.created,
        "u": result.updated,
        "d": result.deleted,
    }


# --- the hub ---------------------------------------------------------------------------------


@login_required
def month_entry(request, section_pk, year, month):
    """What is entered of a section's month, with the pages to enter it."""
    section, period = _section_month(request, section_pk, year, month)
    return render(
        request,
        "khozraschet/months/hub.html",
        _context(
            section,
            period,
            "hub",
            counts=selectors.entry_counts(section, period),
            sheet=selectors.section_month(section, period),
            may_set_funds=can(request.user, "khz.fund", section.shop),
        ),
    )


def _save_grid(request, service, section, period, rows, formset, version):
    """A grid's rows through its service, its refusals shown on the grid and its version
    renewed when stale (:func:`enterprise.web.run`): the saved result, or None."""
    return web.run(
        request,
        lambda: service(
            section=section, period=period, rows=rows, user=request.user, version=version.token
        ),
        form=formset,
        version=version,
        success=_saved,
    )


# --- indicators ------------------------------------------------------------------------------


@login_required
def month_indicators(request, section_pk, year, month):
    section, period = _section_month(request, section_pk, year, month)
    posted = request.method == "POST"
    if posted and period.is_closed:
        return _refuse_closed(request, period)
    rows = selectors.indicator_rows(section, period)
    data = request.POST if posted else None
    formset = IndicatorFormSet(
        data,
        initial=[
            {
                "indicator": row.indicator.pk,
                "plan": _plain(row.value.plan) if row.value else None,
                "actual": _plain(row.value.actual) if row.value else None,
            }
            for row in rows
        ],
        prefix="rows",
        keys=[row.indicator.pk for row in rows],
        labels={row.indicator.pk: row.indicator.name for row in rows},
        automatic=[row.indicator.pk for row in rows if not row.manual],
    )
    version = VersionForm(
        data, current=lambda: services.indicators_version(row.value for row in rows if row.value)
    )
    confirm = ConfirmForm(data)
    if posted and formset.is_valid():
        confirmed = confirm.confirmed()
        entered = []
        for form in formset:
            key = form.cleaned_data["indicator"]
            plan, actual = form.cleaned_data.get("plan"), form.cleaned_data.get("actual")
            entered.append(
                services.IndicatorIn(
                    indicator_id=key,
                    plan=plan,
                    actual=actual,
                    confirmed=(key, plan, actual) in confirmed,
                )
            )
        saved = _save_grid(
            request, services.indicators_save, section, period, entered, formset, version
        )
        if saved:
            return redirect(request.path)
        if formset.unlikely:
            shown = [row for row in entered if row.indicator_id in formset.unlikely]
            confirm = ConfirmForm(
                initial={
                    "flagged": ConfirmForm.encode(
                        (row.indicator_id, row.plan, row.actual) for row in shown
                    )
                }
            )
    return render(
        request,
        "khozraschet/months/indicators.html",
        _context(
            section,
            period,
            "indicators",
            pairs=_pairs(rows, formset, "indicator", lambda row: row.indicator.pk),
            formset=formset,
            version=version,
            confirm=confirm,
            asking=bool(formset.unlikely),
            ratio=_plain(selectors.settings_for(period.enterprise_id).unlikely_ratio),
        ),
    )


# --- the month's sheet -----------------------------------------------------------------------


@login_required
def month_sheet(request, section_pk, year, month):
    section, period = _section_month(request, section_pk, year, month)
    posted = request.method == "POST"
    if posted and period.is_closed:
        return _refuse_closed(request, period)
    sheet = selectors.section_month(section, period)
    data = request.POST if posted else None
    initial = {}
    if sheet is not None:
        initial = {
            name: _plain(value) if isinstance(value, Decimal) else value
            for name in services.SHEET_FIELDS
            if (value := getattr(sheet, name)) is not None
        }
    form = SectionMonthForm(
        data, instance=SectionMonth(section=section, period=period), initial=initial
    )
    version = VersionForm(data, current=lambda: services.section_month_version(sheet))
    if posted and form.is_valid():
        saved = web.run(
            request,
            lambda: services.section_month_save(
                section=section,
                period=period,
                values={name: form.cleaned_data[name] for name in services.SHEET_FIELDS},
                user=request.user,
                version=version.token,
            ),
            form=form,
            version=version,
            success=_("Данные месяца участка сохранены."),
        )
        if saved:
            return redirect(request.path)
    return render(
        request,
        "khozraschet/months/sheet.html",
        _context(section, period, "sheet", form=form, version=version, sheet=sheet),
    )


# --- idle hours by cause -----------------------------------------------------------------------


@login_required
def month_idle(request, section_pk, year, month):
    section, period = _section_month(request, section_pk, year, month)
    posted = request.method == "POST"
    if posted and period.is_closed:
        return _refuse_closed(request, period)
    rows = selectors.idle_rows(section, period)
    data = request.POST if posted else None
    formset = IdleFormSet(
        data,
        initial=[
            {"cause": row.cause, "hours": _plain(row.record.hours) if row.record else None}
            for row in rows
        ],
        prefix="rows",
        keys=[row.cause for row in rows],
        labels={row.cause: row.label for row in rows},
    )
    version = VersionForm(
        data, current=lambda: services.idle_version(row.record for row in rows if row.record)
    )
    if posted and formset.is_valid():
        entered = [
            services.IdleIn(cause=form.cleaned_data["cause"], hours=form.cleaned_data.get("hours"))
            for form in formset
        ]
        saved = _save_grid(request, services.idle_save, section, period, entered, formset, version)
        if saved:
            return redirect(request.path)
    total = sum((row.record.hours for row in rows if row.record), Decimal(0))
    sheet = selectors.section_month(section, period)
    shift_fund = sheet.shift_fund_hours if sheet else None
    shares = [
        (
            row,
            form,
            row.record.hours * 100 / total if row.record and total else None,
            row.record.hours * 100 / shift_fund if row.record and shift_fund else None,
        )
        for row, form in _pairs(rows, formset, "cause", lambda row: row.cause)
    ]
    return render(
        request,
        "khozraschet/months/idle.html",
        _context(
            section,
            period,
            "idle",
            rows=shares,
            formset=formset,
            version=version,
            total=total,
            shift_fund=shift_fund,
            total_share=total * 100 / shift_fund if shift_fund else None,
        ),
    )


# --- energy savings ----------------------------------------------------------------------------


@login_required
def month_energy(request, section_pk, year, month):
    section, period = _section_month(request, section_pk, year, month)
    posted = request.method == "POST"
    if posted and period.is_closed:
        return _refuse_closed(request, period)
    rows = selectors.energy_rows(section, period)
    data = request.POST if posted else None
    formset = EnergyFormSet(
        data,
        initial=[
            {
                "resource": row.resource,
                "saved_value": row.saving.saved_value if row.saving else None,
                "percent": _plain(row.saving.percent) if row.saving else None,
            }
            for row in rows
        ],
        prefix="rows",
        keys=[row.resource for row in rows],
        labels={row.resource: row.label for row in rows},
    )
    version = VersionForm(
        data, current=lambda: services.energy_version(row.saving for row in rows if row.saving)
    )
    if posted and formset.is_valid():
        entered = [
            services.EnergyIn(
                resource=form.cleaned_data["resource"],
                saved_value=form.cleaned_data.get("saved_value"),
                percent=form.cleaned_data.get("percent"),
            )
            for form in formset
        ]
        saved = _save_grid(
            request, services.energy_save, section, period, entered, formset, version
        )
        if saved:
            return redirect(request.path)
    settings = selectors.settings_for(period.enterprise_id)
    return render(
        request,
        "khozraschet/months/energy.html",
        _context(
            section,
            period,
            "energy",
            pairs=_pairs(rows, formset, "resource", lambda row: row.resource),
            formset=formset,
            version=version,
            settings=settings,
        ),
    )


# --- the incentive fund ------------------------------------------------------------------------


@login_required
def funds(request, year, month):
    """The month's incentive funds of the plant's sections and of its shops."""
    _month(year, month)
    enterprise = web.current_enterprise(request)
    web.allow(request.user, "khz.fund", enterprise)
    period = selectors.period_of(enterprise.pk, year, month)
    if period is None:
        raise Http404
    posted = request.method == "POST"
    if posted and period.is_closed:
        return _refuse_closed(request, period)
    form = FundForm(request.POST if posted else None, shops=selectors.fund_shops(enterprise))
    if posted and form.is_valid():
        saved = web.run(
            request,
            lambda: services.fund_set(
                enterprise=enterprise,
                period=period,
                shop=form.cleaned_data["shop"],
                amount=form.cleaned_data["amount"],
                user=request.user,
            ),
            form=form,
            submission=form.submission_token,
            success=_("Поощрительный фонд сохранён."),
        )
        if saved:
            return redirect(request.path)
    return render(
        request,
        "khozraschet/months/funds.html",
        {
            "enterprise": enterprise,
            "period": period,
            "funds": selectors.funds_of(enterprise, period),
            "form": form,
            "read_only": period.is_closed,
            "closed_reason": _closed_reason(period) if period.is_closed else "",
        },
    )
