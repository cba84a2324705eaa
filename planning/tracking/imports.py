"""Tracking (§6): reading a file of monthly output (CSV or a workbook) and checking it.

:func:`import_preview` reads the file into lines, each checked and matched with its
worker, month and what is stored already, and the figures it would write checked for
plausibility (:mod:`planning.tracking.plausibility`) as the load checks them: impossible
ones are the line's errors, unlikely ones its doubts, shown row by row before the user
confirms; :func:`planning.tracking.services.output_import` writes a preview that has no
errors (its doubts only with the «Подтверждаю» checkbox).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enterprise import imports as tables
from enterprise.models import Period, Worker
from enterprise.permissions import can
from enterprise.plausibility import Findings
from enterprise.rules import is_personnel_number
from enterprise.tracking import PeriodClosedError
from planning.numbers import plain

from .models import MonthlyOutput
from .plausibility import check_outputs

IMPORT_MAX_ROWS = 5000
_MONTH_RE = re.compile(r"^\s*(\d{1,2})\s*[./-]\s*(\d{4})\s*$")
_ISO_MONTH_RE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})(?:-\d{1,2})?\s*$")
_YES = {"да", "д", "yes", "y", "1", "+", "true", "истина", "выполнено", "выполнена"}
_NO = {"нет", "н", "no", "n", "0", "-", "−", "false", "ложь", "не выполнено", "не выполнена"}


# The file cannot be read at all, or is beyond a limit (not its rows' problems).
ImportFileError = tables.TableFileError


LIMIT = Decimal(10) ** 11
"""Numbers of a cell from this size on are refused (output: 14 digits, 3 of them places)."""


def parse_decimal(value) -> Decimal:
    """A number of a cell: a number, or text in Russian format («1 234,5»; «12.5» too).

    Raises :class:`ValueError` with a Russian message.
    """
    if isinstance(value, bool):
        raise ValueError(_("Не число: «%(value)s».") % {"value": value})
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        text = re.sub(r"[\s\u00a0\u202f']", "", str(value))
        if "," in text and "." in text:
            raise ValueError(_("Не число: «%(value)s».") % {"value": value})
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("Не число: «%(value)s».") % {"value": value}) from None
    if not number.is_finite():
        raise ValueError(_("Не число: «%(value)s».") % {"value": value})
    if number.copy_abs() >= LIMIT:
        # Past any column's range (a month's output is stored to 14 digits): refused here,
        # before the preview rounds it past the decimal context's precision.
        raise ValueError(_("Слишком большое число: «%(value)s».") % {"value": value})
    return number


def parse_month(value) -> tuple[int, int]:
    """(year, month) of a cell: «10.2026», «10/2026», «2026-10» or a date."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.year, value.month
    text = str(value)
    if match := _MONTH_RE.match(text):
        month, year = int(match[1]), int(match[2])
    elif match := _ISO_MONTH_RE.match(text):
        year, month = int(match[1]), int(match[2])
    else:
        raise ValueError(_("Месяц не распознан: «%(value)s» (нужно ММ.ГГГГ).") % {"value": value})
    if not 1 <= month <= 12:
        raise ValueError(_("Месяц не распознан: «%(value)s» (нужно ММ.ГГГГ).") % {"value": value})
    return year, month


