"""Pure rules of internal claims (claims.md): loss amounts, routing, netting.

No ORM, no request — the app's models call these and the tests check them on their own.
Money is :class:`~decimal.Decimal` only, two places; every rule computes unrounded and rounds
half-up to the kopeck once, at the end.

Numbers in the texts meant for people (formulas, part labels) are written the Russian way:
decimal comma, digits grouped by three with a no-break space (U+00A0, as Django's ``ru``
locale does), a no-break space before ``%``, ``×`` and ``−`` (U+2212) as operators.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from enterprise.money import HUNDRED, KOPECK, ZERO, half_up, to_kopecks

MAX_PERCENT = Decimal(1000)
NBSP = "\u00a0"
MINUS = "\u2212"


# --- formatting ------------------------------------------------------------------------------


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NBSP.join(groups)


def _russian(text: str) -> str:
    """A plain non-negative decimal string (``1234.5``) the Russian way: ``1 234,5``."""
    whole, _, fraction = text.partition(".")
    return _group(whole) + ("," + fraction if fraction else "")


def format_money(value: Decimal) -> str:
    """Money as people read it: ``Decimal("-1234.5")`` → ``−1 234,50``."""
    rounded = to_kopecks(value)
    sign = MINUS if rounded < 0 else ""
    return sign + _russian(f"{abs(rounded):f}")


def format_percent(value: Decimal) -> str:
    """A percent without trailing zeros: ``Decimal("150.00")`` → ``150 %``, ``12.5`` → ``12,5 %``.

    ``1E+3`` is written out (``1 000 %``); a negative percent gets ``−``.
    """
    value = Decimal(value)
    text = f"{abs(value).normalize():f}"
    sign = MINUS if value < 0 else ""
    return sign + _russian(text) + NBSP + "%"


# --- §4 amount of the loss -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loss:
    """The amount of a loss, its named parts and the formula with the numbers filled in.

    ``parts`` are the components as (Russian label, kopecks), each rounded on its own for
    display; a subtracted component is negative. ``amount`` is the unrounded total rounded
    once, so the rounded parts may differ from it by a kopeck.
    """

    amount: Decimal
    parts: tuple[tuple[str, Decimal], ...]
    formula: str


def _overhead(base: Decimal, percent: Decimal) -> Decimal:
    return base * percent / HUNDRED


def _overhead_label(percent: Decimal) -> str:
    return f"Накладные расходы участка {format_percent(percent)}"


def _on(base: Decimal, percent: Decimal) -> str:
    """``base × percent`` as written in a formula."""
    return f"{format_money(base)} × {format_percent(percent)}"


def _cost_plus_pay_with_overhead(
    cost: Decimal, cost_label: str, pay: Decimal, pay_label: str, percent: Decimal
) -> Loss:
    """``cost + pay + pay × percent``: the shape shared by four rules of §4."""
    overhead = _overhead(pay, percent)
    amount = to_kopecks(cost + pay + overhead)
    return Loss(
        amount=amount,
        parts=(
            (cost_label, to_kopecks(cost)),
            (pay_label, to_kopecks(pay)),
            (_overhead_label(percent), to_kopecks(overhead)),
        ),
        formula=(
            f"{format_money(cost)} + {format_money(pay)} + {_on(pay, percent)}"
            f" = {format_money(amount)}"
        ),
    )


def idle_time_loss(*, idle_pay: Decimal, overhead_percent: Decimal) -> Loss:
    """Idle workers, cause outside the section (§4): idle pay slip + overhead on it.

    «1 200,00 + 1 200,00 × 150 % = 3 000,00».
    """
    overhead = _overhead(idle_pay, overhead_percent)
    amount = to_kopecks(idle_pay + overhead)
    return Loss(
        amount=amount,
        parts=(
            ("Оплата по листку простоя", to_kopecks(idle_pay)),
            (_overhead_label(overhead_percent), to_kopecks(overhead)),
        ),
        formula=(
            f"{format_money(idle_pay)} + {_on(idle_pay, overhead_percent)} = {format_money(amount)}"
        ),
    )


def idle_moved_loss(
    *, average_earnings: Decimal, overhead_percent: Decimal, work_order_pay: Decimal
) -> Loss:
    """Idle workers moved to other work (§4): average earnings + overhead − work order pay.

    Overhead is charged on the average earnings. When the work order paid more than that
    (the total is below zero) there is no loss: ``amount`` is ``0.00`` — a zero loss makes
    no claim — and the formula says why:
    «900,00 + 900,00 × 50 % − 1 500,00 = −150,00 < 0 → 0,00 (…)».
    The work order pay is a negative part.
    """
    overhead = _overhead(average_earnings, overhead_percent)
    total = average_earnings + overhead - work_order_pay
    amount = to_kopecks(max(total, Decimal(0)))
    formula = (
        f"{format_money(average_earnings)} + {_on(average_earnings, overhead_percent)}"
        f" {MINUS} {format_money(work_order_pay)} = "
    )
    if total < 0:
        formula += (
            f"{format_money(total)} < 0 → {format_money(amount)}"
            " (оплата по наряду покрыла потери, претензии нет)"
        )
    else:
        formula += format_money(amount)
    return Loss(
        amount=amount,
        parts=(
            ("Средний заработок", to_kopecks(average_earnings)),
            (_overhead_label(overhead_percent), to_kopecks(overhead)),
            ("Оплачено по наряду", to_kopecks(-work_order_pay)),
        ),
        formula=formula,
    )


def process_deviation_loss(
    *, material_deviation: Decimal, wage_deviation: Decimal, overhead_percent: Decimal
) -> Loss:
    """Deviation from the process (§4): deviation from norms (materials and wages) + overhead.

    By substitution acts, over-limit requisitions and extra-pay orders. §4 does not say
    what the overhead is charged on; overhead rates are a percent of wages, so it is taken on
    the wage deviation only, not on the materials: «M + W + W × p % = …».
    """
    return _cost_plus_pay_with_overhead(
        material_deviation,
        "Отклонение от норм по материалам",
        wage_deviation,
        "Отклонение от норм по заработной плате",
        overhead_percent,
    )


def documentation_loss(
    *, scrap_cost: Decimal, extra_pay: Decimal, overhead_percent: Decimal
) -> Loss:
    """Poor documentation causing scrap or extra labour (§4): scrap acts + extra pay + overhead.

    The "share of overhead" is the section's rate on the extra pay (the labour part), not on
    the scrap: «S + E + E × p % = …».
    """
    return _cost_plus_pay_with_overhead(
        scrap_cost, "Брак по актам", extra_pay, "Доплаты", overhead_percent
    )


def tool_loss(*, tool_cost: Decimal, idle_pay: Decimal, overhead_percent: Decimal) -> Loss:
    """Poor tools or tooling (§4): full cost of the tool + idle pay + overhead on the idle pay.

    «T + I + I × p % = …».
    """
    return _cost_plus_pay_with_overhead(
        tool_cost,
        "Полная стоимость инструмента (оснастки)",
        idle_pay,
        "Оплата по листку простоя",
        overhead_percent,
    )


def repair_loss(*, repair_cost: Decimal, idle_pay: Decimal, overhead_percent: Decimal) -> Loss:
    """Poor repair (§4): cost of the repeated repair + idle pay + share of overhead.

    The share of overhead is the section's rate on the idle pay: «R + I + I × p % = …».
    """
    return _cost_plus_pay_with_overhead(
        repair_cost,
        "Стоимость повторного ремонта",
        idle_pay,
        "Оплата по листку простоя",
        overhead_percent,
    )


def unproductive_loss(*, amount: Decimal) -> Loss:
    """Unproductive costs — fines, penalties, shortages (§4): the full sum, no overhead.

    «1 000,00 (полная сумма) = 1 000,00».
    """
    rounded = to_kopecks(amount)
    return Loss(
        amount=rounded,
        parts=(("Штрафы, пени, недостачи", rounded),),
        formula=f"{format_money(amount)} (полная сумма) = {format_money(rounded)}",
    )


InputKind = Literal["money", "percent"]


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One input of a loss rule: keyword name, Russian label, ``money`` or ``percent``."""

    name: str
    label: str
    kind: InputKind


