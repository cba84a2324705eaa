"""Pages of production commissions, meetings and their statistics.

Thin views: the object for this user (404 outside scope) → the action's check (404 when
it is not the user's) → form → service → message → redirect. A form of the meeting's page
that fails brings the page back with its errors next to the fields.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprise import web
from enterprise.lists import ScopedListView
from enterprise.models import Shop, Worker

from . import rules, selectors, services, statistics
from .filtersets import MeetingFilterSet
from .forms import (
    AgendaItemForm,
    AnswerForm,
    AttendanceForm,
    CommissionForm,
    DecisionForm,
    DoneForm,
    InfoRequestForm,
    InvitationForm,
    MeetingForm,
    MemberForm,
    StatsForm,
)
from .models import (
    AgendaItem,
    Commission,
    CommissionMember,
    Decision,
    Department,
    InfoRequest,
    Invitation,
    Level,
    Meeting,
)
from .models.meetings import SESTRORETSK_RULE
from .permissions import may_edit_commission, may_edit_meeting, may_see_stats, sees_overdue
from .tables import MeetingTable


def _commission(user, pk) -> Commission:
    return get_object_or_404(selectors.commissions_for(user), pk=pk)


def _meeting(user, pk) -> Meeting:
    try:
        return selectors.meeting_for_page(user, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _editable_meeting(user, pk) -> Meeting:
    meeting = _meeting(user, pk)
    if not may_edit_meeting(user, meeting):
        raise Http404
    return meeting


def _allow(allowed: bool) -> None:
    if not allowed:
        raise Http404


# --- commissions ---------------------------------------------------------------------------


@login_required
def commission_list(request):
    user = request.user
    commissions = list(selectors.commissions_for(user))
    return render(
        request,
        "meetings/commission_list.html",
        {
            "commissions": commissions,
            "can_create": bool(_creatable_shops(user).exists() or _plant_creatable(user)),
        },
    )


def _creatable_shops(user):
    shops = Shop.objects.visible_to(user).order_by("enterprise__name", "number")
    allowed = [
        s.pk
        for s in shops
        if may_edit_commission(
            user, Commission(enterprise_id=s.enterprise_id, shop=s, level="shop")
        )
    ]
    taken = Commission.objects.filter(level=Level.SHOP).values("shop_id")
    return Shop.objects.filter(pk__in=allowed).exclude(pk__in=taken).order_by("number")


def _plant_creatable(user) -> bool:
    enterprise = _single_enterprise(user)
    if enterprise is None:
        return False
    exists = Commission.objects.filter(enterprise=enterprise, level=Level.PLANT).exists()
    return not exists and may_edit_commission(
        user, Commission(enterprise=enterprise, level=Level.PLANT)
    )


def _single_enterprise(user):
    try:
        return web.choose_enterprise(user)
    except Http404:
        return None


@login_required
def commission_detail(request, pk):
    user = request.user
    commission = _commission(user, pk)
    today = timezone.localdate()
    meetings = list(
        selectors.meetings_for(user).filter(commission=commission).order_by("-date", "-number")[:50]
    )
    return render(
        request,
        "meetings/commission_detail.html",
        {
            "commission": commission,
            "members": selectors.members_of(commission),
            "meetings": meetings,
            "can_edit": may_edit_commission(user, commission),
            "can_meet": may_edit_meeting(user, commission),
            "today": today,
            "history": web.history(user, commission),
        },
    )


@login_required
def commission_edit(request, pk=None):
    user = request.user
    if pk is None:
        commission = Commission()
        shops = _creatable_shops(user)
        plant_allowed = _plant_creatable(user)
        if not shops.exists() and not plant_allowed:
            raise Http404
        if plant_allowed:
            commission.enterprise = _single_enterprise(user)
    else:
        commission = _commission(user, pk)
        _allow(may_edit_commission(user, commission))
        shops = Shop.objects.filter(pk=commission.shop_id)
        plant_allowed = commission.level == Level.PLANT
    form = CommissionForm(
        request.POST or None, instance=commission, shops=shops, plant_allowed=plant_allowed
    )
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        if instance.level == Level.PLANT and instance.enterprise_id is None:
            instance.enterprise = _single_enterprise(user)
        saved = web.run(
            request,
            lambda: services.commission_save(commission=instance, user=user),
            form=form,
            submission=form.submission_token if pk is None else None,
            success=_("Комиссия сохранена."),
        )
        if saved:
            return redirect(saved)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": _("Новая производственная комиссия") if pk is None else str(commission),
            "cancel_url": commission.get_absolute_url()
            if pk
            else reverse("meetings:commission_list"),
            "crumbs": [(reverse("meetings:commission_list"), _("Производственные комиссии"))],
        },
    )


def _member_form(commission: Commission, data=None, instance=None) -> MemberForm:
    workers = Worker.objects.active().filter(enterprise_id=commission.enterprise_id)
    if commission.shop_id is not None:
        workers = workers.filter(section__shop_id=commission.shop_id)
    if instance is not None and instance.worker_id:
        workers = workers | Worker.objects.filter(pk=instance.worker_id)
    users = (
        get_user_model()
        .objects.filter(is_active=True, role_assignments__enterprise_id=commission.enterprise_id)
        .distinct()
    )
    return MemberForm(
        data,
        instance=instance or CommissionMember(commission=commission),
        workers=workers.select_related("section").order_by("last_name", "first_name"),
        users=users.order_by("last_name", "first_name", "username"),
    )


@login_required
def member_edit(request, pk=None, commission_pk=None):
    user = request.user
    if pk is None:
        commission = _commission(user, commission_pk)
        member = None
    else:
        member = get_object_or_404(
            CommissionMember.objects.filter(
                commission__in=selectors.commissions_for(user)
            ).select_related("commission"),
            pk=pk,
        )
        commission = member.commission
    _allow(may_edit_commission(user, commission))
    form = _member_form(commission, request.POST or None, member)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        instance.commission = commission
        saved = web.run(
            request,
            lambda: services.member_save(member=instance, user=user),
            form=form,
            success=_("Член комиссии сохранён."),
        )
        if saved:
            return redirect(commission)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": _("Член комиссии") if member else _("Новый член комиссии"),
            "subtitle": str(commission),
            "cancel_url": commission.get_absolute_url(),
            "crumbs": [
                (reverse("meetings:commission_list"), _("Производственные комиссии")),
                (commission.get_absolute_url(), str(commission)),
            ],
        },
    )


@login_required
@require_POST
def member_remove(request, pk):
    user = request.user
    member = get_object_or_404(
        CommissionMember.objects.filter(
            commission__in=selectors.commissions_for(user)
        ).select_related("commission"),
        pk=pk,
    )
    _allow(may_edit_commission(user, member.commission))
    web.run(
        request,
        lambda: services.member_remove(member=member, user=user),
        success=_("%(name)s выведен из комиссии.") % {"name": member.name},
    )
    return redirect(member.commission)


# --- meetings ------------------------------------------------------------------------------


class MeetingListView(ScopedListView):
    model = Meeting
    table_class = MeetingTable
    filterset_class = MeetingFilterSet
    export_name = "meetings"
    template_name = "meetings/meeting_list.html"
    title = gettext_lazy("Производственные совещания")
    empty_text = gettext_lazy("Совещаний пока нет.")

    def get_queryset(self):
        return selectors.meetings_for(self.request.user)


@login_required
def meeting_edit(request, pk=None, commission_pk=None):
    user = request.user
    if pk is None:
        commission = _commission(user, commission_pk)
        meeting = Meeting(commission=commission, date=timezone.localdate())
    else:
        meeting = _meeting(user, pk)
        commission = meeting.commission
    _allow(may_edit_meeting(user, commission))
    form = MeetingForm(request.POST or None, instance=meeting, commission=commission)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        instance.commission = commission
        saved = web.run(
            request,
            lambda: services.meeting_save(meeting=instance, user=user),
            form=form,
            submission=form.submission_token if pk is None else None,
            success=_("Совещание сохранено."),
        )
        if saved:
            return redirect(saved)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": _("Новое совещание") if pk is None else str(meeting),
            "subtitle": str(commission),
            "cancel_url": meeting.get_absolute_url() if pk else commission.get_absolute_url(),
            "crumbs": [
                (reverse("meetings:meeting_list"), _("Производственные совещания")),
                (commission.get_absolute_url(), str(commission)),
            ],
        },
    )


def _departments(meeting: Meeting):
    return Department.objects.filter(enterprise_id=meeting.enterprise_id).order_by("name")


def _invited_departments(meeting: Meeting):
    return Department.objects.filter(
        pk__in=[i.department_id for i in meeting.invitations.all()]
    ).order_by("name")


def _meeting_page(request, meeting: Meeting, status=200, **bound):
    """The meeting's page; ``bound`` — a refused form to show in place of a blank one."""
    user = request.user
    today = timezone.localdate()
    may_edit = may_edit_meeting(user, meeting)
    forms = {}
    if may_edit:
        forms = {
            "invitation_form": InvitationForm(
                departments=_departments(meeting).exclude(
                    pk__in=[i.department_id for i in meeting.invitations.all()]
                )
            ),
            "agenda_form": AgendaItemForm(),
            "decision_form": DecisionForm(meeting=meeting),
            "request_form": InfoRequestForm(departments=_invited_departments(meeting)),
        }
        forms.update(bound)
    rate = None
    if meeting.headcount and meeting.status == Meeting.Status.HELD:
        rate = rules.participation_rate(min(meeting.present, meeting.headcount), meeting.headcount)
    agenda = list(meeting.agenda.all())
    decisions = list(meeting.decisions.all())
    requests = list(meeting.requests.all())
    if may_edit:
        # One small form a row, with ids of its own; the refused one is the bound form.
        for decision in decisions:
            decision.form = (
                bound["done_form"]
                if bound.get("marking") == decision.pk
                else DoneForm(auto_id=f"id_%s_d{decision.pk}", initial={"done_on": today})
            )
        for info in requests:
            info.form = (
                bound["answer_form"]
                if bound.get("answering") == info.pk
                else AnswerForm(auto_id=f"id_%s_r{info.pk}", initial={"answered_on": today})
            )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "commission": meeting.commission,
            "agenda": agenda,
            "decisions": decisions,
            "requests": requests,
            "rule": SESTRORETSK_RULE,
            "rate": rate,
            "overdue": selectors.overdue_decisions(meeting, today),
            "can_edit": may_edit,
            "today": today,
            "history": web.history(user, meeting),
            **forms,
        },
        status=status,
    )


