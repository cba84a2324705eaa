"""A plant-scale data set for benchmarks (``manage.py generate_plant``).

:func:`generate_plant` builds a new enterprise of 16 shops (12 main, 4 auxiliary),
120 sections and the requested number of workers, the tariff grid, the periods of the
last N months (all but the last two closed), the bonus scales and a user for every
role. Everything random comes from ``random.Random(seed)``: the same seed in the same
month gives the same plant (people's dates count back from the first day of the
current month, the periods end with it).

Rows are written with ``bulk_create`` in batches; the tracked querysets record the
history of every row in the same go.

Later apps add their own data without touching this module: an app's ``<app>/generate.py``
defines ``GENERATE_STEPS`` — functions taking a :class:`GenerateContext` — run after the
plant's own rows and before the closed months are closed (so a step may write into any
generated month), and ``DELETE_STEPS`` — functions taking the enterprise — run by
:func:`delete_plant` before the plant's own rows go (the months are open again by then).
A step draws its random numbers from ``ctx.random(name)``, so the plant itself stays the
same for a seed whatever the apps do.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import io
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from . import demo
from .models import (
    Enterprise,
    PayCondition,
    Period,
    PeriodReopening,
    Profession,
    RoleAssignment,
    Section,
    Shop,
    StepScale,
    StepScaleRow,
    TariffRate,
    Worker,
)
from .models.roles import Role
from .tracking import acting_as

BATCH_SIZE = 1000
SECTIONS_TOTAL = 120
OPEN_MONTHS = 2  # the last two months stay open


class PlantExistsError(Exception):
    """An enterprise of that name exists already (use ``replace=True`` to rebuild it)."""


class ShopSpec(NamedTuple):
    number: int
    name: str
    kind: str
    profile: str


MAIN = Shop.Kind.MAIN
AUXILIARY = Shop.Kind.AUXILIARY

SHOPS: tuple[ShopSpec, ...] = (
    ShopSpec(1, "Сборочный", MAIN, "assembly"),
    ShopSpec(2, "Механический", MAIN, "machining"),
    ShopSpec(3, "Автоматно-револьверный", MAIN, "machining"),
    ShopSpec(4, "Механический", MAIN, "machining"),
    ShopSpec(5, "Штамповочный", MAIN, "stamping"),
    ShopSpec(6, "Механический", MAIN, "machining"),
    ShopSpec(7, "Термический", MAIN, "heat"),
    ShopSpec(8, "Сборочный", MAIN, "assembly"),
    ShopSpec(9, "Сборочный", MAIN, "assembly"),
    ShopSpec(10, "Механосборочный", MAIN, "machining"),
    ShopSpec(11, "Гальванический", MAIN, "coating"),
    ShopSpec(12, "Окрасочный", MAIN, "coating"),
    ShopSpec(13, "Инструментальный", AUXILIARY, "tool"),
    ShopSpec(14, "Энергетический", AUXILIARY, "energy"),
    ShopSpec(15, "Ремонтно-механический", AUXILIARY, "repair"),
    ShopSpec(16, "Транспортный", AUXILIARY, "transport"),
)

# profile → (profession, weight)
PROFILE_PROFESSIONS: dict[str, tuple[tuple[str, int], ...]] = {
    "machining": (
        ("токарь", 30), ("фрезеровщик", 22), ("сверловщик", 12), ("шлифовщик", 12),
        ("наладчик", 8), ("контролёр станочных и слесарных работ", 6),
        ("слесарь-сборщик", 10),
    ),
    "assembly": (
        ("слесарь-сборщик", 55), ("намотчик катушек", 20), ("наладчик", 5),
        ("контролёр станочных и слесарных работ", 10), ("электромонтёр", 10),
    ),
    "stamping": (
        ("штамповщик", 70), ("наладчик", 15), ("контролёр станочных и слесарных работ", 5),
        ("слесарь-ремонтник", 10),
    ),
    "heat": (("термист", 75), ("контролёр станочных и слесарных работ", 10),
             ("слесарь-ремонтник", 15)),
    "coating": (("гальваник", 45), ("маляр", 40), ("контролёр станочных и слесарных работ", 15)),
    "tool": (
        ("слесарь-инструментальщик", 50), ("токарь", 15), ("фрезеровщик", 15),
        ("шлифовщик", 20),
    ),
    "energy": (("электромонтёр", 80), ("слесарь-ремонтник", 20)),
    "repair": (("слесарь-ремонтник", 60), ("токарь", 20), ("электромонтёр", 20)),
    "transport": (("водитель электро- и автотележки", 80), ("слесарь-ремонтник", 20)),
}  # fmt: skip

PROFILE_SECTIONS: dict[str, tuple[str, ...]] = {
    "machining": ("Токарный", "Фрезерный", "Сверлильный", "Шлифовальный", "Корпусных деталей",
                  "Валов и осей", "Зубчатых колёс", "Станков с ЧПУ", "Автоматных линий",
                  "Механосборочный"),
    "assembly": ("Узловой сборки", "Общей сборки", "Намотки катушек", "Монтажа",
                 "Испытаний", "Сборки аппаратов", "Сборки блоков", "Упаковки"),
    "stamping": ("Холодной штамповки", "Заготовительный", "Прессовый", "Вырубной",
                 "Гибочный", "Листовой штамповки"),
    "heat": ("Закалки", "Отпуска", "Цементации", "Отжига", "Нормализации",
             "Индукционной закалки"),
    "coating": ("Цинкования", "Хромирования", "Никелирования", "Окраски", "Грунтовки",
                "Сушки"),
    "tool": ("Изготовления оснастки", "Заточный", "Штампов", "Режущего инструмента",
             "Мерительного инструмента", "Пресс-форм"),
    "energy": ("Электроремонтный", "Компрессорный", "Котельный", "Сетевой", "Вентиляции",
               "Электролаборатория"),
    "repair": ("Механического ремонта", "Электроремонта", "Станочный", "Ремонта прессов",
               "Такелажный", "Планово-предупредительного ремонта"),
    "transport": ("Внутризаводского транспорта", "Погрузочно-разгрузочный", "Ремонта машин",
                  "Складской", "Железнодорожный", "Автотранспортный"),
}  # fmt: skip

# share of women among the workers of a profession (others: 5 %)
FEMALE_SHARE: dict[str, float] = {
    "намотчик катушек": 0.9,
    "гальваник": 0.6,
    "маляр": 0.6,
    "контролёр станочных и слесарных работ": 0.8,
    "шлифовщик": 0.3,
    "сверловщик": 0.3,
}
# time-rate professions in main shops (everyone in auxiliary shops is on time rates)
TIME_RATE_PROFESSIONS = frozenset(
    {"наладчик", "контролёр станочных и слесарных работ", "электромонтёр", "слесарь-ремонтник"}
)
GRADES = (1, 2, 3, 4, 5, 6)
GRADE_WEIGHTS = (3, 12, 30, 30, 17, 8)
# age range (years) and how late in the possible span the worker was hired, by grade
GRADE_AGES = {1: (18, 25), 2: (19, 30), 3: (23, 48), 4: (27, 56), 5: (33, 60), 6: (38, 63)}
GRADE_HIRE_LATENESS = {1: 0.95, 2: 0.85, 3: 0.6, 4: 0.4, 5: 0.25, 6: 0.15}
DISMISSED_SHARE = 0.02

PROFESSION_NAMES = tuple(
    dict.fromkeys(name for options in PROFILE_PROFESSIONS.values() for name, _ in options)
)

ROLE_USERS: tuple[tuple[str, str, str, str, str], ...] = (
    # username prefix, first name, last name, role, unit: enterprise / shop / section
    ("gen-admin", "Админ", "Генераторов", Role.ADMINISTRATOR, "enterprise"),
    ("gen-otiz", "Отиз", "Генераторова", Role.LABOUR, "enterprise"),
    ("gen-deputy", "Заместитель", "Генераторов", Role.DEPUTY_DIRECTOR, "enterprise"),
    ("gen-prodhead", "Начпрод", "Генераторов", Role.PRODUCTION_HEAD, "enterprise"),
    ("gen-pdb", "Диспетчер", "Генераторова", Role.DISPATCHER, "shop"),
    ("gen-economist", "Экономист", "Генераторова", Role.ECONOMIST, "shop"),
    ("gen-shophead", "Начцеха", "Генераторов", Role.SHOP_HEAD, "shop"),
    ("gen-master", "Мастер", "Генераторов", Role.MASTER, "section"),
    ("gen-leader", "Бригадир", "Генераторов", Role.BRIGADE_LEADER, "section"),
    ("gen-worker", "Рабочий", "Генераторов", Role.WORKER, "enterprise"),
)
ROLES_SHOP = 2  # the shop (and its section 1) the shop- and section-level users get


def _months_back(today: datetime.date, months: int) -> list[tuple[int, int]]:
    """The last ``months`` calendar months ending with the month of ``today``."""
    index = today.year * 12 + today.month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - months + 1, index + 1)]


def _add_years(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year + years) if (day.month, day.day) != (2, 29) else (
        datetime.date(day.year + years, 3, 1)
    )  # fmt: skip


def _spread(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integer parts proportional to ``weights`` (largest remainder)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _section_counts(rng: random.Random) -> list[int]:
    counts = [8 if spec.kind == MAIN else 6 for spec in SHOPS]  # 12 × 8 + 4 × 6 = 120
    for _ in range(40):
        give, take = rng.randrange(len(SHOPS)), rng.randrange(len(SHOPS))
        if give != take and counts[give] > 4 and counts[take] < 11:
            counts[give] -= 1
            counts[take] += 1
    return counts


def _section_name(profile: str, number: int) -> str:
    names = PROFILE_SECTIONS[profile]
    name = names[(number - 1) % len(names)]
    return name if number <= len(names) else f"{name} № {(number - 1) // len(names) + 1}"


def _person(rng: random.Random, female: bool) -> tuple[str, str, str]:
    surname = rng.choice(demo.SURNAMES)
    patronymic = rng.choice(demo.PATRONYMICS)
    if female:
        return (
            demo.female_surname(surname),
            rng.choice(demo.FEMALE_FIRST_NAMES),
            patronymic[1],
        )
    return surname, rng.choice(demo.MALE_FIRST_NAMES), patronymic[0]


@dataclass
class GenerateContext:
    """What the apps' generate steps get: the plant's rows as the generator made them."""

    enterprise: Enterprise
    seed: int
    stdout: io.TextIOBase
    months: list[tuple[int, int]]  # oldest first, ending with the current month
    periods: dict[tuple[int, int], Period]  # all open while the steps run
    closing: frozenset[tuple[int, int]]  # the months closed after the steps
    shops: list[Shop]
    sections: list[Section]
    professions: dict[str, Profession]
    pay_conditions: dict[str, PayCondition]
    workers: list[Worker]
    users: dict[str, models.Model]  # by username prefix (ROLE_USERS), e.g. "gen-master"
    summary: list[str] = field(default_factory=list)  # "бригад 400", … for the final line

    def random(self, name: str) -> random.Random:
        """A generator of its own for a step: the same seed and name, the same numbers."""
        # Reproducible test data from a seed, not secrets: random, not secrets, on purpose.
        return random.Random(f"{self.seed}:{name}")  # nosec B311


GenerateStep = Callable[[GenerateContext], None]
DeleteStep = Callable[[Enterprise], None]


def _app_modules() -> Iterator[ModuleType]:
    """The ``generate`` module of every project app but this one, in INSTALLED_APPS order."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if config.name == "enterprise" or not Path(config.path).resolve().is_relative_to(base):
            continue
        module_name = f"{config.name}.generate"
        if importlib.util.find_spec(module_name) is not None:
            yield importlib.import_module(module_name)


