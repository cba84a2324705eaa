"""Pages of operational scheduling: parts and routes, the five-day ranks and the Р − Г
board, daily kits with the planning cards and the registration journal, capacity.

Thin views: the object for this user (404 outside scope) → the action's check (404 when
it is not the user's) → selector or form → service → message → redirect.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprise import charts, web
from enterprise.fields import safe_int
from enterprise.lists import ScopedListView
from enterprise.models import Period, Section, Shop
from enterprise.money import TENTH, half_up
from enterprise.permissions import can

from . import selectors, services
from .filtersets import PartFilterSet
from .forms import (
    AssemblyDayForm,
    PartForm,
    RouteForm,
    StockForm,
    operation_formset,
    route_sections,
)
from .models import Part, PartSupply, Route
from .tables import PartTable

REFRESH_SECONDS = 60
BOARD_CHART_ROWS = 20
BOARD_ROWS = 60
"""Rows the board shows unless asked for all: the deficits and the nearest to one."""


def _day(request) -> datetime.date:
    """The day of ``?day=`` (YYYY-MM-DD), else today."""
    try:
        return datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


def _year(request) -> int:
    return safe_int(request.GET.get("year"), minimum=1960, maximum=2100) or (
        timezone.localdate().year
    )


# --- parts and routes --------------------------------------------------------------------------


class PartListView(ScopedListView):
    model = Part
    table_class = PartTable
    filterset_class = PartFilterSet
    export_name = "parts"
    title = gettext_lazy("Детали и маршруты")
    empty_text = gettext_lazy("Деталей пока нет.")

    def get_queryset(self):
        web.allow(self.request.user, "operational.view")
        return selectors.parts_for(self.request.user)

    def get_create_url(self):
        if can(self.request.user, "operational.edit_routes"):
            return _url("planning:part_create")
        return None


def _part(user, pk) -> Part:
    part = get_object_or_404(Part.objects.visible_to(user).select_related("assembly_shop"), pk=pk)
    web.allow(user, "operational.view")
    return part


@login_required
def part_detail(request, pk):
    user = request.user
    part = _part(user, pk)
    page = selectors.part_page(part)
    editable = {r.route.pk for r in page.routes if can(user, "operational.edit_routes", r.route)}
    return render(
        request,
        "planning/operational/part_detail.html",
        {
            "part": part,
            "page": page,
            "editable": editable,
            "may_add_route": can(user, "operational.edit_routes"),
            "may_edit": can(user, "operational.edit_routes", part.assembly_shop),
            "history": web.history(user, part),
        },
    )


def _part_page(request, part: Part):
    user = request.user
    shops = Shop.objects.visible_to(user).order_by("enterprise", "number")
    form = PartForm(request.POST or None, instance=part, shops=shops)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        saved = web.run(
            request,
            lambda: services.part_save(
                part=instance,
                user=user,
                version=form.posted_version,
                fields=tuple(form.version_group(instance)[1]),
            ),
            form=form,
            success=_("Деталь сохранена."),
        )
        if saved:
            return redirect(saved)
    return render(request, "planning/operational/part_form.html", {"part": part, "form": form})


@login_required
def part_create(request):
    web.allow(request.user, "operational.edit_routes")
    return _part_page(request, Part())


@login_required
def part_edit(request, pk):
    part = _part(request.user, pk)
    web.allow(request.user, "operational.edit_routes", part.assembly_shop)
    return _part_page(request, part)


def _route_page(request, part: Part, route: Route):
    user = request.user
    sections = route_sections(user, part)
    form = RouteForm(request.POST or None, instance=route, sections=sections)
    formset = operation_formset(
        request.POST or None, route=route, shops=Shop.objects.visible_to(user)
    )
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        instance = form.save(commit=False)
        removed = [f.instance for f in formset.deleted_forms if f.instance.pk]
        operations = [
            f.save(commit=False)
            for f in formset.forms
            if f.has_changed() and f not in formset.deleted_forms and f.cleaned_data
        ]
        saved = web.run(
            request,
            lambda: services.route_save(
                route=instance,
                operations=operations,
                removed=removed,
                user=user,
                version=form.posted_version,
                fields=tuple(form.version_group(instance)[1]),
            ),
            form=form,
            success=_("Маршрут сохранён."),
        )
        if saved:
            return redirect(part)
    return render(
        request,
        "planning/operational/route_form.html",
        {"part": part, "route": route, "form": form, "formset": formset},
    )


@login_required
def route_create(request, part_pk):
    part = _part(request.user, part_pk)
    web.allow(request.user, "operational.edit_routes")
    return _route_page(request, part, Route(part=part))


@login_required
def route_edit(request, pk):
    route = get_object_or_404(
        Route.objects.visible_to(request.user).select_related("part", "section__shop"), pk=pk
    )
    web.allow(request.user, "operational.edit_routes", route)
    return _route_page(request, route.part, route)


@login_required
def planning_card(request, pk):
    user = request.user
    route = get_object_or_404(
        Route.objects.visible_to(user).select_related("part__assembly_shop", "section__shop"),
        pk=pk,
    )
    web.allow(user, "operational.view")
    year = _year(request)
    return render(
        request,
        "planning/operational/planning_card.html",
        {
            "route": route,
            "part": route.part,
            "year": year,
            "lines": selectors.planning_card(route, year),
        },
    )


# --- five-day ranks («Ритм») -----------------------------------------------------------------


def _board_chart(board):
    rows = [row for row in board.rows if row.indicator is not None][:BOARD_CHART_ROWS]
    return charts.bars(
        [row.number for row in rows],
        [(_("Р − Г"), [row.indicator for row in rows])],
        title=_("Показатель обеспеченности Р − Г, пятидневок"),
        unit=_("пятидн."),
        horizontal=True,
    )


@login_required
def rhythm_board(request):
    user = request.user
    web.allow(user, "operational.view")
    enterprise = web.current_enterprise(request)
    day = _day(request)
    shops = list(_assembly_shops(user).filter(enterprise=enterprise))
    shop = None
    if request.GET.get("shop"):
        shop = next((s for s in shops if s.pk == safe_int(request.GET["shop"])), None)
        if shop is None:
            raise Http404
    supplies = PartSupply.objects.visible_to(user).filter(
        year=day.year, part__enterprise=enterprise
    )
    if shop is not None:
        supplies = supplies.filter(part__assembly_shop=shop)
    calendar = selectors.five_day_calendar(enterprise.pk, day.year)
    board = selectors.supply_board(supplies, day, calendar)
    screen = request.GET.get("screen") == "1"
    everything = request.GET.get("all") == "1"
    return render(
        request,
        "planning/operational/rhythm_board.html",
        {
            "enterprise": enterprise,
            "board": board,
            "rows": board.rows if everything else board.rows[:BOARD_ROWS],
            "everything": everything,
            "day": day,
            "shop": shop,
            "shops": shops,
            "screen": screen,
            "chart": None if screen else _board_chart(board),
            "refresh_seconds": REFRESH_SECONDS,
            "may_record": can(user, "operational.record_stock"),
        },
    )


@login_required
def rhythm_calendar(request):
    web.allow(request.user, "operational.view")
    enterprise = web.current_enterprise(request)
    year = _year(request)
    calendar = selectors.five_day_calendar(enterprise.pk, year)
    today = timezone.localdate()
    current = selectors.rank_on(calendar, today) if today.year == year else None
    return render(
        request,
        "planning/operational/rhythm_calendar.html",
        {"enterprise": enterprise, "year": year, "calendar": calendar, "current": current},
    )


@login_required
def stock_record(request):
    user = request.user
    web.allow(user, "operational.record_stock")
    enterprise = web.current_enterprise(request)
    parts = Part.objects.visible_to(user).filter(enterprise=enterprise).order_by("number")
    shops = Shop.objects.visible_to(user).filter(enterprise=enterprise).order_by("number")
    form = StockForm(request.POST or None, parts=parts, shops=shops)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = web.run(
            request,
            lambda: services.stock_record(
                part=data["part"],
                shop=data["shop"],
                date=data["date"],
                quantity=data["quantity"],
                user=user,
            ),
            form=form,
            success=_("Задел записан."),
        )
        if saved:
            return redirect(f"{_url('planning:rhythm_board')}?day={data['date'].isoformat()}")
    return render(
        request,
        "planning/operational/stock_form.html",
        {"form": form, "enterprise": enterprise},
    )


def _url(name, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


# --- daily kits --------------------------------------------------------------------------------


def _assembly_shops(user):
    """The shops that assemble the parts the user sees."""
    ids = Part.objects.visible_to(user).values("assembly_shop_id")
    return Shop.objects.filter(pk__in=ids).order_by("enterprise", "number")


@login_required
def kits_index(request):
    """The file of the first assembly shop of the user's parts, else of his own shop."""
    web.allow(request.user, "operational.view")
    shop = _assembly_shops(request.user).first() or (
        Shop.objects.visible_to(request.user).order_by("enterprise", "number").first()
    )
    if shop is None:
        raise Http404
    return redirect("planning:kits", shop.pk)


