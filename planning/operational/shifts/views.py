"""Pages of the shift tasks (operational-planning.md §5): where they are, a section's
month of tasks with its rhythmicity by decade, a task (its lines, readiness and steps),
composing its lines, the output of its stubs and the day's output report.

Thin views: the object for this user (404 outside the scope) → the action (404 if not the
user's) → form → service → message → redirect.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enterprise import charts, web
from enterprise.fields import safe_int
from enterprise.models import Period, Section
from enterprise.money import HUNDRED, TENTH, half_up
from enterprise.permissions import can
from enterprise.plausibility import asks_confirmation, is_confirmed
from enterprise.versions import StaleError, VersionForm
from planning.numbers import plain
from planning.operational import rules
from planning.operational.models import ShiftTask
from planning.operational.rules import decade_shares
from planning.tracking import selectors as tracking_selectors

from . import pdf, selectors, services
from .forms import (
    READINESS_LABELS,
    STATUS_BADGES,
    CancelForm,
    ItemFormSet,
    OutputForm,
    ReadinessForm,
    TaskCreateForm,
)

Status = ShiftTask.Status


# --- helpers ---------------------------------------------------------------------------------


def _task(request, pk) -> ShiftTask:
    try:
        task = selectors.task_for_page(pk, request.user)
    except ShiftTask.DoesNotExist:
        raise Http404 from None
    web.allow(request.user, "shift.view", task.section)
    return task


def _task_url(task: ShiftTask) -> str:
    return reverse("planning:shift_task", args=[task.pk])


def _period_of(task: ShiftTask) -> Period | None:
    return Period.objects.filter(
        enterprise_id=task.enterprise_id, year=task.date.year, month=task.date.month
    ).first()


def _closed_reason(period: Period | None) -> str:
    if period is None or not period.is_closed:
        return ""
    return _("Период «%(period)s» закрыт: задания и выработка этого месяца не изменяются.") % {
        "period": period
    }


def _first_day_to_compose(period: Period):
    """The new task's date the month's page offers: the first shift due to be issued now
    (3 days ahead) when the month holds it, else the month's first day."""
    ahead = timezone.localdate() + datetime.timedelta(days=rules.ISSUE_LEAD_DAYS)
    return ahead if period.contains(ahead) else period.start


def _shift_started(task: ShiftTask) -> bool:
    return timezone.localtime().replace(tzinfo=None) >= rules.shift_start(task.date, task.shift)


def _refused_closed(request, period) -> bool:
    if period is not None and period.is_closed:
        messages.error(request, _closed_reason(period))
        return True
    return False


# --- where the tasks are ---------------------------------------------------------------------


@login_required
def shifts_home(request):
    """The sections whose shift tasks the user sees, with the month's pages."""
    web.allow(request.user, "shift.view")
    enterprise = web.current_enterprise(request)
    periods = tracking_selectors.months_of(enterprise.pk)
    pk = safe_int(request.GET.get("period") or "")
    period = (periods.filter(pk=pk).first() if pk else None) or periods.first()
    sections = [
        section
        for section in Section.objects.visible_to(request.user)
        .filter(shop__enterprise=enterprise)
        .select_related("shop")
        .order_by("shop__number", "number")
        if can(request.user, "shift.view", section)
    ]
    return render(
        request,
        "planning/shifts/home.html",
        {"sections": sections, "period": period, "periods": periods},
    )


# --- a section's month -----------------------------------------------------------------------


def _decades_chart(decades) -> str | None:
    if decades.unit is None or not (any(decades.planned) or any(decades.actual)):
        return None
    # The chart prints its values as given: shares to 0.1 %, as the khozraschet's decades.
    shares = [
        [half_up(share * HUNDRED, TENTH) for share in decade_shares(values)]
        for values in (decades.planned, decades.actual)
    ]
    return charts.decades(
        shares[0],
        shares[1],
        title=_("Ритмичность по декадам, % выработки месяца"),
        planned_label=_("По заданиям"),
        actual_label=_("Записано"),
        # Its card is half the page: drawn 800 wide, its figures came out at half size.
        width=charts.NARROW_WIDTH,
    )


