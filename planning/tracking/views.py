"""Pages of the tracking (§6): output entry and import, the section's days, the
competition board (and its PDF), the bonus proposals.

Thin views: the object for this user (404 outside the scope) → the action (404 if not the
user's) → form → service → message → redirect. The figures come from
:mod:`planning.tracking` and :mod:`planning.bonuses`.
"""

from __future__ import annotations

import io
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprise import web
from enterprise.fields import safe_int
from enterprise.formsets import merge_stale, renewed_note
from enterprise.models import Period, Section, Shop
from enterprise.permissions import can
from enterprise.plausibility import asks_confirmation, is_confirmed
from enterprise.scoping import scope_of
from enterprise.spreadsheets import safe_row
from enterprise.versions import StaleError, VersionForm
from planning.numbers import plain

from . import bonuses as bonus_proposals
from . import imports, pages, selectors, services
from .forms import ImportConfirmForm, OutputFormSet, OutputImportForm, SectionDaysForm

IMPORT_SESSION_KEY = "planning.output_import"
IMPORT_FOLDER = "planning/imports"


# --- helpers ---------------------------------------------------------------------------------


def _section_month(user, section_pk, period_pk) -> tuple[Section, Period]:
    """The section (404 outside the user's scope) and a month of its enterprise."""
    section = get_object_or_404(
        Section.objects.visible_to(user).select_related("shop__enterprise"), pk=section_pk
    )
    period = get_object_or_404(selectors.months_of(section.shop.enterprise_id), pk=period_pk)
    return section, period


def _period_param(request, enterprise_id) -> Period | None:
    """The month of ``?period=`` (404 when it is not one of the enterprise's), or None."""
    value = request.GET.get("period")
    if not value:
        return None
    pk = safe_int(value)
    if pk is None:
        raise Http404
    return get_object_or_404(selectors.months_of(enterprise_id), pk=pk)


def _chosen_month(request, months: list[Period]) -> Period | None:
    """The month of ``?period=`` among ``months`` (404 when not one of them), or None."""
    value = request.GET.get("period")
    if not value:
        return None
    pk = safe_int(value)
    period = next((month for month in months if month.pk == pk), None) if pk is not None else None
    if period is None:
        raise Http404
    return period


def _closed_reason(period: Period) -> str:
    return _(
        "Период «%(period)s» закрыт: его данные не изменяются. Исправления вносятся в "
        "открытый период."
    ) % {"period": period}


# --- where to enter output -------------------------------------------------------------------


@login_required
def output_home(request):
    """The sections whose output the user enters, with the month's entry pages."""
    web.allow(request.user, "output.edit")
    enterprise = web.current_enterprise(request)
    period = _period_param(request, enterprise.pk) or selectors.latest_period(enterprise.pk)
    sections = selectors.output_sections(request.user, enterprise.pk)
    return render(
        request,
        "planning/output_home.html",
        {
            "sections": sections,
            "period": period,
            "periods": selectors.months_of(enterprise.pk),
        },
    )


# --- the month's output grid of a section ----------------------------------------------------


def _grid_pairs(rows, formset):
    """Each grid row with its form, paired by worker id (a posted grid may be older than
    the section's list: a worker added meanwhile has no form and is shown without one)."""
    forms = {str(form["worker"].value()): form for form in formset.forms}
    return [(row, forms.get(str(row.worker.pk))) for row in rows]


