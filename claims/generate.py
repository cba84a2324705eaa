"""A year of claims for the plant-scale data set (``manage.py generate_plant`` runs
:data:`GENERATE_STEPS`), so that the claims pages are measured with data.

The plant gets the claim types of table 10 and, for each of its last :data:`MONTHS`
generated months, about one claim a month for every :data:`WORKERS_PER_CLAIM` active
workers (±25 % from month to month): mostly section against section (a third of them
within one shop, for its head to decide), also against a shop, shop against shop, and
now and then a worker's. The type chooses
the defendant as in life — tools and tooling from the tool shop, energy from the energy
shop, repairs from the repair shop, parts and the rest from the main shops. The loss is
computed by the type's rule (``claims.rules``) from drawn inputs — idle pay, costs of
tens to a few thousand roubles, a section's overhead of 130–160 % — and the claim is
routed to its arbitrator as ``claim_file`` routes it (``selectors.route``).

What became of a claim depends on its month and age: a closed month holds only finished
claims (accepted, decided by the arbitrator, a few withdrawn), except a few of the last
closed month's, carried into the next month and waiting for a decision there; the open
months hold claims waiting for an answer (their deadline ahead, or passed), answered in
part or rejected and waiting for the arbitrator, and finished ones. All of them are filed
by the plant's dispatcher (``gen-pdb-<seed>``), answered by the defendant's master or
shop head and decided by the arbitrator's role's generated user. Rows are written with
the tracked ``bulk_create`` (history included); the same seed gives the same claims on
the same day (nothing is dated after the day's midnight).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from enterprise.demo import PLANT_TZ
from enterprise.generate import BATCH_SIZE, SHOPS, GenerateContext
from enterprise.models import Enterprise, HistoryRecord, Period, Section, Shop, Worker
from enterprise.models.roles import Role
from enterprise.money import KOPECK, ZERO, half_up
from enterprise.tracking import MonthKey, assert_months_open, diff, record_history, snapshot

from . import rules
from .models import Claim, ClaimDocument, ClaimSettings, ClaimType, PartyKind
from .seed import seed_claim_types
from .selectors import route
from .services import Party, working_days_after

MONTHS = 12
"""How many of the last generated months get claims: a year."""
WORKERS_PER_CLAIM = 30
"""One claim a month for this many active workers (7,000 workers: ~230 a month)."""
ANSWER_DAYS = 5  # ClaimSettings' default: the defendant answers within five working days
CARRIED_SHARE = 0.08  # of the last closed month's claims, still open and carried over
SAME_SHOP_SHARE = 0.3  # of the claims between sections (or a worker's): both in one shop

S = Claim.Status
A = Claim.Answer
PROFILE = {spec.number: spec.profile for spec in SHOPS}
# the claim type → the profile of the shops it is usually against (others: the main shops)
DEFENDANT_PROFILES = {
    "late_tools": ("tool",),
    "poor_tools": ("tool",),
    "late_energy": ("energy",),
    "poor_repair": ("repair",),
    "late_goods_materials": ("transport", "assembly"),
}
TYPE_WEIGHTS = {
    "late_parts": 30,
    "late_goods_materials": 8,
    "late_tools": 10,
    "late_energy": 6,
    "late_shipment": 3,
    "price_deviation": 6,
    "idle_moved": 10,
    "poor_documentation": 8,
    "poor_tools": 7,
    "poor_repair": 7,
    "unproductive": 5,
}
# claimant kind → defendant kind, and how often
PAIRS = (
    ((PartyKind.SECTION, PartyKind.SECTION), 55),
    ((PartyKind.SECTION, PartyKind.SHOP), 15),
    ((PartyKind.SHOP, PartyKind.SHOP), 15),
    ((PartyKind.SHOP, PartyKind.SECTION), 10),
    ((PartyKind.WORKER, PartyKind.SECTION), 5),
)
REASONS = {
    A.PARTIAL: "Простой был короче, чем указано: признаём часть по листку простоя.",
    A.REJECT: "Поставка в срок по графику, причина простоя — на участке истца.",
}
DECISION = "По документам сторон вина ответчика подтверждена в указанной сумме."
WITHDRAWN = "Стороны договорились без претензии."


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    """Roubles and kopecks between ``low`` and ``high`` roubles, small sums likelier."""
    share = rng.random() ** 2
    return Decimal(int((low + (high - low) * share) * 100)) / 100


def _inputs(rng: random.Random, rule: str) -> dict[str, Decimal]:
    values = {}
    for spec in rules.LOSS_RULES[rule].inputs:
        if spec.kind == "percent":
            values[spec.name] = Decimal(rng.randint(130, 160))
        else:
            values[spec.name] = _money(rng, 20, 1500)
    if rule == "idle_moved":  # paid by the work order less than their average earnings
        values["work_order_pay"] = half_up(values["average_earnings"] * Decimal("0.6"), KOPECK)
    return values


def _moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    return datetime.datetime(
        day.year, day.month, day.day, rng.randint(8, 15), rng.randrange(0, 60, 5), tzinfo=PLANT_TZ
    )


def _later(rng: random.Random, moment: datetime.datetime, days: int, limit: datetime.datetime):
    """A working moment 1..``days`` working days after ``moment``, not after ``limit``."""
    day = working_days_after(moment.date(), rng.randint(1, days))
    return min(_moment(rng, day), limit)


def _working_days(period: Period, last: datetime.date) -> list[datetime.date]:
    """The month's working days up to ``last`` (its first day when none is)."""
    days, day = [], period.start
    while day <= min(period.end, last):
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days or [period.start]


