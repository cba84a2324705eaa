"""Reads of the claims app: who sees which claims, the inboxes and the home page's tasks,
routing to the defendant and the arbitrator, a claim's page, filing, and the statement
page's choices. The netting itself is ``claims.netting``; its statement and the effects
on units' results are named here too, where the views and ``khozraschet`` read them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from brigades.selectors import brigades_led_by
from enterprise.models import HistoryRecord, Period, RoleAssignment, Section, Shop, Worker
from enterprise.models.roles import Role
from enterprise.scoping import scope_of

from . import permissions, rules
from .models import Claim, ClaimDocument, ClaimSettings, ClaimType, PartyKind
from .netting import FINAL, unit_labels
from .netting import Statement as Statement
from .netting import section_claims as section_claims
from .netting import section_effects as section_effects
from .netting import sees_whole as sees_whole
from .netting import statement as statement
from .netting import unit_effects as unit_effects
from .permissions import holds

Brigade = Claim._meta.get_field("claimant_brigade").related_model


def claims_for(user):
    """The claims the user sees, with their period, type and parties' units."""
    return Claim.objects.visible_to(user).with_parties()


def _answerable(user) -> Q:
    """Claims whose defendant this user answers for (``permissions.may_answer``): his section
    (master), his shop (shop head), the brigade he leads — not those he arbitrates."""
    condition = Q(pk__in=[])
    for grant in scope_of(user).grants:
        if grant.role == Role.MASTER and grant.section_id:
            condition |= Q(defendant_section_id=grant.section_id) & ~Q(
                arbitrator_role=Role.MASTER, arbitrator_section_id=grant.section_id
            )
        elif grant.role == Role.SHOP_HEAD and grant.shop_id and not grant.section_id:
            condition |= Q(defendant_shop_id=grant.shop_id) & ~Q(
                arbitrator_role=Role.SHOP_HEAD, arbitrator_shop_id=grant.shop_id
            )
        elif grant.role == Role.BRIGADE_LEADER:
            condition |= Q(
                defendant_kind=PartyKind.BRIGADE, defendant_brigade__in=brigades_led_by(user)
            )
    return condition & ~Q(filed_by=user)


def _arbitrating(user) -> Q:
    condition = Q(pk__in=[])
    for grant in scope_of(user).grants:
        if grant.role == Role.MASTER and grant.section_id:
            condition |= Q(arbitrator_role=Role.MASTER, arbitrator_section_id=grant.section_id)
        elif grant.role == Role.SHOP_HEAD and grant.shop_id and not grant.section_id:
            condition |= Q(arbitrator_role=Role.SHOP_HEAD, arbitrator_shop_id=grant.shop_id)
        elif grant.role in (Role.PRODUCTION_HEAD, Role.DEPUTY_DIRECTOR):
            condition |= Q(
                arbitrator_role=grant.role,
                arbitrator_level=Claim.Level.PLANT,
                enterprise_id=grant.enterprise_id,
            )
    return condition


def _own(user) -> Q:
    condition = Q(filed_by=user)
    for grant in scope_of(user).grants:
        if grant.role in (Role.MASTER, Role.DISPATCHER, Role.SHOP_HEAD):
            if grant.section_id:
                condition |= Q(claimant_section_id=grant.section_id)
            elif grant.shop_id:
                condition |= Q(claimant_shop_id=grant.shop_id)
    return condition


INBOXES = {
    "mine": _own,
    "to_answer": _answerable,
    "to_decide": _arbitrating,
}


def awaiting_decision(today) -> Q:
    """Claims for the arbitrator: in arbitration, or unanswered past their deadline in an
    open month — the escalation job (``claims.tasks``) sends those there; until it has
    run, they are read as sent."""
    return Q(status=Claim.Status.ARBITRATION) | Q(
        status=Claim.Status.FILED, answer_due__lt=today, period__status=Period.Status.OPEN
    )


