"""The summary of org-technical measures as a workbook."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from enterprise.money import KOPECK, half_up, places
from enterprise.spreadsheets import safe_row, typed_cell

from .rules import released_places
from .selectors import Figures, Summary


def summary_xlsx(result: Summary) -> bytes:
    """The summary as a workbook: one sheet, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Мероприятия")[:31]
    bold = Font(bold=True)

    def append(values):
        sheet.append(safe_row(values))
        for cell in sheet[sheet.max_row]:
            typed_cell(cell, cell.value)  # a number with its places as the format

    append([_("Сводка оргтехмероприятий: %(unit)s, %(year)s год") % {
        "unit": result.unit.label, "year": result.year}])  # fmt: skip
    sheet["A1"].font = bold
    append([_("Численность подразделения, чел."), result.headcount])
    append([])
    append(
        [
            _("Группа факторов, фактор, мероприятие"),
            _("Участок"),
            _("Состояние"),
            _("Снижение трудоёмкости Т, нормо-ч"),
            _("Условное высвобождение А, чел."),
            _("Рост производительности труда, %"),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold

    def numbers(figures: Figures):
        growth = figures.growth
        return [
            half_up(figures.reduction, places(0)),
            released_places(figures.released),
            None if growth is None else half_up(growth, KOPECK),
        ]

    for group in result.groups:
        append([group.label, "", "", *numbers(group.figures)])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for block in group.factors:
            append(["  " + block.label, "", "", *numbers(block.figures)])
            for line in block.lines:
                m = line.measure
                append(
                    [
                        "    " + m.name,
                        m.section.short_label + f" ({m.section.shop.number})",
                        m.get_status_display(),
                        *numbers(line.figures),
                    ]
                )
    append([_("Итого"), "", "", *numbers(result.figures)])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.column_dimensions["A"].width = 70
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
