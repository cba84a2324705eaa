"""Writes of a proposal's life: filing, the bureau's review, passing it to the
administration, the administration's answer, the implementation or dropping, attachments,
and the org-technical measure an accepted proposal that saves labour becomes.

Every step is keyword-only and atomic: it re-reads the proposal under a row lock, checks
its state again (of two people acting at once one wins, the other is told what happened),
checks who acts (:mod:`.access`), runs ``full_clean()`` and records who, when and why in
the proposal's history (:func:`~enterprise.tracking.acting_as`). A step's date defaults to
today; it may not be in the future nor before the step it follows.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.services import check_file
from enterprise.models import Enterprise, Section, Shop, Worker
from enterprise.models.history import HistoryRecord
from enterprise.tracking import acting_as, record_history
from planning.measures.models import OrgMeasure
from planning.measures.services import measure_create

from .. import rules
from ..models import Commission, Meeting, Proposal, ProposalAuthor, ProposalDocument
from . import access

S = Proposal.Status
MAX_DOCUMENTS = 5


@dataclass
class DocumentIn:
    """An attachment as filed: its name (a sketch, a photo) and the uploaded file."""

    name: str
    file: UploadedFile


@dataclass
class Expected:
    """The effect the authors expect, a year: labour (norm-hours), materials and money (rub)."""

    labour: Decimal = Decimal(0)
    materials: Decimal = Decimal(0)
    money: Decimal = Decimal(0)


# --- helpers -----------------------------------------------------------------------------------


def _day(on: datetime.date | None, field: str, *, after: datetime.date | None, what: str):
    """The step's date: today by default, not in the future, not before ``after``."""
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({field: _("Дата не может быть в будущем.")})
    if after is not None and on < after:
        raise ValidationError(
            {
                field: _("Дата не может быть раньше, чем %(what)s (%(date)s).")
                % {"what": what, "date": after.strftime("%d.%m.%Y")}
            }
        )
    return on


def locked(proposal: Proposal) -> Proposal:
    """The proposal re-read under a row lock (``SELECT … FOR UPDATE``)."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("shop", "section", "enterprise")
        .get(pk=proposal.pk)
    )


def _still(proposal: Proposal, *statuses: str) -> None:
    if proposal.status not in statuses:
        raise ValidationError(
            _(
                "Предложение уже в состоянии «%(status)s»: его изменил кто-то другой. "
                "Обновите страницу."
            )
            % {"status": proposal.get_status_display()},
            code="stale",
        )


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _check_documents(documents: list[DocumentIn]) -> list[tuple[str, str]]:
    """Each attachment proven by its content (the claims' document checks): errors as
    ``documents`` of the form, naming the file."""
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationError({"documents": _("Не больше %(n)s вложений.") % {"n": MAX_DOCUMENTS}})
    checked, problems = [], []
    for doc in documents:
        if not doc.name.strip():
            problems.append(_("Назовите вложение «%(file)s».") % {"file": doc.file.name})
            checked.append(None)
            continue
        try:
            checked.append(check_file(doc.file))
        except ValidationError as error:
            problems.extend(error.messages)
            checked.append(None)
    if problems:
        raise ValidationError({"documents": problems})
    return checked


def _store_documents(proposal: Proposal, documents: list[DocumentIn], checked, user) -> None:
    now = timezone.now()
    for doc, (content_type, extension) in zip(documents, checked, strict=True):
        record = ProposalDocument(
            proposal=proposal,
            name=doc.name.strip()[:200],
            file_name=os.path.basename(doc.file.name or "")[:200],
            content_type=content_type,
            size=doc.file.size,
            uploaded_by=user,
            uploaded_at=now,
        )
        record.file.save(f"x.{extension}", doc.file, save=False)
        record.full_clean()
        record.save()


# --- filing ------------------------------------------------------------------------------------


def _check_authors(user, shop: Shop, authors: list[Worker]) -> list[Worker]:
    """Authors are workers of the proposal's shop; a worker files as one of them (first)."""
    if not authors:
        raise ValidationError({"authors": _("Укажите автора предложения.")})
    strangers = [w for w in authors if w.section.shop_id != shop.pk]
    if strangers:
        raise ValidationError(
            {
                "authors": _("Авторы — рабочие цеха предложения: %(names)s не из этого цеха.")
                % {"names": ", ".join(w.short_name for w in strangers)}
            }
        )
    own = [w for w in authors if w.user_id == user.pk]
    if access.files_for_himself_only(user) and not own:
        raise ValidationError({"authors": _("Подающий рабочий — среди авторов: укажите себя.")})
    rest = [w for w in authors if w.user_id != user.pk]
    return own + rest


def _check_meeting(meeting: Meeting | None, shop: Shop, submitted_on: datetime.date) -> None:
    if meeting is None:
        return
    commission = meeting.commission
    if commission.enterprise_id != shop.enterprise_id or (
        commission.shop_id is not None and commission.shop_id != shop.pk
    ):
        raise ValidationError({"meeting": _("Совещание другого цеха.")})
    if meeting.date > submitted_on:
        raise ValidationError({"meeting": _("Совещание ещё не прошло.")})
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"meeting": _("Совещание отменено.")})