def generate_steps() -> list[GenerateStep]:
    return [step for module in _app_modules() for step in getattr(module, "GENERATE_STEPS", ())]


def delete_steps() -> list[DeleteStep]:
    """The apps' delete steps, the last app's first (its rows may point to earlier apps')."""
    modules = list(_app_modules())
    return [step for module in reversed(modules) for step in getattr(module, "DELETE_STEPS", ())]


def delete_plant(enterprise: Enterprise) -> None:
    """Delete a generated enterprise with everything in it (its closed months reopened first)."""
    for period in Period.objects.filter(enterprise=enterprise, status=Period.Status.CLOSED):
        period._reopen_approved = True
        period.status = Period.Status.OPEN
        period.closed_by = None
        period.closed_at = None
        period.save()
    for step in delete_steps():
        step(enterprise)
    PeriodReopening.objects.filter(period__enterprise=enterprise).delete()
    RoleAssignment.objects.filter(enterprise=enterprise).delete()
    Worker.objects.filter(enterprise=enterprise).delete()
    TariffRate.objects.filter(enterprise=enterprise).delete()
    PayCondition.objects.filter(enterprise=enterprise).delete()
    Profession.objects.filter(enterprise=enterprise).delete()
    StepScale.objects.filter(enterprise=enterprise).delete()
    Section.objects.filter(shop__enterprise=enterprise).delete()
    Shop.objects.filter(enterprise=enterprise).delete()
    Period.objects.filter(enterprise=enterprise).delete()
    enterprise.delete()


