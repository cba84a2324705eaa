"""Plan sheets: one worker's sheet as PDF, and batches printed in the background.

A batch is ordered on the list page (a unit the user may print, the year), then watched
on its own page: a progress bar polls :func:`print_status` until the file is ready. The
user may leave and come back — the page shows the job's state as it is. A batch and its
file are its requester's alone; for anybody else they are not there (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprise import web
from enterprise.models import Section, Shop
from enterprise.submissions import SubmittedOnce
from planning.plans import printing, selectors
from planning.plans.models import PrintJob

JOBS_SHOWN = 30


@login_required
def plan_pdf(request, pk):
    """One worker's plan sheet, inline, for whoever sees the plan."""
    from planning.plans.pdf import render_sheet
    from planning.plans.sheets import sheet_for

    plan = get_object_or_404(selectors.plans_for(request.user), pk=pk)
    sheet = sheet_for(plan)
    response = HttpResponse(render_sheet(sheet), content_type="application/pdf")
    filename = f"plan-{sheet.personnel_number}-{sheet.year}-{sheet.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- batches ---------------------------------------------------------------------------------


def _job(user, pk) -> PrintJob:
    return get_object_or_404(
        PrintJob.objects.visible_to(user).select_related("enterprise", "shop", "section__shop"),
        pk=pk,
    )


def _years(user) -> list[int]:
    """Years to offer: those with plans the user sees, and the current and next year."""
    today = timezone.localdate()
    years = selectors.plan_years(user)
    years |= {today.year, today.year + 1}
    return sorted(years, reverse=True)


def _year(request, years: list[int]) -> int:
    today = timezone.localdate().year
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = today
    return year if year in years else today


@login_required
def print_list(request):
    """The user's own batches, and the units they may order a batch of."""
    web.allow(request.user, "plan.print_batch")
    years = _years(request.user)
    year = _year(request, years)
    jobs = selectors.print_jobs_of(request.user, JOBS_SHOWN)
    return render(
        request,
        "planning/print_list.html",
        {
            "jobs": jobs,
            "units": printing.printable_units(request.user, year),
            "years": years,
            "year": year,
        },
    )


def _unit_from_post(request) -> tuple[Shop | None, Section | None]:
    """The shop or section posted (404 when the user does not see it)."""

    def pk(name):
        raw = request.POST.get(name, "").strip()
        if not raw:
            return None
        if not raw.isdigit():
            raise Http404
        return int(raw)

    shop_pk, section_pk = pk("shop"), pk("section")
    section = (
        get_object_or_404(
            Section.objects.visible_to(request.user).select_related("shop"), pk=section_pk
        )
        if section_pk
        else None
    )
    shop = get_object_or_404(Shop.objects.visible_to(request.user), pk=shop_pk) if shop_pk else None
    return shop, section


@login_required
@require_POST
def print_create(request):
    """Order a batch: ``year``, and ``shop`` or ``section`` (neither: the whole plant)."""
    web.allow(request.user, "plan.print_batch")
    shop, section = _unit_from_post(request)
    back = reverse("planning:print_list")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Укажите год."))
        return redirect(back)
    back = f"{back}?year={year}"
    order = SubmittedOnce(request.POST)
    if not order.is_valid():
        for message in order.non_field_errors():
            messages.error(request, message)
        return redirect(back)
    job = web.run(
        request,
        lambda: printing.print_job_create(user=request.user, year=year, shop=shop, section=section),
        submission=order.submission_token,
        success=lambda job: (
            _("Печать заказана (листов: %(n)s). Можно уйти со страницы — файл будет ждать здесь.")
            % {"n": job.total}
        ),
    )
    return redirect(job) if job else redirect(back)


@login_required
def print_detail(request, pk):
    """The batch's progress (updated by static/js/print-progress.js) and its file."""
    job = _job(request.user, pk)
    return render(
        request,
        "planning/print_detail.html",
        {"job": job, "state": _state(job), "stalled": printing.job_stalled(job)},
    )


@login_required
@require_POST
def print_resume(request, pk):
    """Queue again what a stopped worker left of the batch (its requester's button)."""
    job = _job(request.user, pk)
    if printing.job_stalled(job):
        printing.print_job_resume(job=job)
        messages.success(request, _("Печать продолжится с того места, где остановилась."))
    else:
        messages.info(request, _("Печать не остановилась: продолжать нечего."))
    return redirect("planning:print_detail", job.pk)


def _state(job: PrintJob) -> dict:
    url = (
        reverse("planning:print_download", args=[job.pk]) if job.status == job.Status.DONE else None
    )
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "merging": job.status == job.Status.RUNNING and 0 < job.total <= job.done,
        "url": url,
        "error": job.error if job.status == job.Status.FAILED else "",
        "finished": job.finished,
    }


@login_required
def print_status(request, pk):
    """The batch's state as JSON: status, done, total, percent, url (when done), error."""
    job = _job(request.user, pk)
    response = JsonResponse(_state(job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def print_download(request, pk):
    """The batch's merged PDF, as an attachment, for its requester once it is done."""
    job = _job(request.user, pk)
    if job.status != PrintJob.Status.DONE or not job.file:
        raise Http404
    filename = f"plan-sheets-{job.year}-{job.pk}.pdf"
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
