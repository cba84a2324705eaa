"""Pages of the platform: thin views — object for this user (404 outside scope) →
form → service → message → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import closing, duties, selectors, services, web
from .filtersets import (
    PeriodFilterSet,
    SectionFilterSet,
    ShopFilterSet,
    StepScaleFilterSet,
    WorkerFilterSet,
)
from .forms import (
    DecisionForm,
    ReasonForm,
    RoleGrantFilterForm,
    StepRowFormSet,
    StepScaleForm,
    TariffRateForm,
    WorkerForm,
)
from .lists import ScopedListView, paginate
from .models import Period, Section, Shop, StepScale, Worker
from .permissions import ACTIONS, can
from .scoping import scope_of
from .tables import PeriodTable, SectionTable, ShopTable, StepScaleTable, WorkerTable
from .versions import VersionForm

# --- home ------------------------------------------------------------------------------


@login_required
def home(request):
    tasks = selectors.tasks_for(request.user)
    # A worker has no period to act on: his home shows his pay and plan instead.
    show_periods = not scope_of(request.user).worker_only
    return render(
        request,
        "enterprise/home.html",
        {
            "tasks": tasks,
            # named at the top of the page: the list may stand below the cards (a phone)
            "urgent_count": sum(1 for task in tasks if task.urgent),
            "panels": selectors.home_panels(request.user),
            "own_worker": selectors.own_worker(request.user),
            "show_periods": show_periods,
            "open_periods": selectors.open_periods_for(request.user) if show_periods else [],
        },
    )


# --- structure -------------------------------------------------------------------------


class ShopListView(ScopedListView):
    model = Shop
    table_class = ShopTable
    filterset_class = ShopFilterSet
    export_name = "shops"
    title = gettext_lazy("Цеха")

    def get_queryset(self):
        return selectors.shops_for(self.request.user)


class SectionListView(ScopedListView):
    model = Section
    table_class = SectionTable
    filterset_class = SectionFilterSet
    export_name = "sections"
    title = gettext_lazy("Участки")

    def get_queryset(self):
        return selectors.sections_for(self.request.user)


class WorkerListView(ScopedListView):
    model = Worker
    table_class = WorkerTable
    filterset_class = WorkerFilterSet
    export_name = "workers"
    title = gettext_lazy("Рабочие")

    def get_queryset(self):
        return selectors.workers_for(self.request.user)

    def get_create_url(self):
        return (
            reverse("enterprise:worker_create")
            if can(self.request.user, "structure.edit")
            else None
        )


@login_required
def shop_detail(request, pk):
    shop = get_object_or_404(selectors.shops_for(request.user), pk=pk)
    sections = SectionTable(
        selectors.sections_for(request.user).filter(shop=shop), exclude=["shop"], orderable=False
    )
    return render(
        request,
        "enterprise/shop_detail.html",
        {
            "shop": shop,
            "sections": sections,
            "history": web.history(request.user, shop),
        },
    )


@login_required
def section_detail(request, pk):
    section = get_object_or_404(selectors.sections_for(request.user), pk=pk)
    workers_qs = selectors.workers_for(request.user).filter(section=section).active()
    workers = WorkerTable(workers_qs, exclude=["shop", "section"])
    paginate(request, workers)
    return render(
        request,
        "enterprise/section_detail.html",
        {
            "section": section,
            "workers": workers,
            "history": web.history(request.user, section),
        },
    )


@login_required
def worker_detail(request, pk):
    worker = get_object_or_404(
        selectors.workers_for(request.user).select_related("user", "enterprise", "pay_condition"),
        pk=pk,
    )
    today = timezone.localdate()
    return render(
        request,
        "enterprise/worker_detail.html",
        {
            "worker": worker,
            "seniority": worker.seniority_years(today),
            "age": worker.age(today),
            "is_young": worker.is_young(today),
            "can_edit": can(request.user, "worker.edit", worker),
            "history": web.history(request.user, worker),
        },
    )


@login_required
def worker_edit(request, pk=None):
    if pk is None:
        web.allow(request.user, "structure.edit")
        worker = Worker()
        enterprise = web.current_enterprise(request)
    else:
        worker = get_object_or_404(Worker.objects.visible_to(request.user), pk=pk)
        web.allow(request.user, "worker.edit", worker)
        enterprise = worker.enterprise
    form = WorkerForm(
        request.POST or None, instance=worker, enterprise=enterprise, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        saved = web.run(
            request,
            lambda: services.worker_save(
                worker=form.save(commit=False),
                user=request.user,
                version=form.posted_version,
                fields=tuple(form.version_group(worker)[1]),
            ),
            form=form,
            submission=form.submission_token if pk is None else None,
            success=_("Данные рабочего сохранены."),
        )
        if saved:
            return redirect(saved)
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("Новый рабочий") if pk is None else _("Изменение: %(w)s") % {"w": worker},
            "cancel_url": worker.get_absolute_url() if pk else reverse("enterprise:worker_list"),
        },
    )


# --- tariff grid -----------------------------------------------------------------------


@login_required
def tariff_grid(request):
    enterprise_ids = selectors.visible_enterprise_ids(request.user)
    if not enterprise_ids:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "enterprise/tariff_grid.html",
        {
            "rows": selectors.tariff_grid(enterprise_ids, today),
            "grades": range(1, 7),
            "today": today,
            "can_edit": can(request.user, "tariff.edit"),
            "history": selectors.history_for(
                *(f"enterprise.tariffgrid:{pk}" for pk in enterprise_ids)
            )
            if can(request.user, "history.view")
            else None,
        },
    )


@login_required
def tariff_rate_create(request):
    web.allow(request.user, "tariff.edit")
    enterprise = web.current_enterprise(request)
    web.allow(request.user, "tariff.edit", enterprise)
    form = TariffRateForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        saved = web.run(
            request,
            lambda: services.tariff_rate_save(rate=form.save(commit=False), user=request.user),
            form=form,
            submission=form.submission_token,
            success=_("Ставка сохранена."),
        )
        if saved:
            return redirect("enterprise:tariff_grid")
    return render(
        request,
        "enterprise/form.html",
        {
            "form": form,
            "title": _("Новая тарифная ставка"),
            "help": _(
                "Ставка действует с указанной даты до начала следующей ставки того же разряда "
                "и условий оплаты. Ставки закрытых месяцев не меняются: новая ставка "
                "вводится с открытого месяца."
            ),
            "cancel_url": reverse("enterprise:tariff_grid"),
        },
    )


# --- step scales -----------------------------------------------------------------------


class StepScaleListView(ScopedListView):
    model = StepScale
    table_class = StepScaleTable
    filterset_class = StepScaleFilterSet
    export_name = "scales"
    title = gettext_lazy("Ступенчатые шкалы")

    def get_queryset(self):
        return selectors.scales_for(self.request.user)

    def get_create_url(self):
        return reverse("enterprise:scale_create") if can(self.request.user, "scale.edit") else None


def _scale_for(user, pk) -> StepScale:
    return get_object_or_404(selectors.scales_for(user), pk=pk)


@login_required
def scale_detail(request, pk):
    scale = _scale_for(request.user, pk)
    return render(
        request,
        "enterprise/scale_detail.html",
        {
            "scale": scale,
            "rows": scale.rows.all(),
            "can_edit": can(request.user, "scale.edit", scale),
            "history": web.history(request.user, scale),
        },
    )


@login_required
def scale_edit(request, pk=None):
    if pk is None:
        web.allow(request.user, "scale.edit")
        scale = StepScale(enterprise=web.current_enterprise(request))
        web.allow(request.user, "scale.edit", scale)
    else:
        scale = _scale_for(request.user, pk)
        web.allow(request.user, "scale.edit", scale)
    form = StepScaleForm(request.POST or None, instance=scale)
    formset = StepRowFormSet(request.POST or None, instance=scale, prefix="rows")
    version = VersionForm(request.POST or None, current=lambda: services.step_scale_version(scale))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = web.run(
            request,
            lambda: services.step_scale_save(
                scale=form.save(commit=False),
                rows=formset.rows(),
                user=request.user,
                version=version.token,
            ),
            form=form,
            version=version,
            submission=form.submission_token if pk is None else None,
            success=_("Шкала сохранена."),
        )
        if saved:
            return redirect(saved)
    return render(
        request,
        "enterprise/scale_form.html",
        {"form": form, "formset": formset, "scale": scale, "version": version},
    )


# --- periods ---------------------------------------------------------------------------


class PeriodListView(ScopedListView):
    model = Period
    table_class = PeriodTable
    filterset_class = PeriodFilterSet
    select_related = ("closed_by",)
    export_name = "periods"
    title = gettext_lazy("Периоды")


@login_required
def period_detail(request, pk):
    """A month's page. Its request to reopen posts here (``step``), so that a refused
    request shows the page again with the error next to the reason, at the month's own
    address; the request's own address takes the same post."""
    if request.method == "POST":
        if request.POST.get("step") != "request_reopen":
            raise Http404
        return period_request_reopen(request, pk)
    period = get_object_or_404(Period.objects.visible_to(request.user), pk=pk)
    return _period_page(request, period)


