"""Reads of a section's attributes, passport versions and time studies (§1–§3)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprise.models import Period, Section
from enterprise.money import HUNDRED
from enterprise.tracking import PeriodClosedError, assert_months_open

from .. import rules
from ..models import Passport, Profile, Settings, TimeStudy

TYPE_LABELS = {
    "mass": _("массовое"),
    "large_serial": _("крупносерийное"),
    "serial": _("серийное"),
    "small_serial": _("мелкосерийное"),
    "single": _("единичное"),
}


@dataclass(frozen=True)
class ProductionType:
    kz: Decimal
    code: str
    label: str


def thresholds_of(enterprise_id: int) -> Settings:
    """The plant's thresholds (its defaults while it has not set its own)."""
    return Settings.objects.filter(enterprise_id=enterprise_id).first() or Settings(
        enterprise_id=enterprise_id
    )


def fixing_coefficient(operations: int, workplaces: int) -> Decimal:
    """Kз = D / Ч, to two places half-up (table 2: 767 / 42 = 18,26)."""
    return rules.operations_fixing_coefficient(operations, workplaces)


def production_type(operations: int, workplaces: int, settings: Settings) -> ProductionType:
    """The type whose interval (closed on the upper side) holds Kз: 18,26 → serial."""
    kz = fixing_coefficient(operations, workplaces)
    thresholds = rules.Thresholds(
        mass=settings.mass_max,
        large_serial=settings.large_serial_max,
        serial=settings.serial_max,
        small_serial=settings.small_serial_max,
    )
    code = rules.production_type(kz, thresholds).value
    return ProductionType(kz, code, str(TYPE_LABELS[code]))


def profile_of(section: Section) -> Profile | None:
    return Profile.objects.filter(section=section).prefetch_related("consumers__shop").first()


def consumer_choices(section: Section):
    """Sections the section may supply: the others of its enterprise."""
    return (
        Section.objects.filter(shop__enterprise_id=section.shop.enterprise_id)
        .exclude(pk=section.pk)
        .select_related("shop")
        .order_by("shop__number", "number")
    )


@dataclass(frozen=True)
class PassportVersion:
    passport: Passport
    type: ProductionType
    frozen: bool  # its month is closed: read-only
    current: bool  # the version in force today


def _frozen(passport: Passport) -> bool:
    try:
        assert_months_open(passport.period_keys())
    except PeriodClosedError:
        return True
    return False


def passport_versions(section: Section) -> list[PassportVersion]:
    """The section's passports, newest first, with Kз, the production type and whether
    each may still be changed."""
    settings = thresholds_of(section.shop.enterprise_id)
    passports = list(
        Passport.objects.filter(section=section)
        .select_related("section__shop")
        .order_by("-valid_from")
    )
    today = timezone.localdate()
    in_force = next((p for p in passports if p.valid_from <= today), None)
    return [
        PassportVersion(
            passport=p,
            type=production_type(p.operations, p.workplaces, settings),
            frozen=_frozen(p),
            current=p is in_force,
        )
        for p in passports
    ]


def passport_version(passport: Passport) -> PassportVersion:
    settings = thresholds_of(passport.section.shop.enterprise_id)
    return PassportVersion(
        passport=passport,
        type=production_type(passport.operations, passport.workplaces, settings),
        frozen=_frozen(passport),
        current=False,
    )


def latest_passport(section: Section) -> Passport | None:
    return Passport.objects.filter(section=section).order_by("-valid_from").first()


@dataclass(frozen=True)
class StudyRow:
    study: TimeStudy
    work: Decimal
    losses: Decimal
    machine_work: Decimal  # main (machine) time, % of the shift fund
    machine_idle: Decimal  # 100 − main time


def time_studies_of(section: Section, period: Period) -> list[StudyRow]:
    """The month's studies of the section, by day, with the machine's work and idle."""
    studies = TimeStudy.objects.filter(section=section, period=period).order_by("studied_on")
    return [
        StudyRow(
            study=s,
            work=s.work,
            losses=s.losses,
            machine_work=s.machine,
            machine_idle=HUNDRED - s.machine,
        )
        for s in studies
    ]


def neighbour_months(period: Period) -> tuple[Period | None, Period | None]:
    """The enterprise's months just before and after ``period`` (None at either end)."""
    months = Period.objects.filter(enterprise_id=period.enterprise_id)
    earlier = (
        months.filter(Q(year__lt=period.year) | Q(year=period.year, month__lt=period.month))
        .order_by("-year", "-month")
        .first()
    )
    later = (
        months.filter(Q(year__gt=period.year) | Q(year=period.year, month__gt=period.month))
        .order_by("year", "month")
        .first()
    )
    return earlier, later