class _Units:
    """The plant's sections, shops and workers, and the defendants each type is against."""

    def __init__(self, ctx: GenerateContext):
        self.shops = {shop.pk: shop for shop in ctx.shops}
        self.sections = list(ctx.sections)
        self.by_profile: dict[str, list[Section]] = {}
        for section in self.sections:
            profile = PROFILE[self.shops[section.shop_id].number]
            self.by_profile.setdefault(profile, []).append(section)
        self.by_shop: dict[int, list[Section]] = {}
        for section in self.sections:
            self.by_shop.setdefault(section.shop_id, []).append(section)
        self.main = [s for s in self.sections if self.shops[s.shop_id].kind == Shop.Kind.MAIN]
        self.workers = [w for w in ctx.workers if w.dismissal_date is None]

    def defendant_sections(self, code: str) -> list[Section]:
        profiles = DEFENDANT_PROFILES.get(code)
        if not profiles:
            return self.main
        return [s for p in profiles for s in self.by_profile.get(p, ())] or self.main

    def pick(self, rng: random.Random, code: str, day: datetime.date) -> tuple[Party, Party]:
        """A claimant and a defendant for a claim of type ``code`` filed on ``day``."""
        (claimant_kind, defendant_kind) = rng.choices(
            [kinds for kinds, _ in PAIRS], [weight for _, weight in PAIRS]
        )[0]
        while True:
            if claimant_kind == PartyKind.WORKER and self.workers:
                worker = rng.choice(self.workers)
                if worker.hire_date > day:
                    continue  # not on the payroll yet
                source, claimant = worker.section, Party(PartyKind.WORKER, worker)
            else:
                source = rng.choice(self.main)
                claimant = (
                    Party(PartyKind.SHOP, self.shops[source.shop_id])
                    if claimant_kind == PartyKind.SHOP
                    else Party(PartyKind.SECTION, source)
                )
            neighbours = (
                code not in DEFENDANT_PROFILES
                and PartyKind.SHOP not in (claimant_kind, defendant_kind)
                and rng.random() < SAME_SHOP_SHARE
            )
            if neighbours:  # a section of the same shop: the shop head arbitrates
                target = rng.choice(self.by_shop[source.shop_id])
            else:
                target = rng.choice(self.defendant_sections(code))
            if source.pk == target.pk:
                continue
            if source.shop_id == target.shop_id and PartyKind.SHOP in (
                claimant_kind,
                defendant_kind,
            ):
                continue  # a shop and its own section or worker settle it inside the shop
            if defendant_kind == PartyKind.SHOP:
                return claimant, Party(PartyKind.SHOP, self.shops[target.shop_id])
            return claimant, Party(PartyKind.SECTION, target)


