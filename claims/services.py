"""Writes of the claims app: filing, answering, arbitration, withdrawal, escalation.

Each step locks the claim's row and checks its state again under the lock, so of two
people acting on one claim at once one wins and the other is told what happened; a
double-clicked submit files one claim (the form's submission key is unique per filer).
Every step records who, when and why in the claim's history.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise import plausibility, uploads
from enterprise.models import Period
from enterprise.money import ZERO
from enterprise.tracking import acting_as

from . import rules
from .models import Claim, ClaimDocument, ClaimSettings, ClaimType, PartyKind
from .permissions import UnitRef, decide_refusal
from .selectors import route

MAX_FILE_SIZE = 10 * 1024 * 1024  # a scan; its type is proven by its content (check_file)


@dataclass(frozen=True)
class Party:
    """One side of a claim: its kind and the unit object (worker, brigade, section, shop)."""

    kind: str
    unit: object

    def fields(self, side: str) -> dict:
        kind, unit = self.kind, self.unit
        if kind == PartyKind.SHOP:
            shop, section = unit, None
        elif kind == PartyKind.SECTION:
            shop, section = unit.shop, unit
        else:
            section = unit.section
            shop = section.shop
        values = {
            f"{side}_kind": kind,
            f"{side}_shop": shop,
            f"{side}_section": section,
            f"{side}_brigade": unit if kind == PartyKind.BRIGADE else None,
            f"{side}_worker": unit if kind == PartyKind.WORKER else None,
        }
        return values

    def ref(self) -> UnitRef:
        f = self.fields("x")
        return UnitRef(
            f["x_shop"].enterprise_id, f["x_shop"].pk, getattr(f["x_section"], "pk", None)
        )


@dataclass
class DocumentIn:
    title: str
    number: str = ""
    date: datetime.date | None = None
    file: UploadedFile | None = None


# --- deadlines, files, the loss ---------------------------------------------------------------


def working_days_after(day: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days (Mon–Fri) after ``day``."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


# --- filing ----------------------------------------------------------------------------------


def check_file(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) of an uploaded scan, proven by its content
    (:func:`enterprise.uploads.detect_scan`); refused when too big, not a PDF or an image,
    broken, or named as another type."""
    kind = uploads.detect_scan(upload, max_bytes=MAX_FILE_SIZE)
    return kind.content_type, kind.extension


def loss_of(claim_type: ClaimType, inputs: dict) -> rules.Loss:
    try:
        return rules.compute_loss(claim_type.loss_rule, inputs)
    except rules.LossInputError as error:
        raise ValidationError(
            {f"loss_{name}": message for name, message in error.errors.items()}
        ) from error


def _documents_problems(claim_type: ClaimType, documents: list[DocumentIn]) -> dict:
    problems = {}
    given = {}
    for index, doc in enumerate(documents):
        if not doc.title.strip():
            continue
        if doc.file is None and not (doc.number.strip() and doc.date):
            problems[f"document_{index}"] = _(
                "Приложите файл или укажите номер и дату документа «%(title)s»."
            ) % {"title": doc.title}
        given.setdefault(doc.title.strip(), doc)
    missing = [title for title in claim_type.documents if title not in given]
    if missing:
        problems["documents"] = _("Без этих документов претензию не принимают: %(list)s.") % {
            "list": "; ".join(missing)
        }
    return problems


OVERHEAD_UNLIKELY = Decimal(300)
"""A section's overhead above this per cent of the base is asked again (the plant's run
from about 130 to 160 %; the rule refuses over 1,000 %)."""
LOSS_UNLIKELY = Decimal(10000)
"""A claim's loss above this many roubles is asked again (a section's claims are tens to
hundreds of roubles: a misplaced comma shows here)."""