@login_required
def meeting_detail(request, pk):
    return _meeting_page(request, _meeting(request.user, pk))


@login_required
def meeting_attendance(request, pk):
    user = request.user
    meeting = _editable_meeting(user, pk)
    workers = selectors.attendance_choices(meeting)
    form = AttendanceForm(
        request.POST or None,
        workers=workers,
        initial={"attendees": list(meeting.attendees.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        done = web.run(
            request,
            lambda: services.meeting_attendance(
                meeting=meeting, workers=form.cleaned_data["attendees"], user=user
            ),
            form=form,
            success=_("Присутствие отмечено."),
        )
        if done:
            return redirect(meeting)
    return render(
        request,
        "meetings/attendance.html",
        {"meeting": meeting, "form": form, "commission": meeting.commission},
    )


@login_required
@require_POST
def invitation_add(request, pk):
    user = request.user
    meeting = _editable_meeting(user, pk)
    form = InvitationForm(
        request.POST, instance=Invitation(meeting=meeting), departments=_departments(meeting)
    )
    if form.is_valid():
        invitation = form.save(commit=False)
        done = web.run(
            request,
            lambda: services.invitation_save(invitation=invitation, user=user),
            form=form,
            success=_("Отдел приглашён."),
        )
        if done:
            return redirect(meeting)
    return _meeting_page(request, meeting, invitation_form=form)


@login_required
@require_POST
def invitation_remove(request, pk):
    user = request.user
    invitation = get_object_or_404(
        Invitation.objects.filter(meeting__in=Meeting.objects.visible_to(user)), pk=pk
    )
    meeting = _editable_meeting(user, invitation.meeting_id)
    web.run(
        request,
        lambda: services.invitation_remove(invitation=invitation, user=user),
        success=_("Приглашение снято."),
    )
    return redirect(meeting)


@login_required
@require_POST
def agenda_add(request, pk):
    user = request.user
    meeting = _editable_meeting(user, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = web.run(
            request,
            lambda: services.agenda_item_add(
                meeting=meeting,
                title=data["title"],
                kind=data["kind"],
                major=data["major"],
                user=user,
            ),
            form=form,
            success=_("Вопрос внесён в повестку."),
        )
        if done:
            return redirect(meeting)
    return _meeting_page(request, meeting, agenda_form=form)


@login_required
@require_POST
def agenda_remove(request, pk):
    user = request.user
    item = get_object_or_404(
        AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(user)), pk=pk
    )
    meeting = _editable_meeting(user, item.meeting_id)
    web.run(
        request,
        lambda: services.agenda_item_remove(item=item, user=user),
        success=_("Вопрос снят с повестки."),
    )
    return redirect(meeting)


@login_required
@require_POST
def decision_add(request, pk):
    user = request.user
    meeting = _editable_meeting(user, pk)
    form = DecisionForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        done = web.run(
            request,
            lambda: services.decision_add(
                meeting=meeting,
                agenda_item=data["agenda_item"],
                text=data["text"],
                responsible=data["responsible"],
                deadline=data["deadline"],
                user=user,
            ),
            form=form,
            submission=form.submission_token,
            success=_("Решение записано."),
        )
        if done:
            return redirect(meeting)
    return _meeting_page(request, meeting, decision_form=form)


@login_required
@require_POST
def decision_done(request, pk):
    user = request.user
    decision = get_object_or_404(
        Decision.objects.filter(meeting__in=Meeting.objects.visible_to(user)), pk=pk
    )
    meeting = _editable_meeting(user, decision.meeting_id)
    form = DoneForm(request.POST)
    if form.is_valid():
        done = web.run(
            request,
            lambda: services.decision_done(
                decision=decision, done_on=form.cleaned_data["done_on"], user=user
            ),
            form=form,
            success=_("Отметка о выполнении сохранена."),
        )
        if done:
            return redirect(meeting)
    form.auto_id = f"id_%s_d{decision.pk}"
    return _meeting_page(request, meeting, done_form=form, marking=decision.pk)


@login_required
@require_POST
def request_add(request, pk):
    user = request.user
    meeting = _editable_meeting(user, pk)
    # Every department of the plant is accepted here, so that a request to one not
    # invited is refused by the rule, with its reason, next to the field.
    form = InfoRequestForm(request.POST, departments=_departments(meeting))
    if form.is_valid():
        data = form.cleaned_data
        done = web.run(
            request,
            lambda: services.info_request_add(
                meeting=meeting, department=data["department"], question=data["question"], user=user
            ),
            form=form,
            submission=form.submission_token,
            success=_("Запрос сведений записан."),
        )
        if done:
            return redirect(meeting)
    form.fields["department"].queryset = _invited_departments(meeting)
    return _meeting_page(request, meeting, request_form=form)


@login_required
@require_POST
def request_answer(request, pk):
    user = request.user
    info = get_object_or_404(
        InfoRequest.objects.filter(meeting__in=Meeting.objects.visible_to(user)), pk=pk
    )
    meeting = _editable_meeting(user, info.meeting_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = web.run(
            request,
            lambda: services.info_request_answer(
                request=info, answer=data["answer"], answered_on=data["answered_on"], user=user
            ),
            form=form,
            success=_("Ответ отдела записан."),
        )
        if done:
            return redirect(meeting)
    form.auto_id = f"id_%s_r{info.pk}"
    return _meeting_page(request, meeting, answer_form=form, answering=info.pk)


# --- statistics ----------------------------------------------------------------------------


def _stats_request(request):
    """The units the user may read, the form of the unit and period, and the figures
    (None while the form is refused)."""
    user = request.user
    if not may_see_stats(user):
        raise Http404
    units = selectors.stats_units(user)
    if not units:
        raise Http404
    today = timezone.localdate()
    defaults = {
        "unit": units[0].key,
        "date_from": today.replace(year=today.year - 1) + datetime.timedelta(days=1),
        "date_to": today,
    }
    data = {key: request.GET.get(key) or str(value) for key, value in defaults.items()}
    form = StatsForm(data, units=units)
    if not form.is_valid():
        return units, form, None
    unit = next(u for u in units if u.key == form.cleaned_data["unit"])
    figures = selectors.statistics(
        unit, form.cleaned_data["date_from"], form.cleaned_data["date_to"], today
    )
    return units, form, figures


@login_required
def stats(request):
    _units, form, figures = _stats_request(request)
    context = {
        "form": form,
        "stats": figures,
        "query": request.GET.urlencode(),
        "sees_overdue": sees_overdue(request.user),
    }
    if figures is not None:
        context.update(
            charts=statistics.charts(figures),
            outcomes=statistics.outcome_rows(figures),
            ageing=[(statistics.age_label(b), b.count) for b in figures.ageing],
        )
    return render(request, "meetings/stats.html", context)


@login_required
def stats_pdf(request):
    from .pdf import render_statistics

    _units, _form, figures = _stats_request(request)
    if figures is None:
        return redirect(f"{reverse('meetings:stats')}?{request.GET.urlencode()}")
    response = HttpResponse(render_statistics(figures), content_type="application/pdf")
    name = figures.unit.key.replace(":", "-")
    response["Content-Disposition"] = (
        f'attachment; filename="meetings-{name}-{figures.date_from:%Y%m%d}-'
        f'{figures.date_to:%Y%m%d}.pdf"'
    )
    return response
