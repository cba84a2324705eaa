"""Pages of the brigades app: object for this user (404 outside scope) → form → service →
message → redirect. Actions a user may not perform are, for them, not there (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprise import web
from enterprise.lists import ScopedListView
from enterprise.models.roles import Role
from enterprise.permissions import can
from enterprise.plausibility import is_confirmed
from enterprise.scoping import scope_of
from enterprise.selectors import history_for
from enterprise.versions import VersionForm

from . import forms, permissions, selectors, services
from .filtersets import BrigadeFilterSet, DistributionFilterSet
from .models import Brigade, Distribution, Membership
from .tables import BrigadeTable, DistributionTable


def _brigade(user, pk) -> Brigade:
    return get_object_or_404(
        Brigade.objects.visible_to(user).select_related("section__shop", "enterprise"), pk=pk
    )


def _distribution(user, pk) -> Distribution:
    return get_object_or_404(selectors.distributions_for(user).select_related("enterprise"), pk=pk)


def _not_draft(request, distribution):
    """Editing pages of a document that is no longer a draft, or whose month is closed,
    send back to the sheet (which says why it is frozen). A grid posted after its month
    closed is refused by the service instead, the typed figures kept on the page."""
    if distribution.period.is_closed and request.method != "POST":
        messages.info(
            request,
            _("Месяц «%(period)s» закрыт: распределение изменить нельзя.")
            % {"period": distribution.period},
        )
        return redirect(distribution)
    if distribution.status == Distribution.Status.DRAFT:
        return None
    messages.info(
        request,
        _("Распределение уже %(status)s: изменить его нельзя.")
        % {"status": distribution.get_status_display()},
    )
    return redirect(distribution)


# --- brigades ------------------------------------------------------------------------------


class BrigadeListView(ScopedListView):
    model = Brigade
    table_class = BrigadeTable
    filterset_class = BrigadeFilterSet
    export_name = "brigades"
    title = gettext_lazy("Бригады")

    def get_queryset(self):
        return selectors.brigades_for(self.request.user)

    def get_create_url(self):
        return (
            reverse("brigades:brigade_create") if can(self.request.user, "brigade.edit") else None
        )


@login_required
def brigade_detail(request, pk):
    brigade = _brigade(request.user, pk)
    today = timezone.localdate()
    members = selectors.current_members(brigade, today)
    return render(
        request,
        "brigades/brigade_detail.html",
        {
            "brigade": brigade,
            "members": members,
            "openable": selectors.openable_workers(request.user, members),
            "past": selectors.past_members(brigade, members),
            "posts": selectors.posts_of(brigade),
            "leader": brigade.leader_on(today),
            "grade_check": selectors.grade_check(brigade, members),
            "distributions": selectors.brigade_distributions(request.user, brigade),
            "can_edit": can(request.user, "brigade.edit", brigade),
            "can_open": can(request.user, "distribution.edit", brigade),
            "history": web.history(request.user, brigade),
        },
    )


@login_required
def brigade_edit(request, pk=None):
    if pk is None:
        web.allow(request.user, "brigade.edit")
        enterprise = web.current_enterprise(request)
        brigade = Brigade(enterprise=enterprise, formed_on=timezone.localdate())
    else:
        brigade = _brigade(request.user, pk)
        web.allow(request.user, "brigade.edit", brigade)
    sections = selectors.brigade_sections(request.user, brigade.enterprise_id)
    form = forms.BrigadeForm(request.POST or None, instance=brigade, sections=sections)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        web.allow(request.user, "brigade.edit", edited)  # in the section chosen, too
        saved = web.run(
            request,
            lambda: services.brigade_save(brigade=edited, user=request.user),
            form=form,
            submission=form.submission_token if pk is None else None,
            success=_("Бригада сохранена."),
        )
        if saved:
            return redirect(saved)
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("Новая бригада") if pk is None else str(brigade),
            "cancel_url": brigade.get_absolute_url() if pk else reverse("brigades:brigade_list"),
        },
    )


@login_required
def membership_add(request, pk):
    brigade = _brigade(request.user, pk)
    web.allow(request.user, "brigade.edit", brigade)
    form = forms.MembershipForm(request.POST or None, brigade=brigade)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = web.run(
            request,
            lambda: services.membership_add(
                brigade=brigade,
                worker=data["worker"],
                valid_from=data["valid_from"],
                grade=data["grade"],
                conditional_grade=data["conditional_grade"],
                user=request.user,
            ),
            form=form,
            submission=form.submission_token,
            success=_("Рабочий включён в бригаду."),
        )
        if done:
            return redirect(brigade)
    return render(
        request,
        "enterprise/form.html",
        {"form": form, "title": _("Включить в бригаду"), "cancel_url": brigade.get_absolute_url()},
    )


def _membership(user, pk) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(user).select_related("brigade__section", "worker"), pk=pk
    )


@login_required
def membership_change(request, pk):
    membership = _membership(request.user, pk)
    brigade = membership.brigade
    web.allow(request.user, "brigade.edit", brigade)
    form = forms.MembershipChangeForm(
        request.POST or None,
        enterprise_id=brigade.enterprise_id,
        initial={
            "on": timezone.localdate(),
            "grade": membership.grade,
            "profession": membership.profession_id,
            "conditional_grade": membership.conditional_grade,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = web.run(
            request,
            lambda: services.membership_change(
                membership=membership,
                on=data["on"],
                grade=data["grade"],
                profession=data["profession"],
                conditional_grade=data["conditional_grade"],
                user=request.user,
            ),
            form=form,
            success=_("Разряд изменён: с этого дня рабочий получает по новой ставке."),
        )
        if done:
            return redirect(brigade)
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("Изменить разряд или профессию: %(worker)s")
            % {"worker": membership.worker.full_name},
            "help": _(
                "Прежние условия действуют по день накануне; в табеле месяца у рабочего "
                "будут две строки, каждая по своей ставке."
            ),
            "cancel_url": brigade.get_absolute_url(),
        },
    )


@login_required
def membership_end(request, pk):
    membership = _membership(request.user, pk)
    brigade = membership.brigade
    web.allow(request.user, "brigade.edit", brigade)
    form = forms.EndForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = web.run(
            request,
            lambda: services.membership_end(
                membership=membership, on=form.cleaned_data["on"], user=request.user
            ),
            form=form,
            success=_("Рабочий выведен из бригады."),
        )
        if done:
            return redirect(brigade)
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("Вывести из бригады: %(worker)s") % {"worker": membership.worker.full_name},
            "cancel_url": brigade.get_absolute_url(),
        },
    )


@login_required
def post_assign(request, pk):
    brigade = _brigade(request.user, pk)
    web.allow(request.user, "brigade.edit", brigade)
    form = forms.PostForm(
        request.POST or None,
        workers=selectors.post_candidates(brigade),
        initial={"valid_from": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = web.run(
            request,
            lambda: services.post_assign(
                brigade=brigade,
                worker=data["worker"],
                kind=data["kind"],
                valid_from=data["valid_from"],
                user=request.user,
            ),
            form=form,
            submission=form.submission_token,
            success=_("Назначение записано."),
        )
        if done:
            return redirect(brigade)
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("Бригадир или член совета"),
            "help": _("Новый бригадир сменяет прежнего: срок прежнего закончится накануне."),
            "cancel_url": brigade.get_absolute_url(),
        },
    )


# --- the month ------------------------------------------------------------------------------


class DistributionListView(ScopedListView):
    model = Distribution
    table_class = DistributionTable
    filterset_class = DistributionFilterSet
    export_name = "distributions"
    title = gettext_lazy("Распределения заработка бригад")

    def get_queryset(self):
        return selectors.distributions_for(self.request.user)

    def get_table_kwargs(self):
        # A worker sees his own line of a sheet, not his brigade's totals.
        if scope_of(self.request.user).roles == {Role.WORKER}:
            return {"exclude": ("total",)}
        return {}


@login_required
def distribution_open(request, pk):
    brigade = _brigade(request.user, pk)
    web.allow(request.user, "distribution.edit", brigade)
    form = forms.OpenMonthForm(request.POST or None, periods=selectors.periods_to_open(brigade))
    if request.method == "POST" and form.is_valid():
        created = web.run(
            request,
            lambda: services.distribution_open(
                brigade=brigade, period=form.cleaned_data["period"], user=request.user
            ),
            form=form,
            submission=form.submission_token,
            success=_("Месяц открыт: заполните табель."),
        )
        if created:
            return redirect("brigades:timesheet_edit", pk=created.pk)
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("Табель и распределение за месяц: %(brigade)s") % {"brigade": brigade},
            "help": _(
                "В табель войдут все, кто состоял в бригаде в этом месяце; у того, кто менял "
                "разряд, — по строке на каждый срок."
            ),
            "cancel_url": brigade.get_absolute_url(),
        },
    )


def _actions(user, distribution: Distribution) -> dict:
    if distribution.period.is_closed:  # frozen: the page says why, and prints
        return {
            "can_edit": False,
            "can_agree": False,
            "can_approve": False,
            "approve_blocked": None,
            "can_return": False,
            "can_delete": False,
            "can_correct": distribution.is_final and can(user, "distribution.edit", distribution),
            "can_print": can(user, "distribution.view_all", distribution),
        }
    draft = distribution.status == Distribution.Status.DRAFT
    agreed = distribution.status == Distribution.Status.AGREED
    return {
        "can_edit": draft and can(user, "distribution.edit", distribution),
        "can_agree": draft and can(user, "distribution.agree", distribution),
        "can_approve": agreed and permissions.may_approve(user, distribution),
        "approve_blocked": agreed and permissions.approve_blocked(user, distribution),
        "can_return": agreed and can(user, "distribution.return", distribution),
        "can_delete": draft and can(user, "distribution.delete", distribution),
        "can_correct": distribution.is_final and can(user, "distribution.edit", distribution),
        "can_print": can(user, "distribution.view_all", distribution),
    }


@login_required
def distribution_detail(request, pk):
    distribution = selectors.sheet_document(request.user, pk)
    if distribution is None:
        raise Http404
    sheet = selectors.sheet(distribution, request.user, fetched=True)
    actions = _actions(request.user, sheet.distribution)
    context = {"sheet": sheet, "d": sheet.distribution, **actions}
    if actions["can_agree"]:
        context["agree_form"] = forms.AgreeForm()
    if actions["can_return"]:
        context["return_form"] = forms.ReturnForm()
    if actions["can_correct"]:
        context["correct_form"] = forms.CorrectForm(
            periods=selectors.open_periods(distribution.enterprise_id)
        )
    context["corrections"] = selectors.corrections_of(distribution)
    context["history"] = (
        web.history(request.user, sheet.distribution) if not sheet.own_only else None
    )
    return render(request, "brigades/distribution_detail.html", context)


def _timesheet_rows(lines, formset) -> list:
    """Each form with its line, paired by the line's id: a posted timesheet may be older
    than the document (a member added or removed meanwhile), so positions may differ."""
    by_id = {str(line.pk): line for line in lines}
    pairs = [(by_id.get(str(form["line"].value())), form) for form in formset.forms]
    return [(line, form) for line, form in pairs if line is not None]


@login_required
def timesheet_edit(request, pk):
    distribution = _distribution(request.user, pk)
    web.allow(request.user, "distribution.edit", distribution)
    if (back := _not_draft(request, distribution)) is not None:
        return back
    lines = selectors.timesheet_lines(distribution)
    initial = [
        {
            "line": line.pk,
            "hours": line.hours,
            "absence_hours": line.absence_hours,
            "absence_note": line.absence_note,
            "output": line.output,
        }
        for line in lines
    ]
    formset = forms.TimesheetFormSet(
        request.POST or None,
        initial=initial,
        keys=[line.pk for line in lines],
        labels={line.pk: line.worker for line in lines},
    )
    version = VersionForm(request.POST or None, current=lambda: services.timesheet_version(lines))
    if request.method == "POST" and formset.is_valid():
        rows = [
            services.TimesheetRow(
                line_id=form.cleaned_data["line"],
                hours=form.cleaned_data["hours"],
                absence_hours=form.cleaned_data["absence_hours"],
                absence_note=form.cleaned_data["absence_note"],
                output=form.cleaned_data["output"],
            )
            for form in formset
        ]
        saved = web.run(
            request,
            lambda: services.timesheet_save(
                distribution=distribution,
                rows=rows,
                user=request.user,
                version=version.token,
                confirmed=is_confirmed(request.POST),
            ),
            form=formset,
            version=version,
            success=_("Табель сохранён, доли пересчитаны."),
        )
        if saved:
            return redirect(distribution)
    return render(
        request,
        "brigades/timesheet.html",
        {
            "d": distribution,
            "rows": _timesheet_rows(lines, formset),
            "formset": formset,
            "version": version,
            "month_hours": distribution.period.working_hours,
            "method_output": distribution.method == Brigade.Method.OUTPUT,
        },
    )


@login_required
def earnings_edit(request, pk):
    distribution = _distribution(request.user, pk)
    web.allow(request.user, "distribution.edit", distribution)
    if (back := _not_draft(request, distribution)) is not None:
        return back
    form = forms.EarningsForm(
        request.POST or None,
        correction=distribution.corrects_id is not None,
        initial={
            "method": distribution.method,
            "piecework": distribution.piecework,
            "bonus": distribution.bonus,
            "savings": distribution.savings,
            "norm_hours": distribution.norm_hours,
        },
    )
    version = VersionForm(
        request.POST or None, current=lambda: services.earnings_version(distribution)
    )
    if request.method == "POST" and form.is_valid():
        done = web.run(
            request,
            lambda: services.earnings_save(
                distribution=distribution,
                user=request.user,
                version=version.token,
                confirmed=is_confirmed(request.POST),
                **form.cleaned_data,
            ),
            form=form,
            version=version,
            success=_("Заработок сохранён, доли пересчитаны."),
        )
        if done:
            return redirect(distribution)
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "version": version,
            "title": _("Коллективный заработок: %(d)s") % {"d": distribution},
            "help": _(
                "Тарифный заработок не доплачивается сверх распределяемой суммы: каждый "
                "получает свою долю заработка бригады."
            ),
            "cancel_url": distribution.get_absolute_url(),
        },
    )


@login_required
def ktu_edit(request, pk, worker_pk):
    distribution = _distribution(request.user, pk)
    web.allow(request.user, "distribution.edit", distribution)
    if (back := _not_draft(request, distribution)) is not None:
        return back
    line = selectors.member_line(distribution, worker_pk)
    if line is None:
        raise Http404
    worker = line.worker
    current = selectors.member_ktu(distribution, worker)
    criteria = selectors.criteria_for(distribution.enterprise_id)
    chosen = [a["criterion"] for a in current.adjustments] if current else []
    form = forms.KtuForm(
        request.POST or None,
        criteria=criteria,
        initial={"criteria": chosen, "note": current.note if current else ""},
    )
    version = VersionForm(request.POST or None, current=lambda: services.ktu_version(current))
    if request.method == "POST" and form.is_valid():
        done = web.run(
            request,
            lambda: services.ktu_set(
                distribution=distribution,
                worker=worker,
                criteria=form.cleaned_data["criteria"],
                note=form.cleaned_data["note"],
                user=request.user,
                version=version.token,
            ),
            form=form,
            version=version,
            success=_("КТУ установлен."),
        )
        if done:
            return redirect(distribution)
    enterprise = distribution.enterprise
    return render(
        request,
        "brigades/ktu_form.html",
        {
            "form": form,
            "d": distribution,
            "worker": worker,
            "current": current,
            "version": version,
            "criteria": criteria,
            "ktu_min": enterprise.ktu_min,
            "ktu_max": enterprise.ktu_max,
        },
    )


@login_required
def distribution_pdf(request, pk):
    from .pdf import render_sheet

    distribution = _distribution(request.user, pk)
    web.allow(request.user, "distribution.view_all", distribution)
    sheet = selectors.sheet(distribution, request.user)
    response = HttpResponse(render_sheet(sheet), content_type="application/pdf")
    filename = (
        f"brigade-{sheet.brigade.number}-{sheet.period.year}-{sheet.period.month:02d}"
        f"-{distribution.pk}.pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- KTU settings ---------------------------------------------------------------------------


@login_required
def ktu_settings(request):
    web.allow(request.user, "ktu.settings")
    enterprise = web.current_enterprise(request)
    web.allow(request.user, "ktu.settings", enterprise)
    queryset = selectors.ktu_criteria(enterprise)
    range_form = forms.KtuRangeForm(
        request.POST or None,
        initial={"ktu_min": enterprise.ktu_min, "ktu_max": enterprise.ktu_max},
        prefix="range",
    )
    formset = forms.KtuCriterionFormSet(request.POST or None, queryset=queryset, prefix="c")
    version = VersionForm(
        request.POST or None, current=lambda: services.ktu_settings_version(enterprise, queryset)
    )
    if request.method == "POST" and range_form.is_valid() and formset.is_valid():
        saved = web.run(
            request,
            lambda: services.ktu_settings_save(
                enterprise=enterprise,
                ktu_min=range_form.cleaned_data["ktu_min"],
                ktu_max=range_form.cleaned_data["ktu_max"],
                criteria=formset.criteria(),
                user=request.user,
                version=version.token,
            ),
            form=range_form,
            version=version,
            success=_("Положение о КТУ сохранено."),
        )
        if saved:
            return redirect("brigades:ktu_settings")
    return render(
        request,
        "brigades/ktu_settings.html",
        {
            "range_form": range_form,
            "formset": formset,
            "version": version,
            "adjustment_hint": forms.KTU_ADJUSTMENT_HINT,
            "history": history_for(
                f"brigades.ktu:{enterprise.pk}", f"enterprise.enterprise:{enterprise.pk}"
            ),
        },
    )
