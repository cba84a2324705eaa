"""The pages a manager reads: a section's month (and its PDF), the shop's and the plant's
summaries, the competition board, the index.

Thin views: the unit for this user (404 outside the scope) → the action (404 if not the
user's) → the stored results read by :mod:`khozraschet.selectors.results`. Nothing is
computed on a page's load.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse

from enterprise import web
from enterprise.models import Section, Shop
from enterprise.permissions import can

from .. import pdf
from ..selectors import overview
from ..selectors import results as selectors


def _url(name: str, *args) -> str | None:
    """A page of another part of the app, when it exists (None: not built yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _close_url(user, obj, year: int, month: int) -> str | None:
    """«Подвести итоги» for who may close the shop's or the plant's month."""
    if can(user, "khz.close_shop", obj) or can(user, "khz.close_plant", obj):
        return _url("khozraschet:close", year, month)
    return None


def _section(user, section_pk) -> Section:
    section = get_object_or_404(
        Section.objects.visible_to(user).select_related("shop__enterprise", "shop__head", "head"),
        pk=section_pk,
    )
    web.allow(user, "khz.view", section)
    return section


# --- a section's month ---------------------------------------------------------------------


@login_required
def section_month(request, section_pk, year, month):
    section = _section(request.user, section_pk)
    page = selectors.section_month(section, year, month)
    if page is None:
        raise Http404
    user = request.user
    return render(
        request,
        "khozraschet/results/section_month.html",
        {
            "page": page,
            "section": section,
            "period": page.period,
            "result": page.result,
            "d": page.details,
            "charts": page.charts,
            "close_url": None if page.period.is_closed else _close_url(user, section, year, month),
            "edit_url": _url("khozraschet:month_entry", section.pk, year, month)
            if can(user, "khz.enter", section)
            else None,
            "passport_url": _url("khozraschet:passport", section.pk),
            "costs_url": _url("khozraschet:costs", section.pk, year, month),
            "shop_url": reverse("khozraschet:shop_month", args=[section.shop_id, year, month])
            if selectors.shop_reader(user, section.shop)
            else None,
            "board_url": reverse("khozraschet:board", args=[section.shop_id, year, month]),
        },
    )


@login_required
def section_month_pdf(request, section_pk, year, month):
    section = _section(request.user, section_pk)
    page = selectors.section_month(section, year, month)
    if page is None or page.result is None:
        raise Http404
    page.signatories = selectors.signatories(section)
    content = pdf.section_month_pdf(page)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"khozraschet-{section.shop.number}-{section.number}-{year}-{month:02d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- the shop's and the plant's months -------------------------------------------------------


@login_required
def shop_month(request, shop_pk, year, month):
    shop = get_object_or_404(
        Shop.objects.visible_to(request.user).select_related("enterprise"), pk=shop_pk
    )
    web.allow(request.user, "khz.view", shop)
    page = selectors.shop_month(shop, year, month)
    if page is None:
        raise Http404
    return render(
        request,
        "khozraschet/results/shop_month.html",
        {
            "page": page,
            "shop": shop,
            "period": page.period,
            "close_url": None
            if page.period.is_closed
            else _close_url(request.user, shop, year, month),
            "plant_url": reverse("khozraschet:plant_month", args=[year, month])
            if selectors.plant_reader(request.user, shop.enterprise_id)
            else None,
        },
    )


@login_required
def plant_month(request, year, month):
    enterprise = web.current_enterprise(request)
    if not selectors.plant_reader(request.user, enterprise.pk):
        raise Http404
    page = selectors.plant_month(enterprise, year, month)
    if page is None:
        raise Http404
    return render(
        request,
        "khozraschet/results/plant_month.html",
        {
            "page": page,
            "enterprise": enterprise,
            "period": page.period,
            "close_url": _url("khozraschet:close", year, month)
            if can(request.user, "khz.close_plant", enterprise) and not page.period.is_closed
            else None,
        },
    )


# --- the competition board ---------------------------------------------------------------------


@login_required
def board_index(request):
    """The board of the user's own shop, on the latest month with results."""
    web.allow(request.user, "khz.board")
    shop = overview.board_shop(request.user)
    if shop is None or not selectors.board_reader(request.user, shop):
        raise Http404
    period = overview.latest_result_period(shop=shop) or overview.latest_begun_period(
        shop.enterprise_id
    )
    if period is None:
        raise Http404
    return redirect("khozraschet:board", shop.pk, period.year, period.month)


@login_required
def board(request, shop_pk, year, month):
    shop = get_object_or_404(
        Shop.objects.visible_to(request.user).select_related("enterprise"), pk=shop_pk
    )
    if not selectors.board_reader(request.user, shop):
        raise Http404
    periods = selectors.periods_around(shop.enterprise_id, year, month)
    period = periods.get((year, month))
    if period is None:
        raise Http404
    previous, following = selectors.neighbour_months(year, month)
    return render(
        request,
        "khozraschet/results/board.html",
        {
            "shop": shop,
            "period": period,
            "previous": periods.get(previous),
            "following": periods.get(following),
            "board": overview.board(shop, period),
            "screen": request.GET.get("screen") == "1",
            "refresh_seconds": 120,
        },
    )


# --- the index ---------------------------------------------------------------------------------


@login_required
def index(request):
    user = request.user
    if not (can(user, "khz.view") or can(user, "khz.board")):
        raise Http404
    if not can(user, "khz.view"):
        return redirect("khozraschet:board_index")
    data = overview.index(user)
    return render(request, "khozraschet/results/index.html", {"index": data})