@login_required
def output_entry(request, section_pk, period_pk):
    section, period = _section_month(request.user, section_pk, period_pk)
    web.allow(request.user, "output.edit", section)
    rows = selectors.output_grid(section, period)
    read_only = period.is_closed
    if request.method == "POST" and read_only:
        messages.error(request, _closed_reason(period))
        return redirect(request.path)
    initial = [
        {
            "worker": row.worker.pk,
            "output": plain(row.output.output) if row.output else None,
            "hours_worked": plain(row.output.hours_worked) if row.output else None,
            "nomenclature_met": row.output.nomenclature_met if row.output else True,
        }
        for row in rows
    ]
    formset = OutputFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        prefix="rows",
        keys=[row.worker.pk for row in rows],
        labels={row.worker.pk: row.worker for row in rows},
    )
    version = VersionForm(
        request.POST if request.method == "POST" else None,
        current=lambda: services.output_grid_version(row.output for row in rows if row.output),
    )
    problems: list[str] = []
    ask_confirm = False
    if request.method == "POST" and formset.is_valid():
        entered = [
            services.OutputRow(
                worker_id=form.cleaned_data["worker"],
                output=form.cleaned_data.get("output"),
                hours_worked=form.cleaned_data.get("hours_worked"),
                nomenclature_met=form.cleaned_data.get("nomenclature_met", False),
            )
            for form in formset
        ]
        try:
            result = services.output_save_month(
                section=section,
                period=period,
                rows=entered,
                user=request.user,
                version=version.token,
                confirmed=is_confirmed(request.POST),
            )
        except services.RowErrors as errors:
            ask_confirm = asks_confirmation(errors)
            forms = {form.cleaned_data["worker"]: form for form in formset}
            for worker_id, texts in errors.messages_by_row.items():
                form = forms.get(worker_id)
                for text in texts:
                    if form is not None:
                        form.add_error(None, text)
                    else:
                        problems.append(text)
        except PermissionDenied:
            raise Http404 from None
        except StaleError as error:
            version.renew_version(error.current)
            head, *rest = error.messages
            renewed = merge_stale(formset, error)
            problems.extend([head, *([renewed_note(renewed)] if renewed else []), *rest])
        except ValidationError as error:
            problems.extend(error.messages)
        else:
            messages.success(
                request,
                _(
                    "Выработка за %(period)s сохранена: новых строк %(c)s, изменено %(u)s, "
                    "удалено %(d)s."
                )
                % {
                    "period": period,
                    "c": result.created,
                    "u": result.updated,
                    "d": result.deleted,
                },
            )
            return redirect(request.path)
    earlier, later = selectors.neighbours(period)
    return render(
        request,
        "planning/output_entry.html",
        {
            "section": section,
            "period": period,
            "pairs": _grid_pairs(rows, formset),
            "formset": formset,
            "version": version,
            "read_only": read_only,
            "closed_reason": _closed_reason(period) if read_only else "",
            "problems": problems,
            "ask_confirm": ask_confirm,
            "earlier": earlier,
            "later": later,
        },
    )


# --- import ----------------------------------------------------------------------------------


def _discard_import(request) -> None:
    stored = request.session.pop(IMPORT_SESSION_KEY, None)
    if stored and stored.get("name"):
        default_storage.delete(stored["name"])


def _preview_of(content: bytes, filename: str, enterprise_id: int, month, user):
    rows = imports.read_table(content, filename)
    return imports.import_preview(rows=rows, enterprise_id=enterprise_id, month=month, user=user)


@login_required
def output_import(request):
    """Upload a file → a preview with each line's problems → confirm (another POST)."""
    web.allow(request.user, "output.edit")
    enterprise = web.current_enterprise(request)
    form = OutputImportForm(
        request.POST or None, request.FILES or None, periods=selectors.months_of(enterprise.pk)
    )
    preview = token = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        month = form.cleaned_data["month"]
        content = upload.read()
        try:
            preview = _preview_of(content, upload.name, enterprise.pk, month, request.user)
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            _discard_import(request)
            token = uuid.uuid4().hex
            extension = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
            name = default_storage.save(f"{IMPORT_FOLDER}/{token}{extension}", ContentFile(content))
            request.session[IMPORT_SESSION_KEY] = {
                "token": token,
                "name": name,
                "filename": upload.name,
                "month": month.pk if month else None,
                "enterprise": enterprise.pk,
            }
    return render(
        request,
        "planning/output_import.html",
        {
            "form": form,
            "preview": preview,
            "confirm_form": ImportConfirmForm(initial={"token": token}) if token else None,
            # Unlikely figures found by the preview: the «Подтверждаю» checkbox at once.
            "ask_confirm": bool(preview and preview.asks_confirmation),
            "filename": request.FILES["file"].name if preview else "",
        },
    )


def _line_messages(error: ValidationError) -> list[str]:
    """A refusal of the file's lines, each message with its line's number."""
    by_line = getattr(error, "messages_by_row", None)
    if by_line is None:
        return list(error.messages)
    return [
        _("Строка %(line)s: %(message)s") % {"line": line, "message": message}
        for line, texts in by_line.items()
        for message in texts
    ]


