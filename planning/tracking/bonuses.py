"""Bonus proposals of §6 (the Dynamo plant's system) for labour & wages.

**Monthly bonus for growth over the base** (from the incentive fund): proposed when the
worker met his monthly plan — fulfilment of the month ≥ 100 % (the monthly plan as
:mod:`planning.tracking` defines it) — and the master's nomenclature task
(``MonthlyOutput.nomenclature_met``): :func:`planning.rules.monthly_growth_bonus_eligible`.
The amount is ``SectionTask.monthly_bonus_percent`` % of the month's tariff earnings.

**Quarterly bonus for exceeding the profession's average hourly output** (from the wage
fund), proposed for a month that ends a quarter: :func:`planning.rules.
quarterly_output_bonus_eligible` with

* the section met its gross-output plan of the quarter: the section's daily outputs in the
  quarter ≥ the quarter's share of its task by working days (``tracking.quarter_gross``);
* the worker's hourly output of the quarter (his output / his hours worked in the quarter)
  is above the profession's average hourly output across the enterprise in that quarter
  (the total output of the profession's workers / their total hours — a weighted mean);
* and above his own hourly output of the same quarter last year, or, when there is none,
  his plan's base: ``base_output / annual_time_fund``.

Where the section's task says ``reward_on_time`` (over-production wastes scarce material),
the quarterly over-average bonus is not proposed: on-time fulfilment is rewarded by the
monthly bonus only. The amount is ``SectionTask.quarterly_bonus_percent`` % of the
quarter's tariff earnings.

**Tariff earnings** = hours worked × the hourly tariff rate of the worker's pay condition
and grade in force on the month's first day (the tariff grid, ``enterprise.TariffRate``),
rounded half-up to the kopeck per month; the bonus is rounded half-up to the kopeck too.
A worker's plan gives the section whose terms apply (the plan's section's task).
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from enterprise.models import Period, Section, Shop, Worker
from enterprise.money import HUNDRED, NIL, TENTH, half_even, half_up
from enterprise.selectors import load_tariff_grid
from enterprise.tariffs import TariffGrid, tariff_earnings
from planning.numbers import fmt
from planning.plans.models import PersonalPlan, SectionTask
from planning.plans.selectors import plans_in_force

from . import rules
from .models import MonthlyOutput
from .rules import fulfilment, monthly_plan, quarter_months, quarter_of
from .selectors import employed_in, quarter_gross

QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _percent(value: Decimal | None, met: bool) -> str:
    """Fulfilment to one place; a plan missed by a hair shows two (99,98, never 100,0)."""
    if value is not None and not met and half_up(value, TENTH) >= HUNDRED:
        return fmt(value, 2, ROUND_DOWN)
    return fmt(value, 1)


@dataclass(frozen=True)
class Condition:
    """One condition of a bonus and whether it holds, in words."""

    met: bool
    text: str


@dataclass
class Proposal:
    """A worker's line of the proposals: eligibility with its reasons and the amount."""

    worker: Worker
    plan: PersonalPlan
    task: SectionTask | None
    conditions: list[Condition] = field(default_factory=list)
    eligible: bool = False
    percent: Decimal | None = None
    tariff_earnings: Decimal | None = None
    amount: Decimal | None = None
    # the figures behind it
    plan_value: Decimal | None = None
    actual: Decimal | None = None
    fulfilment: Decimal | None = None
    hours: Decimal | None = None
    hourly_output: Decimal | None = None
    average_hourly_output: Decimal | None = None
    own_hourly_output: Decimal | None = None
    not_proposed: str = ""

    @property
    def reasons(self) -> str:
        return "; ".join(c.text for c in self.conditions)


@dataclass
class Proposals:
    period: Period
    shops: list[Shop]
    monthly: list[Proposal]
    quarterly: list[Proposal] | None  # None: the month does not end a quarter
    quarter: int

    @property
    def quarter_label(self) -> str:
        return _("%(q)s квартал %(y)s г.") % {
            "q": QUARTER_NAMES[self.quarter],
            "y": self.period.year,
        }

    @property
    def monthly_total(self) -> Decimal:
        return sum((p.amount or NIL for p in self.monthly if p.eligible), NIL)

    @property
    def quarterly_total(self) -> Decimal:
        return sum((p.amount or NIL for p in self.quarterly or () if p.eligible), NIL)

    @property
    def monthly_eligible(self) -> int:
        return sum(1 for p in self.monthly if p.eligible)

    @property
    def quarterly_eligible(self) -> int:
        return sum(1 for p in self.quarterly or () if p.eligible)

    @property
    def on_time_sections(self) -> list:
        """Sections whose task rewards on-time fulfilment (no quarterly over-average bonus)."""
        seen = {}
        for proposal in [*self.monthly, *(self.quarterly or ())]:
            if proposal.task is not None and proposal.task.reward_on_time:
                seen[proposal.task.section_id] = proposal.plan.section
        return list(seen.values())


