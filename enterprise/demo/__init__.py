"""The demo plant «ЧМЗ-демо»: the steps that load it (``manage.py load_demo``); its data is
in ``plant``, its working-day calendar in ``workdays``.

The plant is modelled on the booklet (seed 004): shop No. 6 is the machining shop of
table 2 with its sections No. 1–3; its workers include the brigade of fitters of
table 18 (section 3) and the brigade of milling-machine operators of table 19
(section 1) with the booklet's grades and tariff rates. A few more shops give the
other roles something to see.

Loading is idempotent: every row is found by its natural key (enterprise name, shop
number, section (shop, number), personnel number, username, …) and written only when
a value differs, so a second run changes nothing and records no history.

Later apps extend the demo without touching this module: an app's ``<app>/demo.py``
defines ``DEMO_STEPS`` — a list of functions taking a :class:`DemoContext` — and
:func:`load_demo` runs them after the enterprise's own steps and before the demo months
are closed (so a step may write into June–September). Use :func:`ensure` to keep
them idempotent, and ``ctx.add_login(...)`` for any user they create.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from unittest import mock

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction
from django.utils import timezone

from ..closing import take_worker_snapshot
from ..models import (
    Enterprise,
    PayCondition,
    Period,
    Profession,
    RoleAssignment,
    Section,
    Shop,
    StepScale,
    StepScaleRow,
    TariffRate,
    Worker,
)
from ..models.roles import Role
from ..tracking import acting_as
from .plant import (
    AUXILIARY,
    CLOSED_MONTHS,
    DEMO_MONTHS,
    DEMO_PASSWORD,
    DEMO_REASON,
    DEMO_URL,
    ENTERPRISE_NAME,
    ENTERPRISE_SHORT_NAME,
    FEMALE_FIRST_NAMES,
    MAIN,
    MALE_FIRST_NAMES,
    PATRONYMICS,
    PAY_CONDITIONS,
    PLANT_TZ,
    PROFESSIONS,
    RATES_FROM,
    ROLES_FROM,
    ROSTER,
    SCALES,
    SHOPS,
    SURNAMES,
    TABLE_2_SECTIONS,
    TABLE_18_BRIGADE,
    TABLE_18_TOTAL,
    TABLE_19_BRIGADE,
    TABLE_19_LEADER,
    TABLE_19_TOTAL,
    TARIFF_GRID,
    USERS,
    DemoShop,
    DemoUser,
    DemoWorker,
    ScaleSpec,
    female_surname,
    roster,
)
from .workdays import RU_HOLIDAYS, days_off, month_calendar

__all__ = [
    "AUXILIARY",
    "BASE_STEPS",
    "CLOSED_MONTHS",
    "CLOSING_STEPS",
    "DEMO_MONTHS",
    "DEMO_PASSWORD",
    "DEMO_REASON",
    "DEMO_URL",
    "ENTERPRISE_NAME",
    "ENTERPRISE_SHORT_NAME",
    "FEMALE_FIRST_NAMES",
    "MAIN",
    "MALE_FIRST_NAMES",
    "PATRONYMICS",
    "PAY_CONDITIONS",
    "PLANT_TZ",
    "PROFESSIONS",
    "RATES_FROM",
    "ROLES_FROM",
    "ROSTER",
    "RU_HOLIDAYS",
    "SCALES",
    "SHOPS",
    "SURNAMES",
    "TABLE_2_SECTIONS",
    "TABLE_18_BRIGADE",
    "TABLE_18_TOTAL",
    "TABLE_19_BRIGADE",
    "TABLE_19_LEADER",
    "TABLE_19_TOTAL",
    "TARIFF_GRID",
    "USERS",
    "DemoContext",
    "DemoShop",
    "DemoStep",
    "DemoUser",
    "DemoWorker",
    "Login",
    "ScaleSpec",
    "app_steps",
    "clock",
    "days_off",
    "demo_steps",
    "ensure",
    "female_surname",
    "load_demo",
    "logins_table",
    "month_calendar",
    "roster",
    "step_close_periods",
    "step_enterprise",
    "step_periods",
    "step_professions",
    "step_scales",
    "step_structure",
    "step_tariffs",
    "step_users",
    "step_workers",
]


# --- the loading machinery -----------------------------------------------------------------


def ensure(model: type[models.Model], lookup: dict, **values) -> models.Model:
    """The row of ``model`` with ``lookup`` (its natural key), created or brought up to ``values``.

    Only a new row or a row whose values differ is validated and saved, so a repeated
    load writes nothing — no history, and no attempt to touch a closed month. The
    model's ``clean()`` runs; unique and check constraints are left to the database.
    """
    # By the primary key, not the model's ordering: the lookup names one row, and the
    # ordering's joins (a worker's by his section's shop) made a tenth of the load's time.
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(
            exclude=_stored_rows(model, {**lookup, **values}),
            validate_unique=False,
            validate_constraints=False,
        )
        obj.save()
        return obj
    changed = {name: value for name, value in values.items() if _stored(obj, name) != _raw(value)}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.full_clean(
            exclude=_stored_rows(model, changed), validate_unique=False, validate_constraints=False
        )
        obj.save()
    return obj


def _stored_rows(model: type[models.Model], values: dict) -> list[str]:
    """Foreign keys given a row read from the database (and not limited to some rows): it
    exists, so the validation need not look it up again (a query for each, on every row)."""
    names = []
    for name, value in values.items():
        field_ = next((f for f in model._meta.concrete_fields if f.name == name), None)
        if (
            field_ is not None
            and field_.many_to_one
            and isinstance(value, models.Model)
            and value.pk is not None
            and not value._state.adding
            and not field_.remote_field.limit_choices_to
        ):
            names.append(name)
    return names


def _stored(obj: models.Model, name: str):
    field_ = obj._meta.get_field(name)
    return getattr(obj, field_.attname if field_.is_relation else name)


def _raw(value):
    return value.pk if isinstance(value, models.Model) else value


class Login(NamedTuple):
    username: str
    role: str
    unit: str


@dataclass
class DemoContext:
    """What the steps share: the plant's rows by natural key, the output, the logins."""

    stdout: io.TextIOBase
    enterprise: Enterprise | None = None
    shops: dict[int, Shop] = field(default_factory=dict)
    sections: dict[tuple[int, int], Section] = field(default_factory=dict)
    professions: dict[str, Profession] = field(default_factory=dict)
    pay_conditions: dict[str, PayCondition] = field(default_factory=dict)
    workers: dict[str, Worker] = field(default_factory=dict)
    users: dict[str, models.Model] = field(default_factory=dict)
    periods: dict[tuple[int, int], Period] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)
    _password_checks: dict[str, bool] = field(default_factory=dict)
    _password_hash: str | None = None

    def say(self, message: str) -> None:
        self.stdout.write(message + "\n")

    def add_login(self, username: str, role: str, unit: str) -> None:
        """A login for the table printed at the end, once: two apps' steps may both
        make the same user (the claims and the self-financing demos share ``master62``)."""
        login = Login(username, role, unit)
        if login not in self.logins:
            self.logins.append(login)

    def ensure_user(
        self, username: str, *, first_name: str, last_name: str, is_staff: bool = False
    ):
        """A demo user with the demo password (its hash is left alone when it matches)."""
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        values = {
            "first_name": first_name,
            "last_name": last_name,
            "is_active": True,
            "is_staff": is_staff,
        }
        if user is None:
            user = user_model(username=username, password=self.password_hash, **values)
            user.full_clean()
            user.save()
        else:
            changed = [name for name, value in values.items() if getattr(user, name) != value]
            if not self._password_matches(user.password):
                user.password = self.password_hash
                changed.append("password")
            for name in changed:
                if name != "password":
                    setattr(user, name, values[name])
            if changed:
                user.save(update_fields=changed)
        self.users[username] = user
        return user

    @property
    def password_hash(self) -> str:
        # One hash for all demo users: hashing is deliberately slow, and the password
        # is public anyway.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
            self._password_checks[self._password_hash] = True
        return self._password_hash

    def _password_matches(self, encoded: str) -> bool:
        if encoded not in self._password_checks:
            self._password_checks[encoded] = check_password(DEMO_PASSWORD, encoded)
        return self._password_checks[encoded]


