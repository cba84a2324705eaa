"""Writes of a section's month as the bureau and the economist enter it (§3–§7): the
indicators' plans and actuals, the month's sheet, idle hours by cause, energy savings,
and the incentive fund labour & wages hands down.

Each grid is saved whole or not at all, under the section's row lock (saves of one
section's month go one by one: a new row has no lock of its own), against the version
of the rows the page showed (:mod:`enterprise.versions`). Row errors come back keyed by
the row's key (:class:`RowErrors`); a closed month refuses (and TrackedModel refuses
again for every row).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from enterprise import versions
from enterprise.models import Enterprise, Period, Section, Shop
from enterprise.permissions import require
from enterprise.tracking import PeriodClosedError, acting_as

from ..models import (
    EnergySaving,
    IdleCause,
    IdleRecord,
    IncentiveFund,
    Indicator,
    IndicatorValue,
    SectionMonth,
)
from ..selectors.months import settings_for, unlikely


class RowErrors(ValidationError):
    """Errors of a grid keyed by the row: ``by_row[key][field or None] → messages``.
    ``unlikely``: the keys whose figure asks for confirmation (and nothing else is wrong
    with them)."""

    def __init__(self, by_row: dict, *, unlikely: Iterable = ()):
        self.by_row = {
            key: {field: list(msgs) for field, msgs in fields.items()}
            for key, fields in by_row.items()
        }
        self.unlikely = set(unlikely)
        super().__init__(
            [
                message
                for fields in self.by_row.values()
                for msgs in fields.values()
                for message in msgs
            ]
            or [_("Проверьте строки таблицы.")]
        )


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


def _locked(section: Section, period: Period, user) -> Period:
    """The checks every save of a section's month starts with, and the section's lock."""
    require(user, "khz.enter", section)
    if period.enterprise_id != section.shop.enterprise_id:
        raise ValidationError(_("Месяц другого предприятия."))
    list(Section.objects.select_for_update().filter(pk=section.pk).values_list("pk", flat=True))
    period = Period.objects.get(pk=period.pk)  # as it is now, under the lock
    if period.is_closed:
        raise PeriodClosedError(str(period))
    return period


def _figure(value: Decimal) -> str:
    """«1 234,5»: as the user typed it, without trailing zeros."""
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return number_format(value, max(0, -value.as_tuple().exponent), force_grouping=True)


def _messages(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            (None if field == "__all__" else field): [m for e in errors for m in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {None: list(error.messages)}


# --- indicators ------------------------------------------------------------------------------

INDICATOR_FIELDS = ("plan", "actual")


@dataclass(frozen=True)
class IndicatorIn:
    """A row of the grid: both figures empty — no entry (a stored one is removed).
    ``confirmed``: the user confirmed this row's figures though far from the plan."""

    indicator_id: int
    plan: Decimal | None
    actual: Decimal | None
    confirmed: bool = False


def indicators_version(values: Iterable[IndicatorValue]) -> str:
    return versions.stamp((values, INDICATOR_FIELDS))


@transaction.atomic
def indicators_save(
    *,
    section: Section,
    period: Period,
    rows: Iterable[IndicatorIn],
    user,
    version: str = "",
) -> SaveResult:
    """The section's plans and actuals of the month, all rows or none.

    The actual of an indicator taken from another app (``source`` not manual) is not
    entered here: the stored one is kept. An actual farther from the plan than the
    plant's ``unlikely_ratio`` is refused (:class:`RowErrors` with ``unlikely``) unless
    the row is ``confirmed`` — or stored confirmed with the same figures."""
    period = _locked(section, period, user)
    rows = list(rows)
    stored = {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(section=section, period=period)
    }
    versions.check(version, (stored.values(), INDICATOR_FIELDS))
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(
            enterprise_id=period.enterprise_id, pk__in=[row.indicator_id for row in rows]
        )
    }
    ratio = settings_for(period.enterprise_id).unlikely_ratio
    errors: dict = {}
    asks: set = set()
    writes, deletes = [], []
    for row in rows:
        indicator = indicators.get(row.indicator_id)
        if indicator is None:
            errors[row.indicator_id] = {None: [_("Показатель не из каталога этого предприятия.")]}
            continue
        value = stored.get(indicator.pk)
        manual = indicator.source == Indicator.Source.MANUAL
        actual = row.actual if manual else (value.actual if value else None)
        if row.plan is None and (row.actual is None or not manual):
            if value is not None:
                deletes.append(value)
            continue
        if row.plan is None:
            errors[indicator.pk] = {"plan": [_("Укажите план: факт без плана не оценить.")]}
            continue
        same = value is not None and (value.plan, value.actual) == (row.plan, actual)
        far = unlikely(row.plan, actual, ratio)
        confirmed = far and (row.confirmed or (same and value.confirmed_unlikely))
        if far and not confirmed:
            asks.add(indicator.pk)
            errors[indicator.pk] = {
                "actual": [
                    _(
                        "Факт %(actual)s далёк от плана %(plan)s (больше чем в %(ratio)s раза): "
                        "проверьте цифру и подтвердите её."
                    )
                    % {
                        "actual": _figure(actual),
                        "plan": _figure(row.plan),
                        "ratio": _figure(ratio),
                    }
                ]
            }
            continue
        if same and value.confirmed_unlikely == confirmed:
            continue
        if value is None:
            value = IndicatorValue(section=section, period=period, indicator=indicator)
        value.plan, value.actual, value.confirmed_unlikely = row.plan, actual, confirmed
        try:
            value.full_clean(validate_unique=False)
        except ValidationError as error:
            errors[indicator.pk] = _messages(error)
            continue
        writes.append(value)
    if errors:
        only_asks = {key for key in asks if key in errors}
        raise RowErrors(errors, unlikely=only_asks)
    result = SaveResult()
    with acting_as(user):
        for value in deletes:
            value.delete()
            result.deleted += 1
        for value in writes:
            created = value.pk is None
            value.save()
            result.created += created
            result.updated += not created
    return result