@login_required
@require_POST
def output_import_confirm(request):
    """Write the previewed file (kept in the default storage) — all lines or none."""
    web.allow(request.user, "output.edit")
    stored = request.session.get(IMPORT_SESSION_KEY)
    form = ImportConfirmForm(request.POST)
    if not stored or not form.is_valid() or form.cleaned_data["token"] != stored.get("token"):
        messages.error(request, _("Файл для загрузки не найден: выберите его ещё раз."))
        return redirect("planning:output_import")
    if "cancel" in request.POST:
        _discard_import(request)
        messages.info(request, _("Загрузка отменена, файл удалён."))
        return redirect("planning:output_import")
    enterprise = web.current_enterprise(request)
    if stored.get("enterprise") != enterprise.pk:
        _discard_import(request)
        raise Http404
    try:
        with default_storage.open(stored["name"], "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.error(request, _("Файл для загрузки не найден: выберите его ещё раз."))
        return redirect("planning:output_import")
    month = selectors.month_of(enterprise.pk, stored.get("month"))
    try:
        preview = _preview_of(content, stored["filename"], enterprise.pk, month, request.user)
        result = services.output_import(
            preview=preview, user=request.user, confirmed=is_confirmed(request.POST)
        )
    except (imports.ImportFileError, services.RowErrors, ValidationError) as error:
        if isinstance(error, imports.ImportFileError):
            _discard_import(request)
            messages.error(request, str(error))
            return redirect("planning:output_import")
        ask_confirm = asks_confirmation(error)
        if not ask_confirm:
            messages.error(
                request,
                _("Ничего не записано: в файле есть ошибки. Исправьте файл и загрузите его "
                  "снова."),
            )  # fmt: skip
        return render(
            request,
            "planning/output_import.html",
            {
                "form": OutputImportForm(periods=selectors.months_of(enterprise.pk)),
                "preview": preview,
                "confirm_form": ImportConfirmForm(initial={"token": stored["token"]})
                if ask_confirm
                else None,
                "ask_confirm": ask_confirm,
                "refusals": _line_messages(error),
                "filename": stored["filename"],
            },
        )
    except PermissionDenied:
        raise Http404 from None
    _discard_import(request)
    messages.success(
        request,
        _("Файл «%(f)s» загружен: новых строк %(c)s, изменено %(u)s, без изменений %(n)s.")
        % {
            "f": stored["filename"],
            "c": result.created,
            "u": result.updated,
            "n": result.unchanged,
        },
    )
    return redirect("planning:output")


# --- the section's days ----------------------------------------------------------------------


@login_required
def section_days(request, section_pk, period_pk):
    section, period = _section_month(request.user, section_pk, period_pk)
    web.allow(request.user, "board.view")
    may_edit = can(request.user, "output.edit", section)
    # A month on shift tasks takes its days from the tasks' output: shown, never typed over
    # (the service refuses a change; the page says so before anything is typed).
    derived = services.days_derived(section, period)
    editable = may_edit and not period.is_closed and not derived
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if period.is_closed:
            messages.error(request, _closed_reason(period))
            return redirect(request.path)
        if derived:
            messages.error(request, services.derived_days_message(section, period))
            return redirect(request.path)
    table = selectors.section_days(section, period)
    form = SectionDaysForm(
        request.POST if request.method == "POST" else None,
        days=[row.date for row in table.rows],
        initial={SectionDaysForm.field_name(row.date): plain(row.actual) for row in table.rows},
    )
    version = VersionForm(
        request.POST if request.method == "POST" else None,
        current=lambda: services.section_days_version(selectors.section_day_rows(section, period)),
    )
    problems: list[str] = []
    ask_confirm = False
    if request.method == "POST" and form.is_valid():
        try:
            result = services.section_days_save(
                section=section,
                period=period,
                values=form.values(),
                user=request.user,
                version=version.token,
                confirmed=is_confirmed(request.POST),
            )
        except services.RowErrors as errors:
            ask_confirm = asks_confirmation(errors)
            for day, texts in errors.messages_by_row.items():
                for text in texts:
                    form.add_error(form.field_name(day), text)
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
                _("Выработка участка по дням сохранена: записано дней %(n)s.")
                % {"n": result.created + result.updated + result.deleted},
            )
            return redirect(request.path)
    earlier, later = selectors.neighbours(period)
    return render(
        request,
        "planning/section_days.html",
        {
            "section": section,
            "period": period,
            "table": table,
            "rows": [(row, form.bound(row.date)) for row in table.rows],
            "form": form,
            "version": version,
            "editable": editable,
            "may_edit": may_edit,
            "closed_reason": _closed_reason(period) if period.is_closed else "",
            "derived_reason": services.derived_days_message(section, period)
            if derived and not period.is_closed
            else "",
            "shifts_url": reverse("planning:shift_month", args=[section.pk, period.pk])
            if derived
            else "",
            "problems": problems,
            "ask_confirm": ask_confirm,
            "earlier": earlier,
            "later": later,
        },
    )


# --- the competition board -------------------------------------------------------------------


@login_required
def board_index(request):
    """The board of the user's own shop (a worker's, a section's), else the first he sees."""
    web.allow(request.user, "board.view")
    shop = selectors.board_shop(request.user)
    if shop is None:
        raise Http404
    return redirect("planning:board", shop.pk)


