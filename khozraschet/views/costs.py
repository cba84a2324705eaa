"""Pages of a section's cost plan (§5, table 6): the grid of articles with the month-end
corrections, and the masters' explanations of deviations.

Whoever reads the section's month (``khz.view``) reads its cost plan; the bureau and the
economist (``khz.cost``) enter it and correct it; the section's master (``khz.explain``)
explains its deviations. A closed month is shown read-only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprise import web
from enterprise.formsets import merge_stale, renewed_note
from enterprise.permissions import can
from enterprise.versions import StaleError, VersionForm

from ..forms.costs import CorrectionForm, CostGrid, DeviationNoteForm
from ..models import CostCorrection, DeviationNote
from ..selectors import costs as selectors
from ..selectors.sections import neighbour_months
from ..services import costs as services
from .sections import closed_reason, month_args, section_month


def _cost_url(section, period) -> str:
    return reverse("khozraschet:costs", args=month_args(section, period))


def _months(period) -> dict:
    earlier, later = neighbour_months(period)
    return {"earlier": earlier, "later": later}


def _notes_url(section, period) -> str:
    return reverse("khozraschet:explanations", args=month_args(section, period))


def _grid(section, period, table, data=None):
    rows = [r for r in table.rows]
    initial = [
        {
            "article": r.article.pk,
            "plan": r.line.plan if r.line else None,
            "actual": r.line.actual if r.line else None,
        }
        for r in rows
    ]
    formset = CostGrid(
        data,
        initial=initial,
        prefix="rows",
        keys=[r.article.pk for r in rows],
        labels={r.article.pk: r.article.name for r in rows},
    )
    lines = [r.line for r in rows if r.line is not None]
    version = VersionForm(data, current=lambda: services.cost_plan_version(lines))
    return formset, version


def _pairs(table, formset):
    forms = {str(form["article"].value()): form for form in formset.forms}
    return [(row, forms.get(str(row.article.pk))) for row in table.rows]


def _cost_page(
    request,
    section,
    period,
    *,
    formset=None,
    version=None,
    correction_form=None,
    problems=(),
    ask_confirm=False,
):
    user = request.user
    table = selectors.cost_table(section, period)
    may_edit = can(user, "khz.cost", section) and not period.is_closed
    if may_edit and formset is None:
        formset, version = _grid(section, period, table)
    if may_edit and correction_form is None:
        correction_form = CorrectionForm(articles=selectors.articles_of(period.enterprise_id))
    return render(
        request,
        "khozraschet/costs/plan.html",
        {
            "section": section,
            "period": period,
            "table": table,
            "pairs": _pairs(table, formset) if may_edit else [(r, None) for r in table.rows],
            "formset": formset if may_edit else None,
            "version": version,
            "correction_form": correction_form if may_edit else None,
            "corrections": selectors.corrections_of(section, period),
            "can_edit": may_edit,
            "read_only": period.is_closed,
            "closed_reason": closed_reason(period) if period.is_closed else "",
            "problems": list(problems),
            "ask_confirm": ask_confirm,
            "notes_count": len(selectors.deviation_notes_of(section, period)),
            **_months(period),
        },
    )


@login_required
def cost_plan(request, section_pk, year, month):
    user = request.user
    section, period = section_month(user, section_pk, year, month)
    web.allow(user, "khz.view", section)
    if request.method != "POST":
        return _cost_page(request, section, period)
    web.allow(user, "khz.cost", section)
    if period.is_closed:
        messages.error(request, closed_reason(period))
        return redirect(request.path)
    table = selectors.cost_table(section, period)
    formset, version = _grid(section, period, table, request.POST)
    problems: list[str] = []
    ask_confirm = False
    if formset.is_valid():
        rows = [
            services.CostPlanRow(
                article_id=form.cleaned_data["article"],
                plan=form.cleaned_data.get("plan"),
                actual=form.cleaned_data.get("actual"),
            )
            for form in formset
        ]
        try:
            services.cost_plan_save(
                section=section,
                period=period,
                rows=rows,
                user=user,
                version=version.token,
                confirmed=request.POST.get("confirm") == "1",
            )
        except services.RowErrors as errors:
            ask_confirm = isinstance(errors, services.UnlikelyFigures)
            forms = {form.cleaned_data["article"]: form for form in formset}
            for article_id, texts in errors.messages_by_row.items():
                form = forms.get(article_id)
                for text in texts:
                    if form is not None:
                        form.add_error(None, text)
                    else:
                        problems.append(text)
        except PermissionDenied:
            raise Http404 from None
        except StaleError as error:
            version.renew_version(error.current)
            head, *rest = error.messages
            renewed = merge_stale(formset, error)
            problems.extend([head, *([renewed_note(renewed)] if renewed else []), *rest])
        except ValidationError as error:
            problems.extend(error.messages)
        else:
            messages.success(
                request, _("Смета затрат за %(period)s сохранена.") % {"period": period}
            )
            return redirect(request.path)
    return _cost_page(
        request,
        section,
        period,
        formset=formset,
        version=version,
        problems=problems,
        ask_confirm=ask_confirm,
    )


@login_required
@require_POST
def correction_add(request, section_pk, year, month):
    user = request.user
    section, period = section_month(user, section_pk, year, month)
    web.allow(user, "khz.cost", section)
    if period.is_closed:
        messages.error(request, closed_reason(period))
        return redirect(_cost_url(section, period))
    form = CorrectionForm(request.POST, articles=selectors.articles_of(period.enterprise_id))
    if form.is_valid():
        data = form.cleaned_data
        saved = web.run(
            request,
            lambda: services.cost_correction_add(
                section=section,
                period=period,
                article=data["article"],
                amount=data["amount"],
                reason=data["reason"],
                user=user,
            ),
            form=form,
            submission=form.submission_token,
            success=_("Поправка плана записана."),
        )
        if saved:
            return redirect(_cost_url(section, period) + "#corrections")
    return _cost_page(request, section, period, correction_form=form)


@login_required
def correction_delete(request, section_pk, year, month, pk):
    user = request.user
    section, period = section_month(user, section_pk, year, month)
    web.allow(user, "khz.cost", section)
    correction = get_object_or_404(
        CostCorrection.objects.filter(section=section, period=period).select_related(
            "article", "author"
        ),
        pk=pk,
    )
    if correction.author_id != user.pk:
        raise Http404
    if period.is_closed:
        messages.error(request, closed_reason(period))
        return redirect(_cost_url(section, period))
    if request.method == "POST":
        done = web.run(
            request,
            lambda: services.cost_correction_delete(correction=correction, user=user),
            success=_("Поправка плана удалена."),
        )
        if done:
            return redirect(_cost_url(section, period) + "#corrections")
        return redirect(_cost_url(section, period))
    return render(
        request,
        "khozraschet/costs/correction_delete.html",
        {"section": section, "period": period, "correction": correction},
    )


# --- the masters' explanations ---------------------------------------------------------------


def _note_form(section, period, user, data=None, instance=None) -> DeviationNoteForm:
    instance = instance or DeviationNote(section=section, period=period, author=user)
    return DeviationNoteForm(
        data, instance=instance, articles=selectors.articles_of(period.enterprise_id)
    )


@login_required
def explanations(request, section_pk, year, month):
    user = request.user
    section, period = section_month(user, section_pk, year, month)
    web.allow(user, "khz.view", section)
    may_explain = can(user, "khz.explain", section) and not period.is_closed
    if request.method == "POST":
        web.allow(user, "khz.explain", section)
        if period.is_closed:
            messages.error(request, closed_reason(period))
            return redirect(request.path)
    form = _note_form(section, period, user, request.POST or None) if may_explain else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = web.run(
            request,
            lambda: services.deviation_note_add(
                section=section,
                period=period,
                article=data["article"],
                part=data["part"],
                deviation=data["deviation"],
                explanation=data["explanation"],
                user=user,
            ),
            form=form,
            submission=form.submission_token,
            success=_("Объяснение отклонения записано."),
        )
        if saved:
            return redirect(request.path)
    table = selectors.cost_table(section, period)
    return render(
        request,
        "khozraschet/costs/explanations.html",
        {
            "section": section,
            "period": period,
            "notes": selectors.deviation_notes_of(section, period),
            "deviations": [r for r in table.rows if r.deviation],
            "form": form,
            "can_explain": may_explain,
            "read_only": period.is_closed,
            "closed_reason": closed_reason(period) if period.is_closed else "",
            **_months(period),
        },
    )


@login_required
def explanation_edit(request, section_pk, year, month, pk):
    user = request.user
    section, period = section_month(user, section_pk, year, month)
    web.allow(user, "khz.explain", section)
    note = get_object_or_404(
        DeviationNote.objects.filter(section=section, period=period, author=user), pk=pk
    )
    if period.is_closed:
        messages.error(request, closed_reason(period))
        return redirect(_notes_url(section, period))
    form = _note_form(section, period, user, request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = web.run(
            request,
            lambda: services.deviation_note_edit(
                note=note,
                article=data["article"],
                part=data["part"],
                deviation=data["deviation"],
                explanation=data["explanation"],
                user=user,
                version=form.posted_version,
            ),
            form=form,
            success=_("Объяснение сохранено."),
        )
        if saved:
            return redirect(_notes_url(section, period))
    return render(
        request,
        "khozraschet/costs/explanation_form.html",
        {"section": section, "period": period, "note": note, "form": form},
    )