# what the proposals read of a month's output, as plain tuples: a shop's month is hundreds
# of rows, and a model instance costs ten times a tuple to make
OUTPUT_FIGURES = ("worker_id", "period_id", "output", "hours_worked", "nomenclature_met")
OutputFigures = namedtuple("OutputFigures", OUTPUT_FIGURES)


def _figures(outputs) -> list[OutputFigures]:
    return [OutputFigures(*row) for row in outputs.order_by().values_list(*OUTPUT_FIGURES)]


def bonus_amount(tariff: Decimal, percent: Decimal) -> Decimal:
    """``percent`` % of the tariff earnings, rounded half-up to the kopeck."""
    return half_up(tariff * percent / HUNDRED)


def quarter_periods(period: Period) -> list[Period]:
    """The months of the quarter ``period`` ends (itself alone when it ends none)."""
    if period.month % 3:
        return [period]
    return list(
        Period.objects.filter(
            enterprise_id=period.enterprise_id,
            year=period.year,
            month__in=quarter_months(quarter_of(period.month)),
        ).order_by("month")
    )


def profession_averages(enterprise_id: int, periods: Sequence[Period]) -> dict:
    """profession id → the average hourly output of its workers across the enterprise in
    ``periods`` (their total output / their total hours). One query."""
    return {
        row["worker__profession_id"]: _hourly(row["output"] or NIL, row["hours"] or NIL)
        for row in MonthlyOutput.objects.filter(enterprise_id=enterprise_id, period__in=periods)
        .values("worker__profession_id")
        .annotate(output=Sum("output"), hours=Sum("hours_worked"))
        .order_by()
    }


def proposals(
    period: Period,
    shops: Sequence[Shop],
    *,
    monthly: bool = True,
    quarterly: bool = True,
    periods: list[Period] | None = None,
    averages: dict | None = None,
) -> Proposals:
    """The proposals for ``period`` of the workers with a plan in force in ``shops`` (the
    shops the user may see proposals of). A constant number of queries. ``monthly`` /
    ``quarterly`` False leaves that kind out (an empty list; the page shows one kind).
    ``periods`` (:func:`quarter_periods`) and ``averages`` (:func:`profession_averages`
    of them) when the caller has read them already."""
    shops = list(shops)
    year, quarter = period.year, quarter_of(period.month)
    sections = {s.pk: s for s in Section.objects.filter(shop__in=shops).select_related("shop")}
    section_ids = list(sections)
    plans = plans_in_force(section_ids, year, related=("worker__profession",), figures_only=True)
    for plan in plans.values():
        plan.section = sections[plan.section_id]
    workers = {pk: plan.worker for pk, plan in plans.items()}
    tasks = {
        t.section_id: t for t in SectionTask.objects.filter(section_id__in=section_ids, year=year)
    }
    ends_quarter = period.month % 3 == 0
    if periods is None:
        periods = quarter_periods(period)
    grid = load_tariff_grid(period.enterprise_id, period.end)
    month_items = []
    if monthly:
        month_outputs = {
            o.worker_id: o
            for o in _figures(
                MonthlyOutput.objects.filter(worker_id__in=list(plans), period=period)
            )
        }
        month_items = [
            _monthly(
                workers[pk],
                plans[pk],
                tasks.get(plans[pk].section_id),
                period,
                month_outputs.get(pk),
                grid,
            )
            for pk in plans
        ]
        _order(month_items)
    quarter_items = None
    if ends_quarter:
        quarter_items = []
        if quarterly:
            if averages is None:
                averages = profession_averages(period.enterprise_id, periods)
            quarter_items = _quarterly(
                workers, plans, tasks, period, quarter, periods, averages, grid
            )
            _order(quarter_items)
    return Proposals(
        period=period, shops=shops, monthly=month_items, quarterly=quarter_items, quarter=quarter
    )


def _order(items: list[Proposal]) -> None:
    items.sort(
        key=lambda p: (
            p.plan.section.shop.number,
            p.plan.section.number,
            p.worker.last_name,
            p.worker.first_name,
            p.worker.personnel_number,
        )
    )