def loss_findings(findings: plausibility.Findings, inputs: dict, amount: Decimal) -> None:
    """A claim's figures against the usual: the overhead per cent, the loss amount."""
    overhead = inputs.get("overhead_percent")
    if overhead is not None and Decimal(overhead) > OVERHEAD_UNLIKELY:
        findings.doubt(
            "loss_overhead_percent",
            _("Накладные расходы %(v)s %% — больше %(max)s %%: проверьте и подтвердите.")
            % {"v": plausibility.num(Decimal(overhead)), "max": OVERHEAD_UNLIKELY},
        )
    if amount > LOSS_UNLIKELY:
        findings.doubt(
            "loss",
            _(
                "Сумма претензии %(v)s руб. — больше %(max)s руб.: проверьте цифры "
                "(не лишний ли знак) и подтвердите."
            )
            % {
                "v": plausibility.num(amount, 2),
                "max": plausibility.num(LOSS_UNLIKELY, 0),
            },
        )


@transaction.atomic
def claim_file(
    *,
    period: Period,
    claim_type: ClaimType,
    claimant: Party,
    defendant: Party,
    description: str,
    loss_inputs: dict,
    documents: list[DocumentIn],
    user,
    submission: str = "",
    confirmed: bool = False,
) -> Claim:
    """File a claim with its documents; the loss is the type's rule on the inputs.

    Figures far from the usual (:func:`loss_findings`) are asked again until
    ``confirmed``; the history records the confirmation."""
    if submission:
        earlier = Claim.objects.filter(filed_by=user, submission=submission).first()
        if earlier is not None:
            return earlier  # a second click on the same form: the claim is already filed
    if claim_type.enterprise_id != period.enterprise_id or not claim_type.active:
        raise ValidationError({"claim_type": _("Этот вид претензий не действует.")})
    if claimant.ref().enterprise_id != period.enterprise_id or (
        defendant.ref().enterprise_id != period.enterprise_id
    ):
        raise ValidationError(_("Стороны претензии — с другого предприятия."))
    # The month's row, locked against its close (which holds it FOR UPDATE while it lists
    # and carries what is open): a claim filed meanwhile waits and then sees it closed.
    period = Period.objects.select_for_update(no_key=True).get(pk=period.pk)
    if period.status != Period.Status.OPEN:
        raise ValidationError({"period": _("Период закрыт: претензии подают в открытый период.")})
    errors = {}
    if not description.strip():
        errors["description"] = _("Опишите нарушение.")
    try:
        loss = loss_of(claim_type, loss_inputs)
    except ValidationError as error:
        errors.update(error.message_dict)
        loss = None
    if loss is not None and loss.amount <= 0:
        errors["loss"] = _("Потерь по расчёту нет — претензию не подают.")
    errors.update(_documents_problems(claim_type, documents))
    checked = []
    for index, doc in enumerate(documents):
        if doc.file is not None:
            try:
                checked.append(check_file(doc.file))
            except ValidationError as error:
                errors[f"document_{index}"] = error.messages[0]
                checked.append(None)
        else:
            checked.append(None)
    claim = Claim(
        enterprise_id=period.enterprise_id,
        period=period,
        claim_type=claim_type,
        description=description.strip(),
        loss_inputs={k: str(v) for k, v in loss_inputs.items()},
        loss_amount=loss.amount if loss else ZERO,
        loss_formula=loss.formula if loss else "",
        filed_by=user,
        submission=submission,
        **claimant.fields("claimant"),
        **defendant.fields("defendant"),
    )
    try:
        claim.unit("claimant"), claim.unit("defendant")
        rules.arbitrator_level(claim.unit("claimant"), claim.unit("defendant"))
    except ValueError:
        errors["defendant"] = _("Подразделение не может предъявить претензию самому себе.")
    if errors:
        raise ValidationError(errors)
    findings = plausibility.Findings(by_field=True)
    loss_findings(findings, loss_inputs, claim.loss_amount)
    notes = findings.settle(confirmed=confirmed)
    now = timezone.now()
    path = route(claim, claim_type, user)
    claim.arbitrator_level, claim.arbitrator_role = path.level, path.role
    claim.arbitrator_shop_id, claim.arbitrator_section_id = path.shop_id, path.section_id
    claim.filed_at = now
    answer_days = ClaimSettings.of(period.enterprise_id).answer_days
    claim.answer_due = working_days_after(timezone.localdate(now), answer_days)
    # Numbers run per enterprise; the settings row serialises concurrent filers.
    ClaimSettings.objects.select_for_update().get_or_create(enterprise_id=period.enterprise_id)
    last = (
        Claim.objects.filter(enterprise_id=period.enterprise_id).aggregate(n=models.Max("number"))[
            "n"
        ]
        or 0
    )
    claim.number = last + 1
    with acting_as(user, plausibility.confirmed_reason(notes)):
        try:
            with transaction.atomic():
                claim.full_clean(exclude=["submission"])
                claim.save()
        except IntegrityError:
            earlier = Claim.objects.filter(filed_by=user, submission=submission).first()
            if submission and earlier is not None:
                return earlier
            raise
        for doc, kind in zip(documents, checked, strict=True):
            if not doc.title.strip():
                continue
            record = ClaimDocument(
                claim=claim, title=doc.title.strip(), number=doc.number.strip(), date=doc.date
            )
            if doc.file is not None and kind is not None:
                record.content_type = kind[0]
                record.file_name = doc.file.name[:200]
                record.size = doc.file.size
                record.file.save(f"x.{kind[1]}", doc.file, save=False)
            record.full_clean()
            record.save()
    return claim


