"""The demo plant's claims (``manage.py load_demo`` runs :data:`DEMO_STEPS`).

The claim types of table 10 for the demo enterprise, and a season of claims between
the plant's sections and shops that uses every type, written through the services as
the screens would write them — filed by the planning-dispatch bureau of shop 6
(``pdb6``) or by the masters ``master61`` and ``master11``, answered by the heads of the
defendants' units, decided by the arbitrators the routing names:

* September 2026 (closed after the load): one claim settled, one decided by ``deputy``;
* October 2026: settled and decided claims, a pair of counter-claims between section 1.1
  and section 6.2 that the statement nets, one claim decided after the defendant let the
  deadline pass, and two waiting for a decision (``prodhead``, ``deputy``);
* November 2026: two claims waiting for an answer (``shop3``, ``master62``), one whose
  deadline has passed (``shop14``), two waiting for a decision (``deputy``, ``shop6``),
  one withdrawn.

Documents are references (number and date), no files. Each claim carries its
``submission`` key ``demo-claim-N``: a claim whose key its filer has used already is
left alone, so a second load writes nothing (and a claim someone has since worked on is
not reset). Months closed before the claims were first loaded get none of theirs.

The services stamp each step with ``timezone.now()``. The load sets that clock to the
moment of the step (see :func:`clock`), so the claims, their deadlines and their
history carry their October and November dates; the claims still waiting for an
answer are filed at the real present, so their deadlines lie ahead.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone

from enterprise.demo import PLANT_TZ, ROLES_FROM, DemoContext, clock, ensure
from enterprise.models import RoleAssignment, Section, Shop
from enterprise.models.roles import Role
from enterprise.tracking import acting_as

from . import services
from .models import Claim, ClaimType, PartyKind
from .seed import IDLE_SLIP, OVERTIME, SCHEDULE, seed_claim_types

ACCEPT, PARTIAL, REJECT = Claim.Answer.ACCEPT, Claim.Answer.PARTIAL, Claim.Answer.REJECT
SUBMISSION = "demo-claim-{}"


class ExtraUser(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str
    shop: int | None = None
    section: tuple[int, int] | None = None


# The heads who answer for the defendants the enterprise's demo users do not cover.
EXTRA_USERS: tuple[ExtraUser, ...] = (
    ExtraUser("master62", "Игорь", "Кравцов", Role.MASTER, section=(6, 2)),
    ExtraUser("shop3", "Юрий", "Белоусов", Role.SHOP_HEAD, shop=3),
    ExtraUser("shop12", "Леонид", "Фролов", Role.SHOP_HEAD, shop=12),
    ExtraUser("shop14", "Аркадий", "Широков", Role.SHOP_HEAD, shop=14),
)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment of 2026 at the plant."""
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=PLANT_TZ)


class Answer(NamedTuple):
    kind: str
    by: str
    at: datetime.datetime
    reason: str = ""
    accepted: Decimal | None = None  # the part accepted (PARTIAL only)


class Decision(NamedTuple):
    by: str
    at: datetime.datetime
    amount: Decimal
    reason: str


class Withdrawal(NamedTuple):
    at: datetime.datetime
    reason: str


class DemoClaim(NamedTuple):
    n: int  # the submission key's number
    month: int  # of 2026
    claim_type: str  # code
    claimant: tuple  # ("section", (shop, section)) or ("shop", shop)
    defendant: tuple
    filer: str
    filed: datetime.datetime | None  # None: now (a claim that still waits for an answer)
    description: str
    inputs: dict[str, str]
    answer: Answer | None = None
    decision: Decision | None = None
    withdrawal: Withdrawal | None = None
    extra_documents: tuple[str, ...] = ()


def section(shop: int, number: int) -> tuple:
    return (PartyKind.SECTION, (shop, number))


def shop(number: int) -> tuple:
    return (PartyKind.SHOP, number)


D = Decimal