DemoStep = Callable[[DemoContext], None]


def step_enterprise(ctx: DemoContext) -> None:
    ctx.enterprise = ensure(Enterprise, {"name": ENTERPRISE_NAME}, short_name=ENTERPRISE_SHORT_NAME)


def step_structure(ctx: DemoContext) -> None:
    for spec in SHOPS:
        shop = ensure(
            Shop, {"enterprise": ctx.enterprise, "number": spec.number},
            name=spec.name, kind=spec.kind,
        )  # fmt: skip
        ctx.shops[spec.number] = shop
        for number, name in spec.sections:
            ctx.sections[spec.number, number] = ensure(
                Section, {"shop": shop, "number": number}, name=name
            )


def step_professions(ctx: DemoContext) -> None:
    for name in PROFESSIONS.values():
        ctx.professions[name] = ensure(Profession, {"enterprise": ctx.enterprise, "name": name})


def step_tariffs(ctx: DemoContext) -> None:
    for code, name in PAY_CONDITIONS.items():
        condition = ensure(PayCondition, {"enterprise": ctx.enterprise, "code": code}, name=name)
        ctx.pay_conditions[code] = condition
        for grade, rate in TARIFF_GRID[code].items():
            key = {
                "enterprise": ctx.enterprise,
                "pay_condition": condition,
                "grade": grade,
                "valid_from": RATES_FROM,
            }
            stored = TariffRate.objects.filter(**key).first()
            if stored is not None and stored.hourly_rate != rate:
                # The demo's months are closed: a changed rate goes in as a new rate
                # from the first open month, the way the labour department would do it.
                ctx.say(f"  ставка {code}/{grade} уже есть с другим значением — не меняю")
                continue
            ensure(TariffRate, key, hourly_rate=rate)