def _period_page(request, period, reason_form=None):
    pending = selectors.pending_reopening(period)
    user = request.user
    may_decide = pending is not None and can(user, "period.decide_reopen", period)
    decide_blocked = (
        duties.decider_dependence(
            user,
            pending.requested_by_id,
            roles=ACTIONS["period.decide_reopen"],
            enterprise_id=period.enterprise_id,
        )
        if may_decide
        else None
    )
    return render(
        request,
        "enterprise/period_detail.html",
        {
            "period": period,
            "pending": pending,
            "reopenings": selectors.reopenings_of(period),
            "can_close": not period.is_closed and can(user, "period.close", period),
            "can_request": period.is_closed
            and pending is None
            and can(user, "period.request_reopen", period),
            "can_decide": may_decide and decide_blocked is None,
            "decide_blocked": decide_blocked,
            "reason_form": reason_form or ReasonForm(),
            "decision_form": DecisionForm(),
            "history": web.history(request.user, period),
        },
    )


def _period_action(request, pk, action):
    period = get_object_or_404(Period.objects.visible_to(request.user), pk=pk)
    web.allow(request.user, action, period)
    return period


def _carry_ticks(request, period) -> dict[str, list[int]]:
    """The closer's ticks: ``carry`` = "kind:pk" for one document, ``carry_all`` = kind
    for all the open documents of a kind."""
    ticks: dict[str, list[int]] = {}
    for value in request.POST.getlist("carry"):
        code, _sep, pk = value.partition(":")
        if pk.isascii() and pk.isdigit() and len(pk) <= 18:
            ticks.setdefault(code, []).append(int(pk))
    everything = set(request.POST.getlist("carry_all"))
    if everything:
        for kind in closing.CLOSING_KINDS:
            if kind.code in everything and kind.carriable:
                ticks[kind.code] = [item.pk for item in kind.items(period)]
    return ticks