def _shop(user, pk) -> Shop:
    shop = get_object_or_404(Shop.objects.visible_to(user), pk=pk)
    web.allow(user, "operational.view")
    return shop


@login_required
def kits(request, shop_pk):
    """An assembly shop's proportionality file: a shop the user sees, or one that
    assembles parts he makes (a master of a section reads the kits his parts go into)."""
    user = request.user
    shops = Shop.objects.visible_to(user) | _assembly_shops(user)
    shop = get_object_or_404(shops.distinct(), pk=shop_pk)
    web.allow(user, "operational.view")
    day = _day(request)
    page = selectors.kits_page(Part.objects.visible_to(user), shop, day)
    sections = Section.objects.visible_to(user).filter(shop__enterprise_id=shop.enterprise_id)
    return render(
        request,
        "planning/operational/kits.html",
        {
            "shop": shop,
            "page": page,
            "day": day,
            "shops": _assembly_shops(user),
            "sections": sections.select_related("shop"),
            "may_record": can(user, "operational.record_stock", shop),
            "form": AssemblyDayForm(),
        },
    )


@login_required
def assembly_day_record(request, shop_pk):
    user = request.user
    shop = _shop(user, shop_pk)
    web.allow(user, "operational.record_stock", shop)
    form = AssemblyDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = web.run(
            request,
            lambda: services.assembly_day_record(
                shop=shop, date=data["date"], kits=data["kits"], user=user
            ),
            form=form,
            success=_("Сборка за день записана."),
        )
        if saved:
            return redirect(f"{_url('planning:kits', shop.pk)}?day={data['date'].isoformat()}")
    return render(
        request, "planning/operational/assembly_day_form.html", {"shop": shop, "form": form}
    )


