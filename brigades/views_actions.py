"""The steps of a distribution's life posted from its page (agree, approve, return,
delete, correct), and the shop head's approval of many agreed distributions at once.

Agreeing and approving cannot be undone by the one who did them: each shows what it will
do and runs on the confirmed POST (:func:`enterprise.web.confirm_page`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enterprise import bulk, web
from enterprise.numbers import figure

from . import forms, permissions, selectors, services
from .models import Distribution


def _distribution(user, pk) -> Distribution:
    return get_object_or_404(selectors.distributions_for(user).select_related("enterprise"), pk=pk)


def _post_action(request, pk, action, form_class, call, success, confirm=None):
    distribution = _distribution(request.user, pk)
    web.allow(request.user, action, distribution)
    return web.post_action(request, distribution, call, success, form_class, confirm=confirm)


def format_money(value) -> str:
    """Rubles as every page writes them: two places, half-up, a true minus («1 234,50»)."""
    return figure(value, 2)


def _figures(d: Distribution) -> list[tuple[str, str]]:
    return [
        (_("Бригада"), str(d.brigade)),
        (_("Месяц"), str(d.period)),
        (_("Итого к распределению, руб."), format_money(d.total)),
        (_("Членов бригады в табеле"), str(selectors.headcount(d))),
    ]


def _agree_confirmation(d: Distribution, data) -> web.Confirmation | None:
    if d.status != Distribution.Status.DRAFT or d.period.is_closed:
        return None  # refused: the service says why
    return web.Confirmation(
        title=_("Записать согласие совета бригады?"),
        details=[*_figures(d), (_("Протокол совета бригады"), data["minutes"])],
        effects=[
            _("Распределение уйдёт начальнику цеха на утверждение."),
            _(
                "Табель, КТУ и заработок больше не меняются, пока начальник цеха не вернёт "
                "распределение на доработку."
            ),
            _("Утвердить его вы не сможете: утверждает другой человек."),
        ],
        button=_("Да, совет согласовал"),
    )


def _approve_confirmation(user, d: Distribution) -> web.Confirmation | None:
    if (
        d.status != Distribution.Status.AGREED
        or d.period.is_closed
        or permissions.approve_refusal(user, d)
    ):
        return None  # refused: the service says why
    return web.Confirmation(
        title=_("Утвердить распределение?"),
        details=_figures(d),
        effects=_approve_effects(),
        button=_("Да, утвердить"),
    )


def _approve_effects() -> list[str]:
    return [
        _("Распределение станет окончательным: по нему начисляют заработок членам бригады."),
        _(
            "Изменить утверждённое нельзя: доплату или удержание оформляют исправлением в "
            "открытом месяце."
        ),
    ]


@login_required
@require_POST
def distribution_agree(request, pk):
    return _post_action(
        request,
        pk,
        "distribution.agree",
        forms.AgreeForm,
        lambda d, data: services.distribution_agree(
            distribution=d, minutes=data["minutes"], user=request.user
        ),
        _("Согласование совета бригады записано. Распределение передано начальнику цеха."),
        confirm=_agree_confirmation,
    )


@login_required
@require_POST
def distribution_approve(request, pk):
    return _post_action(
        request,
        pk,
        "distribution.approve",
        None,
        lambda d, data: services.distribution_approve(distribution=d, user=request.user),
        _("Распределение утверждено."),
        confirm=lambda d, data: _approve_confirmation(request.user, d),
    )


@login_required
@require_POST
def distribution_return(request, pk):
    return _post_action(
        request,
        pk,
        "distribution.return",
        forms.ReturnForm,
        lambda d, data: services.distribution_return(
            distribution=d, reason=data["reason"], user=request.user
        ),
        _("Распределение возвращено бригаде на доработку."),
    )


@login_required
@require_POST
def distribution_delete(request, pk):
    distribution = _distribution(request.user, pk)
    web.allow(request.user, "distribution.delete", distribution)
    brigade = web.run(
        request,
        lambda: services.distribution_delete(distribution=distribution, user=request.user),
        success=_("Черновик распределения «%(d)s» удалён.") % {"d": distribution},
    )
    if brigade is None:
        return redirect(distribution)
    return redirect(brigade)


@login_required
@require_POST
def distribution_correct(request, pk):
    original = _distribution(request.user, pk)
    web.allow(request.user, "distribution.edit", original)
    form = forms.CorrectForm(request.POST, periods=selectors.open_periods(original.enterprise_id))
    if not form.is_valid():
        if "period" in form.errors:
            messages.error(request, _("Выберите открытый месяц для исправления."))
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(original)
    correction = web.run(
        request,
        lambda: services.distribution_correct(
            original=original, period=form.cleaned_data["period"], user=request.user
        ),
        submission=form.submission_token,
        success=_("Создано исправление: укажите, сколько добавить или удержать."),
    )
    if correction is None:
        return redirect(original)
    return redirect("brigades:earnings_edit", pk=correction.pk)


# --- approving many ---------------------------------------------------------------------------


def _approval_row(user, d: Distribution) -> bulk.Row:
    return bulk.Row(
        pk=d.pk,
        label=_("%(brigade)s, %(period)s") % {"brigade": d.brigade, "period": d.period},
        url=d.get_absolute_url(),
        cells=[
            str(d.brigade.section),
            format_money(d.total),
            d.council_minutes,
        ],
        blocked=permissions.approve_refusal(user, d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def distribution_bulk_approve(request):
    """The shop head's agreed distributions of open months, ticked and approved at once:
    each by the same service as on its page (another person than who drafted or agreed
    it, an agreed document, an open month), the outcome listed row by row."""
    user = request.user
    web.allow(user, "distribution.approve")
    rows = [_approval_row(user, d) for d in selectors.to_approve(user)]
    page = bulk.Bulk(
        title=_("Утвердить согласованные распределения"),
        intro=_(
            "Распределения открытых месяцев, согласованные советами бригад и ждущие вашего "
            "утверждения. Отметьте те, что утверждаете: каждое проверяется так же, как на "
            "своей странице."
        ),
        headers=[_("Участок"), _("Итого, руб."), _("Протокол совета")],
        numeric=(1,),
        button=_("Утвердить отмеченные"),
        effects=_approve_effects(),
        done_word=_("утверждено"),
        cancel_url=reverse("brigades:distribution_list"),
    )
    return bulk.page(
        request,
        page,
        rows,
        lambda pk: services.distribution_approve(distribution=_distribution(user, pk), user=user),
    )
