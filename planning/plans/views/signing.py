"""The worker's agreement with his plan and its three signatures, one plan at a time or a
section's agreed plans at once.

Agreeing and signing show first what they will do and run on the confirmed POST
(:func:`enterprise.web.confirm_page`); a plan of a year whose December is closed is
frozen and offers neither. The bulk signature runs each ticked plan through the same
service (its status, the signature still missing, three people's signatures) and lists
the outcome plan by plan."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enterprise import bulk, web
from enterprise.numbers import figure, figure_plain
from enterprise.permissions import can
from planning.numbers import GROWTH_PLACES
from planning.plans import selectors, services
from planning.plans.models import PersonalPlan

from .plans import plan_of, section_of, section_plans_url, signatures_on

P = PersonalPlan


def _figures(plan: PersonalPlan) -> list[tuple[str, str]]:
    return [
        (_("Рабочий"), str(plan.worker.full_name)),
        (_("Год"), str(plan.year)),
        (_("Объём продукции года, %(u)s") % {"u": plan.unit},
         figure_plain(plan.annual_volume, 1)),
        (_("Рост производительности труда, %"), figure_plain(plan.growth_percent, GROWTH_PLACES)),
    ]  # fmt: skip


def _frozen(plan: PersonalPlan) -> bool:
    december = selectors.year_end(plan)
    return december is not None and december.is_closed


def _agree_confirmation(plan: PersonalPlan, user) -> web.Confirmation | None:
    if plan.status != P.Status.DRAFT or not can(user, "plan.agree", plan) or _frozen(plan):
        return None  # refused: the service says why
    own = plan.worker.user_id == user.pk
    return web.Confirmation(
        title=_("Вы согласны с планом?") if own else _("Записать согласие рабочего с планом?"),
        details=_figures(plan),
        effects=[
            _("План уйдёт на подпись мастеру, экономисту и начальнику цеха."),
            _("Изменить его можно будет, только если его вернут в черновик."),
        ],
        button=_("Да, согласен") if own else _("Да, рабочий согласен"),
    )


def _sign_effects() -> list[str]:
    return [
        _("Ваша подпись встанет под планом; снять её можно, только вернув план в черновик."),
        _("С третьей подписью план становится окончательным на свой год: изменения — только "
          "новой редакцией."),
    ]  # fmt: skip


def _sign_confirmation(plan: PersonalPlan, role: str, user) -> web.Confirmation | None:
    if role not in services.signable_roles(plan, user) or _frozen(plan):
        return None  # refused: the service says why
    return web.Confirmation(
        title=_("Подписать план как %(role)s?") % {"role": services.SIGNATURE_TITLES[role]},
        details=_figures(plan),
        effects=_sign_effects(),
        button=_("Да, подписать"),
    )


@login_required
@require_POST
def plan_agree(request, pk):
    return web.post_action(
        request,
        plan_of(request.user, pk),
        lambda plan, data: services.plan_agree(plan=plan, user=request.user),
        _("Согласие рабочего с планом записано. План передан на подпись."),
        confirm=lambda plan, data: _agree_confirmation(plan, request.user),
    )


@login_required
@require_POST
def plan_sign(request, pk):
    role = request.POST.get("role")
    if role not in services.SIGNATURES:
        raise Http404
    return web.post_action(
        request,
        plan_of(request.user, pk),
        lambda plan, data: services.plan_sign(plan=plan, role=role, user=request.user),
        _("Подпись поставлена."),
        confirm=lambda plan, data: _sign_confirmation(plan, role, request.user),
    )


# --- a section's agreed plans at once -----------------------------------------------------------


def _sign_row(user, plan: PersonalPlan) -> bulk.Row:
    return bulk.Row(
        pk=plan.pk,
        label=_("%(worker)s, %(year)s год") % {"worker": plan.worker.full_name, "year": plan.year},
        url=plan.get_absolute_url(),
        cells=[
            figure_plain(plan.annual_volume, 1),
            # «—» for a plan set by hand (no growth); one precision down the column
            figure(plan.growth_percent, GROWTH_PLACES),
        ],
        blocked=services.sign_refusal(plan, user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_sign(request, pk):
    """The section's plans agreed with their workers and missing this user's signature
    (as ``role``: his role, or the one he picks among his), ticked and signed at once."""
    user = request.user
    section = section_of(user, pk)
    roles = signatures_on(user, section)
    if not roles:
        raise Http404
    role = request.POST.get("role") or request.GET.get("role")
    role = role if role in roles else roles[0]
    action, _by, at_field = services.SIGNATURES[role]
    plans = (
        selectors.plans_for(user)
        .filter(section=section, status=P.Status.AGREED, **{f"{at_field}__isnull": True})
        .exclude(selectors.closed_year())
        .select_related("worker__user")
        .order_by("year", "worker__last_name", "worker__first_name")
    )
    rows = [_sign_row(user, plan) for plan in plans if can(user, action, plan)]
    title = services.SIGNATURE_TITLES[role]
    page = bulk.Bulk(
        title=_("Подписать согласованные планы участка № %(n)s как %(role)s")
        % {"n": section.number, "role": title},
        intro=_(
            "Личные планы участка, согласованные с рабочими и ждущие вашей подписи. "
            "Отметьте те, что подписываете: каждый проверяется так же, как на своей странице."
        ),
        headers=[_("Объём года"), _("Рост, %")],
        numeric=(0, 1),
        button=_("Подписать отмеченные"),
        effects=_sign_effects(),
        done_word=_("подписан"),
        cancel_url=section_plans_url(section, timezone.localdate().year),
        hidden=[("role", role)],
        choices=[
            (f"{request.path}?role={key}", services.SIGNATURE_TITLES[key], key == role)
            for key in roles
        ]
        if len(roles) > 1
        else [],
    )
    return bulk.page(
        request,
        page,
        rows,
        lambda plan_pk: services.plan_sign(
            plan=get_object_or_404(selectors.plans_for(user), pk=plan_pk), role=role, user=user
        ),
    )