def _box(user, name: str, today) -> Q:
    """Which of the claims the user sees are in his inbox ``name``. Those waiting for this
    user to answer or decide are only those he still can: a closed month's claims wait for
    nobody, and an answer past its deadline is no longer taken (the claim goes to its
    arbitrator)."""
    condition = INBOXES[name](user)
    if name in ("to_answer", "to_decide"):
        condition &= Q(period__status=Period.Status.OPEN)
    if name == "to_answer":
        condition &= Q(status=Claim.Status.FILED, answer_due__gte=today)
    elif name == "to_decide":
        # not his to decide: a claim he filed or answered (permissions.decide_refusal)
        condition &= awaiting_decision(today) & ~Q(filed_by=user) & ~Q(answered_by=user)
    return condition


def inbox(user, name: str):
    """The claims of an inbox (:func:`_box`)."""
    return claims_for(user).filter(_box(user, name, timezone.localdate()))


def inbox_counts(user, names=("to_answer", "to_decide")) -> dict[str, int]:
    """How many claims each inbox holds, in one query."""
    today = timezone.localdate()
    return Claim.objects.visible_to(user).aggregate(
        **{name: Count("pk", filter=_box(user, name, today)) for name in names}
    )


def _answers_or_decides(user) -> tuple[bool, bool]:
    """Does any of the user's roles answer claims, decide them (``_answerable`` and
    ``_arbitrating`` find nothing otherwise)? No query: the scope is the request's."""
    answers = decides = False
    for grant in scope_of(user).grants:
        heads_unit = (grant.role == Role.MASTER and grant.section_id) or (
            grant.role == Role.SHOP_HEAD and grant.shop_id and not grant.section_id
        )
        if heads_unit:
            answers = decides = True
        elif grant.role == Role.BRIGADE_LEADER:
            answers = True
        elif grant.role in (Role.PRODUCTION_HEAD, Role.DEPUTY_DIRECTOR):
            decides = True
    return answers, decides


def _party_key(claim: Claim, side: str) -> tuple[str, int | None]:
    kind = getattr(claim, f"{side}_kind")
    return kind, getattr(claim, f"{side}_{kind}_id")


def tasks_for(user) -> list:
    """The claims waiting for the user's answer or decision (home page). The claims are
    read with their type only and the parties' labels a query per kind of unit: with the
    inboxes' twenty joins PostgreSQL spent ~50 ms planning each of the two queries."""
    from enterprise.selectors import Task

    tasks = []
    today = timezone.localdate()
    answers, decides = _answers_or_decides(user)

    def waiting(name: str, order: str) -> list[Claim]:
        claims = inbox(user, name).without_parties().select_related(None)
        claims = claims.select_related("claim_type")
        return list(claims.order_by(order)[:10])

    to_answer = waiting("to_answer", "answer_due") if answers else []
    to_decide = waiting("to_decide", "filed_at") if decides else []
    keys = {_party_key(claim, "claimant") for claim in to_answer + to_decide}
    keys |= {_party_key(claim, "defendant") for claim in to_decide}
    labels = unit_labels(key for key in keys if key[1] is not None)

    def label(claim: Claim, side: str) -> str:
        return labels.get(_party_key(claim, side), "—")

    for claim in to_answer:  # past its deadline a claim is no longer answered (its arbiter's)
        last_day = claim.answer_due == today
        tasks.append(
            Task(
                _("Ответить на претензию № %(n)s: %(type)s")
                % {"n": claim.number, "type": claim.claim_type},
                _("Заявитель: %(from)s; сумма %(amount)s руб., ответить до %(due)s%(late)s.")
                % {
                    "from": label(claim, "claimant"),
                    "amount": rules.format_money(claim.loss_amount),
                    "due": claim.answer_due.strftime("%d.%m.%Y"),
                    "late": _(" — последний день") if last_day else "",
                },
                claim.get_absolute_url(),
                urgent=last_day,
            )
        )
    for claim in to_decide:
        tasks.append(
            Task(
                _("Решить спор по претензии № %(n)s") % {"n": claim.number},
                _("Заявитель: %(from)s; ответчик: %(to)s; спорная сумма %(amount)s руб.")
                % {
                    "from": label(claim, "claimant"),
                    "to": label(claim, "defendant"),
                    "amount": rules.format_money(claim.disputed_amount),
                },
                claim.get_absolute_url(),
                urgent=True,
            )
        )
    return tasks


