"""A personal plan's figures from its method and inputs, with the calculation written out.

:func:`calculate` is the one place that turns a method (§3) and its inputs into the
plan's growth and annual volume, through :mod:`planning.rules`; each step is kept as a
line with the formula and the numbers filled in, so the plan's page (and the economist
setting a section's plans) sees how the figures came about. Numbers in the lines are
formatted for the active language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enterprise.money import NIL, THOUSANDTH, half_up
from planning.numbers import fmt, fmt_plain

from . import rules
from .models import PersonalPlan

M = PersonalPlan.Method

# The inputs each method needs, by model field name.
REQUIRED: dict[str, tuple[str, ...]] = {
    M.AVERAGE: ("average_output", "growth_percent"),
    M.TABLE: ("base_output", "section_growth_percent", "section_norm_fulfilment",
              "worker_norm_fulfilment"),
    M.FORMULA: ("base_output", "section_growth_percent", "section_norm_fulfilment",
                "worker_norm_fulfilment"),
    M.TEXTILE: ("time_balance_hours", "service_norm", "machine_productivity", "working_share"),
    M.MANUAL: ("annual_volume",),
}  # fmt: skip
INPUT_FIELDS = (
    "average_output",
    "base_output",
    "section_growth_percent",
    "worker_norm_fulfilment",
    "section_norm_fulfilment",
    "time_balance_hours",
    "service_norm",
    "machine_productivity",
    "working_share",
)


def n(value: Decimal | None, places: int | None = None) -> str:
    """A number for a formula line: localized, grouped, ``places`` or as stored."""
    return fmt_plain(value) if places is None else fmt(value, places)


def ratio(value: Decimal) -> str:
    """A norm-fulfilment ratio: at least two places (1,00; 1,36; 1,225)."""
    exponent = value.normalize().as_tuple().exponent
    return n(value, max(2, -exponent if isinstance(exponent, int) else 2))


@dataclass
class Step:
    label: str
    formula: str


@dataclass
class Figures:
    """The plan's figures as calculated: what goes into the plan's fields."""

    growth_percent: Decimal | None
    annual_volume: Decimal
    correction_coefficient: Decimal | None = None
    annual_time_fund: Decimal | None = None
    steps: list[Step] = field(default_factory=list)


def _missing(values: dict, method: str) -> None:
    errors = {
        name: _("Нужно для способа «%(method)s».") % {"method": M(method).label}
        for name in REQUIRED[method]
        if values.get(name) is None
    }
    if errors:
        raise ValidationError(errors)


def calculate(method: str, values: dict, *, table: rules.CorrectionTable | None = None) -> Figures:
    """The figures of a plan set by ``method`` from ``values`` (model field names).

    ``table`` is the enterprise's table 25 for the table method. Raises ValidationError
    keyed by the field at fault (a missing input, a value the rule refuses, a worker's
    fulfilment the table has no cell for).
    """
    _missing(values, method)
    v = values
    try:
        if method == M.AVERAGE:
            volume = rules.plan_from_average(v["average_output"], v["growth_percent"])
            return Figures(
                growth_percent=v["growth_percent"],
                annual_volume=half_up(volume, THOUSANDTH),
                steps=[
                    Step(
                        _("Объём продукции года П = Вср × (1 + Д / 100)"),
                        f"{n(v['average_output'])} × (1 + {n(v['growth_percent'])} / 100) = "
                        f"{n(half_up(volume, THOUSANDTH))}",
                    )
                ],
            )
        if method in (M.TABLE, M.FORMULA):
            return _differentiated(method, v, table)
        if method == M.TEXTILE:
            volume = rules.textile_annual_plan(
                v["time_balance_hours"],
                v["service_norm"],
                v["machine_productivity"],
                v["working_share"],
            )
            steps = [
                Step(
                    _("План года = Ti × Нот × По × Кро"),
                    f"{n(v['time_balance_hours'])} × {n(v['service_norm'])} × "
                    f"{n(v['machine_productivity'])} × {n(v['working_share'])} = "
                    f"{n(half_up(volume, THOUSANDTH))}",
                )
            ]
            growth = _growth_over_base(v.get("base_output"), volume, steps)
            return Figures(
                growth_percent=growth,
                annual_volume=half_up(volume, THOUSANDTH),
                annual_time_fund=v["time_balance_hours"],
                steps=steps,
            )
        if method == M.MANUAL:
            volume = v["annual_volume"]
            if volume < 0:
                raise ValidationError(
                    {"annual_volume": _("Объём продукции не может быть отрицательным.")}
                )
            steps = [Step(_("Объём продукции года задан вручную"), n(volume))]
            growth = v.get("growth_percent")
            if growth is None:
                growth = _growth_over_base(v.get("base_output"), volume, steps)
            return Figures(
                growth_percent=growth, annual_volume=half_up(volume, THOUSANDTH), steps=steps
            )
    except rules.OutOfTable as error:
        raise ValidationError(
            {
                "worker_norm_fulfilment": _(
                    "В таблице поправочных коэффициентов нет строки для выполнения норм участком "
                    "%(section)s и рабочим %(worker)s: дополните таблицу или выберите другой "
                    "способ."
                )
                % {"section": n(error.section_fulfilment), "worker": n(error.worker_fulfilment)}
            }
        ) from None
    except ValueError as error:
        raise ValidationError(str(error)) from None
    raise ValidationError(_("Неизвестный способ расчёта."))


def _growth_over_base(base: Decimal | None, volume: Decimal, steps: list[Step]) -> Decimal | None:
    if not base:
        return None
    growth = half_up((volume / base - 1) * 100, THOUSANDTH)
    steps.append(
        Step(
            _("Рост к базовому году = (П / база − 1) × 100"),
            f"({n(half_up(volume, THOUSANDTH))} / {n(base)} − 1) × 100 = {n(growth)} %",
        )
    )
    return growth


def _differentiated(method: str, v: dict, table: rules.CorrectionTable | None) -> Figures:
    section_f, worker_f = v["section_norm_fulfilment"], v["worker_norm_fulfilment"]
    if method == M.TABLE:
        if table is None:
            raise ValidationError(_("Таблица поправочных коэффициентов не задана."))
        k = table.lookup(section_f, worker_f)
        k_step = Step(
            _("Поправочный коэффициент К — по таблице (Ну, Нр)"),
            f"К({ratio(section_f)}; {ratio(worker_f)}) = {n(k, 3)}",
        )
    else:
        raw = rules.correction_coefficient_formula(worker_f, section_f)
        k = rules.round_coefficient(raw)
        k_step = Step(
            _("Поправочный коэффициент К = 2 − Нр / Ну"),
            f"2 − {ratio(worker_f)} / {ratio(section_f)} = {n(k, 3)}",
        )
    growth = half_up(rules.differentiated_growth(v["section_growth_percent"], k), THOUSANDTH)
    volume = half_up(v["base_output"] * (1 + growth / 100), THOUSANDTH)
    return Figures(
        growth_percent=growth,
        annual_volume=volume,
        correction_coefficient=k,
        steps=[
            k_step,
            Step(
                _("Рост рабочего Пр = Пу × К"),
                f"{n(v['section_growth_percent'])} × {n(k, 3)} = {n(growth)} %",
            ),
            Step(
                _("Объём продукции года = база × (1 + Пр / 100)"),
                f"{n(v['base_output'])} × (1 + {n(growth)} / 100) = {n(volume)}",
            ),
        ],
    )


def plan_values(plan: PersonalPlan) -> dict:
    """The inputs of a stored plan, as :func:`calculate` takes them."""
    values = {name: getattr(plan, name) for name in INPUT_FIELDS}
    values["growth_percent"] = plan.growth_percent
    values["annual_volume"] = plan.annual_volume
    return values


def steps_of(plan: PersonalPlan, table: rules.CorrectionTable | None = None) -> list[Step]:
    """The calculation of a stored plan written out again (for its page)."""
    values = plan_values(plan)
    if plan.method == M.TABLE:
        # The stored К is what was looked up then; the table may have changed since.
        values = dict(values)
        k = plan.correction_coefficient
        table = rules.CorrectionTable(
            (
                rules.CorrectionCell(
                    plan.section_norm_fulfilment, None, None, k if k is not None else NIL
                ),
            )
        )
    try:
        return calculate(plan.method, values, table=table).steps
    except ValidationError:
        return []
