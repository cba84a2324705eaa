"""Plausibility of a personal plan's parameters (:mod:`enterprise.plausibility`), by field.

Refused (impossible):

- a negative base output, average output, volume, savings or labour reduction;
- growth (the planned one, the section's, or the growth the figures come to) of
  :data:`GROWTH_MAX` % or more, or a fall of 100 % or more;
- a norm-fulfilment ratio of zero or less, or above :data:`FULFILMENT_MAX` (500 %);
- a working share outside 0–1, a scrap reduction outside 0–100 %;
- a time fund above :data:`YEAR_FUND_MAX` hours;
- a plan for a year in which the worker is not employed at all;
- in norm-hours, a volume or base over :data:`FULFILMENT_MAX` times the time fund
  (norms fulfilled more than five times over all year).

Asked again (unlikely):

- growth above :data:`GROWTH_USUAL` % or a planned fall (the booklet: +4–10 % is sound);
- a norm-fulfilment ratio below 0.5 or above 2;
- in norm-hours, a volume over twice the time fund;
- a time fund more than 10 % above the fund of the part of the year the worker is
  employed (hired or dismissed within the year: the plan runs from the hire date).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from enterprise.plausibility import USUAL_OVERTIME_SHARE, Findings, num
from enterprise.rules import employed_share

from .models import DEFAULT_TIME_FUND, OutputUnit, PersonalPlan

GROWTH_MAX = Decimal(100)
"""Growth of productivity in a year at or above this (doubling) is refused."""
GROWTH_USUAL = Decimal(20)
"""Growth above this is asked again (the booklet calls +4–10 % sound)."""
FULFILMENT_MAX = Decimal(5)
"""Norms fulfilled more than this many times over (500 %) is refused."""
FULFILMENT_UNLIKELY = (Decimal("0.5"), Decimal(2))
"""Norm fulfilment outside this range is asked again."""
YEAR_FUND_MAX = Decimal(2240)
"""A year's time fund above this is refused: 53 forty-hour weeks and the 120 hours of
overtime a year allows (Labour Code of the RF, art. 99)."""

NOT_NEGATIVE = (
    "base_output",
    "average_output",
    "annual_volume",
    "labour_reduction_hours",
    "materials_savings",
    "tools_savings",
    "energy_savings",
    "service_norm",
    "machine_productivity",
    "time_balance_hours",
)
GROWTHS = ("growth_percent", "section_growth_percent")
FULFILMENTS = ("section_norm_fulfilment", "worker_norm_fulfilment")


def check_plan(findings: Findings, plan: PersonalPlan) -> None:
    """Check ``plan`` as it is about to be saved (inputs and calculated figures set)."""
    for name in NOT_NEGATIVE:
        value = getattr(plan, name)
        if value is not None and value < 0:
            findings.refuse(name, _("Не может быть отрицательным: %(v)s.") % {"v": num(value, 3)})
    for name in GROWTHS:
        _growth(findings, name, getattr(plan, name))
    for name in FULFILMENTS:
        _fulfilment(findings, name, getattr(plan, name))
    share = plan.working_share
    if share is not None and not Decimal(0) <= share <= Decimal(1):
        findings.refuse("working_share", _("Доля рабочего времени — от 0 до 1."))
    scrap = plan.scrap_reduction_percent
    if scrap is not None and not Decimal(0) <= scrap <= Decimal(100):
        findings.refuse(
            "scrap_reduction_percent",
            _("Снижение брака — от 0 до 100 %%, а не %(v)s %%.") % {"v": num(scrap)},
        )
    _fund(findings, plan)
    _volume(findings, plan)


def _growth(findings: Findings, name: str, value: Decimal | None) -> None:
    if value is None:
        return
    values = {"v": num(value), "max": num(GROWTH_MAX, 0), "usual": num(GROWTH_USUAL, 0)}
    if value >= GROWTH_MAX or value <= -100:
        findings.refuse(
            name,
            _("Рост %(v)s %% невозможен за год: допустимо меньше %(max)s %%.") % values,
        )
    elif value > GROWTH_USUAL:
        findings.doubt(
            name,
            _("Рост %(v)s %% — больше %(usual)s %%: проверьте и подтвердите.") % values,
        )
    elif value < 0:
        findings.doubt(name, _("Планируется снижение выработки (%(v)s %%): подтвердите.") % values)


def _fulfilment(findings: Findings, name: str, value: Decimal | None) -> None:
    if value is None:
        return
    low, high = FULFILMENT_UNLIKELY
    values = {"v": num(value, 2), "max": num(FULFILMENT_MAX, 0)}
    if value <= 0 or value > FULFILMENT_MAX:
        findings.refuse(
            name,
            _("Выполнение норм %(v)s (в долях) — вне возможного: от 0 до %(max)s.") % values,
        )
    elif not low <= value <= high:
        findings.doubt(
            name,
            _("Выполнение норм %(v)s (в долях) маловероятно: проверьте и подтвердите.") % values,
        )


def _fund(findings: Findings, plan: PersonalPlan) -> None:
    fund = plan.annual_time_fund
    if not fund:
        return
    if fund > YEAR_FUND_MAX:
        findings.refuse(
            "annual_time_fund",
            _("Фонд %(v)s ч больше, чем бывает в году (не больше %(max)s ч).")
            % {"v": num(fund), "max": num(YEAR_FUND_MAX, 0)},
        )
        return
    worker = plan.worker
    start, end = datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31)
    share = employed_share(worker.hire_date, worker.dismissal_date, start, end)
    if share <= 0:
        findings.refuse(
            "annual_time_fund",
            _("В %(year)s году рабочий не состоит в штате (принят %(hired)s).")
            % {"year": plan.year, "hired": date_format(worker.hire_date, "d.m.Y")},
        )
        return
    if share >= 1:
        return
    employed_fund = DEFAULT_TIME_FUND * share
    if fund > employed_fund * (1 + USUAL_OVERTIME_SHARE):
        findings.doubt(
            "annual_time_fund",
            _(
                "Рабочий в штате не весь %(year)s год (принят %(hired)s%(dismissed)s): на "
                "его часть года приходится около %(part)s ч фонда, а в плане %(v)s ч. "
                "Укажите фонд с даты приёма или подтвердите."
            )
            % {
                "year": plan.year,
                "hired": date_format(worker.hire_date, "d.m.Y"),
                "dismissed": (
                    _(", уволен %(d)s") % {"d": date_format(worker.dismissal_date, "d.m.Y")}
                    if worker.dismissal_date
                    else ""
                ),
                "part": num(employed_fund, 0),
                "v": num(fund),
            },
        )


def _volume(findings: Findings, plan: PersonalPlan) -> None:
    """In norm-hours, the volume (and the base) against the time fund: their ratio is the
    norm fulfilment the plan asks for."""
    fund = plan.annual_time_fund
    if plan.output_unit != OutputUnit.NORM_HOURS or not fund:
        return
    for name in ("annual_volume", "base_output"):
        value = getattr(plan, name)
        if value is None or value <= 0:
            continue
        values = {"v": num(value), "fund": num(fund), "percent": num(value / fund * 100)}
        if value > fund * FULFILMENT_MAX:
            findings.refuse(
                name,
                _(
                    "%(v)s нормо-ч на фонд %(fund)s ч — выполнение норм %(percent)s %%: так "
                    "не бывает."
                )
                % values,
            )
        elif name == "annual_volume" and value > fund * FULFILMENT_UNLIKELY[1]:
            findings.doubt(
                name,
                _(
                    "%(v)s нормо-ч на фонд %(fund)s ч — выполнение норм %(percent)s %%: "
                    "проверьте и подтвердите."
                )
                % values,
            )