OPEN = (Claim.Status.FILED, Claim.Status.ARBITRATION)


def _unit_of(shop, section) -> str:
    if section is not None:
        return _("цех № %(shop)s, участок № %(section)s") % {
            "shop": shop.number,
            "section": section.number,
        }
    return _("цех № %(shop)s") % {"shop": shop.number}


def open_in(period) -> list:
    """Claims of the month still waiting for an answer or a decision (for the close),
    by the defendant's unit — the one that has to act."""
    from enterprise.closing import OpenItem

    claims = (
        Claim.objects.filter(period=period, status__in=OPEN)
        .select_related("claim_type", "defendant_shop", "defendant_section")
        .order_by("defendant_shop__number", "defendant_section__number", "number")
    )
    today = timezone.localdate()
    return [
        OpenItem(
            pk=claim.pk,
            label=_("Претензия № %(n)s: %(type)s, %(amount)s руб.")
            % {
                "n": claim.number,
                "type": claim.claim_type,
                "amount": rules.format_money(claim.loss_amount),
            },
            unit=_unit_of(claim.defendant_shop, claim.defendant_section),
            status=claim.get_status_display()
            + (str(_(" — срок ответа истёк")) if claim.is_overdue(today) else ""),
            url=claim.get_absolute_url(),
        )
        for claim in claims
    ]


def finished_in(period) -> int:
    """Claims of the month settled, decided or withdrawn."""
    return Claim.objects.filter(period=period).exclude(status__in=OPEN).count()


# --- routing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    level: str
    role: str
    shop_id: int | None
    section_id: int | None
    moved_up_because: str = ""


def route(claim: Claim, claim_type: ClaimType, filer) -> Route:
    """Who arbitrates (§3): the head of the level both parties share; never a party's own
    head for a claim against his unit, nor the filer — then the next level up."""
    level = rules.arbitrator_level(claim.unit("claimant"), claim.unit("defendant"))
    reason = ""
    while True:
        kinds = {claim.claimant_kind, claim.defendant_kind}
        if level == "section":
            section_id = claim.claimant_section_id or claim.defendant_section_id
            own_head = PartyKind.SECTION in kinds
            target = Route(level, Role.MASTER, None, section_id)
            is_filer = holds(
                filer, Role.MASTER, enterprise_id=claim.enterprise_id, section_id=section_id
            )
        elif level == "shop":
            shop_id = claim.claimant_shop_id
            own_head = PartyKind.SHOP in kinds
            target = Route(level, Role.SHOP_HEAD, shop_id, None)
            is_filer = holds(
                filer, Role.SHOP_HEAD, enterprise_id=claim.enterprise_id, shop_id=shop_id
            )
        else:
            role = claim_type.arbitrator_role
            target = Route(level, role, None, None)
            own_head = False
            is_filer = holds(filer, role, enterprise_id=claim.enterprise_id)
            if is_filer:  # at the top: the other plant-level arbitrator
                other = (
                    Role.DEPUTY_DIRECTOR if role == Role.PRODUCTION_HEAD else Role.PRODUCTION_HEAD
                )
                return Route(level, other, None, None, _("претензию подал сам арбитр"))
        if not (own_head or is_filer):
            return Route(target.level, target.role, target.shop_id, target.section_id, reason)
        reason = (
            _("руководитель стороны не может быть арбитром в споре со своим подразделением")
            if own_head
            else _("претензию подал сам арбитр")
        )
        level = rules.next_level(level)