# --- the month's sheet -----------------------------------------------------------------------

SHEET_FIELDS = (
    "plan_decade_1",
    "plan_decade_2",
    "plan_decade_3",
    "on_time_output",
    "shortfall",
    "quality_collective",
    "quality_masters",
    "productivity_wage_deviation",
    "shift_fund_hours",
    "consumers_filed_no_claims",
)


def section_month_version(sheet: SectionMonth | None) -> str:
    return versions.stamp(([sheet] if sheet else [], SHEET_FIELDS))


@transaction.atomic
def section_month_save(
    *, section: Section, period: Period, values: dict, user, version: str = ""
) -> SectionMonth:
    """The evaluation inputs of a section's month (created on the first save)."""
    period = _locked(section, period, user)
    sheet = SectionMonth.objects.filter(section=section, period=period).first()
    versions.check(version, ([sheet] if sheet else [], SHEET_FIELDS))
    if sheet is None:
        sheet = SectionMonth(section=section, period=period)
    for name in SHEET_FIELDS:
        if name in values:
            setattr(sheet, name, values[name])
    sheet.full_clean(validate_unique=False)
    with acting_as(user):
        sheet.save()
    return sheet


# --- idle hours by cause (table 11) ------------------------------------------------------------

IDLE_FIELDS = ("hours",)


@dataclass(frozen=True)
class IdleIn:
    """Hours of one cause: empty or zero — none (a stored row is removed)."""

    cause: str
    hours: Decimal | None


def idle_version(records: Iterable[IdleRecord]) -> str:
    return versions.stamp((records, IDLE_FIELDS))


@transaction.atomic
def idle_save(
    *, section: Section, period: Period, rows: Iterable[IdleIn], user, version: str = ""
) -> SaveResult:
    """Equipment idle hours of the month by cause, all rows or none."""
    period = _locked(section, period, user)
    stored = {
        record.cause: record for record in IdleRecord.objects.filter(section=section, period=period)
    }
    versions.check(version, (stored.values(), IDLE_FIELDS))
    errors: dict = {}
    writes, deletes, seen = [], [], set()
    for row in rows:
        if row.cause not in IdleCause.values or row.cause in seen:
            errors[row.cause] = {None: [_("Причина простоя не из таблицы.")]}
            continue
        seen.add(row.cause)
        record = stored.get(row.cause)
        if not row.hours:
            if record is not None:
                deletes.append(record)
            continue
        if record is not None and record.hours == row.hours:
            continue
        if record is None:
            record = IdleRecord(section=section, period=period, cause=row.cause)
        record.hours = row.hours
        try:
            record.full_clean(validate_unique=False)
        except ValidationError as error:
            errors[row.cause] = _messages(error)
            continue
        writes.append(record)
    if errors:
        raise RowErrors(errors)
    _within_shift_fund(section, period, stored, writes, deletes)
    return _write(writes, deletes, user)