@login_required
def shift_month(request, section_pk, period_pk):
    section = get_object_or_404(
        Section.objects.visible_to(request.user).select_related("shop__enterprise"),
        pk=section_pk,
    )
    web.allow(request.user, "shift.view", section)
    period = get_object_or_404(
        tracking_selectors.months_of(section.shop.enterprise_id), pk=period_pk
    )
    may_issue = can(request.user, "shift.issue", section)
    form = TaskCreateForm(
        request.POST if request.method == "POST" else None,
        period=period,
        initial={"date": _first_day_to_compose(period)},
    )
    if request.method == "POST":
        if not may_issue:
            raise Http404
        if _refused_closed(request, period):
            return redirect(request.path)
        if form.is_valid():
            task = web.run(
                request,
                lambda: services.shift_task_create(
                    section=section,
                    date=form.cleaned_data["date"],
                    shift=form.cleaned_data["shift"],
                    user=request.user,
                    confirmed=is_confirmed(request.POST),
                ),
                form=form,
                success=_("Задание создано: составьте его строки."),
            )
            if task:
                return redirect("planning:shift_task_items", task.pk)
    tasks = selectors.month_tasks(section, period)
    for task in tasks:
        task.badge = STATUS_BADGES[task.status]
    decades = selectors.month_decades(section, period)
    earlier, later = tracking_selectors.neighbours(period)
    return render(
        request,
        "planning/shifts/month.html",
        {
            "section": section,
            "period": period,
            "tasks": tasks,
            "decades": decades,
            "chart": _decades_chart(decades),
            "form": form if may_issue and not period.is_closed else None,
            "closed_reason": _closed_reason(period),
            "earlier": earlier,
            "later": later,
        },
    )


# --- a task ----------------------------------------------------------------------------------


@login_required
def shift_task(request, pk):
    return _task_page(request, _task(request, pk))


def _task_page(request, task: ShiftTask, cancel_form: CancelForm | None = None):
    """The task's page; ``cancel_form`` — a refused cancellation, shown with its errors."""
    items = selectors.task_items(task)
    period = _period_of(task)
    closed = period is not None and period.is_closed
    may_check = can(request.user, "shift.check", task.section) and not closed
    may_issue = can(request.user, "shift.issue", task.section) and not closed
    readiness = ReadinessForm(items=items) if may_check and task.status == Status.ISSUED else None
    may_cancel = may_issue and task.status in services.CANCELLABLE
    return render(
        request,
        "planning/shifts/task.html",
        {
            "task": task,
            "items": items,
            "late": selectors.lateness(task),
            "badge": STATUS_BADGES[task.status],
            "readiness": readiness,
            "period": period,
            "closed_reason": _closed_reason(period),
            "may_issue": may_issue,
            "cancel_form": (cancel_form or CancelForm()) if may_cancel else None,
            "may_sign": may_check and task.status == Status.READY,
            "may_record": can(request.user, "shift.output", task.section)
            and task.status in (Status.SIGNED, Status.REPORTED),
            "issue_problems": services.issue_problems(task, items)
            if task.status in (Status.DRAFT, Status.RETURNED)
            else [],
            "history": web.history(request.user, task),
        },
    )


@login_required
def shift_task_items(request, pk):
    """The bureau composes (a draft) or recomposes (a returned task) the task's lines."""
    task = _task(request, pk)
    web.allow(request.user, "shift.issue", task.section)
    period = _period_of(task)
    editable = task.status in (Status.DRAFT, Status.RETURNED) and not (period and period.is_closed)
    if request.method == "POST" and not editable:
        messages.error(
            request,
            _closed_reason(period) or _("Задание уже у мастера: его строки не изменяются."),
        )
        return redirect(_task_url(task))
    items = selectors.task_items(task)
    operations = [
        (op.pk, f"{op.route.part.number} {op.route.part.name} — {op.number}. {op.name}")
        for op in selectors.operations_of(task.section)
    ]
    workers = [
        (worker.pk, f"{worker.short_name} ({worker.personnel_number})")
        for worker in selectors.workers_on(task.section, task.date)
    ]
    initial = [
        {
            "pk": item.pk,
            "route_operation": item.route_operation_id,
            "worker": item.worker_id,
            "quantity": plain(item.quantity),
            "resolved_note": item.resolved_note,
        }
        for item in items
    ]
    formset = ItemFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        prefix="items",
        operations=operations,
        workers=workers,
    )
    missing = {
        str(item.pk): [str(READINESS_LABELS[name]) for name in selectors.not_ready(item)]
        for item in items
    }
    if request.method == "POST" and formset.is_valid():
        rows = [
            services.ItemRow(
                key=index + 1,
                pk=form.cleaned_data.get("pk"),
                route_operation_id=form.cleaned_data.get("route_operation"),
                worker_id=form.cleaned_data.get("worker"),
                quantity=form.cleaned_data.get("quantity"),
                resolved_note=form.cleaned_data.get("resolved_note") or "",
                delete=bool(form.cleaned_data.get("delete")),
            )
            for index, form in enumerate(formset)
            if not form.is_blank
        ]
        try:
            count = services.shift_items_save(task=task, rows=rows, user=request.user)
        except services.RowErrors as errors:
            for key, texts in errors.messages_by_row.items():
                for text in texts:
                    formset.forms[key - 1].add_error(None, text)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Строки задания сохранены: %(n)s.") % {"n": count})
            return redirect(_task_url(task))
    return render(
        request,
        "planning/shifts/items.html",
        {
            "task": task,
            "formset": formset,
            "rows": [(form, missing.get(str(form["pk"].value()))) for form in formset],
            "editable": editable,
        },
    )


