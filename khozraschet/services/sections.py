"""Writes of a section's attributes (§1), passport (§2, table 3) and time studies (§3,
table 4).

Each checks the user's action on the section (``khz.passport``: the economist and the shop
head; ``khz.enter``: the bureau and the economist), locks what it changes, runs
``full_clean()`` — which refuses a passport dated in a closed month and a study of a
closed month — and records who did it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprise import versions
from enterprise.models import HistoryRecord, Period, Section
from enterprise.permissions import require
from enterprise.tracking import PeriodClosedError, acting_as, closed_month_on, record_history

from ..models import Passport, Profile, TimeStudy

PROFILE_FIELDS = ("purpose", "specialisation")
PASSPORT_FIELDS = (
    "valid_from",
    "area",
    "operations",
    "workplaces",
    "output_plan",
    "output_actual",
    "weight_max",
    "weight_min",
    "equipment",
    "workers",
    "average_grade",
    "specialisation",
    "norms_met",
    "shifts",
    "output_per_worker",
    "mechanisation_degree",
    "mechanisation_level",
    "capacity",
)
TIME_STUDY_FIELDS = ("studied_on", *TimeStudy.WORK_FIELDS, *TimeStudy.LOSS_FIELDS)


def _lock_section(section: Section) -> None:
    list(Section.objects.select_for_update().filter(pk=section.pk).values_list("pk", flat=True))


def _refuse_unknown(values: Mapping, allowed: Iterable[str]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not a field of the form: {sorted(unknown)}")


# --- the section's attributes -----------------------------------------------------------------


def profile_version(profile: Profile) -> str:
    return versions.stamp(([profile], PROFILE_FIELDS)) if profile.pk else ""


def _names(sections) -> str:
    return ", ".join(sorted(f"{s.shop.number}/{s.number} {s.name}" for s in sections)) or "—"


@transaction.atomic
def profile_save(
    *,
    section: Section,
    purpose: str,
    specialisation: str,
    consumers: Iterable[Section],
    user,
    version: str = "",
) -> Profile:
    """What the section is: main or auxiliary, its form of specialisation, and the other
    sections of its enterprise it supplies. ``version``: the profile's when the form was
    opened (a profile changed meanwhile is refused, saying what changed)."""
    require(user, "khz.passport", section)
    _lock_section(section)
    profile = Profile.objects.select_for_update().filter(section=section).first()
    if profile is not None:
        versions.check(version, ([profile], PROFILE_FIELDS))
    else:
        profile = Profile(section=section)
    consumers = list(consumers)
    enterprise_id = section.shop.enterprise_id
    if any(c.pk == section.pk for c in consumers):
        raise ValidationError({"consumers": _("Участок не может быть потребителем самого себя.")})
    if any(c.shop.enterprise_id != enterprise_id for c in consumers):
        raise ValidationError({"consumers": _("Потребитель — участок другого предприятия.")})
    before = list(profile.consumers.select_related("shop")) if profile.pk else []
    profile.purpose, profile.specialisation = purpose, specialisation
    with acting_as(user):
        profile.full_clean()
        profile.save()
        profile.consumers.set(consumers)
        if {c.pk for c in before} != {c.pk for c in consumers}:
            label = str(Profile._meta.get_field("consumers").verbose_name)
            record_history(
                [
                    (
                        profile,
                        HistoryRecord.Action.UPDATE,
                        {label: [_names(before), _names(consumers)]},
                    )
                ]
            )
    return profile


# --- the passport ---------------------------------------------------------------------------


def passport_version(passport: Passport) -> str:
    return versions.stamp(([passport], PASSPORT_FIELDS))


@transaction.atomic
def passport_add(*, section: Section, values: Mapping, user) -> Passport:
    """A new version of the section's passport in force from ``values["valid_from"]``
    (table 3's fields); a date in a closed month is refused."""
    require(user, "khz.passport", section)
    _refuse_unknown(values, PASSPORT_FIELDS)
    _lock_section(section)
    passport = Passport(section=section, **values)
    with acting_as(user), closed_month_on("valid_from"):
        passport.full_clean()
        passport.save()
    return passport


@transaction.atomic
def passport_edit(*, passport: Passport, values: Mapping, user, version: str = "") -> Passport:
    """Correct a version of the passport while its month (and the new date's) is open.
    ``version``: the passport's when the form was opened."""
    stored = (
        Passport.objects.select_for_update().select_related("section__shop").get(pk=passport.pk)
    )
    require(user, "khz.passport", stored.section)
    _refuse_unknown(values, PASSPORT_FIELDS)
    stored.assert_editable()
    versions.check(version, ([stored], PASSPORT_FIELDS))
    for name, value in values.items():
        setattr(stored, name, value)
    with acting_as(user), closed_month_on("valid_from"):
        stored.full_clean()
        stored.save()
    return stored


# --- time studies ---------------------------------------------------------------------------


@transaction.atomic
def time_study_add(*, section: Section, period: Period, values: Mapping, user) -> TimeStudy:
    """A study of the section's working time on a day of ``period`` (table 4): the parts
    of work and of losses in % of the shift fund, summing to 100."""
    require(user, "khz.enter", section)
    if period.enterprise_id != section.shop.enterprise_id:
        raise ValidationError(_("Месяц другого предприятия."))
    if period.is_closed:
        raise PeriodClosedError(str(period))
    _refuse_unknown(values, TIME_STUDY_FIELDS)
    _lock_section(section)
    study = TimeStudy(section=section, period=period, **values)
    with acting_as(user):
        study.full_clean()
        study.save()
    return study