def parse_yes_no(value) -> bool:
    """«да»/«нет» (and 1/0, +/−, yes/no); an empty cell is «да», the usual case."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower().rstrip(".")
    if isinstance(value, int | float | Decimal):
        text = "1" if value == 1 else "0" if value == 0 else text
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(_("Ожидается «да» или «нет»: «%(value)s».") % {"value": value})


def _personnel_number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_blank = tables.is_blank


def read_table(content: bytes, filename: str) -> list[list]:
    """The rows with content of the first sheet of an XLSX file or of a CSV file, read by
    :func:`enterprise.imports.read_table`: it stops at the row limit as it reads (one
    header row allowed over it)."""
    return tables.read_table(content, filename, max_rows=IMPORT_MAX_ROWS, extra_rows=1)


# Header words → column (Russian, and the English of the English interface).
_HEADERS = (
    ("number", ("таб", "personnel")),
    ("month", ("месяц", "период", "month", "period")),
    ("output", ("выработ", "выполн. объём", "объём", "output")),
    ("hours", ("час", "hour")),
    ("nomenclature", ("номенкл", "product range", "nomenclature")),
)


def _columns(first_row: list, month_chosen: bool) -> tuple[dict[str, int], bool]:
    """Column positions and whether the first row is a header."""
    head = [str(cell or "").strip().lower() for cell in first_row]
    first = _personnel_number(first_row[0]) if first_row else ""
    if head and not first.isdigit():
        columns: dict[str, int] = {}
        for index, title in enumerate(head):
            for key, words in _HEADERS:
                if key not in columns and any(word in title for word in words):
                    columns[key] = index
                    break
        if "number" in columns and "output" in columns and "hours" in columns:
            return columns, True
        raise ImportFileError(
            _(
                "В заголовке файла не найдены столбцы «табельный номер», «выработка» и "
                "«отработано часов»."
            )
        )
    width = len(first_row)
    if width >= 5 or not month_chosen:
        return {"number": 0, "month": 1, "output": 2, "hours": 3, "nomenclature": 4}, False
    return {"number": 0, "output": 1, "hours": 2, "nomenclature": 3}, False


@dataclass
class ImportLine:
    """A line of the file as understood, with its problems."""

    line: int
    personnel_number: str
    worker: Worker | None = None
    period: Period | None = None
    month_label: str = ""
    output: Decimal | None = None
    hours_worked: Decimal | None = None
    nomenclature_met: bool = True
    stored: MonthlyOutput | None = None
    errors: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)
    """Unlikely figures (:mod:`enterprise.plausibility`): written only when confirmed."""

    # As an entry of the plausibility checks (``check_outputs``): keyed by the file's line.
    clears = False

    @property
    def key(self) -> int:
        return self.line

    @property
    def replaces(self) -> bool:
        return self.stored is not None

    @property
    def output_plain(self) -> Decimal | None:
        return plain(self.output)

    @property
    def hours_plain(self) -> Decimal | None:
        return plain(self.hours_worked)

    @property
    def stored_output_plain(self) -> Decimal | None:
        return plain(self.stored.output) if self.stored is not None else None

    @property
    def stored_hours_plain(self) -> Decimal | None:
        return plain(self.stored.hours_worked) if self.stored is not None else None


@dataclass
class ImportPreview:
    lines: list[ImportLine]

    @property
    def ok(self) -> bool:
        return bool(self.lines) and not any(line.errors for line in self.lines)

    @property
    def error_count(self) -> int:
        return sum(1 for line in self.lines if line.errors)

    @property
    def doubt_count(self) -> int:
        return sum(1 for line in self.lines if line.doubts)

    @property
    def asks_confirmation(self) -> bool:
        """No errors, but unlikely figures: the load needs the «Подтверждаю» checkbox."""
        return self.ok and self.doubt_count > 0


def _cell(row: list, index: int | None):
    if index is None or index >= len(row):
        return None
    return row[index]


def import_preview(
    *, rows: list[list], enterprise_id: int, month: Period | None, user
) -> ImportPreview:
    """Understand a file's rows and check each: unknown personnel number, a worker outside
    the user's units, no such or a closed month, a bad number. A constant number of queries.
    """
    if not rows:
        raise ImportFileError(_("В файле нет строк."))
    columns, header = _columns(rows[0], month is not None)
    body = rows[1:] if header else rows
    first_line = 2 if header else 1
    if len(body) > IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("В файле больше %(n)s строк: разделите его на части.") % {"n": IMPORT_MAX_ROWS}
        )
    if "month" not in columns and month is None:
        raise ImportFileError(_("В файле нет столбца «месяц»: выберите месяц в форме."))
    numbers = {_personnel_number(_cell(row, columns["number"])) for row in body}
    workers = {
        w.personnel_number: w
        for w in Worker.objects.filter(
            enterprise_id=enterprise_id, personnel_number__in=numbers
        ).select_related("section__shop")
    }
    periods = {(p.year, p.month): p for p in Period.objects.filter(enterprise_id=enterprise_id)}
    lines: list[ImportLine] = []
    for offset, row in enumerate(body):
        number = _personnel_number(_cell(row, columns["number"]))
        line = ImportLine(line=first_line + offset, personnel_number=number)
        lines.append(line)
        if _blank(number):
            line.errors.append(_("Не указан табельный номер."))
        elif not is_personnel_number(number):
            line.errors.append(
                _("Табельный номер «%(n)s»: от 1 до 10 цифр (0–9).") % {"n": number[:20]}
            )
        else:
            line.worker = workers.get(number)
            if line.worker is None:
                line.errors.append(_("Неизвестный табельный номер %(n)s.") % {"n": number})
            elif not can(user, "output.edit", line.worker):
                line.errors.append(
                    _("Рабочий не из ваших подразделений: вводить его выработку вы не можете.")
                )
        month_cell = _cell(row, columns.get("month"))
        if _blank(month_cell):
            if month is None:
                line.errors.append(_("Не указан месяц."))
            else:
                line.period = month
        else:
            try:
                year_month = parse_month(month_cell)
            except ValueError as error:
                line.errors.append(str(error))
            else:
                line.period = periods.get(year_month)
                if line.period is None:
                    line.month_label = f"{year_month[1]:02d}.{year_month[0]}"
                    line.errors.append(
                        _("Месяца %(m)s нет среди периодов предприятия.") % {"m": line.month_label}
                    )
        if line.period is not None:
            line.month_label = str(line.period)
            if line.period.is_closed:
                line.errors.append(str(PeriodClosedError(str(line.period)).messages[0]))
        for name, label in (("output", _("выработка")), ("hours", _("отработано часов"))):
            value = _cell(row, columns[name])
            if _blank(value):
                line.errors.append(_("Не указано: %(what)s.") % {"what": label})
                continue
            try:
                number_value = parse_decimal(value)
            except ValueError as error:
                line.errors.append(f"{label}: {error}")
                continue
            if number_value < 0:
                line.errors.append(_("%(what)s не может быть меньше нуля.") % {"what": label})
            setattr(line, "output" if name == "output" else "hours_worked", number_value)
        try:
            line.nomenclature_met = parse_yes_no(_cell(row, columns.get("nomenclature")))
        except ValueError as error:
            line.errors.append(str(error))
    _check_fields(lines)
    _mark_duplicates(lines)
    _attach_stored(lines)
    _check_plausibility(lines)
    return ImportPreview(lines)


def _check_fields(lines: list[ImportLine]) -> None:
    """The model's own field checks (digits, places, at most 400 hours)."""
    for line in lines:
        if line.output is None or line.hours_worked is None:
            continue
        probe = MonthlyOutput(
            output=line.output, hours_worked=line.hours_worked, nomenclature_met=True
        )
        try:
            probe.clean_fields(exclude=["enterprise", "worker", "period"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = str(MonthlyOutput._meta.get_field(name).verbose_name)
                line.errors.extend(f"{label}: {message}" for message in messages)


def _mark_duplicates(lines: list[ImportLine]) -> None:
    seen: dict[tuple[int, int], int] = {}
    for line in lines:
        if line.worker is None or line.period is None:
            continue
        pair = (line.worker.pk, line.period.pk)
        if pair in seen:
            line.errors.append(
                _("Этот рабочий и месяц уже есть выше (строка %(row)s).") % {"row": seen[pair]}
            )
        else:
            seen[pair] = line.line


def _attach_stored(lines: list[ImportLine]) -> None:
    workers = {line.worker.pk for line in lines if line.worker is not None}
    periods = {line.period.pk for line in lines if line.period is not None}
    if not workers or not periods:
        return
    stored = {
        (row.worker_id, row.period_id): row
        for row in MonthlyOutput.objects.filter(worker_id__in=workers, period_id__in=periods)
    }
    for line in lines:
        if line.worker is not None and line.period is not None:
            line.stored = stored.get((line.worker.pk, line.period.pk))


def _check_plausibility(lines: list[ImportLine]) -> None:
    """The figures a line would write, against the worker's month — the checks the load
    runs (:func:`planning.tracking.services.output_save`), on the same lines: those with
    no other error whose output or hours differ from what is stored. Impossible figures
    become the line's errors, unlikely ones its doubts. One query a year of the file."""
    to_check = [
        line
        for line in lines
        if not line.errors
        and line.worker is not None
        and line.period is not None
        and line.output is not None
        and line.hours_worked is not None
        and (
            line.stored is None
            or (line.stored.output, line.stored.hours_worked) != (line.output, line.hours_worked)
        )
    ]
    if not to_check:
        return
    findings = Findings()
    check_outputs(findings, to_check)
    by_number = {line.line: line for line in to_check}
    for number, messages in findings.impossible.items():
        by_number[number].errors.extend(messages)
    for number, messages in findings.unlikely.items():
        by_number[number].doubts.extend(messages)