def _issue_confirmation(task: ShiftTask) -> web.Confirmation:
    late = selectors.lateness(task)
    effects = [_("Задание уходит мастеру участка: он отмечает готовность рабочих мест.")]
    if task.status == Status.RETURNED:
        effects.append(_("Строки, где чего-то не хватало, мастер проверит заново."))
    if late.issued_late:
        effects.append(
            _(
                "Срок выдачи (за 3 дня — до %(due)s) прошёл: задание будет отмечено "
                "как выданное с опозданием."
            )
            % {"due": date_format(late.issue_due, "d.m.Y")}
        )
    return web.Confirmation(
        title=_("Выдать сменное задание мастеру?"),
        effects=effects,
        button=_("Выдать"),
        details=[(_("Задание"), str(task))],
    )


@login_required
@require_POST
def shift_task_issue(request, pk):
    task = _task(request, pk)
    web.allow(request.user, "shift.issue", task.section)
    if _refused_closed(request, _period_of(task)):
        return redirect(_task_url(task))
    if not web.confirmed(request) and task.status in (Status.DRAFT, Status.RETURNED):
        return web.confirm_page(
            request, task, _issue_confirmation(task), cancel_url=_task_url(task)
        )
    web.run(
        request,
        lambda: services.shift_task_issue(task=task, user=request.user),
        success=_("Задание выдано мастеру."),
    )
    return redirect(_task_url(task))


