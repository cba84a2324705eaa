"""A year of the demo plant's workers' proposals (``DEMO_STEPS``, run by ``manage.py
load_demo`` after the meetings of ``meetings/demo.py``), through the same services the
pages use, each step on its own day (:func:`enterprise.demo.clock`).

56 proposals of shops No. 6 and No. 1, January – November 2026 (the demo's roles begin
with the year), half of them from
the month's production meeting of the shop, the rest filed directly. Their fates follow
the source (seed 000): 28 implemented (50 %), 8 never answered by the bureau (14,3 %: six
of the year, long past their term, and two of late November), 6 rejected by the bureau,
4 declined by the administration, 2 dropped after agreement; the autumn's still on their
way — 2 accepted, 3 passed to the administration (two of them past its 30 days now),
3 agreed. The bureau answers in 3–30 days (a few past its 15), the administration in
5–40 (a few past its 30).

Who acts: the shop heads ``shop6`` and ``shop1`` file the proposals their workers bring
(the worker ``worker61`` files his own), the bureau — ``buro6`` in shop 6, the master
``master11`` in shop 1 — reviews them, ``fzk`` passes them to the administration, the
shop head answers and records the implementation. Six implemented labour-saving
proposals of 2026 became org-technical measures (by ``economist6``) whose authors are the
proposals' authors, ``worker61`` among them.

Idempotent: a proposal is found by its title and day of submission; a found one is left
as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model

from enterprise.demo import PLANT_TZ, DemoContext, clock
from enterprise.models import Worker
from planning.measures.models import Factor, OrgMeasure

from ..models import Commission, Meeting, Proposal
from . import services
from .services import Expected

D = Decimal
S = Proposal.Status
FIRST_MONTH = (2026, 1)  # the demo's roles begin with the year
MONTHS = 11
LAST_DAY = datetime.date(2026, 11, 30)

# (title, problem, solution, workplace, expected labour norm-hours/year, money rub/year)
IDEAS = (
    ("Откидной упор на отрезном станке", "Заготовку меряют линейкой на каждой детали",
     "Поставить откидной упор с лимбом", "отрезной станок 8Г681", D("180"), D("2400")),
    ("Быстросменные кулачки токарного патрона", "На переналадку патрона уходит до 20 минут",
     "Применить комплект быстросменных кулачков", "токарный станок 16К20", D("240"), D("3100")),
    ("Кондуктор для сверления фланца", "Разметка отверстий фланца вручную, брак по смещению",
     "Изготовить накладной кондуктор", "сверлильный станок 2Н135", D("320"), D("4200")),
    ("Стеллаж заготовок у фрезерных станков", "Заготовки носят с дальнего склада участка",
     "Поставить стеллаж на 2 т у станков", "фрезерные станки 6Р12", D("150"), D("1500")),
    ("Централизованная заточка резцов", "Рабочие сами точат резцы, простои у точила",
     "Заточку вести в заточном участке по графику", "заточное отделение", D("420"), D("5200")),
    ("Местное освещение зуборезного станка", "Плохо видно риски при наладке",
     "Установить светильник местного освещения", "зуборезный станок 5К32", D("40"), D("300")),
    ("Втулки из обрезков прутка", "Обрезки прутка идут в стружку",
     "Точить короткие втулки из обрезков", "токарный участок", D("0"), D("6800")),
    ("Карта наладки на операцию 25", "Наладка каждый раз по памяти наладчика",
     "Составить карту наладки с эскизом", "операция 25, корпус", D("90"), D("900")),
    ("Эмульсия к станкам по трубопроводу", "Эмульсию разносят вёдрами",
     "Проложить трубопровод от бака", "фрезерный участок", D("260"), D("3500")),
    ("Инструмент на рабочее место по графику", "Очереди у инструментальной кладовой",
     "Раздатчик приносит инструмент по графику смены", "кладовая участка", D("380"), D("4000")),
    ("Пневмозажим на фрезерном станке", "Деталь зажимают ключом, устаёт рука",
     "Поставить пневматический зажим", "фрезерный станок 6Р82", D("520"), D("6900")),
    ("Тележка для межоперационной передачи", "Детали переносят в ящиках вручную",
     "Сделать тележку с ложементами", "между участками 6.1 и 6.2", D("130"), D("1100")),
    ("Шаблон для контроля намотки", "Витки считают вручную",
     "Изготовить шаблон с отметками", "намоточный станок", D("110"), D("800")),
    ("Стенд для сборки узла", "Узел собирают на весу",
     "Сделать поворотный стенд", "участок узловой сборки", D("300"), D("3700")),
)  # fmt: skip

# Sections (shop, section) and the personnel numbers of the authors who bring ideas there.
AUTHORS = {
    (6, 1): (("6102",), ("6104", "6105"), ("6106",), ("6108", "6110")),
    (6, 2): (("6203",), ("6204", "6205"), ("6207",), ("6208",)),
    (6, 3): (("6301", "6302"), ("6303",), ("6306",), ("6310",)),
    (1, 1): (("1101",), ("1102", "1103"), ("1105",)),
    (1, 2): (("1201",), ("1203", "1204")),
}
SECTIONS = ((6, 1), (6, 2), (6, 3), (6, 1), (1, 1), (6, 2), (6, 3), (1, 2))

# The fate of each proposal in the order filed (56): the autumn's last ten on their way.
NEVER_ANSWERED = {4, 11, 19, 27, 35, 42}
REJECTED = {2, 9, 16, 24, 31, 39}
DECLINED = {6, 21, 29, 44}
DROPPED = {14, 37}
ON_THE_WAY = (S.AGREED, S.PASSED, S.AGREED, S.ACCEPTED, S.PASSED, S.AGREED, S.PASSED,
              S.ACCEPTED, S.SUBMITTED, S.SUBMITTED)  # fmt: skip
COUNT = 56
REVIEW_DAYS = (3, 5, 7, 8, 10, 12, 14, 15, 6, 9, 22, 11, 4, 30, 13, 18)
ANSWER_DAYS = (5, 10, 14, 20, 25, 28, 35, 12, 8, 40, 18)
IMPLEMENT_DAYS = (12, 20, 35, 45, 28, 60, 16)
MEASURES = 6  # implemented labour-saving proposals of 2026 made measures
WORKER61 = "6103"  # his own: a proposal implemented (a measure) and one agreed


class Spec(NamedTuple):
    index: int
    day: datetime.date
    shop: int
    section: int
    authors: tuple[str, ...]
    idea: tuple
    fate: str
    from_meeting: bool
    by_worker61: bool


def _fate(index: int) -> str:
    if index >= COUNT - len(ON_THE_WAY):
        return ON_THE_WAY[index - (COUNT - len(ON_THE_WAY))]
    for indexes, fate in (
        (NEVER_ANSWERED, S.SUBMITTED),
        (REJECTED, S.REJECTED),
        (DECLINED, S.DECLINED),
        (DROPPED, S.DROPPED),
    ):
        if index in indexes:
            return fate
    return S.IMPLEMENTED


def _months():
    year, month = FIRST_MONTH
    for _ in range(MONTHS):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _second_thursday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(3 - first.weekday()) % 7 + 7)


def specs() -> list[Spec]:
    """The 56 proposals in the order filed: six in January, five a month after it."""
    found, index = [], 0
    for number, (year, month) in enumerate(_months()):
        for slot in range(6 if number == 0 else 5):
            shop, section = SECTIONS[index % len(SECTIONS)]
            groups = AUTHORS[(shop, section)]
            from_meeting = index % 2 == 0
            meeting_day = _second_thursday(year, month)
            day = meeting_day if from_meeting else datetime.date(year, month, 3 + 5 * slot)
            by_worker61 = index in (32, 48)  # section 6.1, June and October
            found.append(
                Spec(
                    index=index,
                    day=day,
                    shop=shop,
                    section=section,
                    authors=(WORKER61,) if by_worker61 else groups[index % len(groups)],
                    idea=IDEAS[index % len(IDEAS)],
                    fate=_fate(index),
                    from_meeting=from_meeting,
                    by_worker61=by_worker61,
                )
            )
            index += 1
    if len(found) != COUNT:
        raise ValueError(f"the demo's plan holds {len(found)} proposals, not {COUNT}")
    return found


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=PLANT_TZ)


def _after(day: datetime.date, days: int) -> datetime.date:
    return min(day + datetime.timedelta(days=days), LAST_DAY)


def _title(spec: Spec) -> str:
    return f"{spec.idea[0]} ({spec.shop}.{spec.section})"


def _meeting(ctx: DemoContext, spec: Spec) -> Meeting | None:
    if not spec.from_meeting:
        return None
    commission = Commission.objects.filter(enterprise=ctx.enterprise, shop=ctx.shops[spec.shop])
    return Meeting.objects.filter(commission__in=commission, date=spec.day).first()


def _user(name: str):
    return get_user_model().objects.get(username=name)


def step_proposals(ctx: DemoContext) -> None:
    users = {
        name: _user(name)
        for name in ("shop6", "shop1", "buro6", "master11", "fzk", "economist6", "worker61")
    }
    measures = 0
    for spec in specs():
        title = _title(spec)
        if Proposal.objects.filter(
            enterprise=ctx.enterprise, title=title, submitted_on=spec.day
        ).exists():
            continue
        proposal = _file(ctx, spec, title, users)
        proposal = _follow(spec, proposal, users)
        if (
            proposal.status == S.IMPLEMENTED
            and proposal.expected_labour > 0
            and proposal.submitted_on.year == 2026
            and spec.shop == 6
            # Section 6.3 holds table 21's measures, counted against the plant's headcount
            # (5 321) for the booklet's 1,09 % growth: a measure counted against the
            # section's dozen workers beside them would mix the two bases.
            and spec.section != 3
            and (measures < MEASURES or spec.by_worker61)
        ):
            _make_measure(ctx, spec, proposal, users["economist6"])
            measures += 1


def _file(ctx: DemoContext, spec: Spec, title: str, users) -> Proposal:
    _name, problem, solution, workplace, labour, money = spec.idea
    shop = ctx.shops[spec.shop]
    filer = users["worker61"] if spec.by_worker61 else users[f"shop{spec.shop}"]
    authors = [ctx.workers[number] for number in spec.authors]
    with clock(_at(spec.day)):
        return services.proposal_file(
            shop=shop,
            section=ctx.sections[(spec.shop, spec.section)],
            workplace=workplace,
            meeting=_meeting(ctx, spec),
            title=title,
            problem=problem,
            solution=solution,
            authors=authors,
            expected=Expected(labour=labour, money=money),
            user=filer,
        )


def _follow(spec: Spec, proposal: Proposal, users) -> Proposal:
    """The proposal's way to its fate, each step on its day."""
    fate, i = spec.fate, spec.index
    if fate == S.SUBMITTED:
        return proposal
    bureau = users["buro6"] if spec.shop == 6 else users["master11"]
    head = users[f"shop{spec.shop}"]
    reviewed = _after(spec.day, REVIEW_DAYS[i % len(REVIEW_DAYS)])
    with clock(_at(reviewed)):
        if fate == S.REJECTED:
            return services.proposal_review(
                proposal=proposal,
                accept=False,
                reason="Уже предусмотрено планом оргтехмероприятий участка.",
                user=bureau,
            )
        proposal = services.proposal_review(
            proposal=proposal, accept=True, reason="Полезно, передать администрации.", user=bureau
        )
    if fate == S.ACCEPTED:
        return proposal
    passed = _after(reviewed, 1 + i % 3)
    with clock(_at(passed)):
        proposal = services.proposal_pass(proposal=proposal, user=users["fzk"])
    if fate == S.PASSED:
        return proposal
    answered = _after(passed, ANSWER_DAYS[i % len(ANSWER_DAYS)])
    with clock(_at(answered)):
        if fate == S.DECLINED:
            return services.proposal_answer(
                proposal=proposal,
                agree=False,
                answer="Нет средств в смете этого года; вернуться в следующем.",
                user=head,
            )
        proposal = services.proposal_answer(
            proposal=proposal, agree=True, answer="Согласовано, внедрить.", user=head
        )
    if fate == S.AGREED:
        return proposal
    done = _after(answered, IMPLEMENT_DAYS[i % len(IMPLEMENT_DAYS)])
    with clock(_at(done)):
        if fate == S.DROPPED:
            return services.proposal_drop(
                proposal=proposal, reason="Станок выводится из эксплуатации.", user=head
            )
        labour = proposal.expected_labour * D("0.9")
        return services.proposal_implement(
            proposal=proposal,
            implemented_on=done,
            responsible="Мастер участка",
            actual_labour=labour.quantize(D("0.1")),
            actual_money=proposal.expected_money,
            actual_effect="Внедрено на участке, работает.",
            user=head,
        )