CLAIMS: tuple[DemoClaim, ...] = (
    # --- September: settled and decided, before the month is closed ------------------------
    DemoClaim(
        1, 9, "late_energy", section(6, 1), section(14, 2), "master61", at(9, 8, 10, 20),
        "08.09.2026 с 7:30 до 11:30 не подавался сжатый воздух в пролёт фрезерного участка: "
        "простаивали 12 станков и 9 рабочих.",
        {"idle_pay": "46.80", "overhead_percent": "160"},
        answer=Answer(ACCEPT, "shop14", at(9, 10, 14, 5)),
    ),
    DemoClaim(
        2, 9, "poor_tools", section(6, 2), section(12, 1), "pdb6", at(9, 14, 9, 40),
        "Кондуктор для сверления фланцев (черт. 6Т-214) изготовлен с отклонением от чертежа: "
        "партия фланцев забракована, токари простаивали 3 часа до замены кондуктора.",
        {"tool_cost": "86.40", "idle_pay": "21.60", "overhead_percent": "140"},
        answer=Answer(
            PARTIAL, "shop12", at(9, 16, 11, 30),
            "Стоимость кондуктора признаём. Простой вызван и тем, что на участке не было "
            "наладчика: замену можно было провести за час.",
            D("86.40"),
        ),
        decision=Decision(
            "deputy", at(9, 24, 15, 0), D("120.96"),
            "По журналу наладчика простой по вине оснастки — 2 ч из 3; час простоя — "
            "отсутствие наладчика участка. Отнести на цех № 12: 86,40 + 14,40 + 14,40 × 140 % "
            "= 120,96 руб.",
        ),
    ),
    # --- October ---------------------------------------------------------------------------
    DemoClaim(
        3, 10, "late_parts", section(1, 1), section(6, 2), "master11", at(10, 6, 8, 50),
        "Валы ротора (черт. 1В-310) по графику должны были поступить на узловую сборку "
        "05.10.2026 к 8:00, поступили в 14:00: бригада сборщиков простаивала 6 часов.",
        {"idle_pay": "57.60", "overhead_percent": "135"},
        answer=Answer(
            PARTIAL, "master62", at(10, 8, 9, 15),
            "Валы сданы в ОТК в 12:00, опоздание — 4 часа, а не 6: признаём простой за 4 часа.",
            D("90.24"),
        ),
        decision=Decision(
            "prodhead", at(10, 14, 16, 10), D("112.80"),
            "По журналу ОТК валы приняты в 13:00: простой сборщиков по вине участка № 2 "
            "цеха № 6 — 5 часов. 48,00 + 48,00 × 135 % = 112,80 руб.",
        ),
    ),
    DemoClaim(
        4, 10, "late_goods_materials", section(6, 1), section(3, 2), "master61",
        at(10, 8, 11, 15),
        "Заготовки из листа для корпусов редуктора поданы на двое суток позже графика: "
        "фрезеровщики простаивали 5 часов.",
        {"idle_pay": "32.40", "overhead_percent": "160"},
        answer=Answer(
            PARTIAL, "shop3", at(10, 12, 10, 0),
            "Лист не поступил со склада ОМТС вовремя; наша вина — только в задержке резки "
            "после его поступления. Признаём половину.",
            D("42.12"),
        ),
    ),
    DemoClaim(
        5, 10, "poor_documentation", section(6, 3), section(12, 1), "pdb6", at(10, 12, 9, 5),
        "В чертеже приспособления для сборки редуктора (черт. 12П-88) неверно указан размер "
        "посадочного отверстия: 16 корпусов забракованы, слесари выполнили доработку.",
        {"scrap_cost": "96.00", "extra_pay": "18.40", "overhead_percent": "150"},
        decision=Decision(
            "prodhead", at(10, 26, 11, 40), D("142.00"),
            "Ответчик в срок не ответил. Ошибка в чертеже приспособления подтверждена актом "
            "ОТК; претензия удовлетворяется полностью.",
        ),
    ),
    DemoClaim(
        6, 10, "late_tools", section(6, 1), section(12, 2), "master61", at(10, 13, 9, 30),
        "Фрезы после заточки возвращены на участок на смену позже заявки: простой 3 станков "
        "2 часа.",
        {"idle_pay": "18.90", "overhead_percent": "160"},
        answer=Answer(ACCEPT, "shop12", at(10, 14, 10, 10)),
    ),
    DemoClaim(
        7, 10, "late_energy", shop(6), section(14, 1), "pdb6", at(10, 15, 15, 0),
        "15.10.2026 с 9:40 до 13:40 цех был обесточен: простаивали участки № 1–3 "
        "(листок простоя по цеху).",
        {"idle_pay": "112.50", "overhead_percent": "150"},
        answer=Answer(
            REJECT, "shop14", at(10, 19, 9, 0),
            "Питание отключено аварией на подстанции энергосистемы, не по вине цеха № 14.",
        ),
        decision=Decision(
            "deputy", at(10, 27, 14, 30), D("140.63"),
            "Авария внешняя, но резервное питание цех № 14 подал на 2 часа позже регламента. "
            "Отнести на цех № 14 половину потерь.",
        ),
    ),
    DemoClaim(
        8, 10, "late_shipment", section(1, 1), section(6, 3), "master11", at(10, 19, 13, 20),
        "Отгрузка 40 пускателей потребителю задержана на 3 дня из-за несвоевременной подачи "
        "механосборочных узлов; потребитель предъявил заводу пеню.",
        {"amount": "450.00"},
        answer=Answer(
            REJECT, "shop6", at(10, 22, 10, 45),
            "Узлы сданы на сборку по графику; отгрузку задержала окончательная сборка цеха № 1.",
        ),
        extra_documents=("Претензия потребителя",),
    ),
    DemoClaim(
        9, 10, "idle_moved", section(6, 3), section(6, 2), "pdb6", at(10, 20, 8, 30),
        "Из-за неподачи токарных деталей 4 слесаря переведены на подсобные работы на смену.",
        {"average_earnings": "74.40", "overhead_percent": "150", "work_order_pay": "52.80"},
        answer=Answer(
            REJECT, "master62", at(10, 22, 14, 0),
            "Детали поданы по графику; перевод рабочих решил мастер участка № 3 сам.",
        ),
        decision=Decision(
            "shop6", at(10, 29, 9, 30), D("99.90"),
            "Детали поданы на 3 часа позже графика, но перевод на всю смену не был нужен: "
            "отнести три четверти потерь.",
        ),
    ),
    DemoClaim(
        10, 10, "price_deviation", section(6, 2), section(3, 1), "pdb6", at(10, 21, 11, 0),
        "Штамповки крышек поданы из стали 45 вместо стали 20: перерасход металла и доплата "
        "за обработку более твёрдого материала.",
        {"material_deviation": "64.20", "wage_deviation": "12.60", "overhead_percent": "140"},
        answer=Answer(ACCEPT, "shop3", at(10, 23, 9, 20)),
    ),
    DemoClaim(
        11, 10, "poor_repair", section(6, 2), section(14, 1), "pdb6", at(10, 23, 10, 30),
        "Электропривод станка 1К62 (инв. № 612) через два дня после ремонта вышел из строя: "
        "повторный ремонт и простой токаря.",
        {"repair_cost": "38.50", "idle_pay": "24.30", "overhead_percent": "140"},
        answer=Answer(ACCEPT, "shop14", at(10, 26, 11, 0)),
    ),
    DemoClaim(
        12, 10, "unproductive", section(6, 2), section(1, 1), "pdb6", at(10, 27, 9, 0),
        "При приёмке на узловой сборке утеряны 7 валов ротора, сданных по накладной: "
        "недостача по вине участка-получателя.",
        {"amount": "36.75"},
        answer=Answer(ACCEPT, "master11", at(10, 29, 15, 15)),
    ),
    # --- November --------------------------------------------------------------------------
    DemoClaim(
        13, 11, "late_energy", section(6, 3), section(14, 2), "pdb6", at(11, 2, 10, 0),
        "02.11.2026 давление сжатого воздуха в механосборочном пролёте было ниже нормы "
        "3 часа: пневмоинструмент не работал.",
        {"idle_pay": "27.00", "overhead_percent": "150"},
    ),
    DemoClaim(
        14, 11, "poor_tools", section(1, 1), section(12, 2), "master11", at(11, 5, 14, 0),
        "Комплект ключей-насадок после заточки негоден: заменён за счёт участка, сборщики "
        "ждали замену.",
        {"tool_cost": "54.00", "idle_pay": "15.30", "overhead_percent": "135"},
        answer=Answer(
            PARTIAL, "shop12", at(11, 9, 10, 30),
            "Стоимость насадок признаём; простой вызван поздней заявкой участка.",
            D("54.00"),
        ),
    ),
    DemoClaim(
        15, 11, "late_goods_materials", section(1, 1), section(6, 3), "master11",
        at(11, 10, 9, 0),
        "Механосборочные узлы для пускателей не поданы к началу смены: сборщики простаивали.",
        {"idle_pay": "22.80", "overhead_percent": "135"},
        withdrawal=Withdrawal(
            at(11, 12, 16, 0),
            "Узлы найдены на промежуточном складе цеха № 1: задержки по вине цеха № 6 не было.",
        ),
    ),
    DemoClaim(
        16, 11, "price_deviation", section(6, 2), section(6, 1), "pdb6", at(11, 11, 11, 30),
        "Фрезерный участок передал на токарную обработку заготовки из прутка большего "
        "диаметра: перерасход металла и лишний проход.",
        {"material_deviation": "28.40", "wage_deviation": "6.30", "overhead_percent": "140"},
        answer=Answer(
            REJECT, "master61", at(11, 13, 13, 0),
            "Замена прутка согласована технологом цеха: на участке вины нет.",
        ),
    ),
    DemoClaim(
        17, 11, "late_parts", section(6, 1), section(3, 1), "master61", None,
        "Штамповки кронштейнов поданы на фрезерную обработку позже производственного "
        "графика: фрезеровщики простаивали.",
        {"idle_pay": "41.40", "overhead_percent": "160"},
    ),
    DemoClaim(
        18, 11, "idle_moved", section(6, 1), section(6, 2), "master61", None,
        "Токарный участок не подал валы-шестерни: 2 фрезеровщика переведены на другую "
        "работу на смену.",
        {"average_earnings": "33.60", "overhead_percent": "160", "work_order_pay": "30.00"},
    ),
)  # fmt: skip