# --- the lifecycle ---------------------------------------------------------------------------


def locked_for_update(claim: Claim) -> Claim:
    """The claim re-read under a row lock (``SELECT … FOR UPDATE``) with its period."""
    return Claim.objects.select_for_update().select_related("period").get(pk=claim.pk)


def _still(claim: Claim, *statuses) -> None:
    if claim.status not in statuses:
        raise ValidationError(
            _(
                "Претензия уже в состоянии «%(status)s»: её изменил кто-то другой. "
                "Обновите страницу."
            )
            % {"status": claim.get_status_display()},
            code="stale",
        )


def _not_the_filer(claim: Claim, user) -> None:
    """Separation of duties: whoever filed a claim neither answers nor decides it."""
    if claim.filed_by_id == user.pk:
        raise ValidationError(_("Кто подал претензию, тот не отвечает на неё и не решает её."))


@transaction.atomic
def claim_answer(
    *, claim: Claim, answer: str, accepted_amount: Decimal | None, reason: str, user
) -> Claim:
    """The defendant's answer: accept fully, accept part, or reject — with reasons."""
    claim = locked_for_update(claim)
    _not_the_filer(claim, user)
    _still(claim, Claim.Status.FILED)
    if claim.is_overdue(timezone.localdate()):
        raise ValidationError(
            _("Срок ответа истёк: претензия передана арбитру. Обновите страницу."), code="stale"
        )
    if answer == Claim.Answer.ACCEPT:
        accepted_amount = claim.loss_amount
    elif answer == Claim.Answer.REJECT:
        accepted_amount = ZERO
    elif answer == Claim.Answer.PARTIAL:
        if accepted_amount is None or not (0 < accepted_amount < claim.loss_amount):
            raise ValidationError(
                {"accepted_amount": _("Признаваемая часть — больше нуля и меньше суммы претензии.")}
            )
    else:
        raise ValidationError({"answer": _("Выберите ответ.")})
    if answer != Claim.Answer.ACCEPT and not reason.strip():
        raise ValidationError({"reason": _("Изложите доводы: с чем вы не согласны и почему.")})
    claim.answer, claim.accepted_amount, claim.answer_reason = answer, accepted_amount, reason
    claim.answered_by, claim.answered_at = user, timezone.now()
    if answer == Claim.Answer.ACCEPT:
        claim.status, claim.final_amount = Claim.Status.SETTLED, claim.loss_amount
    else:
        claim.status = Claim.Status.ARBITRATION
    with acting_as(user, reason=reason):
        claim.full_clean()
        claim.save()
    return claim


def decide_amount_refusal(claim: Claim, amount: Decimal) -> str | None:
    """Why the arbitrator cannot charge ``amount`` to the defendant (None when he can): a
    decision lies between what the defendant accepted and the loss claimed."""
    accepted = claim.accepted_amount or ZERO
    if accepted <= amount <= claim.loss_amount:
        return None
    return _(
        "Решение — от признанной ответчиком суммы (%(low)s) до суммы претензии (%(high)s)."
    ) % {"low": rules.format_money(accepted), "high": rules.format_money(claim.loss_amount)}