def _monthly(worker, plan, task, period, output, grid: TariffGrid) -> Proposal:
    proposal = Proposal(worker=worker, plan=plan, task=task)
    proposal.plan_value = monthly_plan(plan, period, employed_in(worker, period))
    if output is None:
        proposal.conditions.append(Condition(False, _("выработка за месяц не введена")))
        return proposal
    proposal.actual, proposal.hours = output.output, output.hours_worked
    proposal.fulfilment = fulfilment(output.output, proposal.plan_value)
    plan_met = proposal.fulfilment is not None and proposal.fulfilment >= HUNDRED
    proposal.conditions.append(
        Condition(
            plan_met,
            (
                _("личный план месяца выполнен: %(p)s %%")
                if plan_met
                else _("личный план месяца не выполнен: %(p)s %%")
            )
            % {"p": _percent(proposal.fulfilment, plan_met)},
        )
    )
    proposal.conditions.append(
        Condition(
            output.nomenclature_met,
            _("номенклатурное задание мастера выполнено")
            if output.nomenclature_met
            else _("номенклатурное задание мастера не выполнено"),
        )
    )
    eligible = rules.monthly_growth_bonus_eligible(
        personal_plan_met=plan_met, nomenclature_met=output.nomenclature_met
    )
    if task is None:
        proposal.conditions.append(
            Condition(False, _("задание участка на год не введено: размер премии не задан"))
        )
        eligible = False
    rate = grid.on(worker.pay_condition_id, worker.grade, period.start)
    if rate is None:
        proposal.conditions.append(Condition(False, _("нет тарифной ставки для разряда рабочего")))
        eligible = False
    else:
        proposal.tariff_earnings = tariff_earnings(rate, output.hours_worked)
    proposal.eligible = eligible
    if eligible:
        proposal.percent = task.monthly_bonus_percent
        proposal.amount = bonus_amount(proposal.tariff_earnings, proposal.percent)
    return proposal


def _hourly(output: Decimal, hours: Decimal) -> Decimal | None:
    return output / hours if hours else None