def _within_shift_fund(section, period, stored, writes, deletes) -> None:
    """The month's idle hours cannot exceed its equipment's shift fund (table 11)."""
    month = SectionMonth.objects.filter(section=section, period=period).first()
    fund = month.shift_fund_hours if month else None
    if not fund:
        return
    hours = {cause: record.hours for cause, record in stored.items()}
    hours.update({record.cause: record.hours for record in writes})
    for record in deletes:
        hours.pop(record.cause, None)
    total = sum(hours.values(), Decimal(0))
    if total > fund:
        raise ValidationError(
            _(
                "Простоев за месяц %(total)s ч — больше сменного фонда времени оборудования "
                "%(fund)s ч. Проверьте часы или сменный фонд в данных для оценки."
            )
            % {
                "total": number_format(total, force_grouping=True),
                "fund": number_format(fund, force_grouping=True),
            },
            code="over_fund",
        )


def _write(writes, deletes, user) -> SaveResult:
    result = SaveResult()
    with acting_as(user):
        for row in deletes:
            row.delete()
            result.deleted += 1
        for row in writes:
            created = row.pk is None
            row.save()
            result.created += created
            result.updated += not created
    return result


# --- energy savings (§7) -----------------------------------------------------------------------

ENERGY_FIELDS = ("saved_value", "percent")


@dataclass(frozen=True)
class EnergyIn:
    """A resource's saving: both empty — none (a stored row is removed)."""

    resource: str
    saved_value: Decimal | None
    percent: Decimal | None


def energy_version(savings: Iterable[EnergySaving]) -> str:
    return versions.stamp((savings, ENERGY_FIELDS))


@transaction.atomic
def energy_save(
    *, section: Section, period: Period, rows: Iterable[EnergyIn], user, version: str = ""
) -> SaveResult:
    """Saved energy resources and the bonus percent for each, all rows or none; the
    percent within the plant's ``energy_min_percent``..``energy_max_percent``."""
    period = _locked(section, period, user)
    stored = {
        saving.resource: saving
        for saving in EnergySaving.objects.filter(section=section, period=period)
    }
    versions.check(version, (stored.values(), ENERGY_FIELDS))
    settings = settings_for(period.enterprise_id)
    low, high = settings.energy_min_percent, settings.energy_max_percent
    errors: dict = {}
    writes, deletes, seen = [], [], set()
    for row in rows:
        if row.resource not in EnergySaving.Resource.values or row.resource in seen:
            errors[row.resource] = {None: [_("Ресурс не из таблицы.")]}
            continue
        seen.add(row.resource)
        saving = stored.get(row.resource)
        if row.saved_value is None and row.percent is None:
            if saving is not None:
                deletes.append(saving)
            continue
        problems: dict = {}
        if row.saved_value is None:
            problems["saved_value"] = [_("Укажите стоимость сэкономленного.")]
        if row.percent is None:
            problems["percent"] = [_("Укажите процент премии.")]
        elif not low <= row.percent <= high:
            problems["percent"] = [
                _("Премия за экономию — от %(low)s до %(high)s %% стоимости сэкономленного.")
                % {"low": _figure(low), "high": _figure(high)}
            ]
        if problems:
            errors[row.resource] = problems
            continue
        if saving is not None and (saving.saved_value, saving.percent) == (
            row.saved_value,
            row.percent,
        ):
            continue
        if saving is None:
            saving = EnergySaving(section=section, period=period, resource=row.resource)
        saving.saved_value, saving.percent = row.saved_value, row.percent
        try:
            saving.full_clean(validate_unique=False)
        except ValidationError as error:
            errors[row.resource] = _messages(error)
            continue
        writes.append(saving)
    if errors:
        raise RowErrors(errors)
    return _write(writes, deletes, user)


# --- the incentive fund ------------------------------------------------------------------------


@transaction.atomic
def fund_set(
    *, enterprise: Enterprise, period: Period, shop: Shop | None, amount: Decimal, user
) -> IncentiveFund:
    """The month's incentive fund of a shop (``shop``) or of the plant's sections (None):
    set anew, or changed when it was set before."""
    require(user, "khz.fund", enterprise)
    if period.enterprise_id != enterprise.pk:
        raise ValidationError(_("Месяц другого предприятия."))
    if shop is not None and shop.enterprise_id != enterprise.pk:
        raise ValidationError({"shop": _("Цех другого предприятия.")})
    # Saves of one month's funds go one by one (a new fund has no row to lock).
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise PeriodClosedError(str(period))
    fund = IncentiveFund.objects.filter(period=period, shop=shop).first()
    if fund is None:
        fund = IncentiveFund(enterprise=enterprise, period=period, shop=shop)
    elif fund.amount == amount:
        return fund
    fund.amount = amount
    fund.full_clean(validate_unique=False)
    with acting_as(user):
        fund.save()
    return fund