# Short codes of the documents, for their numbers.
DOCUMENT_CODES = {
    SCHEDULE: "ГП",
    IDLE_SLIP: "ЛП",
    OVERTIME: "СС",
    "Наряд на оплату работ": "НО",
    "График подачи энергии": "ГЭ",
    "График отгрузки": "ГО",
    "Акт о замене материалов": "АЗ",
    "Требования на сверхлимитный отпуск": "ТС",
    "Наряд на выполненную работу": "НВ",
    "Акт о браке": "АБ",
    "Наряд на доплату": "НД",
    "Акт о негодности инструмента": "АН",
    "Акт о повторном ремонте": "АР",
    "Документ о штрафе, пене или недостаче": "ДН",
    "Претензия потребителя": "ПП",
}


def documents(spec: DemoClaim, claim_type: ClaimType, filed: datetime.date):
    """The type's required documents, and any extra ones, as references (number, date)."""
    result = []
    for index, title in enumerate((*claim_type.documents, *spec.extra_documents)):
        code = DOCUMENT_CODES.get(title) or "".join(w[0] for w in title.split()[:2]).upper()
        if title.startswith("График"):
            day = filed.replace(day=1)
        else:
            day = max(filed - datetime.timedelta(days=1), filed.replace(day=1))
        result.append(
            services.DocumentIn(title=title, number=f"{code}-{spec.n * 10 + index + 100}", date=day)
        )
    return result


