"""Pages of personal plans: object for this user (404 outside scope) → form → service →
message → redirect. An action the user may not perform is, for them, not there (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprise import web
from enterprise.fields import safe_int
from enterprise.lists import ScopedListView
from enterprise.models import Section, Shop, Worker
from enterprise.money import KOPECK, THOUSANDTH, half_even, half_up
from enterprise.permissions import can
from enterprise.plausibility import is_confirmed
from planning.plans import calculation, forms, selectors, services
from planning.plans.filtersets import PlanFilterSet
from planning.plans.models import DEFAULT_TIME_FUND, PersonalPlan, SectionTask
from planning.plans.tables import PlanTable

P = PersonalPlan


# Who drafted, recorded the agreement and signed: the plan's page names them all.
SIGNERS = (
    "drafted_by",
    "worker_agreed_recorded_by",
    "master_signed_by",
    "economist_signed_by",
    "shop_head_signed_by",
)


def plan_of(user, pk) -> PersonalPlan:
    return get_object_or_404(selectors.plans_for(user), pk=pk)


def section_of(user, pk) -> Section:
    return get_object_or_404(Section.objects.visible_to(user).select_related("shop"), pk=pk)


def signatures_on(user, section) -> list[str]:
    """The signatures (``master`` / ``economist`` / ``shop_head``) the user's roles give
    him on the section's plans."""
    return [
        key for key, (action, _by, _at) in services.SIGNATURES.items() if can(user, action, section)
    ]


def section_plans_url(section, year: int) -> str:
    return f"{reverse('planning:section_plans', args=[section.pk])}?year={year}"


def _year(value, default=None) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default or timezone.localdate().year
    if not 1960 <= year <= 2100:
        raise Http404
    return year


class PlanListView(ScopedListView):
    model = PersonalPlan
    table_class = PlanTable
    filterset_class = PlanFilterSet
    select_related = ("worker__profession", "section__shop")
    title = gettext_lazy("Личные планы")
    export_name = "personal-plans"

    def get_queryset(self):
        return selectors.plans_for(self.request.user)


@login_required
def plan_checks(request):
    """§4 for every section the user sees: the sum of its plans against its task."""
    web.allow(request.user, "plan.view_section")
    year = _year(request.GET.get("year"))
    shop = None
    if request.GET.get("shop"):
        shop_pk = safe_int(request.GET["shop"])
        if shop_pk is None:
            raise Http404
        shop = get_object_or_404(Shop.objects.visible_to(request.user), pk=shop_pk)
    sections = selectors.checked_sections(request.user, shop)
    if not sections:
        raise Http404
    checks = selectors.section_checks(sections, year)
    return render(
        request,
        "planning/plan_checks.html",
        {
            "year": year,
            "years": range(year - 2, year + 3),
            "shop": shop,
            "shops": selectors.shops_to_check(request.user),
            "checks": checks,
        },
    )


def _method_form_initial(section, year, task) -> dict:
    return {
        "method": P.Method.TABLE
        if selectors.has_correction_table(section.shop.enterprise_id)
        else P.Method.AVERAGE,
        "annual_time_fund": DEFAULT_TIME_FUND,
        "five_year_from": services.five_year_start(year),
        "growth_percent": task.growth_percent if task else None,
        "section_growth_percent": task.growth_percent if task else None,
        "section_norm_fulfilment": task.norm_fulfilment if task else None,
    }