def _cancel_confirmation(task: ShiftTask, reason: str) -> web.Confirmation:
    effects = [
        _("Задание остаётся в истории участка с причиной отмены; по нему больше ничего "
          "не делают."),
        _("Смена освобождается: ПДБ может составить на неё новое задание."),
    ]  # fmt: skip
    if task.status == Status.SIGNED and _shift_started(task):
        effects.insert(
            0,
            _("Задание подписано мастером, и его смена уже началась. Если по нему работали, "
              "не отменяйте его, а запишите выработку по корешкам: выработка отменённого "
              "задания рабочим не засчитывается."),
        )  # fmt: skip
    elif task.status in (Status.ISSUED, Status.READY, Status.SIGNED):
        effects.append(_("Задание уже у мастера: сообщите ему об отмене."))
    return web.Confirmation(
        title=_("Отменить сменное задание?"),
        effects=effects,
        button=_("Да, отменить задание"),
        details=[
            (_("Задание"), str(task)),
            (_("Состояние"), task.get_status_display()),
            (_("Причина отмены"), reason),
        ],
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def shift_task_cancel(request, pk):
    """The bureau cancels a task its shift will not run on (a reason is required). A GET —
    the address of a refused cancellation, reloaded — goes back to the task."""
    task = _task(request, pk)
    web.allow(request.user, "shift.issue", task.section)
    if request.method == "GET" or _refused_closed(request, _period_of(task)):
        return redirect(_task_url(task))
    if task.status not in services.CANCELLABLE:
        messages.error(
            request,
            _("Задание уже отменено.")
            if task.status == Status.CANCELLED
            else _("Выработка по заданию уже записана: её исправляют, а задание не отменяют."),
        )
        return redirect(_task_url(task))
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _task_page(request, task, cancel_form=form)
    reason = form.cleaned_data["reason"]
    if not web.confirmed(request):
        return web.confirm_page(
            request, task, _cancel_confirmation(task, reason), cancel_url=_task_url(task)
        )
    web.run(
        request,
        lambda: services.shift_task_cancel(task=task, reason=reason, user=request.user),
        success=_("Задание отменено."),
    )
    return redirect(_task_url(task))


@login_required
@require_POST
def shift_task_check(request, pk):
    task = _task(request, pk)
    web.allow(request.user, "shift.check", task.section)
    if _refused_closed(request, _period_of(task)):
        return redirect(_task_url(task))
    form = ReadinessForm(request.POST, items=selectors.task_items(task))
    if form.is_valid():
        result = web.run(
            request,
            lambda: services.shift_task_check(
                task=task, marks=form.marks(), notes=form.notes(), user=request.user
            ),
        )
        if result:
            if result.status == Status.RETURNED:
                messages.warning(request, _("Не всё готово: задание возвращено в ПДБ с отметками."))
            else:
                messages.success(request, _("Всё готово: задание можно подписать."))
    else:
        messages.error(request, _("Отметки готовности не приняты: откройте задание заново."))
    return redirect(_task_url(task))


@login_required
@require_POST
def shift_task_sign(request, pk):
    task = _task(request, pk)
    web.allow(request.user, "shift.check", task.section)
    if _refused_closed(request, _period_of(task)):
        return redirect(_task_url(task))
    if not web.confirmed(request) and task.status == Status.READY:
        started = _shift_started(task)
        confirmation = web.Confirmation(
            title=_("Подписать сменное задание?"),
            effects=[
                _(
                    "Смена уже началась: подпись нужна, чтобы записать выработку рабочих по "
                    "корешкам задания."
                )
                if started
                else _(
                    "Подписанное задание возвращается в ПДБ; к началу смены всё нужное "
                    "доставляется на рабочие места."
                ),
                _("После смены по его корешкам записывают выработку рабочих."),
            ],
            button=_("Подписать"),
            details=[(_("Задание"), str(task))],
        )
        return web.confirm_page(request, task, confirmation, cancel_url=_task_url(task))
    web.run(
        request,
        lambda: services.shift_task_sign(task=task, user=request.user),
        success=_("Задание подписано."),
    )
    return redirect(_task_url(task))


# --- output from the stubs -------------------------------------------------------------------


@login_required
def shift_output(request, pk):
    """The whole task's stubs in one form: each line's good pieces and hours."""
    task = _task(request, pk)
    web.allow(request.user, "shift.output", task.section)
    period = _period_of(task)
    read_only = (period is not None and period.is_closed) or task.status not in (
        Status.SIGNED,
        Status.REPORTED,
    )
    if request.method == "POST" and read_only:
        messages.error(
            request,
            _closed_reason(period) or _("Выработку записывают по подписанному заданию."),
        )
        return redirect(_task_url(task))
    items = selectors.task_items(task)
    workers = [
        (worker.pk, worker.short_name)
        for worker in selectors.workers_on(task.section, task.date)
    ] if any(item.worker_id is None for item in items) else []  # fmt: skip
    form = OutputForm(
        request.POST if request.method == "POST" else None, items=items, workers=workers
    )
    version = VersionForm(
        request.POST if request.method == "POST" else None,
        current=lambda: services.output_version(
            output for item in items for output in item.outputs.all()
        ),
    )
    problems: list[str] = []
    ask_confirm = False
    if request.method == "POST" and form.is_valid():
        rows = [
            services.OutputRow(item_id=item_id, worker_id=worker_id, quantity=q, hours_worked=h)
            for item_id, worker_id, q, h in form.entries()
        ]
        try:
            result = services.shift_output_record(
                task=task,
                rows=rows,
                user=request.user,
                version=version.token,
                confirmed=is_confirmed(request.POST),
            )
        except services.RowErrors as errors:
            ask_confirm = asks_confirmation(errors)
            for item_id, texts in errors.messages_by_row.items():
                for text in texts:
                    if not form.add_row_error(item_id, text):
                        problems.append(text)
        except PermissionDenied:
            raise Http404 from None
        except StaleError as error:
            version.renew_version(error.current)
            problems.extend(error.messages)
        except ValidationError as error:
            problems.extend(error.messages)
        else:
            messages.success(
                request,
                _(
                    "Выработка записана: новых строк %(c)s, изменено %(u)s, удалено %(d)s. "
                    "Выработка участка за день и рабочих за месяц пересчитаны."
                )
                % {"c": result.created, "u": result.updated, "d": result.deleted},
            )
            return redirect("planning:shift_report", task.pk)
    errors = sum(1 for item, *fields in form.rows() if any(f and f.errors for f in fields))
    return render(
        request,
        "planning/shifts/output.html",
        {
            "task": task,
            "form": form,
            "version": version,
            "read_only": read_only,
            "period": period,
            "closed_reason": _closed_reason(period),
            "problems": problems,
            "ask_confirm": ask_confirm,
            "error_rows": errors,
        },
    )


# --- the day's output report -----------------------------------------------------------------


def _report_context(task: ShiftTask) -> dict:
    report = selectors.day_report(task.section, task.date)
    return {"task": task, "report": report, "period": _period_of(task)}


@login_required
def shift_report(request, pk):
    """The section's output of the task's day, worker by worker, all its shifts."""
    task = _task(request, pk)
    return render(request, "planning/shifts/report.html", _report_context(task))


@login_required
def shift_report_pdf(request, pk):
    task = _task(request, pk)
    content = pdf.day_report_pdf(_report_context(task))
    response = HttpResponse(content, content_type="application/pdf")
    name = f"output-{task.section.pk}-{task.date:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