@login_required
def period_closing(request, pk):
    """Before the close: what is still open in the month, grouped by kind and unit; the
    closer ticks what goes on in the next month, then confirms what will happen."""
    period = _period_action(request, pk, "period.close")
    if period.is_closed:
        messages.info(request, _("Период «%(p)s» уже закрыт.") % {"p": period})
        return redirect(period)
    ticks = _carry_ticks(request, period) if request.method == "POST" else {}
    reviews = closing.review(period, ticks)
    refusal = closing.left_open_message(period, reviews)
    confirming = request.method == "POST" and not refusal
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
    return render(
        request,
        "enterprise/period_closing.html",
        {
            "period": period,
            "reviews": reviews,
            "confirming": confirming,
            "target": closing.next_period(period),
            "open_total": sum(len(r.items) for r in reviews),
            "carried_total": sum(len(r.carried) for r in reviews),
            "finished_total": sum(r.finished for r in reviews),
        },
    )


@login_required
@require_POST
def period_close(request, pk):
    """Close the month — only from the confirmation of the closing page (``confirm=1``):
    a POST without it changes nothing and goes to that page, which says what will happen."""
    period = _period_action(request, pk, "period.close")
    if not web.confirmed(request) and not period.is_closed:
        messages.info(request, _("Проверьте, что произойдёт при закрытии, и подтвердите его."))
        return redirect("enterprise:period_closing", pk=period.pk)
    closed = web.run(
        request,
        lambda: services.period_close(
            period=period, user=request.user, carry=_carry_ticks(request, period)
        ),
        success=_("Период «%(p)s» закрыт.") % {"p": period},
    )
    if closed is None:
        return redirect("enterprise:period_closing", pk=period.pk)
    return redirect(period)


@login_required
@require_POST
def period_request_reopen(request, pk):
    period = _period_action(request, pk, "period.request_reopen")
    form = ReasonForm(request.POST)
    if form.is_valid():
        done = web.run(
            request,
            lambda: services.period_request_reopen(
                period=period, user=request.user, reason=form.cleaned_data["reason"]
            ),
            form=form,
            page_errors=True,
            submission=form.submission_token,
            success=_("Запрос отправлен. Решение примет другой сотрудник."),
        )
        if done or not form.errors:
            return redirect(period)
    # The reason's error next to it, the summary at the top (the page's forms' way).
    return _period_page(request, period, reason_form=form)


@login_required
@require_POST
def reopening_decide(request, pk):
    reopening = get_object_or_404(selectors.reopenings_for(request.user), pk=pk)
    web.allow(request.user, "period.decide_reopen", reopening.period)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Выберите решение."))
        return redirect(reopening.period)
    web.run(
        request,
        lambda: services.period_decide_reopen(
            reopening=reopening,
            user=request.user,
            approve=form.cleaned_data["approve"],
            comment=form.cleaned_data["comment"],
        ),
        success=_("Решение записано."),
    )
    return redirect(reopening.period)


# --- grants of roles ---------------------------------------------------------------------------


@login_required
def role_grants(request):
    """Who granted or revoked which role to whom, and when: the director's review."""
    web.allow(request.user, "roles.review")
    grantors = selectors.role_grantors(request.user)
    form = RoleGrantFilterForm(request.GET or None, grantors=grantors)
    filters = {}
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["grantor"]
        filters = {
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
            "grantor": next((g for g in grantors if g.pk == chosen), None),
        }
    changes = selectors.role_changes(request.user, **filters)
    return render(request, "enterprise/role_grants.html", {"form": form, "changes": changes})