@login_required
def section_plans(request, pk):
    """A section's plans for a year: the §4 check, each worker's plan and its signatures,
    and the section-wide calculation by a method (preview, then drafts)."""
    section = section_of(request.user, pk)
    web.allow(request.user, "plan.view_section", section)
    year = _year(request.GET.get("year"))
    task = selectors.section_task(section, year)
    can_edit = can(request.user, "plan.edit", section)
    proposal = None
    form = forms.SectionMethodForm(initial=_method_form_initial(section, year, task))
    if request.method == "POST":
        web.allow(request.user, "plan.edit", section)
        form = forms.SectionMethodForm(request.POST)
        if form.is_valid():
            params = form.params()
            method = form.cleaned_data["method"]
            if "save" in request.POST:
                proposal = web.run(
                    request,
                    lambda: services.plans_set_by_method(
                        section=section,
                        year=year,
                        method=method,
                        params=params,
                        user=request.user,
                        five_year_from=params.get("five_year_from"),
                        confirmed=is_confirmed(request.POST),
                    ),
                    form=form,
                )
                if proposal:
                    saved = {"count": len(proposal.ready)}
                    messages.success(
                        request, _("Рассчитано и сохранено черновиков планов: %(count)s.") % saved
                    )
                    left = [r for r in proposal.rows if not r.ok]
                    if left:
                        messages.warning(
                            request,
                            _("Не изменены планы рабочих: %(count)s — причины в таблице ниже.")
                            % {"count": len(left)},
                        )
                        proposal = services.section_proposal(
                            section=section, year=year, method=method, params=params
                        )
                    else:
                        return redirect(section_plans_url(section, year))
            else:
                proposal = services.section_proposal(
                    section=section, year=year, method=method, params=params
                )
    # with the professions the rows show: a leaver's comes with his plan
    plans = selectors.plans_in_force([section.pk], year, related=("worker__profession",))
    workers = selectors.section_workers(section)
    known = {w.pk for w in workers}
    # Plans of workers who have left the section since are listed too.
    leavers = [p.worker for wid, p in plans.items() if wid not in known]
    rows = [(w, plans.get(w.pk)) for w in [*workers, *leavers]]
    (check,) = selectors.section_checks([section], year)
    preview_check = None
    if proposal is not None and task is not None and proposal.ready:
        from planning.plans import rules

        preview_check = selectors.check_message(
            rules.plans_vs_section_task(proposal.total, task.task, task.sound_upper_percent)
        )
    return render(
        request,
        "planning/section_plans.html",
        {
            "section": section,
            "year": year,
            "task": task,
            "rows": rows,
            "check": check,
            "form": form,
            "proposal": proposal,
            "preview_check": preview_check,
            "can_edit": can_edit,
            "can_edit_task": can(request.user, "section_task.edit", section),
            "can_print": can(request.user, "plan.print_batch", section),
            "can_sign": bool(signatures_on(request.user, section)),
            "growth_split": _growth_split(section, year, task),
            "correction_cells": selectors.correction_cells(section.shop.enterprise_id),
        },
    )


def _growth_split(section, year, task):
    """§5: the section's planned growth split into the share from org-technical measures
    and the share left to the workers' skill (None without a task or measures)."""
    if task is None:
        return None
    try:
        from planning.measures.selectors import growth_from_measures
    except ImportError:  # pragma: no cover - the measures module is part of the app
        return None
    reduction, released, growth = growth_from_measures([section.pk], year).get(
        section.pk, (None, None, None)
    )
    if growth is None:
        return None
    return {
        "planned": task.growth_percent,
        "measures": growth,
        "skill": task.growth_percent - growth,
        "released": released,
        "reduction": reduction,
    }


@login_required
def section_task_edit(request, pk):
    section = section_of(request.user, pk)
    year = _year(request.GET.get("year"))
    task = selectors.section_task(section, year) or SectionTask(
        section=section, year=year, enterprise_id=section.shop.enterprise_id
    )
    web.allow(request.user, "section_task.edit", task)
    form = forms.SectionTaskForm(request.POST or None, instance=task)
    if (
        request.method == "POST"
        and form.is_valid()
        and web.run(
            request,
            lambda: services.section_task_save(task=form.instance, user=request.user),
            form=form,
            success=_("Задание участка сохранено."),
        )
    ):
        return redirect(section_plans_url(section, year))
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("Задание участка %(section)s на %(year)s год")
            % {"section": section, "year": year},
            "help": _(
                "С заданием сверяется сумма личных планов участка (допустимо превышение до "
                "4–10 %); рост Пу и выполнение норм Ну подставляются в расчёт планов."
            ),
            "cancel_url": section_plans_url(section, year),
        },
    )


def _plan_form_page(request, form, worker, year, plan=None):
    return render(
        request,
        "planning/plan_form.html",
        {
            "form": form,
            "worker": worker,
            "year": year,
            "plan": plan,
            "method_fields": {m: list(names) for m, names in forms.METHOD_FIELDS.items()},
        },
    )


def _save_plan(request, form, worker, year, plan=None):
    saved = web.run(
        request,
        lambda: services.plan_save_draft(
            worker=worker,
            year=year,
            method=form.cleaned_data["method"],
            values=form.inputs(),
            user=request.user,
            plan=plan,
            five_year_from=form.cleaned_data.get("five_year_from"),
            output_unit=form.cleaned_data.get("output_unit"),
            unit=form.cleaned_data.get("unit"),
            commitments=form.commitments(),
            confirmed=is_confirmed(request.POST),
        ),
        form=form,
        submission=form.submission_token if plan is None else None,
        success=_("План рассчитан и сохранён как черновик."),
    )
    return redirect(saved) if saved else None


