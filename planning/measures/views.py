"""Pages of org-technical measures (§5, tables 20–21) and of the workers' accounts.

Thin views: the object for this user (404 outside scope) → the action's check (404 when
it is not the user's) → form → service → message → redirect.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprise import web
from enterprise.fields import safe_int
from enterprise.lists import ScopedListView
from enterprise.models import Worker
from enterprise.permissions import can

from . import selectors, services, xlsx
from .filtersets import MeasureFilterSet
from .forms import MeasureForm, SavingsForm, StatusForm
from .models import OrgMeasure, SavingsEntry
from .tables import MeasureTable


def _measure(user, pk) -> OrgMeasure:
    return get_object_or_404(selectors.measures_for(user).select_related("enterprise"), pk=pk)


def _year(request, default: int | None = None) -> int:
    year = safe_int(request.GET.get("year"), minimum=1960, maximum=2100)
    if year is not None:
        return year
    return default or timezone.localdate().year


# --- the catalogue -----------------------------------------------------------------------------


class MeasureListView(ScopedListView):
    model = OrgMeasure
    table_class = MeasureTable
    filterset_class = MeasureFilterSet
    export_name = "measures"
    template_name = "planning/measure_list.html"
    title = gettext_lazy("Оргтехмероприятия")

    def get_queryset(self):
        return selectors.measures_for(self.request.user)

    def get_create_url(self):
        if can(self.request.user, "measure.edit"):
            return reverse("planning:measure_create")
        return None


@login_required
def measure_detail(request, pk):
    measure = _measure(request.user, pk)
    return _detail(request, measure)


def _detail(request, measure: OrgMeasure, status_form: StatusForm | None = None, status=200):
    user = request.user
    may_edit = can(user, "measure.edit", measure)
    if status_form is None and may_edit:
        status_form = StatusForm(measure=measure)
    if status_form is not None and not status_form.fields["status"].choices:
        status_form = None
    authors = selectors.measure_authors(measure)
    return render(
        request,
        "planning/measure_detail.html",
        {
            "measure": measure,
            "calc": selectors.calculation(measure),
            "authors": authors,
            "visible_workers": selectors.visible_worker_ids(user, authors),
            "savings": selectors.measure_savings(user, measure),
            "can_edit": may_edit,
            "status_form": status_form if may_edit else None,
            "history": web.history(user, measure),
        },
        status=status,
    )


@login_required
def measure_edit(request, pk=None):
    user = request.user
    if pk is None:
        web.allow(user, "measure.edit")
        measure = OrgMeasure()
        sections = selectors.editable_sections(user)
        if not sections.exists():
            raise Http404
    else:
        measure = _measure(user, pk)
        web.allow(user, "measure.edit", measure)
        sections = selectors.editable_sections(user, also=measure.section_id)
    form = MeasureForm(request.POST or None, instance=measure, sections=sections)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        authors = form.cleaned_data.get("authors") or []
        if pk is None:
            save = services.measure_create
        else:
            save = partial(
                services.measure_update,
                version=form.posted_version,
                fields=tuple(form.version_group(instance)[1]),
            )
        saved = web.run(
            request,
            lambda: save(measure=instance, authors=authors, user=user),
            form=form,
            submission=form.submission_token if pk is None else None,
            success=_("Мероприятие сохранено."),
        )
        if saved:
            return redirect(saved)
    return render(
        request,
        "planning/measure_form.html",
        {
            "form": form,
            "title": _("Новое оргтехмероприятие") if pk is None else str(measure),
            "cancel_url": measure.get_absolute_url() if pk else reverse("planning:measure_list"),
        },
    )


@login_required
@require_POST
def measure_status(request, pk):
    user = request.user
    measure = _measure(user, pk)
    web.allow(user, "measure.edit", measure)
    form = StatusForm(request.POST, measure=measure)
    if form.is_valid():
        data = form.cleaned_data
        done = web.run(
            request,
            lambda: services.measure_set_status(
                measure=measure,
                status=data["status"],
                completed_on=data.get("completed_on"),
                user=user,
            ),
            form=form,
        )
        if done:
            messages.success(
                request,
                _("Мероприятие теперь «%(status)s».") % {"status": done.get_status_display()},
            )
            return redirect(done)
    return _detail(request, measure, status_form=form)


# --- the summary (tables 20–21) ----------------------------------------------------------------


@login_required
def measure_summary(request):
    user = request.user
    units = selectors.summary_units(user)
    if not units:
        raise Http404
    by_key = {unit.key: unit for unit in units}
    unit = by_key.get(request.GET.get("unit", ""), units[0])
    year = _year(request)
    result = selectors.summary(user, unit, year)
    if request.GET.get("_export") == "xlsx":
        response = HttpResponse(
            xlsx.summary_xlsx(result),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="measures-{year}.xlsx"'
        return response
    return render(
        request,
        "planning/measure_summary.html",
        {
            "summary": result,
            "units": units,
            "unit": unit,
            "year": year,
            "years": range(timezone.localdate().year + 1, timezone.localdate().year - 6, -1),
        },
    )


# --- the workers' accounts ---------------------------------------------------------------------


def _worker(user, pk) -> Worker:
    return get_object_or_404(
        Worker.objects.visible_to(user).select_related("section__shop", "profession", "enterprise"),
        pk=pk,
    )


def _savings_form(worker: Worker, data=None) -> SavingsForm:
    return SavingsForm(data, worker=worker, measures=selectors.measures_offered(worker))


def _account(request, worker: Worker, year: int, form: SavingsForm | None = None, status=200):
    user = request.user
    may_edit = can(user, "savings.edit", worker)
    if form is None and may_edit:
        form = _savings_form(worker)
    return render(
        request,
        "planning/account.html",
        {
            "worker": worker,
            "account": selectors.account(user, worker, year),
            "form": form if may_edit else None,
            "can_edit": may_edit,
            "open_period_ids": selectors.open_period_ids(worker) if may_edit else set(),
        },
        status=status,
    )


@login_required
def account(request, pk):
    worker = _worker(request.user, pk)
    return _account(request, worker, _year(request))


@login_required
@require_POST
def savings_add(request, pk):
    user = request.user
    worker = _worker(user, pk)
    web.allow(user, "savings.edit", worker)
    form = _savings_form(worker, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        entry = web.run(
            request,
            lambda: services.savings_add(
                worker=worker,
                period=data["period"],
                kind=data["kind"],
                amount=data["amount"],
                description=data["description"],
                measure=data.get("measure"),
                user=user,
            ),
            form=form,
            submission=form.submission_token,
            success=_("Экономия записана на лицевой счёт."),
        )
        if entry:
            return redirect(_account_url(worker, entry.period.year))
    year = form.cleaned_data["period"].year if form.cleaned_data.get("period") else _year(request)
    return _account(request, worker, year, form=form)


def _account_url(worker: Worker, year: int) -> str:
    return f"{reverse('planning:account', args=[worker.pk])}?year={year}"


@login_required
@require_POST
def savings_delete(request, pk):
    user = request.user
    entry = get_object_or_404(
        SavingsEntry.objects.visible_to(user).select_related("worker__section", "period"), pk=pk
    )
    web.allow(user, "savings.edit", entry)
    try:
        services.savings_delete(entry=entry, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("Запись удалена с лицевого счёта."))
    return redirect(_account_url(entry.worker, entry.period.year))