def generate_plant(
    *,
    workers: int,
    months: int,
    seed: int,
    stdout=None,
    enterprise_name: str | None = None,
    replace: bool = False,
) -> Enterprise:
    """Build a new plant of ``workers`` workers and ``months`` periods from ``seed``."""
    if workers < 0 or months < 1:
        raise ValueError("workers must be ≥ 0 and months ≥ 1")
    out = stdout if stdout is not None else io.StringIO()
    started = time.perf_counter()
    name = enterprise_name or f"Завод-генератор (seed {seed})"
    with transaction.atomic(), acting_as(None, f"Генерация завода (seed {seed})"):
        existing = Enterprise.objects.filter(name=name).first()
        if existing is not None:
            if not replace:
                raise PlantExistsError(
                    f"Предприятие «{name}» уже есть. Укажите --replace, чтобы пересоздать его, "
                    "или другой --seed / --enterprise-name."
                )
            delete_plant(existing)
            out.write(f"Удалено прежнее предприятие «{name}» ({_took(started)}).\n")
        # Reproducible data from a seed, not secrets: random, not secrets, on purpose.
        enterprise, summary = _build(
            rng=random.Random(seed),  # nosec B311
            name=name,
            seed=seed,
            workers=workers,
            months=months,
            out=out,
        )
    if not transaction.get_connection().in_atomic_block:
        # Hundreds of thousands of rows written at once: the planner's statistics now, not
        # whenever autovacuum gets round to it (never, where it is off), or every page reads
        # the plant with plans made blind. Inside a caller's transaction (the tests) the rows
        # are not committed yet, and the caller decides.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts = _counts(enterprise)
    extra = "".join(f", {item}" for item in summary)
    out.write(
        f"Готово за {_took(started)}: «{enterprise.name}» — цехов {counts['shops']}, "
        f"участков {counts['sections']}, рабочих {counts['workers']}, "
        f"профессий {counts['professions']}, периодов {counts['periods']} "
        f"(закрыто {counts['closed']}){extra}, пользователей {len(ROLE_USERS)} "
        f"(логины с суффиксом -{seed}, пароль {demo.DEMO_PASSWORD}).\n"
    )
    return enterprise


