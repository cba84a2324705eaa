"""Reads of proposals, scoped to the user: the lists, one proposal's page, the author's
own proposals, what waits on the user and what is held past its term."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, Prefetch, Q, When
from django.utils import timezone

from enterprise.models import Section, Shop, Worker
from enterprise.permissions import can
from enterprise.scoping import scope_of

from .. import rules
from ..models import Commission, Meeting, Proposal, ProposalAuthor, ProposalDocument
from ..models.commissions import Level
from . import access

S = Proposal.Status

LIST_RELATED = ("shop", "section", "meeting")


def proposals_for(user):
    """The proposals the user sees, with what the lists show."""
    return Proposal.objects.visible_to(user).select_related(*LIST_RELATED)


def past_term(today: datetime.date | None = None) -> Q:
    """Open proposals held past their term: the bureau's, or the administration's."""
    today = today or timezone.localdate()
    return Q(status=S.SUBMITTED, review_due__lt=today) | Q(status=S.PASSED, answer_due__lt=today)


def overdue_for(user, today: datetime.date | None = None):
    """The proposals the user sees that are held past their term, the longest past first."""
    step_due = Case(When(status=S.SUBMITTED, then=F("review_due")), default=F("answer_due"))
    return (
        proposals_for(user)
        .filter(past_term(today))
        .annotate(step_due=step_due)
        .order_by("step_due", "number")
    )


def days_past_term(proposal: Proposal, today: datetime.date) -> int:
    due = proposal.due_date()
    return max(rules.days_between(due, today), 0) if due else 0


def attach_authors(proposals) -> list[Proposal]:
    """The proposals with ``author_list`` (the filer first): one query for all of them."""
    proposals = list(proposals)
    by_pk: dict[int, list[Worker]] = {p.pk: [] for p in proposals}
    for link in (
        ProposalAuthor.objects.filter(proposal_id__in=by_pk)
        .select_related("worker")
        .order_by("proposal_id", "order", "pk")
    ):
        by_pk[link.proposal_id].append(link.worker)
    for proposal in proposals:
        proposal.author_list = by_pk[proposal.pk]
    return proposals


def proposal_for(user, pk: int) -> Proposal:
    """One proposal the user sees, with its authors and documents (``DoesNotExist``
    outside the user's scope)."""
    proposal = (
        proposals_for(user)
        .select_related(
            "enterprise",
            "submitted_by",
            "reviewed_by",
            "passed_by",
            "answered_by",
            "measure",
            "meeting__commission",
        )
        .prefetch_related(
            Prefetch("documents", queryset=ProposalDocument.objects.order_by("pk")),
        )
        .get(pk=pk)
    )
    attach_authors([proposal])
    return proposal


def documents_for(user):
    """Attachments of the proposals the user sees."""
    return ProposalDocument.objects.filter(
        proposal__in=Proposal.objects.visible_to(user).values("pk")
    )


# --- the filing form's choices -------------------------------------------------------------------


def filing_shops(user):
    shops = access.filing_shop_ids(user)
    queryset = Shop.objects.all() if shops is None else Shop.objects.filter(pk__in=shops)
    return queryset.order_by("enterprise_id", "number")


def filing_sections(user):
    return Section.objects.filter(shop__in=filing_shops(user)).select_related("shop")


def filing_authors(user):
    """The workers the user may name as authors: a worker — the people of his own
    section; the others — the active workers of the shops they file in."""
    scope = scope_of(user)
    workers = Worker.objects.active().select_related("section__shop")
    if access.files_for_himself_only(user):
        return workers.filter(Q(section_id__in=scope.own_sections) | Q(user=user))
    return workers.filter(section__shop__in=filing_shops(user))


def filing_meetings(user, today: datetime.date | None = None):
    """Held meetings of the last year of the commissions of the shops the user files in."""
    today = today or timezone.localdate()
    shops = filing_shops(user)
    return (
        Meeting.objects.filter(status=Meeting.Status.HELD, date__lte=today)
        .filter(date__gte=today - datetime.timedelta(days=366))
        .filter(
            Q(commission__shop__in=shops)
            | Q(
                commission__level=Level.PLANT,
                commission__enterprise_id__in=shops.values("enterprise_id"),
            )
        )
        .select_related("commission")
        .order_by("-date", "-number")
    )


# --- the author's and the holder's views ----------------------------------------------------------


def mine(user):
    """The proposals the user filed or is an author of, newest first."""
    own = scope_of(user).workers
    condition = Q(submitted_by=user)
    if own:
        condition |= Q(pk__in=ProposalAuthor.objects.filter(worker_id__in=own).values("proposal"))
    return Proposal.objects.filter(condition).select_related(*LIST_RELATED)


def _commissions(proposals: list[Proposal]) -> None:
    """Give each proposal its reviewing commission (one query for all)."""
    enterprises = {p.enterprise_id for p in proposals}
    if not enterprises:
        return
    found = list(Commission.objects.filter(enterprise_id__in=enterprises))
    by_shop = {c.shop_id: c for c in found if c.level == Level.SHOP}
    plants = {c.enterprise_id: c for c in found if c.level == Level.PLANT}
    for proposal in proposals:
        proposal._khz_commission = by_shop.get(proposal.shop_id) or plants.get(
            proposal.enterprise_id
        )


def _steps_of(user) -> list[str]:
    """The statuses whose step the user may take at all (:func:`access.may_act` is false
    for the others, whatever the proposal): only those are read."""
    statuses = []
    if access.has_bureau_seat(user):
        statuses.append(S.SUBMITTED)
    if access.has_committee_seat(user):
        statuses.append(S.ACCEPTED)
    if can(user, "proposal.answer"):
        statuses.append(S.PASSED)
    if can(user, "proposal.implement"):
        statuses.append(S.AGREED)
    return statuses


def held_by(user) -> list[Proposal]:
    """The open proposals waiting on this user's step, those past their term first."""
    statuses = _steps_of(user)
    if not statuses:
        return []
    candidates = list(proposals_for(user).filter(status__in=statuses))
    _commissions(candidates)
    today = timezone.localdate()
    held = [p for p in candidates if access.may_act(user, p)]
    held.sort(key=lambda p: (not p.is_overdue(today), p.due_date() or p.submitted_on, p.number))
    return held


@dataclass(frozen=True)
class HomeRow:
    proposal: Proposal
    due: datetime.date | None
    overdue: bool
    days_waiting: int


def home_rows(proposals, today: datetime.date) -> list[HomeRow]:
    return [
        HomeRow(
            proposal=p,
            due=p.due_date(),
            overdue=p.is_overdue(today),
            days_waiting=p.days_waiting(today),
        )
        for p in proposals
    ]