@login_required
def plan_create(request, worker_pk):
    worker = get_object_or_404(
        Worker.objects.visible_to(request.user).select_related("section__shop"), pk=worker_pk
    )
    year = _year(request.GET.get("year"))
    draft = P(
        enterprise_id=worker.enterprise_id,
        worker=worker,
        section=worker.section,
        year=year,
        five_year_from=services.five_year_start(year),
    )
    web.allow(request.user, "plan.edit", draft)
    existing = selectors.open_plan(worker, year)
    if existing is not None:
        messages.info(request, _("План рабочего на этот год уже есть."))
        return redirect(existing)
    task = selectors.section_task(worker.section, year)
    initial = {
        "five_year_from": draft.five_year_from,
        "annual_time_fund": DEFAULT_TIME_FUND,
        "section_growth_percent": task.growth_percent if task else None,
        "section_norm_fulfilment": task.norm_fulfilment if task else None,
        "output_unit": task.output_unit if task else None,
        "unit": task.unit if task else "нормо-ч",
    }
    base = services.base_year_figures([worker.pk], year).get(worker.pk)
    if base and base["hourly"] is not None:
        initial["base_output"] = half_up(base["hourly"] * DEFAULT_TIME_FUND, THOUSANDTH)
        initial["worker_norm_fulfilment"] = half_even(base["hourly"], KOPECK)
    form = forms.PlanForm(request.POST or None, initial=initial, instance=draft)
    if request.method == "POST" and form.is_valid():
        response = _save_plan(request, form, worker, year)
        if response is not None:
            return response
    return _plan_form_page(request, form, worker, year)


@login_required
def plan_edit(request, pk):
    plan = plan_of(request.user, pk)
    web.allow(request.user, "plan.edit", plan)
    if plan.status != P.Status.DRAFT:
        messages.info(request, _("Изменять можно только черновик плана."))
        return redirect(plan)
    form = forms.PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        response = _save_plan(request, form, plan.worker, plan.year, plan)
        if response is not None:
            return response
    return _plan_form_page(request, form, plan.worker, plan.year, plan)


def _tracking(plan):
    try:
        from planning.tracking.selectors import worker_tracking
    except ImportError:  # pragma: no cover - the tracking module is part of the app
        return None
    return worker_tracking(plan)


def _december(plan, tracking):
    """:func:`selectors.year_end`: the tracking's months are all the plan's year's months."""
    if tracking is None:
        return selectors.year_end(plan)
    return next((row.period for row in tracking if row.period.month == 12), None)


@login_required
def plan_detail(request, pk):
    plan = get_object_or_404(
        selectors.plans_for(request.user).select_related(*SIGNERS),
        pk=pk,
    )
    user = request.user
    versions, frame = selectors.versions_and_frame(plan)
    tracking = _tracking(plan)
    december = _december(plan, tracking)
    frozen = december is not None and december.is_closed
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "year_end": december if frozen else None,
            "steps": calculation.steps_of(plan),
            "frame": frame,
            "versions": versions if len(versions) > 1 else [],
            "tracking": tracking,
            "can_view_section": can(user, "plan.view_section", plan.section),
            **(FROZEN_ACTIONS if frozen else _actions(user, plan, versions)),
            "reason_form": forms.ReasonForm(),
            "revise_form": forms.ReviseForm(),
            "history": web.history(user, plan),
        },
    )


# A plan of a year whose December is closed: nothing to do on it (the page says why).
FROZEN_ACTIONS = {
    "can_edit": False,
    "can_agree": False,
    "sign_roles": [],
    "sign_blocked": None,
    "can_return": False,
    "can_revise": False,
}


def _actions(user, plan, versions) -> dict:
    return {
        "can_edit": plan.status == P.Status.DRAFT and can(user, "plan.edit", plan),
        "can_agree": plan.status == P.Status.DRAFT and can(user, "plan.agree", plan),
        "sign_roles": services.signable_roles(plan, user),
        "sign_blocked": services.sign_blocked(plan, user),
        "can_return": plan.status == P.Status.AGREED and can(user, "plan.return", plan),
        "can_revise": plan.status == P.Status.SIGNED
        and can(user, "plan.edit", plan)
        and not any(v.status in (P.Status.DRAFT, P.Status.AGREED) for v in versions),
    }


def _post_action(request, pk, call, success, form_class=None):
    return web.post_action(request, plan_of(request.user, pk), call, success, form_class)


@login_required
@require_POST
def plan_return(request, pk):
    return _post_action(
        request,
        pk,
        lambda plan, data: services.plan_return(
            plan=plan, reason=data["reason"], user=request.user
        ),
        _("План возвращён в черновик; согласие и подписи сняты."),
        forms.ReasonForm,
    )


@login_required
@require_POST
def plan_revise(request, pk):
    return _post_action(
        request,
        pk,
        lambda plan, data: services.plan_revise(
            plan=plan, reason=data["reason"], user=request.user
        ),
        _("Составлена новая редакция плана. Подписанный план действует, пока её не подпишут."),
        forms.ReviseForm,
    )