def _outcome(rng: random.Random, *, finished: bool, due_passed: bool) -> str:
    """What became of a claim: finished in a closed month; in an open one, by its age."""
    roll = rng.random()
    if finished:
        return "settled" if roll < 0.5 else "decided" if roll < 0.93 else "withdrawn"
    if not due_passed:
        return "filed" if roll < 0.7 else "settled" if roll < 0.85 else "arbitration"
    for outcome, below in (("settled", 0.4), ("arbitration", 0.7), ("decided", 0.9)):
        if roll < below:
            return outcome
    # the rest withdrawn, or unanswered past the deadline (the periodic job escalates it)
    return "withdrawn" if roll < 0.94 else "filed"


DECIDERS = {
    Role.PRODUCTION_HEAD: "gen-prodhead",
    Role.DEPUTY_DIRECTOR: "gen-deputy",
    Role.SHOP_HEAD: "gen-shophead",
    Role.MASTER: "gen-master",
}


def _apply(rng, claim: Claim, outcome: str, users: dict, limit: datetime.datetime) -> None:
    """Write the outcome into the claim as the services would: answer, decision, withdrawal."""
    if outcome == "filed":
        return
    if outcome == "withdrawn":
        claim.status, claim.withdrawn_reason = S.WITHDRAWN, WITHDRAWN
        return
    if outcome == "decided" and rng.random() < 0.1:
        claim.escalated_unanswered = True  # the defendant let the deadline pass
    else:
        claim.answered_by = (
            users["gen-master"] if claim.defendant_section_id else users["gen-shophead"]
        )
        claim.answered_at = _later(rng, claim.filed_at, ANSWER_DAYS, limit)
        if outcome == "settled":
            claim.answer, claim.accepted_amount = A.ACCEPT, claim.loss_amount
            claim.status, claim.final_amount = S.SETTLED, claim.loss_amount
            return
        if rng.random() < 0.6:
            share = Decimal(rng.randint(20, 80)) / 100
            claim.answer = A.PARTIAL
            claim.accepted_amount = max(KOPECK, half_up(claim.loss_amount * share, KOPECK))
        else:
            claim.answer, claim.accepted_amount = A.REJECT, ZERO
        claim.answer_reason = REASONS[claim.answer]
    claim.status = S.ARBITRATION
    if outcome == "arbitration":
        return
    low = claim.accepted_amount or ZERO
    share = Decimal(rng.randint(0, 100)) / 100
    decider = users[DECIDERS[claim.arbitrator_role]]
    if claim.answered_by == decider:  # never the one who answered
        claim.answered_by = users["gen-economist"]
    claim.decided_amount = half_up(low + (claim.loss_amount - low) * share, KOPECK)
    claim.decided_by, claim.decision_reason = decider, DECISION
    claim.decided_at = _later(rng, claim.answered_at or claim.filed_at, 7, limit)
    claim.status, claim.final_amount = S.DECIDED, claim.decided_amount


def _active(workers: Iterable[Worker], period: Period) -> int:
    """The workers on the payroll at some time in the month."""
    start, end = period.start, period.end
    return sum(1 for w in workers if w.hire_date <= end and (w.dismissal_date or end) >= start)