@transaction.atomic
def proposal_file(
    *,
    shop: Shop,
    title: str,
    problem: str,
    solution: str,
    authors: list[Worker],
    user,
    section: Section | None = None,
    workplace: str = "",
    meeting: Meeting | None = None,
    expected: Expected | None = None,
    documents: list[DocumentIn] = (),
    submitted_on: datetime.date | None = None,
) -> Proposal:
    """File a proposal with its attachments; the bureau's term runs from today.

    The review term is the reviewing commission's (the shop's, else the plant's:
    :meth:`Commission.for_shop`); a unit with no commission cannot take proposals yet.
    """
    if not access.may_file(user) or not access.may_file_in(user, shop):
        raise PermissionDenied
    documents = list(documents)
    expected = expected or Expected()
    submitted_on = _day(submitted_on, "submitted_on", after=None, what="")
    authors = list(authors)
    errors: dict[str, list[str]] = {}

    def collect(check):
        try:
            return check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            return None

    ordered = collect(lambda: _check_authors(user, shop, authors)) or authors
    collect(lambda: _check_meeting(meeting, shop, submitted_on))
    checked = collect(lambda: _check_documents(documents))
    commission = Commission.for_shop(shop.enterprise_id, shop.pk)
    if commission is None:
        errors.setdefault("shop", []).append(
            _("У цеха нет производственной комиссии: предложение некому рассмотреть.")
        )
    if errors:
        raise ValidationError(errors)
    # Numbers run per enterprise: its row, locked, serialises concurrent filers.
    Enterprise.objects.select_for_update(no_key=True).get(pk=shop.enterprise_id)
    last = Proposal.objects.filter(enterprise_id=shop.enterprise_id).aggregate(
        n=models.Max("number")
    )["n"]
    proposal = Proposal(
        enterprise_id=shop.enterprise_id,
        number=(last or 0) + 1,
        shop=shop,
        section=section,
        workplace=workplace.strip(),
        meeting=meeting,
        submitted_by=user,
        title=title.strip(),
        problem=problem.strip(),
        solution=solution.strip(),
        expected_labour=expected.labour,
        expected_materials=expected.materials,
        expected_money=expected.money,
        status=S.SUBMITTED,
        submitted_on=submitted_on,
        review_due=rules.due_date(submitted_on, commission.review_days),
    )
    with acting_as(user):
        proposal.full_clean()
        try:
            with transaction.atomic():
                proposal.save()
        except IntegrityError as error:
            raise ValidationError(_("Не удалось присвоить номер: подайте ещё раз.")) from error
        ProposalAuthor.objects.bulk_create(
            ProposalAuthor(proposal=proposal, worker=worker, order=index)
            for index, worker in enumerate(ordered)
        )
        # The authors are a relation the model's history does not see: said in it here.
        label = str(Proposal._meta.get_field("authors").verbose_name)
        names = ", ".join(w.short_name for w in ordered)
        record_history([(proposal, HistoryRecord.Action.UPDATE, {label: ["—", names]})])
        _store_documents(proposal, documents, checked, user)
    return proposal


# --- the bureau's review -----------------------------------------------------------------------


@transaction.atomic
def proposal_review(
    *, proposal: Proposal, accept: bool, reason: str = "", user, on: datetime.date | None = None
) -> Proposal:
    """The bureau accepts or rejects a submitted proposal; a rejection says why."""
    proposal = locked(proposal)
    if not access.may_review(user, proposal):
        raise PermissionDenied
    _still(proposal, S.SUBMITTED)
    reason = (reason or "").strip()
    if not accept:
        _required_text(reason, "reason", _("Отклоняя предложение, укажите причину."))
    proposal.reviewed_on = _day(on, "on", after=proposal.submitted_on, what=_("подано"))
    proposal.reviewed_by = user
    proposal.review_reason = reason
    proposal.status = S.ACCEPTED if accept else S.REJECTED
    with acting_as(user, reason):
        proposal.full_clean()
        proposal.save()
    return proposal


# --- the factory committee passes it on --------------------------------------------------------


@transaction.atomic
def proposal_pass(*, proposal: Proposal, user, on: datetime.date | None = None) -> Proposal:
    """The factory committee's member passes an accepted proposal to the administration;
    the administration's term runs from that day."""
    proposal = locked(proposal)
    if not access.may_pass(user, proposal):
        raise PermissionDenied
    _still(proposal, S.ACCEPTED)
    commission = access.commission_of(proposal)
    proposal.passed_on = _day(on, "on", after=proposal.reviewed_on, what=_("принято бюро"))
    proposal.passed_by = user
    proposal.answer_due = rules.due_date(proposal.passed_on, commission.answer_days)
    proposal.status = S.PASSED
    with acting_as(user):
        proposal.full_clean()
        proposal.save()
    return proposal


# --- the administration's answer ---------------------------------------------------------------