@dataclass(frozen=True, slots=True)
class LossRule:
    """A rule of §4 under a stable code: its label, its inputs and the function computing it."""

    code: str
    label: str
    inputs: tuple[InputSpec, ...]
    compute: Callable[..., Loss]


_OVERHEAD = InputSpec("overhead_percent", "Накладные расходы участка, %", "percent")
_IDLE_PAY = InputSpec("idle_pay", "Оплата по листку простоя", "money")

LOSS_RULES: dict[str, LossRule] = {
    rule.code: rule
    for rule in (
        LossRule(
            "idle_time",
            "Простой рабочих по причине вне участка",
            (_IDLE_PAY, _OVERHEAD),
            idle_time_loss,
        ),
        LossRule(
            "idle_moved",
            "Простой рабочих с переводом на другую работу",
            (
                InputSpec("average_earnings", "Средний заработок", "money"),
                _OVERHEAD,
                InputSpec("work_order_pay", "Оплачено по наряду", "money"),
            ),
            idle_moved_loss,
        ),
        LossRule(
            "process_deviation",
            "Отклонение от технологического процесса",
            (
                InputSpec("material_deviation", "Отклонение от норм по материалам", "money"),
                InputSpec("wage_deviation", "Отклонение от норм по заработной плате", "money"),
                _OVERHEAD,
            ),
            process_deviation_loss,
        ),
        LossRule(
            "documentation",
            "Некачественная документация (брак, дополнительный труд)",
            (
                InputSpec("scrap_cost", "Брак по актам", "money"),
                InputSpec("extra_pay", "Доплаты", "money"),
                _OVERHEAD,
            ),
            documentation_loss,
        ),
        LossRule(
            "tools",
            "Некачественный инструмент, оснастка",
            (
                InputSpec("tool_cost", "Полная стоимость инструмента (оснастки)", "money"),
                _IDLE_PAY,
                _OVERHEAD,
            ),
            tool_loss,
        ),
        LossRule(
            "repair",
            "Некачественный ремонт",
            (
                InputSpec("repair_cost", "Стоимость повторного ремонта", "money"),
                _IDLE_PAY,
                _OVERHEAD,
            ),
            repair_loss,
        ),
        LossRule(
            "unproductive",
            "Непроизводительные расходы (штрафы, пени, недостачи)",
            (InputSpec("amount", "Сумма штрафов, пеней, недостач", "money"),),
            unproductive_loss,
        ),
    )
}


