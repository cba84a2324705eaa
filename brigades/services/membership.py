"""Brigades, their membership over time and their posts (the leader, the council). A
change of membership that touches a month with an open draft is carried into it
(:mod:`.documents`).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from enterprise.models import Profession, Worker
from enterprise.tracking import acting_as, closed_month_on

from ..models import Brigade, Membership, Post
from .documents import add_to_open_drafts, refresh_open_drafts

DAY = datetime.timedelta(days=1)


@transaction.atomic
def brigade_save(*, brigade: Brigade, user) -> Brigade:
    with acting_as(user):
        brigade.full_clean()
        brigade.save()
    return brigade


@transaction.atomic
def membership_add(
    *,
    brigade: Brigade,
    worker: Worker,
    valid_from: datetime.date,
    grade: int | None = None,
    profession: Profession | None = None,
    conditional_grade: int | None = None,
    user,
) -> Membership:
    """A worker joins the brigade on ``valid_from`` (grade and profession: his own)."""
    membership = Membership(
        brigade=brigade,
        worker=worker,
        valid_from=valid_from,
        grade=grade or worker.grade,
        profession=profession or worker.profession,
        conditional_grade=conditional_grade,
    )
    with acting_as(user), closed_month_on("valid_from"):
        membership.full_clean()
        membership.save()
        add_to_open_drafts(brigade, [membership])
    return membership


@transaction.atomic
def membership_change(
    *,
    membership: Membership,
    on: datetime.date,
    grade: int,
    profession: Profession,
    conditional_grade: int | None,
    user,
) -> Membership:
    """From ``on``, the member works at a new grade: the stretch ends the day before."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if (membership.grade, membership.profession_id, membership.conditional_grade) == (
        grade,
        profession.pk,
        conditional_grade,
    ):
        raise ValidationError(_("Ничего не изменилось."))
    if not membership.covers(on):
        raise ValidationError({"on": _("В этот день рабочий не состоит в бригаде.")})
    with acting_as(user), closed_month_on("on"):
        if on == membership.valid_from:
            membership.grade, membership.profession = grade, profession
            membership.conditional_grade = conditional_grade
            membership.full_clean()
            membership.save()
            refresh_open_drafts(membership.brigade)
            return membership
        follower = Membership(
            brigade=membership.brigade,
            worker=membership.worker,
            valid_from=on,
            valid_to=membership.valid_to,
            grade=grade,
            profession=profession,
            conditional_grade=conditional_grade,
        )
        membership.valid_to = on - DAY
        membership.full_clean()
        membership.save()
        follower.full_clean()
        follower.save()
        # The old stretch's line ends the day before, the new one gets its own line.
        refresh_open_drafts(membership.brigade)
    return follower


@transaction.atomic
def membership_end(*, membership: Membership, on: datetime.date, user) -> Membership:
    """The member leaves the brigade; ``on`` is his last day in it."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if on < membership.valid_from:
        raise ValidationError({"on": _("Дата выхода раньше даты вступления.")})
    with acting_as(user), closed_month_on("on"):
        membership.valid_to = on
        membership.full_clean()
        membership.save()
        refresh_open_drafts(membership.brigade)
    return membership


@transaction.atomic
def post_assign(*, brigade: Brigade, worker: Worker, kind: str, valid_from, user) -> Post:
    """Appoint the leader (the previous one's term ends the day before) or a council member."""
    if (
        not brigade.memberships.filter(worker=worker)
        .filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=valid_from),
            valid_from__lte=valid_from,
        )
        .exists()
    ):
        raise ValidationError({"worker": _("Рабочий не состоит в бригаде на эту дату.")})
    with acting_as(user), closed_month_on("valid_from"):
        if kind == Post.Kind.LEADER:
            for current in (
                Post.objects.select_for_update()
                .filter(brigade=brigade, kind=kind, valid_from__lt=valid_from)
                .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=valid_from))
            ):
                current.valid_to = valid_from - DAY
                current.save()
        post = Post(brigade=brigade, worker=worker, kind=kind, valid_from=valid_from)
        post.full_clean()
        post.save()
    return post


@transaction.atomic
def post_end(*, post: Post, on: datetime.date, user) -> Post:
    if on < post.valid_from:
        raise ValidationError({"on": _("Дата окончания раньше даты начала.")})
    with acting_as(user), closed_month_on("on"):
        post.valid_to = on
        post.full_clean()
        post.save()
    return post