def _party(ctx: DemoContext, spec: tuple) -> services.Party:
    kind, key = spec
    unit = ctx.shops[key] if kind == PartyKind.SHOP else ctx.sections[key]
    return services.Party(kind, unit)


# --- the steps ------------------------------------------------------------------------------


def step_claim_types(ctx: DemoContext) -> None:
    """The types of table 10 (those the plant lacks; edited ones are left alone)."""
    added = seed_claim_types(ctx.enterprise)
    if added:
        ctx.say(f"  видов претензий добавлено: {added}")


def step_users(ctx: DemoContext) -> None:
    """The heads of the units that answer claims and have no demo user yet."""
    for spec in EXTRA_USERS:
        user = ctx.ensure_user(spec.username, first_name=spec.first_name, last_name=spec.last_name)
        shop_ = ctx.shops[spec.shop] if spec.shop else None
        section_ = ctx.sections[spec.section] if spec.section else None
        ensure(
            RoleAssignment,
            {
                "user": user,
                "role": spec.role,
                "enterprise": ctx.enterprise,
                "shop": shop_,
                "section": section_,
                "valid_from": ROLES_FROM,
            },
            valid_to=None,
        )
        if shop_ is not None:
            ctx.shops[spec.shop] = ensure(
                Shop, {"enterprise": ctx.enterprise, "number": spec.shop}, head=user
            )
        if section_ is not None:
            ctx.sections[spec.section] = ensure(
                Section, {"shop": section_.shop, "number": section_.number}, head=user
            )
        unit = str(section_ or shop_)
        ctx.add_login(spec.username, f"{Role(spec.role).label} ({spec.role})", unit)