def _quarterly(workers, plans, tasks, period, quarter, periods, averages, grid: TariffGrid):
    year = period.year
    months = quarter_months(quarter)
    worker_ids = list(plans)
    # the workers' quarter, month by month (for the tariff earnings)
    by_worker: dict[int, list[OutputFigures]] = defaultdict(list)
    for output in _figures(
        MonthlyOutput.objects.filter(worker_id__in=worker_ids, period__in=periods)
    ):
        by_worker[output.worker_id].append(output)
    month_start = {p.pk: p.start for p in periods}
    # the same quarter last year
    last_year = {
        row["worker_id"]: (row["output"] or NIL, row["hours"] or NIL)
        for row in MonthlyOutput.objects.filter(
            worker_id__in=worker_ids,
            period__enterprise_id=period.enterprise_id,
            period__year=year - 1,
            period__month__in=months,
        )
        .values("worker_id")
        .annotate(output=Sum("output"), hours=Sum("hours_worked"))
        .order_by()
    }
    gross = quarter_gross(
        {plan.section_id for plan in plans.values()}, period.enterprise_id, year, quarter, tasks
    )
    last_label = _("%(q)s квартал %(y)s г.") % {"q": QUARTER_NAMES[quarter], "y": year - 1}
    result = []
    for worker_id, plan in plans.items():
        worker = workers[worker_id]
        task = tasks.get(plan.section_id)
        proposal = Proposal(worker=worker, plan=plan, task=task)
        result.append(proposal)
        entries = by_worker.get(worker_id, [])
        output = sum((e.output for e in entries), NIL)
        hours = sum((e.hours_worked for e in entries), NIL)
        proposal.actual, proposal.hours = output, hours
        if task is not None and task.reward_on_time:
            proposal.not_proposed = _(
                "на участке поощряется своевременное выполнение плана, а не перевыполнение: "
                "квартальная премия за превышение средней выработки не начисляется"
            )
            proposal.conditions.append(Condition(False, proposal.not_proposed))
            continue
        if task is None:
            proposal.conditions.append(
                Condition(False, _("задание участка на год не введено: размер премии не задан"))
            )
        section = gross[plan.section_id]
        proposal.conditions.append(
            Condition(
                section.met,
                (
                    _("участок выполнил план по валовой продукции за квартал: %(a)s из %(p)s")
                    if section.met
                    else _(
                        "участок не выполнил план по валовой продукции за квартал: %(a)s из %(p)s"
                    )
                )
                % {"a": fmt(section.actual, 1), "p": fmt(section.plan, 1)},
            )
        )
        proposal.hourly_output = _hourly(output, hours)
        proposal.average_hourly_output = averages.get(worker.profession_id)
        if proposal.hourly_output is None:
            proposal.conditions.append(Condition(False, _("за квартал нет отработанных часов")))
            continue
        average = proposal.average_hourly_output or NIL
        above_average = proposal.hourly_output > average
        proposal.conditions.append(
            Condition(
                above_average,
                (
                    _("выработка в час %(w)s выше средней по профессии %(a)s")
                    if above_average
                    else _("выработка в час %(w)s не выше средней по профессии %(a)s")
                )
                % {"w": fmt(proposal.hourly_output, 3), "a": fmt(average, 3)},
            )
        )
        past = last_year.get(worker_id)
        own = _hourly(*past) if past else None
        if own is not None:
            proposal.own_hourly_output = own
            own_text = _("своей за %(q)s %(v)s") % {"q": last_label, "v": fmt(own, 3)}
        elif plan.base_output is not None and plan.annual_time_fund:
            own = plan.base_output / plan.annual_time_fund
            proposal.own_hourly_output = own
            own_text = _("базовой по личному плану %(v)s (за %(q)s данных нет)") % {
                "v": fmt(own, 3),
                "q": last_label,
            }
        else:
            proposal.conditions.append(
                Condition(
                    False,
                    _(
                        "нет выработки за %(q)s и базовой выработки в личном плане: "
                        "сравнить не с чем"
                    )
                    % {"q": last_label},
                )
            )
            continue
        above_own = proposal.hourly_output > own
        proposal.conditions.append(
            Condition(
                above_own,
                (_("выше %(own)s") if above_own else _("не выше %(own)s")) % {"own": own_text},
            )
        )
        eligible = task is not None and rules.quarterly_output_bonus_eligible(
            section_met_gross_plan=section.met,
            worker_hourly_output=proposal.hourly_output,
            last_year_hourly_output=own,
            profession_average_hourly_output=average,
        )
        tariff = NIL
        for entry in entries:
            rate = grid.on(worker.pay_condition_id, worker.grade, month_start[entry.period_id])
            if rate is None:
                proposal.conditions.append(
                    Condition(False, _("нет тарифной ставки для разряда рабочего"))
                )
                eligible = False
                tariff = None
                break
            tariff += tariff_earnings(rate, entry.hours_worked)
        proposal.tariff_earnings = tariff
        proposal.eligible = eligible
        if eligible:
            proposal.percent = task.quarterly_bonus_percent
            proposal.amount = bonus_amount(tariff, proposal.percent)
    return result


def export_rows(result: Proposals) -> tuple[list[str], list[list]]:
    """Headers and rows of the XLSX export: the monthly proposals, then the quarterly."""
    headers = [
        _("Премия"),
        _("Цех"),
        _("Участок"),
        _("Таб. №"),
        _("Рабочий"),
        _("Профессия"),
        _("План"),
        _("Факт"),
        _("Выполнение, %"),
        _("Отработано, ч"),
        _("Выработка в час"),
        _("Средняя по профессии"),
        _("Своя прошлого года / базовая"),
        _("Тарифный заработок, руб."),
        _("Премия, %"),
        _("Сумма, руб."),
        _("Предлагается"),
        _("Основания"),
    ]
    rows = []
    kinds = [(_("месячная за рост выработки"), result.monthly)]
    if result.quarterly is not None:
        kinds.append(
            (
                _("квартальная за превышение средней выработки (%(q)s)")
                % {"q": result.quarter_label},
                result.quarterly,
            )
        )
    for kind, items in kinds:
        for p in items:
            rows.append(
                [
                    kind,
                    p.plan.section.shop.number,
                    p.plan.section.number,
                    p.worker.personnel_number,
                    p.worker.full_name,
                    str(p.worker.profession),
                    _q(p.plan_value, "0.001"),
                    _q(p.actual, "0.001"),
                    _q(p.fulfilment, "0.1"),
                    p.hours,
                    _q(p.hourly_output, "0.001"),
                    _q(p.average_hourly_output, "0.001"),
                    _q(p.own_hourly_output, "0.001"),
                    p.tariff_earnings,
                    p.percent,
                    p.amount if p.eligible else None,
                    _("да") if p.eligible else _("нет"),
                    p.reasons,
                ]
            )
    return headers, rows


def _q(value: Decimal | None, places: str) -> Decimal | None:
    return None if value is None else half_even(value, Decimal(places))