@login_required
def journal(request, section_pk):
    user = request.user
    section = get_object_or_404(
        Section.objects.visible_to(user).select_related("shop"), pk=section_pk
    )
    web.allow(user, "operational.view")
    periods = Period.objects.filter(enterprise_id=section.shop.enterprise_id).order_by(
        "-year", "-month"
    )
    period = None
    if request.GET.get("period"):
        period = periods.filter(pk=safe_int(request.GET["period"]) or 0).first()
        if period is None:
            raise Http404
    else:
        today = timezone.localdate()
        period = (
            periods.filter(year__lte=today.year)
            .exclude(year=today.year, month__gt=today.month)
            .first()
            or periods.first()
        )
    return render(
        request,
        "planning/operational/journal.html",
        {
            "section": section,
            "period": period,
            "periods": periods,
            "journal": selectors.section_journal(section, period) if period else None,
        },
    )


# --- capacity ----------------------------------------------------------------------------------


@login_required
def capacity_index(request):
    web.allow(request.user, "operational.view")
    shop = Shop.objects.visible_to(request.user).order_by("enterprise", "number").first()
    if shop is None:
        raise Http404
    return redirect("planning:capacity", shop.pk)


def _load_chart(page):
    rows = [row for row in page.groups if row.year_percent is not None]
    return charts.bars(
        [row.group.name for row in rows],
        [(_("Загрузка за год"), [half_up(row.year_percent, TENTH) for row in rows])],
        title=_("Загрузка групп оборудования, %"),
        unit="%",
        horizontal=True,
        reference=Decimal(100),
        reference_label=_("100 % — фонд"),
        flag_above=True,
    )


@login_required
def capacity(request, shop_pk):
    user = request.user
    shop = _shop(user, shop_pk)
    page = selectors.capacity_page(shop, _year(request))
    return render(
        request,
        "planning/operational/capacity.html",
        {
            "shop": shop,
            "page": page,
            "chart": _load_chart(page),
            "shops": Shop.objects.visible_to(user).order_by("enterprise", "number"),
            "months": range(1, 13),
        },
    )