def _file(ctx: DemoContext, spec: DemoClaim, types: dict[str, ClaimType]) -> Claim:
    claim_type = types[spec.claim_type]
    filer = ctx.users[spec.filer]
    filed = spec.filed or timezone.now()
    with clock(spec.filed), acting_as(filer):
        claim = services.claim_file(
            period=ctx.periods[2026, spec.month],
            claim_type=claim_type,
            claimant=_party(ctx, spec.claimant),
            defendant=_party(ctx, spec.defendant),
            description=spec.description,
            loss_inputs={name: Decimal(value) for name, value in spec.inputs.items()},
            documents=documents(spec, claim_type, timezone.localtime(filed).date()),
            user=filer,
            submission=SUBMISSION.format(spec.n),
        )
    if (answer := spec.answer) is not None:
        user = ctx.users[answer.by]
        with clock(answer.at), acting_as(user, answer.reason):
            claim = services.claim_answer(
                claim=claim,
                answer=answer.kind,
                accepted_amount=answer.accepted,
                reason=answer.reason,
                user=user,
            )
    if (decision := spec.decision) is not None:
        user = ctx.users[decision.by]
        with clock(decision.at), acting_as(user, decision.reason):
            claim = services.claim_decide(
                claim=claim, amount=decision.amount, reason=decision.reason, user=user
            )
    if (withdrawal := spec.withdrawal) is not None:
        with clock(withdrawal.at), acting_as(filer, withdrawal.reason):
            claim = services.claim_withdraw(claim=claim, reason=withdrawal.reason, user=filer)
    return claim


def step_claims(ctx: DemoContext) -> None:
    """The claims of :data:`CLAIMS` the plant does not have yet, each through its steps."""
    types = {t.code: t for t in ClaimType.objects.filter(enterprise=ctx.enterprise)}
    present = {
        (filer_id, key)
        for filer_id, key in Claim.objects.filter(
            enterprise=ctx.enterprise, submission__startswith="demo-claim-"
        ).values_list("filed_by_id", "submission")
    }
    added = skipped = 0
    for spec in CLAIMS:
        if (ctx.users[spec.filer].pk, SUBMISSION.format(spec.n)) in present:
            continue
        if ctx.periods[2026, spec.month].is_closed:
            skipped += 1  # loaded into a plant whose month was closed without them
            continue
        _file(ctx, spec, types)
        added += 1
    if added:
        ctx.say(f"  претензий добавлено: {added}")
    if skipped:
        ctx.say(f"  претензий закрытых месяцев пропущено: {skipped}")


DEMO_STEPS = [step_claim_types, step_users, step_claims]