@transaction.atomic
def proposal_answer(
    *, proposal: Proposal, agree: bool, answer: str = "", user, on: datetime.date | None = None
) -> Proposal:
    """The administration agrees to a passed proposal or declines it (saying why)."""
    proposal = locked(proposal)
    if not access.may_give_answer(user, proposal):
        raise PermissionDenied
    _still(proposal, S.PASSED)
    answer = (answer or "").strip()
    if not agree:
        _required_text(answer, "answer", _("Отказывая, укажите причину."))
    proposal.answered_on = _day(
        on, "on", after=proposal.passed_on, what=_("передано администрации")
    )
    proposal.answered_by = user
    proposal.answer = answer
    proposal.status = S.AGREED if agree else S.DECLINED
    with acting_as(user, answer):
        proposal.full_clean()
        proposal.save()
    return proposal


# --- implemented or dropped --------------------------------------------------------------------


@transaction.atomic
def proposal_implement(
    *,
    proposal: Proposal,
    implemented_on: datetime.date,
    responsible: str,
    actual_labour: Decimal | None = None,
    actual_money: Decimal | None = None,
    actual_effect: str = "",
    user,
) -> Proposal:
    """An agreed proposal is implemented: on what day, by whom, with what effect."""
    proposal = locked(proposal)
    if not access.may_implement(user, proposal):
        raise PermissionDenied
    _still(proposal, S.AGREED)
    errors = {}
    try:
        proposal.implemented_on = _day(
            implemented_on,
            "implemented_on",
            after=proposal.answered_on,
            what=_("согласовано администрацией"),
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if not (responsible or "").strip():
        errors["responsible"] = [_("Укажите ответственного за внедрение.")]
    if errors:
        raise ValidationError(errors)
    proposal.implementation_responsible = responsible.strip()
    proposal.actual_labour = actual_labour
    proposal.actual_money = actual_money
    proposal.actual_effect = (actual_effect or "").strip()
    proposal.status = S.IMPLEMENTED
    with acting_as(user):
        proposal.full_clean()
        proposal.save()
    return proposal


@transaction.atomic
def proposal_drop(
    *, proposal: Proposal, reason: str, user, on: datetime.date | None = None
) -> Proposal:
    """An agreed proposal that will not be implemented is dropped, with the reason."""
    proposal = locked(proposal)
    if not access.may_implement(user, proposal):
        raise PermissionDenied
    _still(proposal, S.AGREED)
    reason = _required_text(reason, "reason", _("Укажите, почему предложение снято."))
    proposal.dropped_on = _day(
        on, "on", after=proposal.answered_on, what=_("согласовано администрацией")
    )
    proposal.dropped_reason = reason
    proposal.status = S.DROPPED
    with acting_as(user, reason):
        proposal.full_clean()
        proposal.save()
    return proposal


# --- attachments -------------------------------------------------------------------------------


@transaction.atomic
def proposal_attach(*, proposal: Proposal, documents: list[DocumentIn], user) -> Proposal:
    """Attach sketches or photos to an open proposal (its authors, the bureau)."""
    proposal = locked(proposal)
    if not access.may_attach(user, proposal):
        raise PermissionDenied
    documents = list(documents)
    if not documents:
        raise ValidationError({"documents": _("Выберите файл.")})
    if proposal.documents.count() + len(documents) > MAX_DOCUMENTS:
        raise ValidationError({"documents": _("Не больше %(n)s вложений.") % {"n": MAX_DOCUMENTS}})
    checked = _check_documents(documents)
    with acting_as(user):
        _store_documents(proposal, documents, checked, user)
    return proposal


# --- the org-technical measure -----------------------------------------------------------------

MEASURE_STATUSES = (S.ACCEPTED, S.PASSED, S.AGREED, S.IMPLEMENTED)


def may_become_measure(proposal: Proposal) -> bool:
    """An accepted proposal that saves labour, not yet a measure."""
    return (
        proposal.status in MEASURE_STATUSES
        and proposal.expected_labour > 0
        and proposal.measure_id is None
    )


@transaction.atomic
def proposal_to_measure(*, proposal: Proposal, measure: OrgMeasure, user) -> OrgMeasure:
    """The proposal becomes an org-technical measure of its section's personal plans, its
    authors the measure's: their creative-contribution accounts record it
    (:func:`planning.measures.services.measure_create` checks the user's right on the
    section and that the authors work there)."""
    proposal = locked(proposal)
    if proposal.measure_id is not None:
        raise ValidationError(
            _("Предложение уже стало оргтехмероприятием: его изменил кто-то другой."),
            code="stale",
        )
    if not may_become_measure(proposal):
        raise ValidationError(
            _("Оргтехмероприятием становится принятое предложение, экономящее труд.")
        )
    if measure.section.shop_id != proposal.shop_id:
        raise ValidationError({"section": _("Участок другого цеха.")})
    authors = [
        a.worker
        for a in ProposalAuthor.objects.filter(proposal=proposal).select_related("worker__section")
    ]
    created = measure_create(measure=measure, authors=authors, user=user)
    proposal.measure = created
    with acting_as(user):
        proposal.save(update_fields=["measure"])
    return created