def step_periods(ctx: DemoContext) -> None:
    for year, month in DEMO_MONTHS:
        days, hours = month_calendar(year, month)
        key = {"enterprise": ctx.enterprise, "year": year, "month": month}
        stored = Period.objects.filter(**key).first()
        if stored is not None and stored.is_closed:
            ctx.periods[year, month] = stored
            continue
        ctx.periods[year, month] = ensure(Period, key, working_days=days, working_hours=hours)


def step_scales(ctx: DemoContext) -> None:
    for spec in SCALES:
        scale = ensure(
            StepScale,
            {"enterprise": ctx.enterprise, "code": spec.code},
            name=spec.name,
            argument_label=spec.argument_label,
            value_label=spec.value_label,
            description=spec.description,
        )
        for lower, upper, value in spec.rows:
            ensure(StepScaleRow, {"scale": scale, "lower": lower}, upper=upper, value=value)


def step_workers(ctx: DemoContext) -> None:
    for spec in roster():
        ctx.workers[spec.personnel_number] = ensure(
            Worker,
            {"enterprise": ctx.enterprise, "personnel_number": spec.personnel_number},
            last_name=spec.last_name,
            first_name=spec.first_name,
            middle_name=spec.middle_name,
            profession=ctx.professions[spec.profession],
            grade=spec.grade,
            pay_condition=ctx.pay_conditions[spec.pay_condition],
            section=ctx.sections[spec.shop, spec.section],
            hire_date=spec.hire_date,
            birth_date=spec.birth_date,
        )


