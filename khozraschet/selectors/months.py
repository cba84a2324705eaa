"""Reads of a section's month as the bureau and the economist enter it: the indicators'
grid, the month's sheet, idle hours, energy savings, the incentive fund (§3–§7)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Period, Section, Shop
from enterprise.money import HUNDRED, KOPECK, half_up

from ..models import (
    EnergySaving,
    IdleCause,
    IdleRecord,
    IncentiveFund,
    Indicator,
    IndicatorValue,
    SectionMonth,
    Settings,
)


def settings_for(enterprise: Enterprise | int) -> Settings:
    """The plant's terms of self-financing: its stored row, or the defaults (unsaved — a
    read writes nothing; labour & wages saves the row when it edits the terms)."""
    enterprise_id = enterprise if isinstance(enterprise, int) else enterprise.pk
    stored = Settings.objects.filter(enterprise_id=enterprise_id).first()
    return stored if stored is not None else Settings(enterprise_id=enterprise_id)


def period_of(enterprise_id: int, year: int, month: int) -> Period | None:
    """The enterprise's month (None: not opened)."""
    return Period.objects.filter(enterprise_id=enterprise_id, year=year, month=month).first()


# --- the unlikely figure -------------------------------------------------------------------


def unlikely(plan: Decimal | None, actual: Decimal | None, ratio: Decimal) -> bool:
    """Is the actual so far from the plan that it is asked again (§4, bad input)?

    Farther than ``ratio`` times either way (actual > plan × ratio, actual < plan / ratio),
    or an actual above zero against a plan of zero."""
    if plan is None or actual is None:
        return False
    if plan == 0:
        return actual > 0
    return actual > plan * ratio or actual * ratio < plan


# --- indicators ------------------------------------------------------------------------------


SOURCE_NOTES = {
    Indicator.Source.OUTPUT: _("из учёта выработки"),
    Indicator.Source.WAGE_FUND: _("из распределений бригад"),
    Indicator.Source.CLAIMS: _("из претензий"),
    Indicator.Source.COST: _("из сметы затрат"),
}


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: IndicatorValue | None

    @property
    def manual(self) -> bool:
        return self.indicator.source == Indicator.Source.MANUAL

    @property
    def source_note(self) -> str:
        """Where the actual comes from when it is not typed here (short, for the grid)."""
        return str(SOURCE_NOTES.get(self.indicator.source, ""))

    @property
    def fulfilment(self) -> Decimal | None:
        """Actual in % of the plan (None: nothing to compare)."""
        value = self.value
        if value is None or value.actual is None or not value.plan:
            return None
        return value.actual * 100 / value.plan


def active_indicators(enterprise_id: int) -> list[Indicator]:
    return list(Indicator.objects.filter(enterprise_id=enterprise_id, active=True))


def indicator_values(section: Section, period: Period):
    return IndicatorValue.objects.filter(section=section, period=period).select_related("indicator")


def indicator_rows(section: Section, period: Period) -> list[IndicatorRow]:
    """One row per active indicator of the plant (in the catalogue's order), with the
    section's stored value; an inactive indicator with a stored value is shown too."""
    values = {value.indicator_id: value for value in indicator_values(section, period)}
    indicators = active_indicators(period.enterprise_id)
    shown = {indicator.pk for indicator in indicators}
    indicators += [value.indicator for key, value in values.items() if key not in shown]
    indicators.sort(key=lambda indicator: (indicator.order, indicator.name))
    return [IndicatorRow(indicator, values.get(indicator.pk)) for indicator in indicators]


# --- the month's sheet, idle hours, energy -----------------------------------------------------


def section_month(section: Section, period: Period) -> SectionMonth | None:
    return SectionMonth.objects.filter(section=section, period=period).first()


@dataclass
class IdleRow:
    cause: str
    label: str
    record: IdleRecord | None


def idle_records(section: Section, period: Period):
    return IdleRecord.objects.filter(section=section, period=period)


def idle_rows(section: Section, period: Period) -> list[IdleRow]:
    """One row per cause of table 11, with the hours stored for it."""
    records = {record.cause: record for record in idle_records(section, period)}
    return [IdleRow(value, label, records.get(value)) for value, label in IdleCause.choices]


@dataclass
class EnergyRow:
    resource: str
    label: str
    saving: EnergySaving | None

    @property
    def bonus(self) -> Decimal | None:
        """The bonus for the saving, roubles (outside the wage fund)."""
        if self.saving is None:
            return None
        return half_up(self.saving.saved_value * self.saving.percent / HUNDRED, KOPECK)


def energy_savings(section: Section, period: Period):
    return EnergySaving.objects.filter(section=section, period=period)


def energy_rows(section: Section, period: Period) -> list[EnergyRow]:
    savings = {saving.resource: saving for saving in energy_savings(section, period)}
    return [
        EnergyRow(value, label, savings.get(value))
        for value, label in EnergySaving.Resource.choices
    ]


@dataclass(frozen=True)
class EntryCounts:
    """What is filled of a section's month (the hub page)."""

    indicators: int
    indicators_total: int
    unlikely_confirmed: int
    sheet: bool
    idle: int
    idle_hours: Decimal
    energy: int


def entry_counts(section: Section, period: Period) -> EntryCounts:
    values = indicator_values(section, period)
    totals = values.aggregate(
        filled=Count("pk"),
        confirmed=Count("pk", filter=Q(confirmed_unlikely=True)),
    )
    idle = list(idle_records(section, period).values_list("hours", flat=True))
    return EntryCounts(
        indicators=totals["filled"],
        indicators_total=Indicator.objects.filter(
            enterprise_id=period.enterprise_id, active=True
        ).count(),
        unlikely_confirmed=totals["confirmed"],
        sheet=SectionMonth.objects.filter(section=section, period=period).exists(),
        idle=len(idle),
        idle_hours=sum(idle, Decimal(0)),
        energy=energy_savings(section, period).count(),
    )


# --- the incentive fund ------------------------------------------------------------------------


def funds_of(enterprise: Enterprise, period: Period) -> list[IncentiveFund]:
    """The month's funds: the plant's (no shop) first, then the shops' by number."""
    return list(
        IncentiveFund.objects.filter(enterprise=enterprise, period=period)
        .select_related("shop")
        .order_by("shop__number")
    )


def fund_shops(enterprise: Enterprise):
    return Shop.objects.filter(enterprise=enterprise).order_by("number")