INPUTS: dict[str, InputSpec] = {
    spec.name: spec for rule in LOSS_RULES.values() for spec in rule.inputs
}
"""Every rule's inputs by name (an input shared by rules is one spec)."""


def inputs_text(inputs: Mapping) -> str:
    """A claim's stored inputs of its loss as people read them, each by its label and in the
    order of the rules: «Оплата по листку простоя: 1 200,00; Накладные расходы участка, %:
    150 %». An input no rule knows keeps its name; a value that is not a number stays as it is.
    """
    order = list(INPUTS)
    names = sorted(inputs, key=lambda n: (order.index(n) if n in order else len(order), n))
    parts = []
    for name in names:
        spec, raw = INPUTS.get(name), inputs[name]
        try:
            value = Decimal(str(raw))
        except (ArithmeticError, ValueError):
            value = None
        if value is None or not value.is_finite():
            shown = "—" if raw in (None, "") else str(raw)
        elif spec is not None and spec.kind == "percent":
            shown = format_percent(value)
        else:
            shown = format_money(value)
        parts.append(f"{spec.label if spec else name}: {shown}")
    return "; ".join(parts)


class LossInputError(ValueError):
    """Inputs of a loss rule that cannot be computed; ``errors`` maps field → Russian message.

    An unknown rule code is reported under the field ``code``.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.errors.items()))


MSG_REQUIRED = "Обязательное поле."
MSG_NOT_A_NUMBER = "Введите число."
MSG_NEGATIVE = "Сумма не может быть отрицательной."
MSG_KOPECKS = "Не более двух знаков после запятой."
MSG_PERCENT_RANGE = "Процент должен быть от 0 до 1000."
MSG_UNKNOWN_INPUT = "Лишнее поле для этого вида потерь."
MSG_UNKNOWN_CODE = "Неизвестный вид потерь."


def _input_problem(value: object, kind: InputKind) -> str | None:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return MSG_NOT_A_NUMBER  # floats are binary fractions, strings are the form's job
    number = Decimal(value)
    if not number.is_finite():
        return MSG_NOT_A_NUMBER
    if kind == "percent":
        return None if 0 <= number <= MAX_PERCENT else MSG_PERCENT_RANGE
    if number < 0:
        return MSG_NEGATIVE
    if number != half_up(number):
        return MSG_KOPECKS
    return None


def compute_loss(code: str, inputs: Mapping[str, Decimal]) -> Loss:
    """The loss of rule ``code`` for ``inputs``, validated first.

    Every input of the rule must be present, a finite ``Decimal`` (an ``int`` is accepted);
    money non-negative and whole kopecks; a percent within 0..1000. Inputs the rule does not
    know are errors too. All problems are reported at once in :class:`LossInputError`.
    """
    rule = LOSS_RULES.get(code)
    if rule is None:
        raise LossInputError({"code": MSG_UNKNOWN_CODE})
    errors: dict[str, str] = {}
    for spec in rule.inputs:
        if spec.name not in inputs or inputs[spec.name] is None:
            errors[spec.name] = MSG_REQUIRED
        elif problem := _input_problem(inputs[spec.name], spec.kind):
            errors[spec.name] = problem
    known = {spec.name for spec in rule.inputs}
    for name in inputs:
        if name not in known:
            errors[name] = MSG_UNKNOWN_INPUT
    if errors:
        raise LossInputError(errors)
    return rule.compute(**{spec.name: Decimal(inputs[spec.name]) for spec in rule.inputs})


# --- §3 routing by level ---------------------------------------------------------------------

UnitKind = Literal["worker", "brigade", "section", "shop"]
UNIT_KINDS: tuple[UnitKind, ...] = ("worker", "brigade", "section", "shop")

Level = Literal["section", "shop", "plant"]
LEVELS: tuple[Level, ...] = ("section", "shop", "plant")


@dataclass(frozen=True, slots=True)
class Unit:
    """A party to a claim and where it sits.

    ``section_id`` and ``shop_id`` are the section and shop the unit belongs to. For a section
    ``section_id`` may be left None or be its own ``id``; for a shop ``shop_id`` likewise, and
    a shop has no section. Every unit but a shop must name its shop; a worker or brigade
    attached to a shop directly (no section) has ``section_id`` None.
    """

    kind: UnitKind
    id: int
    section_id: int | None = None
    shop_id: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in UNIT_KINDS:
            raise ValueError(f"unknown unit kind {self.kind!r}")
        if self.kind == "shop":
            if self.section_id is not None:
                raise ValueError("a shop belongs to no section")
            if self.shop_id not in (None, self.id):
                raise ValueError("a shop's shop_id must be its own id")
            return
        if self.shop_id is None:
            raise ValueError(f"a {self.kind} must name its shop")
        if self.kind == "section" and self.section_id not in (None, self.id):
            raise ValueError("a section's section_id must be its own id")

    @property
    def section(self) -> int | None:
        """The section the unit is in or is; None for a shop or a unit outside any section."""
        return self.id if self.kind == "section" else self.section_id

    @property
    def shop(self) -> int:
        """The shop the unit is in or is."""
        return self.id if self.kind == "shop" else self.shop_id  # type: ignore[return-value]


def arbitrator_level(claimant: Unit, defendant: Unit) -> Level:
    """The level whose head arbitrates a claim between two units (§3).

    - ``section``: both inside one section — workers and brigades of one section, or one of
      them against that section itself;
    - ``shop``: different sections of one shop, a section (or anyone in it) against its own
      shop, or units of one shop at least one of which sits in no section;
    - ``plant``: different shops — the plant's management (the person table 10 names for the
      claim type).

    The level ignores who heads what: when the natural arbitrator is a party's own head
    (a section claiming against its brigade), the caller moves up with :func:`next_level`.
    A unit against itself raises :class:`ValueError`.
    """
    if (claimant.kind, claimant.id) == (defendant.kind, defendant.id):
        raise ValueError("a unit cannot claim against itself")
    if claimant.shop != defendant.shop:
        return "plant"
    if claimant.section is not None and claimant.section == defendant.section:
        return "section"
    return "shop"


def next_level(level: Level) -> Level | None:
    """The level above: ``section`` → ``shop`` → ``plant`` → None (nothing above the plant)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    index = LEVELS.index(level) + 1
    return LEVELS[index] if index < len(LEVELS) else None


