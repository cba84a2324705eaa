"""The monthly close of self-financing: the state of the month's results, summing them up
on the task worker, and the run's progress.

A shop's economist or head sums up his shop; the labour department, the production head
or the deputy director sum up the plant (every shop, and the shops' ranking). The run
goes on in the background; its page shows the progress (static/js/print-progress.js
polls :func:`run_status`). Outside one's units the pages are not there (404).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprise import web
from enterprise.models import Period, Shop
from enterprise.models.roles import Role
from enterprise.permissions import can, has_role

from ..models import ResultRun
from ..selectors import closing as selectors
from ..services.close import results_run_start


def _period(request, year: int, month: int) -> Period:
    enterprise = web.current_enterprise(request)
    return get_object_or_404(Period, enterprise=enterprise, year=year, month=month)


def _may_close_plant(user, period: Period) -> bool:
    return can(user, "khz.close_plant", period.enterprise)


def _may_see(user) -> bool:
    return has_role(
        user,
        Role.ECONOMIST,
        Role.SHOP_HEAD,
        Role.LABOUR,
        Role.PRODUCTION_HEAD,
        Role.DEPUTY_DIRECTOR,
    )


@login_required
def close_index(request):
    """The close page of the earliest open month (the one to sum up and close next)."""
    if not _may_see(request.user):
        raise Http404
    enterprise = web.current_enterprise(request)
    period = (
        Period.objects.filter(enterprise=enterprise, status=Period.Status.OPEN)
        .order_by("year", "month")
        .first()
    )
    if period is None:
        raise Http404
    return redirect("khozraschet:close", period.year, period.month)


@login_required
def close(request, year: int, month: int):
    """The month's results per shop: current, missing, outdated, what stops the close."""
    if not _may_see(request.user):
        raise Http404
    period = _period(request, year, month)
    states = selectors.month_state(request.user, period)
    plant = _may_close_plant(request.user, period)
    shops = Shop.objects.filter(enterprise=period.enterprise)
    if not plant and not any(can(request.user, "khz.close_shop", shop) for shop in shops):
        raise Http404
    return render(
        request,
        "khozraschet/close/close.html",
        {
            "period": period,
            "states": states,
            "may_close_plant": plant,
            "runs": selectors.runs_of(request.user, period),
            "ready": bool(states) and all(state.ready for state in states),
        },
    )


@login_required
@require_POST
def close_start(request, year: int, month: int):
    """Queue the summing-up of a shop (``shop`` posted) or of the plant (no shop)."""
    period = _period(request, year, month)
    shop = None
    if request.POST.get("shop"):
        shop = get_object_or_404(
            Shop, pk=web_int(request.POST["shop"]), enterprise=period.enterprise
        )
        web.allow(request.user, "khz.close_shop", shop)
    elif not _may_close_plant(request.user, period):
        raise Http404
    if not web.confirmed(request) and not period.is_closed:
        return web.confirm_page(
            request,
            period,
            _close_confirmation(period, shop),
            cancel_url=reverse("khozraschet:close", args=[period.year, period.month]),
        )
    run = web.run(
        request,
        lambda: results_run_start(period=period, shop=shop, user=request.user),
        success=_("Расчёт итогов месяца запущен: за его ходом можно следить здесь."),
    )
    if not run:
        return redirect("khozraschet:close", period.year, period.month)
    return redirect("khozraschet:run_detail", run.pk)


def _close_confirmation(period: Period, shop: Shop | None) -> web.Confirmation:
    """What summing up does, said before it is queued."""
    # Whole titles per scope: a translator cannot inflect a scope put into a sentence.
    if shop is not None:
        title = _("Подвести итоги цеха № %(n)s за «%(period)s»?") % {
            "n": shop.number,
            "period": period,
        }
    else:
        title = _("Подвести итоги предприятия за «%(period)s»?") % {"period": period}
    effects = [
        _("Итоги участков будут рассчитаны по введённым за месяц данным: показатели, "
          "затраты, оценка, простои; расчёт идёт в фоне, его ход виден на отдельной "
          "странице."),
        _("Рассчитанные прежде итоги месяца заменятся новыми; их увидят участки и цеха."),
    ]  # fmt: skip
    if shop is None:
        effects.append(_("Будут определены места цехов в соревновании и поощрительный фонд "
                         "предприятия."))  # fmt: skip
    return web.Confirmation(
        title=title,
        effects=effects,
        button=_("Да, подвести итоги"),
    )


def web_int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _run(user, pk) -> ResultRun:
    run = selectors.run_for(user, pk)
    if run is None:
        raise Http404
    return run


def _state(run: ResultRun) -> dict:
    finished = run.status in (ResultRun.Status.DONE, ResultRun.Status.FAILED)
    url = None
    if run.status != ResultRun.Status.DONE:
        pass
    elif run.shop_id:
        url = reverse(
            "khozraschet:shop_month", args=[run.shop_id, run.period.year, run.period.month]
        )
    else:
        url = reverse("khozraschet:plant_month", args=[run.period.year, run.period.month])
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "done": run.done,
        "total": run.total,
        "percent": run.percent if run.status != ResultRun.Status.DONE else 100,
        "merging": False,
        "url": url,
        "error": run.error if run.status == ResultRun.Status.FAILED else "",
        "finished": finished,
    }


@login_required
def run_detail(request, pk: int):
    run = _run(request.user, pk)
    return render(request, "khozraschet/close/run.html", {"run": run, "state": _state(run)})


@login_required
def run_status(request, pk: int):
    response = JsonResponse(_state(_run(request.user, pk)))
    response["Cache-Control"] = "no-store"
    return response