def _board_shop_month(request, shop_pk) -> tuple[Shop, Period | None, list[Period]]:
    """The shop (404 outside the user's scope), the month its board shows and the
    enterprise's months (the latest first: the page offers them; one query for both)."""
    shop = get_object_or_404(
        Shop.objects.visible_to(request.user).select_related("enterprise"), pk=shop_pk
    )
    web.allow(request.user, "board.view")
    months = list(selectors.months_of(shop.enterprise_id))
    period = _chosen_month(request, months) or selectors.latest_period(
        shop.enterprise_id, with_output_of_shop=shop
    )
    return shop, period, months


@login_required
def board(request, shop_pk):
    shop, period, months = _board_shop_month(request, shop_pk)
    # the rows come written, from the cache while the figures are the same (pages.py)
    data = pages.board_page(shop, period) if period is not None else None
    screen = request.GET.get("screen") == "1"
    own = scope_of(request.user).workers
    return render(
        request,
        "planning/board.html",
        {
            "shop": shop,
            "period": period,
            "board": data,
            "rows_html": data.rows_html(own) if data else "",
            "screen": screen,
            "shops": selectors.board_shops(request.user, shop.enterprise_id),
            "periods": months,
            "refresh_seconds": 60,
            # his own row stands out (a worker's record; empty for the other roles)
            "mine_place": data.place_of(own) if data and own else None,
        },
    )


@login_required
def board_pdf(request, shop_pk):
    from .pdf import render_board

    shop, period, _months = _board_shop_month(request, shop_pk)
    if period is None:
        raise Http404
    data = selectors.board(shop, period)
    response = HttpResponse(render_board(data), content_type="application/pdf")
    filename = f"board-shop-{shop.number}-{period.year}-{period.month:02d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- bonus proposals -------------------------------------------------------------------------


@login_required
def bonuses(request):
    web.allow(request.user, "bonus.view")
    enterprise = web.current_enterprise(request)
    months = list(selectors.months_of(enterprise.pk))  # offered, and the ?period= check
    period = _chosen_month(request, months) or selectors.latest_period(enterprise.pk)
    if period is None:
        raise Http404
    shops = selectors.bonus_shops(request.user, enterprise.pk)
    if not shops:
        raise Http404
    # The page shows one shop at a time (a plant's thousands of proposals are no page to
    # read: they go to the XLSX export, ``shop=all``); the first shop unless one is chosen.
    export = request.GET.get("_export") == "xlsx"
    shop_value = request.GET.get("shop") or ""
    if shop_value == "all" and export:
        chosen = shops
    elif shop_value:
        chosen = [shop for shop in shops if str(shop.pk) == shop_value]
        if not chosen:
            raise Http404
    else:
        chosen = shops[:1]
        shop_value = str(shops[0].pk)
    if export:
        return _bonuses_xlsx(bonus_proposals.proposals(period, chosen))
    # one kind a page: the month's bonus, or the quarter's (months that end a quarter)
    kind = "quarterly" if request.GET.get("kind") == "quarterly" else "monthly"
    result = pages.bonus_page(period, chosen, kind)
    export_url = reverse("planning:bonuses") + f"?period={period.pk}&_export=xlsx&shop="
    page_url = reverse("planning:bonuses") + f"?period={period.pk}&shop={shop_value}&kind="
    return render(
        request,
        "planning/bonuses.html",
        {
            "result": result,
            "monthly_html": result.monthly_html,
            "quarterly_html": result.quarterly_html,
            "period": period,
            "periods": months,
            "shops": shops,
            "shop_value": shop_value,
            "kind": kind,
            "monthly_url": page_url + "monthly",
            "quarterly_url": page_url + "quarterly",
            "export_url": export_url + shop_value,
            "export_all_url": export_url + "all" if len(shops) > 1 else None,
        },
    )


def _bonuses_xlsx(result) -> HttpResponse:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    headers, rows = bonus_proposals.export_rows(result)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("Премии")[:31]
    sheet.append(safe_row(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(safe_row(row))
    # Grouped like every export (enterprise.numbers.excel_number_format): «1 234,500».
    formats = {7: "#,##0.000", 8: "#,##0.000", 9: "#,##0.0", 10: "#,##0.0", 11: "#,##0.000"}
    formats.update({12: "#,##0.000", 13: "#,##0.000", 14: "#,##0.00", 15: "#,##0.0"})
    formats[16] = "#,##0.00"
    for column, number_format in formats.items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    widths = [30, 6, 8, 8, 32, 22, 10, 10, 10, 10, 10, 10, 12, 14, 8, 12, 12, 80]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    period = result.period
    response["Content-Disposition"] = (
        f'attachment; filename="bonuses-{period.year}-{period.month:02d}.xlsx"'
    )
    return response
