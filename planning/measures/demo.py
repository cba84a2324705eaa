"""The demo plant's org-technical measures and savings (``DEMO_STEPS``, run by
``manage.py load_demo`` through ``planning/demo.py``).

* Section 6.3 carries the measures of the factor «внедрение прогрессивной технологии» of
  table 21 (seed 004): plastic parts instead of metal ones (10 800 norm-hours, 5
  workers), boring with cutters instead of grinding (4 340, 2), polishing the shuttle
  spring with diamond tape (34 704, 16) and two more of the same factor, so that the
  factor sums to the table's 123 993 norm-hours and 58 workers. They are referred to
  the headcount of the booklet's plant, 5 321, so the section's summary shows the
  table's 0,09 / 0,04 / 0,30 and 1,09 %.
* A few measures of the other groups of table 20 in sections 6.1, 6.2 and 1.1, referred
  to their sections' own headcount, in every state (one done, one cancelled).
* Savings on the accounts of the milling brigade of section 6.1 — the worker
  ``worker61`` (No. 6103) among them — in June–November 2026; he is also a participant
  of two measures (his creative-contribution account).

Idempotent: measures are found by (section, year, name), savings by (worker, month,
description). A month closed before the savings were first loaded gets none of them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from enterprise.demo import DemoContext, ensure
from enterprise.models import Worker

from .models import Factor, OrgMeasure, SavingsEntry
from .selectors import default_headcount

D = Decimal
YEAR = 2026
BOOKLET_HEADCOUNT = 5321  # table 21: the plant the measures are referred to


class DemoMeasure(NamedTuple):
    section: tuple[int, int]
    name: str
    factor: str
    workplaces: str
    responsible: str
    deadline: datetime.date
    before: Decimal  # В1, norm-hours per unit
    after: Decimal  # В2
    quantity: Decimal  # Д, units a year
    time_fund: Decimal = D("1807.0")  # Ф
    fulfilment: Decimal = D("1.200")  # К
    headcount: int | None = None  # None: the section's active workers
    status: str = OrgMeasure.Status.PLANNED
    completed_on: datetime.date | None = None
    effect: Decimal | None = None  # rubles a year
    authors: tuple[str, ...] = ()  # personnel numbers


S = OrgMeasure.Status
MEASURES: tuple[DemoMeasure, ...] = (
    # Table 21, «внедрение прогрессивной технологии»: 123 993 norm-hours, 58 workers.
    DemoMeasure(
        (6, 3), "Замена металлических деталей пластмассовыми", Factor.PROGRESSIVE_TECHNOLOGY,
        "Сборка механизма челнока", "Главный технолог Смирнов А. В.",
        datetime.date(2026, 6, 30), D("0.300"), D("0.120"), D("60000"),
        headcount=BOOKLET_HEADCOUNT, status=S.DONE, completed_on=datetime.date(2026, 6, 26),
        effect=D("21400.00"), authors=("6301", "6303"),
    ),
    DemoMeasure(
        (6, 3), "Растачивание резцами вместо шлифования", Factor.PROGRESSIVE_TECHNOLOGY,
        "Расточные операции корпуса", "Технолог цеха Орлов В. П.",
        datetime.date(2026, 9, 30), D("0.250"), D("0.180"), D("62000"),
        headcount=BOOKLET_HEADCOUNT, status=S.DONE, completed_on=datetime.date(2026, 9, 18),
        effect=D("8600.00"), authors=("6302",),
    ),
    DemoMeasure(
        (6, 3), "Полирование пружины челнока алмазной лентой", Factor.PROGRESSIVE_TECHNOLOGY,
        "Полировка пружин", "Главный технолог Смирнов А. В.",
        datetime.date(2026, 12, 1), D("0.450"), D("0.290"), D("216900"),
        headcount=BOOKLET_HEADCOUNT, status=S.IN_PROGRESS, effect=D("68700.00"),
        authors=("6301", "6304", "6305"),
    ),
    DemoMeasure(
        (6, 3), "Накатывание резьбы вместо нарезания", Factor.PROGRESSIVE_TECHNOLOGY,
        "Резьбовые операции валов", "Технолог цеха Орлов В. П.",
        datetime.date(2026, 12, 20), D("0.540"), D("0.300"), D("200000"),
        headcount=BOOKLET_HEADCOUNT, status=S.IN_PROGRESS, effect=D("95000.00"),
    ),
    DemoMeasure(
        (6, 3), "Холодная высадка заготовок осей", Factor.PROGRESSIVE_TECHNOLOGY,
        "Заготовки осей", "Главный технолог Смирнов А. В.",
        datetime.date(2026, 12, 25), D("0.259"), D("0.180"), D("331000"),
        fulfilment=D("1.124"), headcount=BOOKLET_HEADCOUNT, effect=D("51800.00"),
    ),
    # Other groups of table 20, in sections referred to their own headcount.
    DemoMeasure(
        (6, 1), "Обслуживание двух фрезерных станков одним рабочим", Factor.SERVICE_ZONES,
        "Станки 6Р82 № 4 и 5", "Мастер Тихомиров А. Н.",
        datetime.date(2026, 12, 15), D("0.820"), D("0.700"), D("6000"),
        status=S.IN_PROGRESS, effect=D("1450.00"), authors=("6101", "6103"),
    ),
    DemoMeasure(
        (6, 1), "Пневмозажим заготовок на фрезерном станке", Factor.EQUIPMENT,
        "Станок 6Р82 № 3", "Механик цеха Фомин Г. И.",
        datetime.date(2026, 9, 30), D("0.350"), D("0.310"), D("9000"),
        status=S.DONE, completed_on=datetime.date(2026, 9, 15), effect=D("640.00"),
        authors=("6103", "6104"),
    ),
    DemoMeasure(
        (6, 2), "Доставка заготовок к рабочим местам по графику", Factor.TIME_LOSSES,
        "Токарные станки участка", "Диспетчер Воробьёва О. С.",
        datetime.date(2026, 12, 31), D("0.210"), D("0.195"), D("40000"),
    ),
    DemoMeasure(
        (6, 2), "Станок с ЧПУ вместо двух универсальных", Factor.MECHANISATION,
        "Токарные станки № 7 и 8", "Механик цеха Фомин Г. И.",
        datetime.date(2026, 10, 31), D("0.400"), D("0.260"), D("5000"),
        status=S.CANCELLED,
    ),
    DemoMeasure(
        (1, 1), "Крепёж по кооперации в готовых наборах", Factor.PURCHASED,
        "Узловая сборка", "Мастер Лукина В. П.",
        datetime.date(2026, 12, 31), D("0.120"), D("0.090"), D("30000"),
        fulfilment=D("1.100"),
    ),
)  # fmt: skip


class DemoSaving(NamedTuple):
    worker: str  # personnel number
    month: int  # of 2026
    kind: str
    amount: Decimal
    description: str
    by: str  # username of who recorded it
    measure: str | None = None  # name of a demo measure


K = SavingsEntry.Kind
SAVINGS: tuple[DemoSaving, ...] = (
    DemoSaving("6103", 7, K.MATERIALS, D("120.50"), "Раскрой листа с меньшими отходами",
               "master61"),
    DemoSaving("6103", 9, K.TOOLS, D("45.00"), "Переточка фрез вместо замены", "master61"),
    DemoSaving("6103", 10, K.MATERIALS, D("80.00"),
               "Меньше брака после установки пневмозажима", "economist6",
               "Пневмозажим заготовок на фрезерном станке"),
    DemoSaving("6103", 11, K.ENERGY, D("30.00"), "Отключение станка на холостом ходу",
               "master61"),
    DemoSaving("6101", 8, K.MATERIALS, D("210.00"), "Использование обрезков для мелких деталей",
               "master61"),
    DemoSaving("6101", 10, K.TOOLS, D("95.00"), "Восстановление оправок", "economist6"),
    DemoSaving("6104", 11, K.TOOLS, D("60.00"), "Бережное использование режущего инструмента",
               "master61"),
)  # fmt: skip


def step_measures(ctx: DemoContext) -> None:
    """The measures of table 21 and of the other groups (see the module's docstring)."""
    workers = {w.personnel_number: w for w in Worker.objects.filter(enterprise=ctx.enterprise)}
    for spec in MEASURES:
        section = ctx.sections[spec.section]
        lookup = {"enterprise": ctx.enterprise, "section": section, "year": YEAR, "name": spec.name}
        stored = OrgMeasure.objects.filter(**lookup).first()
        headcount = spec.headcount
        if headcount is None:
            # the section's workers when the measure was first loaded (kept afterwards)
            headcount = stored.headcount if stored else default_headcount(section)
        measure = ensure(
            OrgMeasure,
            lookup,
            factor=spec.factor,
            workplaces=spec.workplaces,
            responsible=spec.responsible,
            deadline=spec.deadline,
            status=spec.status,
            completed_on=spec.completed_on,
            labour_before=spec.before,
            labour_after=spec.after,
            annual_quantity=spec.quantity,
            annual_time_fund=spec.time_fund,
            norm_fulfilment=spec.fulfilment,
            headcount=headcount,
            economic_effect=spec.effect,
        )
        wanted = {workers[n].pk for n in spec.authors}
        if set(measure.authors.values_list("pk", flat=True)) != wanted:
            measure.authors.set(wanted)
    ctx.say(f"  оргтехмероприятий: {len(MEASURES)}")


def step_savings(ctx: DemoContext) -> None:
    """Savings on the accounts of the milling brigade of section 6.1."""
    workers = {w.personnel_number: w for w in Worker.objects.filter(enterprise=ctx.enterprise)}
    measures = {m.name: m for m in OrgMeasure.objects.filter(enterprise=ctx.enterprise, year=YEAR)}
    written = 0
    for spec in SAVINGS:
        period = ctx.periods[YEAR, spec.month]
        lookup = {"worker": workers[spec.worker], "period": period, "description": spec.description}
        exists = SavingsEntry.objects.filter(**lookup).exists()
        if not exists and period.is_closed:
            continue  # the month was closed before the savings were first loaded
        ensure(
            SavingsEntry,
            lookup,
            enterprise=ctx.enterprise,
            kind=spec.kind,
            amount=spec.amount,
            measure=measures.get(spec.measure) if spec.measure else None,
            recorded_by=ctx.users[spec.by],
        )
        written += 1
    ctx.say(f"  записей лицевых счетов экономии: {written}")


DEMO_STEPS = [step_measures, step_savings]