def arbitration(claim: Claim) -> dict:
    """Who arbitrates and, when it is not the level the parties share, why it moved up."""
    natural = rules.arbitrator_level(claim.unit("claimant"), claim.unit("defendant"))
    role_label = Role(claim.arbitrator_role).label if claim.arbitrator_role in Role.values else ""
    holders = RoleAssignment.objects.current().filter(
        role=claim.arbitrator_role, enterprise_id=claim.enterprise_id
    )
    if claim.arbitrator_level == Claim.Level.SECTION and claim.arbitrator_section_id:
        unit = claim.arbitrator_section
        holders = holders.filter(section_id=claim.arbitrator_section_id)
    elif claim.arbitrator_level == Claim.Level.SHOP and claim.arbitrator_shop_id:
        unit = claim.arbitrator_shop
        holders = holders.filter(shop_id=claim.arbitrator_shop_id, section__isnull=True)
    else:
        unit = claim.enterprise
        holders = holders.filter(shop__isnull=True, section__isnull=True)
    holders = holders.exclude(user_id=claim.filed_by_id).select_related("user").order_by("pk")
    people = [assignment.user for assignment in holders]
    moved = ""
    if claim.arbitrator_level != natural or (
        natural == Claim.Level.PLANT and claim.arbitrator_role != claim.claim_type.arbitrator_role
    ):
        moved = route(claim, claim.claim_type, claim.filed_by).moved_up_because
    return {
        "level": claim.get_arbitrator_level_display(),
        "natural": Claim.Level(natural).label,
        "role": role_label,
        "unit": unit,
        "people": people,
        "moved_up_because": moved,
    }


# --- a claim's page -------------------------------------------------------------------------


def documents_for(user):
    """Documents of the claims the user sees."""
    return ClaimDocument.objects.filter(claim__in=Claim.objects.visible_to(user))


def loss_breakdown(claim: Claim) -> tuple[list, rules.Loss | None]:
    """The rule's inputs with their labels, and the loss recomputed from them (its parts)."""
    rule = rules.LOSS_RULES.get(claim.claim_type.loss_rule)
    if rule is None:
        return [], None
    values, inputs = {}, []
    for spec in rule.inputs:
        raw = claim.loss_inputs.get(spec.name)
        try:
            values[spec.name] = Decimal(raw)
        except (InvalidOperation, TypeError):
            continue
        shown = (
            rules.format_percent(values[spec.name])
            if spec.kind == "percent"
            else rules.format_money(values[spec.name])
        )
        inputs.append((spec.label, shown))
    try:
        loss = rules.compute_loss(rule.code, values)
    except rules.LossInputError:
        loss = None
    return inputs, loss


def withdrawal(claim: Claim) -> HistoryRecord | None:
    """The history record of the claim's withdrawal (who, when, why), if withdrawn."""
    if claim.status != Claim.Status.WITHDRAWN:
        return None
    records = HistoryRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Claim),
        object_pk=str(claim.pk),
        action=HistoryRecord.Action.UPDATE,
    ).select_related("actor")
    for record in records.order_by("-at", "-id"):
        status = record.changes.get("status")
        if status and status[-1] == Claim.Status.WITHDRAWN:
            return record
    return None


# --- filing ----------------------------------------------------------------------------------


def open_periods(enterprise):
    return Period.objects.filter(enterprise=enterprise, status=Period.Status.OPEN).order_by(
        "year", "month"
    )


def active_types(enterprise):
    return ClaimType.objects.filter(enterprise=enterprise, active=True)


def answer_days(enterprise) -> int:
    """Working days a defendant has to answer, in this enterprise."""
    return ClaimSettings.of(enterprise.pk).answer_days


def brigades_in(enterprise):
    """The enterprise's brigades not disbanded before today, in the order of the plant."""
    today = timezone.localdate()
    return (
        Brigade.objects.filter(enterprise=enterprise)
        .filter(Q(disbanded_on__isnull=True) | Q(disbanded_on__gte=today))
        .select_related("section__shop")
        .order_by("section__shop__number", "section__number", "number")
    )


def workers_of(sections):
    """Active workers of these sections, in the order of the plant."""
    return (
        Worker.objects.filter(section__in=sections)
        .active()
        .select_related("section__shop")
        .order_by("section__shop__number", "section__number", "last_name", "first_name")
    )