# --- §6 netting ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairBalance:
    """The claims between two units in a period, offset against each other (§6).

    ``each_way`` maps (claimant, defendant) → the sum claimed in that direction, for both
    directions (``0.00`` where there was none). ``offset`` is what cancelled out — the smaller
    direction; ``balance`` (never negative) is what moves: ``debtor``'s result is charged
    with it and ``creditor``'s credited. With a zero balance ``debtor`` and ``creditor`` are
    the pair in the deterministic order of :func:`net`.
    """

    debtor: Hashable
    creditor: Hashable
    balance: Decimal
    each_way: dict[tuple[Hashable, Hashable], Decimal] = field(hash=False)
    offset: Decimal


def _in_order(items: Iterable[tuple[int, Hashable]]) -> list[tuple[int, Hashable]]:
    """Numbered units in a fixed order: their own when they all compare, else by ``repr``."""
    items = list(items)
    try:
        return sorted(items, key=lambda item: item[1])
    except TypeError:
        return sorted(items, key=lambda item: repr(item[1]))


def _not_a_claim_amount(amount: object) -> Exception:
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        return TypeError(f"a claim amount must be a Decimal, not {type(amount).__name__}")
    return ValueError(f"a claim amount must be finite, non-negative, whole kopecks, not {amount}")