def step_claims(ctx: GenerateContext) -> None:
    """The claim types of table 10 and a year of claims between the plant's units."""
    rng = ctx.random("claims")
    seed_claim_types(ctx.enterprise)
    ClaimSettings.objects.get_or_create(enterprise=ctx.enterprise)
    types = {t.code: t for t in ClaimType.objects.filter(enterprise=ctx.enterprise)}
    codes = [code for code in TYPE_WEIGHTS if code in types]
    units = _Units(ctx)
    if not codes or len(units.main) < 2:
        return
    filer = ctx.users["gen-pdb"]
    # Nothing later than this morning's midnight: the same seed gives the same claims all
    # day (the plant's own rows are the same for a seed within a month).
    today = timezone.localdate()
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    number = Claim.objects.filter(enterprise=ctx.enterprise).aggregate(n=Max("number"))["n"] or 0
    months = ctx.months[-MONTHS:]
    open_months = [key for key in ctx.months if key not in ctx.closing]
    last_closed = max((key for key in months if key in ctx.closing), default=None)
    claims = []
    for key in months:
        period = ctx.periods[key]
        finished = key in ctx.closing
        days = _working_days(period, today - datetime.timedelta(days=1))
        end = period.end
        month_end = datetime.datetime(end.year, end.month, end.day, 23, 0, tzinfo=PLANT_TZ)
        limit = month_end if finished else now
        count = round(_active(ctx.workers, period) / WORKERS_PER_CLAIM * rng.uniform(0.75, 1.25))
        for _ in range(max(1, count)):
            code = rng.choices(codes, [TYPE_WEIGHTS[c] for c in codes])[0]
            claim_type = types[code]
            filed_at = min(_moment(rng, rng.choice(days)), now)
            claimant, defendant = units.pick(rng, code, filed_at.date())
            inputs = _inputs(rng, claim_type.loss_rule)
            loss = rules.compute_loss(claim_type.loss_rule, inputs)
            number += 1
            claim = Claim(
                enterprise=ctx.enterprise,
                number=number,
                period=period,
                claim_type=claim_type,
                description=claim_type.grounds,
                loss_inputs={name: str(value) for name, value in inputs.items()},
                loss_amount=loss.amount,
                loss_formula=loss.formula,
                filed_by=filer,
                filed_at=filed_at,
                answer_due=working_days_after(filed_at.date(), ANSWER_DAYS),
                **claimant.fields("claimant"),
                **defendant.fields("defendant"),
            )
            path = route(claim, claim_type, filer)
            claim.arbitrator_level, claim.arbitrator_role = path.level, path.role
            claim.arbitrator_shop_id, claim.arbitrator_section_id = path.shop_id, path.section_id
            if key == last_closed and open_months and rng.random() < CARRIED_SHARE:
                # not decided by the close: carried into the next month, waiting there
                _apply(rng, claim, "arbitration", ctx.users, month_end)
                claim.carried_from, claim.period = period, ctx.periods[open_months[0]]
            else:
                due_passed = claim.answer_due < today
                outcome = _outcome(rng, finished=finished, due_passed=due_passed)
                _apply(rng, claim, outcome, ctx.users, limit)
            claims.append(claim)
    Claim.objects.bulk_create(claims, batch_size=BATCH_SIZE)
    ctx.summary.append(f"претензий {len(claims)}")


def delete_claims(enterprise: Enterprise) -> None:
    """The plant's claims and their types, with a history record for every claim.

    The claims are recorded as deleted in bulk and deleted in one statement (the tracked
    row-by-row delete costs several queries a row); their documents go the ordinary way.
    """
    assert_months_open(
        MonthKey(enterprise.pk, year, month)
        for year, month in Period.objects.filter(enterprise=enterprise).values_list("year", "month")
    )
    ClaimDocument.objects.filter(claim__enterprise=enterprise).delete()
    claims = list(Claim.objects.filter(enterprise=enterprise).select_related("period"))
    record_history(
        [(claim, HistoryRecord.Action.DELETE, diff(snapshot(claim), None)) for claim in claims]
    )
    Claim._base_manager.filter(pk__in=[claim.pk for claim in claims])._raw_delete(Claim.objects.db)
    ClaimType.objects.filter(enterprise=enterprise).delete()
    ClaimSettings.objects.filter(enterprise=enterprise).delete()


GENERATE_STEPS = [step_claims]
DELETE_STEPS = [delete_claims]