def _make_measure(ctx: DemoContext, spec: Spec, proposal: Proposal, economist) -> None:
    """The org-technical measure: Т = (В1 − В2) × Д gives the proposal's labour saving."""
    quantity = D(1000)
    after = D("0.250")
    before = after + (proposal.expected_labour / quantity).quantize(D("0.001"))
    measure = OrgMeasure(
        section=ctx.sections[(spec.shop, spec.section)],
        year=proposal.implemented_on.year,
        name=proposal.title,
        factor=Factor.LABOUR_ORGANISATION,
        workplaces=proposal.workplace,
        responsible="Мастер участка",
        deadline=proposal.implemented_on,
        labour_before=before,
        labour_after=after,
        annual_quantity=quantity,
    )
    with clock(_at(proposal.implemented_on)):
        services.proposal_to_measure(proposal=proposal, measure=measure, user=economist)
    measure.refresh_from_db()
    if measure.status != OrgMeasure.Status.DONE:
        # Implemented with the proposal: the measure is done on the same day.
        from planning.measures.services import measure_set_status

        with clock(_at(proposal.implemented_on)):
            measure_set_status(
                measure=measure, status=OrgMeasure.Status.IN_PROGRESS, user=economist
            )
            measure_set_status(
                measure=measure,
                status=OrgMeasure.Status.DONE,
                completed_on=proposal.implemented_on,
                user=economist,
            )


def _workers_known(ctx: DemoContext) -> None:
    """The authors' worker records by personnel number (the enterprise's steps load most)."""
    wanted = {n for groups in AUTHORS.values() for g in groups for n in g} | {WORKER61}
    missing = wanted - set(ctx.workers)
    if missing:
        for worker in Worker.objects.filter(
            enterprise=ctx.enterprise, personnel_number__in=missing
        ):
            ctx.workers[worker.personnel_number] = worker


def step(ctx: DemoContext) -> None:
    _workers_known(ctx)
    step_proposals(ctx)


DEMO_STEPS = [step]