@dataclass(frozen=True, slots=True)
class BrigadeOption:
    """A brigade offered on the filing form: the values its label needs, not its row (the
    plant has hundreds); :func:`party_object` loads the row of the one chosen."""

    pk: int
    number: int
    name: str
    section: Section


@dataclass(frozen=True, slots=True)
class WorkerOption:
    """A worker offered on the filing form (as :class:`BrigadeOption`)."""

    pk: int
    last_name: str
    first_name: str
    middle_name: str
    personnel_number: str
    section: Section

    full_name = property(Worker.full_name.fget)


def filing_units(user, enterprise) -> tuple[list[tuple[str, object]], list[tuple[str, object]]]:
    """The units the user may file for — his shop, its sections and brigades, their
    workers — and those he may file against: any shop, section or brigade of the plant,
    the workers of his own sections.

    Each kind is read once for both sides (four queries); brigades and workers, the many,
    as :class:`BrigadeOption` / :class:`WorkerOption` values rather than model rows."""
    eid = enterprise.pk

    def may(shop_id, section_id=None):
        return permissions.may_file(user, permissions.UnitRef(eid, shop_id, section_id))

    shops = list(Shop.objects.filter(enterprise=enterprise))
    sections = list(Section.objects.filter(shop__enterprise=enterprise).select_related("shop"))
    by_pk = {section.pk: section for section in sections}
    own = [section for section in sections if may(section.shop_id, section.pk)]
    own_pks = {section.pk for section in own}
    brigades = [
        BrigadeOption(pk, number, name, by_pk[section_id])
        for pk, number, name, section_id in brigades_in(enterprise).values_list(
            "pk", "number", "name", "section_id"
        )
    ]
    workers = [
        WorkerOption(*row[:5], by_pk[row[5]])
        for row in workers_of(own).values_list(
            "pk", "last_name", "first_name", "middle_name", "personnel_number", "section_id"
        )
    ]
    claimants = [(PartyKind.SHOP, shop) for shop in shops if may(shop.pk)]
    claimants += [(PartyKind.SECTION, section) for section in own]
    claimants += [(PartyKind.BRIGADE, b) for b in brigades if b.section.pk in own_pks]
    claimants += [(PartyKind.WORKER, worker) for worker in workers]
    defendants = [(PartyKind.SHOP, shop) for shop in shops]
    defendants += [(PartyKind.SECTION, section) for section in sections]
    defendants += [(PartyKind.BRIGADE, brigade) for brigade in brigades]
    defendants += [(PartyKind.WORKER, worker) for worker in workers]
    return claimants, defendants


def party_object(unit):
    """The model row of a unit chosen on the filing form (a brigade or a worker is offered
    as an option: its row, with its section and shop, is read now)."""
    if isinstance(unit, BrigadeOption):
        return Brigade.objects.select_related("section__shop").get(pk=unit.pk)
    if isinstance(unit, WorkerOption):
        return Worker.objects.select_related("section__shop").get(pk=unit.pk)
    return unit


# --- the statement ---------------------------------------------------------------------------


def periods_of(enterprise):
    """The enterprise's months, the latest first."""
    return Period.objects.filter(enterprise=enterprise).order_by("-year", "-month")


def shops_for(user, enterprise):
    """The enterprise's shops the user sees."""
    return Shop.objects.visible_to(user).filter(enterprise=enterprise)


def shop_with_head(shop):
    return Shop.objects.select_related("head").get(pk=shop.pk)


def latest_settled_period(user, enterprise, periods):
    """The last month with finished claims the user sees, else the current month."""
    last = (
        claims_for(user)
        .filter(enterprise=enterprise, status__in=FINAL)
        .order_by("-period__year", "-period__month")
        .values_list("period_id", flat=True)
        .first()
    )
    if last is not None:
        return last
    today = timezone.localdate()
    current = periods.filter(year=today.year, month=today.month).first() or periods.first()
    return current.pk if current else ""