def net(
    claims: Iterable[tuple[Hashable, Hashable, Decimal]],
) -> dict[frozenset, PairBalance]:
    """Offset counter-claims per pair of units (§6).

    A claim ``(claimant, defendant, amount)`` means the claimant claims ``amount`` from the
    defendant: the defendant owes. Per pair, the sums each way offset and only the balance
    moves, from the side that owes more (``debtor``) to the other (``creditor``).

    Amounts are non-negative ``Decimal`` (``int`` accepted) in whole kopecks, else
    :class:`ValueError` (:class:`TypeError` for a float or a string); sums are exact. A unit
    claiming against itself raises :class:`ValueError`. A zero claim still shows its pair.

    Units may be any hashable values. They are put in one fixed order — their own when all of
    them compare with each other, else by ``repr`` (which should then tell them apart). That
    order gives the pairs' order in the result and, on a zero balance, ``debtor`` (the first
    of the two) and ``creditor``; so the result does not depend on the order of the claims.
    """
    # Units are numbered as they come, so the sums are keyed by pairs of ints: hashing and
    # comparing arbitrary units (dataclasses, model instances) 5,000 times over is the slow part.
    number: dict[Hashable, int] = {}
    units: list[Hashable] = []
    directed: dict[tuple[int, int], Decimal] = {}
    get = directed.get
    for claimant, defendant, amount in claims:
        if type(amount) is not Decimal:
            if isinstance(amount, bool) or not isinstance(amount, int):
                raise _not_a_claim_amount(amount)
            amount = Decimal(amount)
        if not amount.is_finite() or amount < 0 or (kopecks := amount.quantize(KOPECK)) != amount:
            raise _not_a_claim_amount(amount)
        if (c := number.get(claimant)) is None:
            c = number[claimant] = len(units)
            units.append(claimant)
        if (d := number.get(defendant)) is None:
            d = number[defendant] = len(units)
            units.append(defendant)
        if c == d:
            raise ValueError(f"{claimant!r} cannot claim against itself")
        directed[c, d] = get((c, d), ZERO) + kopecks

    rank = [0] * len(units)
    for place, (index, _) in enumerate(_in_order(enumerate(units))):
        rank[index] = place
    pairs = {(a, b) if rank[a] < rank[b] else (b, a) for a, b in directed}
    result: dict[frozenset, PairBalance] = {}
    for a, b in sorted(pairs, key=lambda pair: (rank[pair[0]], rank[pair[1]])):
        forward = get((a, b), ZERO)  # claimed by a: b owes a
        backward = get((b, a), ZERO)  # claimed by b: a owes b
        first, second = units[a], units[b]
        if backward > forward:
            debtor, creditor, balance, offset = first, second, backward - forward, forward
        elif forward > backward:
            debtor, creditor, balance, offset = second, first, forward - backward, backward
        else:
            debtor, creditor, balance, offset = first, second, ZERO, forward
        result[frozenset((first, second))] = PairBalance(
            debtor=debtor,
            creditor=creditor,
            balance=balance,
            each_way={(first, second): forward, (second, first): backward},
            offset=offset,
        )
    return result


def net_effect(
    balances: Mapping[frozenset, PairBalance] | Iterable[PairBalance],
) -> dict[Hashable, Decimal]:
    """Each unit's net effect on its result: credits positive, debits negative (§6).

    Takes :func:`net`'s result (or its values). Every unit of every pair is present, at
    ``0.00`` when its pairs all balance out; the effects sum to zero. Units come in
    :func:`net`'s order.
    """
    if isinstance(balances, Mapping):
        balances = balances.values()
    effect: dict[Hashable, Decimal] = {}
    for pair in balances:
        effect[pair.creditor] = effect.get(pair.creditor, ZERO) + pair.balance
        effect[pair.debtor] = effect.get(pair.debtor, ZERO) - pair.balance
    return {unit: effect[unit] + 0 for _, unit in _in_order(enumerate(effect))}