@transaction.atomic
def claim_decide(*, claim: Claim, amount: Decimal, reason: str, user) -> Claim:
    """The arbitrator decides what is charged to the defendant, with reasons — never the
    one who filed the claim or answered it (:func:`claims.permissions.decide_refusal`)."""
    claim = locked_for_update(claim)
    refusal = decide_refusal(user, claim)
    if refusal:
        raise ValidationError(refusal, code="same_person")
    if claim.status == Claim.Status.FILED and claim.is_overdue(timezone.localdate()):
        _escalate(claim)
    _still(claim, Claim.Status.ARBITRATION)
    if refused := decide_amount_refusal(claim, amount):
        raise ValidationError({"amount": refused})
    if not reason.strip():
        raise ValidationError({"reason": _("Обоснуйте решение.")})
    claim.decided_amount, claim.decision_reason = amount, reason
    claim.decided_by, claim.decided_at = user, timezone.now()
    claim.status, claim.final_amount = Claim.Status.DECIDED, amount
    with acting_as(user, reason=reason):
        claim.full_clean()
        claim.save()
    return claim


@transaction.atomic
def claim_withdraw(*, claim: Claim, reason: str, user) -> Claim:
    """The claimant withdraws an open claim; the record stays."""
    claim = locked_for_update(claim)
    _still(claim, Claim.Status.FILED, Claim.Status.ARBITRATION)
    if not reason.strip():
        raise ValidationError({"reason": _("Укажите причину отзыва.")})
    claim.status, claim.withdrawn_reason, claim.final_amount = (
        Claim.Status.WITHDRAWN,
        reason,
        None,
    )
    with acting_as(user, reason=reason):
        claim.save()
    return claim


def _escalate(claim: Claim) -> None:
    claim.status = Claim.Status.ARBITRATION
    claim.escalated_unanswered = True
    claim.accepted_amount = ZERO
    with acting_as(None, reason=str(_("Срок ответа истёк: передана арбитру"))):
        claim.save()


@transaction.atomic
def escalate_overdue(*, enterprise_ids, today: datetime.date | None = None) -> int:
    """Unanswered claims past their deadline go to the arbitrator by themselves."""
    today = today or timezone.localdate()
    overdue = (
        Claim.objects.select_for_update(skip_locked=True)
        .filter(
            enterprise_id__in=list(enterprise_ids),
            status=Claim.Status.FILED,
            answer_due__lt=today,
            period__status=Period.Status.OPEN,
        )
        .select_related("period")
    )
    count = 0
    for claim in overdue:
        _escalate(claim)
        count += 1
    return count


@transaction.atomic
def claims_carry(*, period: Period, target: Period, pks, user) -> int:
    """Claims of ``period`` still open when it closes go on in the next open month
    ``target``: they leave the closed month's statement and are answered and decided in
    ``target``'s. ``carried_from`` keeps the month they were filed in; the history
    records the move.
    """
    if target.is_closed or target.enterprise_id != period.enterprise_id:
        raise ValidationError(_("Претензии переносят в открытый месяц того же предприятия."))
    claims = (
        Claim.objects.select_for_update()
        .filter(
            pk__in=list(pks),
            period=period,
            status__in=(Claim.Status.FILED, Claim.Status.ARBITRATION),
        )
        .select_related("period")
        .order_by("pk")
    )
    reason = _("Перенесена из %(from)s в %(to)s: не решена к закрытию месяца") % {
        "from": f"{period.month:02d}.{period.year}",
        "to": f"{target.month:02d}.{target.year}",
    }
    moved = 0
    with acting_as(user, reason=reason):
        for claim in claims:
            claim.carried_from_id = claim.carried_from_id or period.pk
            claim.period = target
            claim.save()
            moved += 1
    return moved


@transaction.atomic
def claim_type_save(*, claim_type: ClaimType, user) -> ClaimType:
    with acting_as(user):
        claim_type.full_clean()
        claim_type.save()
    return claim_type