def step_users(ctx: DemoContext) -> None:
    for spec in USERS:
        user = ctx.ensure_user(
            spec.username, first_name=spec.first_name, last_name=spec.last_name,
            is_staff=spec.is_staff,
        )  # fmt: skip
        shop = ctx.shops[spec.shop] if spec.shop else None
        section = ctx.sections[spec.section] if spec.section else None
        ensure(
            RoleAssignment,
            {
                "user": user,
                "role": spec.role,
                "enterprise": ctx.enterprise,
                "shop": shop,
                "section": section,
                "valid_from": ROLES_FROM,
            },
            valid_to=None,
        )
        unit = str(section or shop or ctx.enterprise)
        if spec.worker:
            worker = ctx.workers[spec.worker]
            ctx.workers[spec.worker] = ensure(
                Worker, {"enterprise": ctx.enterprise, "personnel_number": spec.worker},
                user=user,
            )  # fmt: skip
            if spec.role == Role.WORKER:
                unit = f"{worker.section}, таб. № {worker.personnel_number}"
        if spec.role == Role.SHOP_HEAD:
            ctx.shops[spec.shop] = ensure(
                Shop, {"enterprise": ctx.enterprise, "number": spec.shop}, head=user
            )
        if spec.role == Role.MASTER:
            ctx.sections[spec.section] = ensure(
                Section, {"shop": ctx.shops[spec.section[0]], "number": spec.section[1]},
                head=user,
            )  # fmt: skip
        ctx.add_login(spec.username, f"{Role(spec.role).label} ({spec.role})", unit)


def step_close_periods(ctx: DemoContext) -> None:
    """Close June–September 2026 (by the labour department, on the 5th of the next month)."""
    closer = ctx.users["otiz"]
    for year, month in CLOSED_MONTHS:
        period = ctx.periods[year, month]
        if period.is_closed:
            continue
        closed_at = datetime.datetime(year + month // 12, month % 12 + 1, 5, 17, 0, tzinfo=PLANT_TZ)
        # As the close does: the month's workers written down while it is still open.
        take_worker_snapshot(period)
        ctx.periods[year, month] = ensure(
            Period,
            {"enterprise": ctx.enterprise, "year": year, "month": month},
            status=Period.Status.CLOSED,
            closed_by=closer,
            closed_at=closed_at,
        )


BASE_STEPS: list[DemoStep] = [
    step_enterprise,
    step_structure,
    step_professions,
    step_tariffs,
    step_periods,
    step_scales,
    step_workers,
    step_users,
]
CLOSING_STEPS: list[DemoStep] = [step_close_periods]


def app_steps() -> list[DemoStep]:
    """``DEMO_STEPS`` of every project app's ``demo`` module, in INSTALLED_APPS order."""
    steps: list[DemoStep] = []
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if config.name == "enterprise" or not Path(config.path).resolve().is_relative_to(base):
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        steps.extend(getattr(importlib.import_module(module_name), "DEMO_STEPS", ()))
    return steps


def demo_steps() -> list[DemoStep]:
    return [*BASE_STEPS, *app_steps(), *CLOSING_STEPS]


def load_demo(stdout=None, steps: Iterable[DemoStep] | None = None) -> DemoContext:
    """Create or bring up to date the demo plant; print the demo logins."""
    ctx = DemoContext(stdout=stdout if stdout is not None else io.StringIO())
    with transaction.atomic(), acting_as(None, DEMO_REASON):
        for step in demo_steps() if steps is None else steps:
            step(ctx)
    ctx.say(
        f"Демо-предприятие «{ctx.enterprise}»: цехов {len(ctx.shops)}, "
        f"участков {len(ctx.sections)}, рабочих {len(ctx.workers)}, "
        f"периодов {len(ctx.periods)}."
    )
    ctx.say(logins_table(ctx.logins))
    return ctx


def logins_table(logins: Iterable[Login]) -> str:
    header = Login("Логин / login", "Роль / role", "Подразделение / unit")
    rows = [(header.username, "Пароль / password", header.role, header.unit)]
    rows += [(login.username, DEMO_PASSWORD, login.role, login.unit) for login in logins]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["Демо-пользователи / demo users:"]
    for number, row in enumerate(rows):
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[3]
        )
        if number == 0:
            lines.append("  ".join("-" * width for width in widths) + "  " + "-" * len(row[3]))
    lines.append(f"Откройте / open {DEMO_URL}")
    return "\n".join(lines)


@contextmanager
def clock(moment: datetime.datetime | None) -> Iterator[None]:
    """``timezone.now()`` reads ``moment`` inside the block (the real time if None).

    Only for loading the demo, which runs alone in its command's process: the services
    take the time of each step (and the history its records) from ``timezone.now()``.
    """
    if moment is None:
        yield
        return
    with mock.patch.object(timezone, "now", lambda: moment):
        yield
