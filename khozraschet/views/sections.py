"""Pages of a section's attributes and passport (§1–§2) and of its time studies (§3).

Thin views: the section for this user (404 outside the scope) → the action (404 if not
the user's) → form → service → message → redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprise import web
from enterprise.models import Period, Section
from enterprise.permissions import can

from ..forms.sections import PASSPORT_FIELDS, PassportForm, ProfileForm, TimeStudyForm
from ..models import Passport, Profile, TimeStudy
from ..selectors import sections as selectors
from ..services import sections as services

# --- the section and its month, for this user -------------------------------------------------


def section_for(user, section_pk) -> Section:
    """The section (404 outside the user's scope)."""
    return get_object_or_404(
        Section.objects.visible_to(user).select_related("shop__enterprise"), pk=section_pk
    )


def section_month(user, section_pk, year, month) -> tuple[Section, Period]:
    """The section (404 outside the user's scope) and its enterprise's month (404 if the
    enterprise has no such month)."""
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise Http404
    section = section_for(user, section_pk)
    period = get_object_or_404(
        Period.objects.filter(enterprise_id=section.shop.enterprise_id), year=year, month=month
    )
    return section, period


def closed_reason(period: Period) -> str:
    return _(
        "Период «%(period)s» закрыт: его данные не изменяются. Исправления вносятся в "
        "открытый период."
    ) % {"period": period}


def month_args(section: Section, period: Period) -> list:
    return [section.pk, period.year, period.month]


# --- the passport page ------------------------------------------------------------------------


def _passport_url(section: Section) -> str:
    return reverse("khozraschet:passport", args=[section.pk])


def _profile_form(section: Section, data=None) -> ProfileForm:
    profile = Profile.objects.filter(section=section).first() or Profile(section=section)
    return ProfileForm(data, instance=profile, consumers=selectors.consumer_choices(section))


def _new_passport_form(section: Section, data=None) -> PassportForm:
    latest = selectors.latest_passport(section)
    initial = {}
    if latest is not None:
        initial = {name: getattr(latest, name) for name in PASSPORT_FIELDS if name != "valid_from"}
    return PassportForm(data, instance=Passport(section=section), initial=initial)


def _passport_page(request, section, *, profile_form=None, passport_form=None, status=200):
    user = request.user
    may_edit = can(user, "khz.passport", section)
    if may_edit:
        profile_form = profile_form or _profile_form(section)
        passport_form = passport_form or _new_passport_form(section)
    profile = selectors.profile_of(section)
    return render(
        request,
        "khozraschet/sections/passport.html",
        {
            "section": section,
            "profile": profile,
            "versions": selectors.passport_versions(section),
            "profile_form": profile_form if may_edit else None,
            "passport_form": passport_form if may_edit else None,
            "can_edit": may_edit,
            "history": web.history(user, profile) if profile else None,
        },
        status=status,
    )


@login_required
def passport(request, section_pk):
    section = section_for(request.user, section_pk)
    web.allow(request.user, "khz.view", section)
    return _passport_page(request, section)


@login_required
@require_POST
def profile_save(request, section_pk):
    user = request.user
    section = section_for(user, section_pk)
    web.allow(user, "khz.passport", section)
    form = _profile_form(section, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        saved = web.run(
            request,
            lambda: services.profile_save(
                section=section,
                purpose=data["purpose"],
                specialisation=data["specialisation"],
                consumers=data.get("consumers") or [],
                user=user,
                version=form.posted_version,
            ),
            form=form,
            success=_("Характеристика участка сохранена."),
        )
        if saved:
            return redirect(_passport_url(section))
    return _passport_page(request, section, profile_form=form)


@login_required
@require_POST
def passport_add(request, section_pk):
    user = request.user
    section = section_for(user, section_pk)
    web.allow(user, "khz.passport", section)
    form = _new_passport_form(section, request.POST)
    if form.is_valid():
        saved = web.run(
            request,
            lambda: services.passport_add(section=section, values=form.values(), user=user),
            form=form,
            submission=form.submission_token,
            success=_("Новая редакция паспорта сохранена."),
        )
        if saved:
            return redirect(_passport_url(section))
    return _passport_page(request, section, passport_form=form)


@login_required
def passport_edit(request, section_pk, pk):
    user = request.user
    section = section_for(user, section_pk)
    web.allow(user, "khz.passport", section)
    passport = get_object_or_404(Passport.objects.filter(section=section), pk=pk)
    shown = selectors.passport_version(passport)
    if shown.frozen:
        if request.method == "POST":
            messages.error(request, _("Месяц этой редакции паспорта закрыт: она не изменяется."))
            return redirect(_passport_url(section))
        form = None
    else:
        form = PassportForm(request.POST or None, instance=passport)
        if request.method == "POST" and form.is_valid():
            saved = web.run(
                request,
                lambda: services.passport_edit(
                    passport=passport,
                    values=form.values(),
                    user=user,
                    version=form.posted_version,
                ),
                form=form,
                success=_("Редакция паспорта сохранена."),
            )
            if saved:
                return redirect(_passport_url(section))
    return render(
        request,
        "khozraschet/sections/passport_form.html",
        {
            "section": section,
            "version": shown,
            "form": form,
            "history": web.history(user, passport),
        },
    )


# --- time studies ------------------------------------------------------------------------------


def _label(name: str) -> str:
    return TimeStudy._meta.get_field(name).verbose_name


@login_required
def time_study(request, section_pk, year, month):
    user = request.user
    section, period = section_month(user, section_pk, year, month)
    web.allow(user, "khz.view", section)
    may_enter = can(user, "khz.enter", section)
    if request.method == "POST":
        if not may_enter:
            raise Http404
        if period.is_closed:
            messages.error(request, closed_reason(period))
            return redirect(request.path)
    form = None
    if may_enter and not period.is_closed:
        form = TimeStudyForm(
            request.POST or None,
            instance=TimeStudy(section=section, period=period),
            initial={"studied_on": period.start},
        )
        if request.method == "POST" and form.is_valid():
            saved = web.run(
                request,
                lambda: services.time_study_add(
                    section=section, period=period, values=form.values(), user=user
                ),
                form=form,
                submission=form.submission_token,
                success=_("Фотография рабочего времени записана."),
            )
            if saved:
                return redirect(request.path)
    return render(
        request,
        "khozraschet/sections/time_study.html",
        {
            "section": section,
            "period": period,
            "studies": selectors.time_studies_of(section, period),
            "form": form,
            "read_only": period.is_closed,
            "closed_reason": closed_reason(period) if period.is_closed else "",
            "work_labels": [_label(n) for n in TimeStudy.WORK_FIELDS],
            **dict(zip(("earlier", "later"), selectors.neighbour_months(period), strict=True)),
        },
    )