def _took(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} с"


def _counts(enterprise: Enterprise) -> dict[str, int]:
    periods = Counter(Period.objects.filter(enterprise=enterprise).values_list("status", flat=True))
    return {
        "shops": Shop.objects.filter(enterprise=enterprise).count(),
        "sections": Section.objects.filter(shop__enterprise=enterprise).count(),
        "workers": Worker.objects.filter(enterprise=enterprise).count(),
        "professions": Profession.objects.filter(enterprise=enterprise).count(),
        "periods": sum(periods.values()),
        "closed": periods[Period.Status.CLOSED],
    }


def _build(
    *, rng: random.Random, name: str, seed: int, workers: int, months: int, out: io.TextIOBase
) -> tuple[Enterprise, list[str]]:
    today = timezone.localdate()
    anchor = today.replace(day=1)
    month_list = _months_back(today, months)
    first_day = datetime.date(month_list[0][0], month_list[0][1], 1)

    enterprise = Enterprise(name=name, short_name=f"ЗГ-{seed}")
    enterprise.full_clean()
    enterprise.save()

    # structure
    shops = Shop.objects.bulk_create(
        [Shop(enterprise=enterprise, number=s.number, name=s.name, kind=s.kind) for s in SHOPS]
    )
    sections: list[tuple[Section, ShopSpec]] = []
    for shop, spec, count in zip(shops, SHOPS, _section_counts(rng), strict=True):
        for number in range(1, count + 1):
            sections.append(
                (Section(shop=shop, number=number, name=_section_name(spec.profile, number)), spec)
            )
    Section.objects.bulk_create([section for section, _ in sections], batch_size=BATCH_SIZE)

    professions = {
        p.name: p
        for p in Profession.objects.bulk_create(
            [Profession(enterprise=enterprise, name=n) for n in PROFESSION_NAMES]
        )
    }

    # tariff grid, in force from the first generated year (before any month is closed)
    conditions = {
        c.code: c
        for c in PayCondition.objects.bulk_create(
            [
                PayCondition(enterprise=enterprise, code=code, name=label)
                for code, label in demo.PAY_CONDITIONS.items()
            ]
        )
    }
    TariffRate.objects.bulk_create(
        [
            TariffRate(
                enterprise=enterprise,
                pay_condition=conditions[code],
                grade=grade,
                hourly_rate=rate,
                valid_from=datetime.date(first_day.year, 1, 1),
            )
            for code, grid in demo.TARIFF_GRID.items()
            for grade, rate in grid.items()
        ]
    )

    # scales
    for spec in demo.SCALES:
        scale = StepScale(
            enterprise=enterprise,
            code=spec.code,
            name=spec.name,
            argument_label=spec.argument_label,
            value_label=spec.value_label,
            description=spec.description,
        )
        scale.save()
        StepScaleRow.objects.bulk_create(
            [StepScaleRow(scale=scale, lower=lo, upper=up, value=v) for lo, up, v in spec.rows]
        )

    # workers
    weights = [rng.uniform(0.6, 1.4) * (1.2 if spec.kind == MAIN else 0.8) for _, spec in sections]
    rows = []
    number = 0
    for (section, spec), count in zip(sections, _spread(workers, weights), strict=True):
        options = PROFILE_PROFESSIONS[spec.profile]
        names = [n for n, _ in options]
        shares = [w for _, w in options]
        for _ in range(count):
            number += 1
            profession = rng.choices(names, shares)[0]
            female = rng.random() < FEMALE_SHARE.get(profession, 0.05)
            last_name, first_name, middle_name = _person(rng, female)
            grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
            low, high = GRADE_AGES[grade]
            birth = anchor - datetime.timedelta(days=rng.randint(low * 365 + 30, high * 365 + 300))
            birth = birth.replace(day=min(birth.day, 28))
            earliest = max(_add_years(birth, 18), _add_years(anchor, -45))
            latest = anchor - datetime.timedelta(days=1)
            lateness = min(1.0, max(0.0, rng.gauss(GRADE_HIRE_LATENESS[grade], 0.15)))
            hire = earliest + datetime.timedelta(days=int((latest - earliest).days * lateness))
            dismissal = None
            if rng.random() < DISMISSED_SHARE:
                start = max(hire, first_day)
                dismissal = start + datetime.timedelta(days=rng.randint(0, (latest - start).days))
            if spec.kind == AUXILIARY or profession in TIME_RATE_PROFESSIONS:
                pay = "time"
            else:
                pay = "piece"
            rows.append(
                Worker(
                    enterprise=enterprise,
                    personnel_number=str(100000 + number),
                    last_name=last_name,
                    first_name=first_name,
                    middle_name=middle_name,
                    profession=professions[profession],
                    grade=grade,
                    pay_condition=conditions[pay],
                    section=section,
                    hire_date=hire,
                    dismissal_date=dismissal,
                    birth_date=birth,
                )
            )
    Worker.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    # users, one per role; the shop- and section-level ones in shop ROLES_SHOP
    role_shop = next(shop for shop in shops if shop.number == ROLES_SHOP)
    role_section = next(s for s, _ in sections if s.shop_id == role_shop.pk and s.number == 1)
    password = make_password(demo.DEMO_PASSWORD)
    users = {}
    assignments = []
    for prefix, first_name, last_name, role, level in ROLE_USERS:
        user = _ensure_user(f"{prefix}-{seed}", first_name, last_name, password)
        users[prefix] = user
        assignments.append(
            RoleAssignment(
                user=user,
                role=role,
                enterprise=enterprise,
                shop=role_shop if level == "shop" else None,
                section=role_section if level == "section" else None,
                valid_from=datetime.date(first_day.year, 1, 1),
            )
        )
    RoleAssignment.objects.bulk_create(assignments)
    role_shop.head = users["gen-shophead"]
    role_shop.save()
    role_section.head = users["gen-master"]
    role_section.save()
    own = Worker.objects.filter(section=role_section, dismissal_date__isnull=True).order_by(
        "personnel_number"
    )
    if (worker := own.first()) is not None:
        worker.user = users["gen-worker"]
        worker.save()

    # periods: all open while the apps write into them; the older ones closed last, once
    # everything dated in them is written
    closer = users["gen-otiz"]
    closing = frozenset(month_list[: max(0, len(month_list) - OPEN_MONTHS)])
    periods = []
    for year, month in month_list:
        days, hours = demo.month_calendar(year, month)
        periods.append(
            Period(
                enterprise=enterprise,
                year=year,
                month=month,
                working_days=days,
                working_hours=hours,
            )
        )
    Period.objects.bulk_create(periods)

    ctx = GenerateContext(
        enterprise=enterprise,
        seed=seed,
        stdout=out,
        months=month_list,
        periods={(p.year, p.month): p for p in periods},
        closing=closing,
        shops=shops,
        sections=[section for section, _ in sections],
        professions=professions,
        pay_conditions=conditions,
        workers=rows,
        users=users,
    )
    for step in generate_steps():
        step(ctx)

    to_close = [p for p in periods if (p.year, p.month) in closing]
    for period in to_close:
        period.status = Period.Status.CLOSED
        period.closed_by = closer
        period.closed_at = datetime.datetime(
            period.year + period.month // 12, period.month % 12 + 1, 5, 17, 0, tzinfo=demo.PLANT_TZ
        )
    Period.objects.bulk_update(to_close, ["status", "closed_by", "closed_at"])
    return enterprise, ctx.summary


def _ensure_user(username: str, first_name: str, last_name: str, password: str):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first() or user_model(username=username)
    user.first_name = first_name
    user.last_name = last_name
    user.is_active = True
    user.password = password
    user.save()
    return user


__all__ = ["GenerateContext", "PlantExistsError", "delete_plant", "generate_plant"]
