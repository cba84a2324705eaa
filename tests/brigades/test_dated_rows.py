"""Dated rows of brigades in closed months: posts, memberships and a brigade's own dates.

The world has June–September 2026 closed and October, November open. A council post or
a leader dated inside a closed month is refused — by the model (next to its date), by
the services (next to the date the form asked for), by the page, and by the admin; the
same rows dated in an open month are accepted.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from brigades.models import Brigade, Membership, Post
from brigades.services import brigade_save, membership_add, membership_end, post_assign
from enterprise.tracking import PeriodClosedError
from tests.brigades.factories import BrigadeFactory, MembershipFactory, PostFactory
from tests.factories import WorkerFactory, reopened

JUNE = datetime.date(2026, 6, 1)
SEPTEMBER_15 = datetime.date(2026, 9, 15)
OCTOBER = datetime.date(2026, 10, 1)
CLOSED = "закрыт"


def _closed_months(world):
    return [world.period(2026, month) for month in (6, 7, 8, 9)]


@pytest.fixture
def brigade(world):
    return BrigadeFactory(section=world.units["A1"], number=5, name="Токари")


@pytest.fixture
def since_june(world, brigade):
    """A member since June (written while June–September were open)."""
    member = MembershipFactory.build(
        brigade=brigade, worker=WorkerFactory(section=world.units["A1"]), valid_from=JUNE
    )
    with reopened(*_closed_months(world)):
        member.save()
    return member


def _council(brigade, worker, valid_from) -> Post:
    return Post(brigade=brigade, worker=worker, kind=Post.Kind.COUNCIL, valid_from=valid_from)


# --- the model ----------------------------------------------------------------------------------


def test_a_council_post_dated_in_a_closed_month_is_refused_next_to_its_date(brigade, since_june):
    post = _council(brigade, since_june.worker, SEPTEMBER_15)
    with pytest.raises(ValidationError) as caught:
        post.full_clean()
    assert CLOSED in " ".join(caught.value.message_dict["valid_from"])
    with pytest.raises(PeriodClosedError):
        post.save()
    assert not Post.objects.filter(brigade=brigade).exists()


def test_a_post_dated_before_a_closed_month_is_refused_too(brigade, since_june):
    """Open-ended from June 1: it would put him on the council of the closed months."""
    with pytest.raises(PeriodClosedError):
        _council(brigade, since_june.worker, JUNE).save()


def test_a_council_post_dated_in_an_open_month_is_accepted(brigade, since_june):
    post = _council(brigade, since_june.worker, OCTOBER)
    post.full_clean()
    post.save()
    assert Post.objects.get(pk=post.pk).valid_from == OCTOBER


def test_a_post_of_closed_months_ends_in_an_open_month_but_not_in_a_closed_one(
    world, brigade, since_june
):
    post = _council(brigade, since_june.worker, JUNE)
    with reopened(*_closed_months(world)):
        post.save()
    post.valid_to = SEPTEMBER_15
    with pytest.raises(ValidationError) as caught:
        post.full_clean()
    assert CLOSED in " ".join(caught.value.message_dict["valid_to"])
    post.valid_to = datetime.date(2026, 9, 30)
    post.save()
    post.kind = Post.Kind.LEADER
    with pytest.raises(PeriodClosedError):
        post.save()
    assert Post.objects.get(pk=post.pk).kind == Post.Kind.COUNCIL
    with pytest.raises(PeriodClosedError):
        post.delete()
    assert Post.objects.filter(pk=post.pk).exists()


def test_a_post_of_an_open_month_changes_and_goes(brigade):
    post = PostFactory(brigade=brigade, kind=Post.Kind.COUNCIL, valid_from=OCTOBER)
    post.valid_to = datetime.date(2026, 11, 30)
    post.save()
    post.delete()
    assert not Post.objects.filter(pk=post.pk).exists()


def test_a_membership_dated_in_a_closed_month_is_refused_next_to_its_date(world, brigade):
    member = MembershipFactory.build(
        brigade=brigade, worker=WorkerFactory(section=world.units["A1"]), valid_from=SEPTEMBER_15
    )
    with pytest.raises(ValidationError) as caught:
        member.full_clean()
    assert CLOSED in " ".join(caught.value.message_dict["valid_from"])


def test_a_brigade_is_not_formed_or_disbanded_in_a_closed_month(world):
    formed = BrigadeFactory.build(section=world.units["A1"], number=61, formed_on=SEPTEMBER_15)
    with pytest.raises(ValidationError) as caught:
        formed.full_clean()
    assert CLOSED in " ".join(caught.value.message_dict["formed_on"])
    with pytest.raises(PeriodClosedError):
        formed.save()
    brigade = BrigadeFactory(section=world.units["A1"], number=62, formed_on=JUNE.replace(month=1))
    brigade.disbanded_on = SEPTEMBER_15
    with pytest.raises(ValidationError) as caught:
        brigade.full_clean()
    assert CLOSED in " ".join(caught.value.message_dict["disbanded_on"])
    assert not Brigade.objects.filter(number=61).exists()


def test_a_brigade_that_lived_in_closed_months_is_renamed_but_not_moved_or_deleted(world):
    brigade = BrigadeFactory(section=world.units["A1"], number=63, formed_on=JUNE.replace(month=1))
    brigade.name = "Новое имя"
    brigade.save()
    assert Brigade.objects.get(pk=brigade.pk).name == "Новое имя"
    brigade.formed_on = OCTOBER
    with pytest.raises(PeriodClosedError):
        brigade.save()
    brigade.refresh_from_db()
    brigade.section = world.units["A2"]
    with pytest.raises(PeriodClosedError):
        brigade.save()
    brigade.refresh_from_db()
    with pytest.raises(PeriodClosedError):
        brigade.delete()
    assert Brigade.objects.get(pk=brigade.pk).section == world.units["A1"]
    brigade.disbanded_on = datetime.date(2026, 11, 30)
    brigade.save()
    assert Brigade.objects.get(pk=brigade.pk).disbanded_on == datetime.date(2026, 11, 30)


# --- the services -------------------------------------------------------------------------------


def test_the_service_refuses_a_council_post_in_a_closed_month_next_to_its_date(
    world, brigade, since_june
):
    with pytest.raises(ValidationError) as caught:
        post_assign(
            brigade=brigade,
            worker=since_june.worker,
            kind=Post.Kind.COUNCIL,
            valid_from=SEPTEMBER_15,
            user=world.users["master"],
        )
    assert CLOSED in " ".join(caught.value.message_dict["valid_from"])
    assert not Post.objects.filter(brigade=brigade).exists()


def test_the_service_refuses_a_new_leader_from_a_closed_month(world, brigade, since_june):
    """The current leader's term would end in a closed month: refused as a whole."""
    leader = _council(brigade, since_june.worker, JUNE)
    leader.kind = Post.Kind.LEADER
    with reopened(*_closed_months(world)):
        leader.save()
    newcomer = MembershipFactory.build(
        brigade=brigade, worker=WorkerFactory(section=world.units["A1"]), valid_from=JUNE
    )
    with reopened(*_closed_months(world)):
        newcomer.save()
    with pytest.raises(ValidationError) as caught:
        post_assign(
            brigade=brigade,
            worker=newcomer.worker,
            kind=Post.Kind.LEADER,
            valid_from=SEPTEMBER_15,
            user=world.users["master"],
        )
    assert CLOSED in " ".join(caught.value.message_dict["valid_from"])
    assert Post.objects.get(pk=leader.pk).valid_to is None
    assert Post.objects.filter(brigade=brigade).count() == 1


def test_the_service_appoints_a_council_member_from_an_open_month(world, brigade, since_june):
    post = post_assign(
        brigade=brigade,
        worker=since_june.worker,
        kind=Post.Kind.COUNCIL,
        valid_from=OCTOBER,
        user=world.users["master"],
    )
    assert (post.kind, post.valid_from) == (Post.Kind.COUNCIL, OCTOBER)


def test_the_services_refuse_a_member_joining_or_leaving_in_a_closed_month(
    world, brigade, since_june
):
    with pytest.raises(ValidationError) as caught:
        membership_add(
            brigade=brigade,
            worker=WorkerFactory(section=world.units["A1"]),
            valid_from=SEPTEMBER_15,
            user=world.users["master"],
        )
    assert CLOSED in " ".join(caught.value.message_dict["valid_from"])
    with pytest.raises(ValidationError) as caught:
        membership_end(membership=since_june, on=SEPTEMBER_15, user=world.users["master"])
    assert CLOSED in " ".join(caught.value.message_dict["on"])
    assert Membership.objects.get(pk=since_june.pk).valid_to is None


def test_the_service_refuses_a_brigade_formed_in_a_closed_month(world):
    brigade = BrigadeFactory.build(section=world.units["A1"], number=64, formed_on=SEPTEMBER_15)
    with pytest.raises(ValidationError) as caught:
        brigade_save(brigade=brigade, user=world.users["master"])
    assert CLOSED in " ".join(caught.value.message_dict["formed_on"])


# --- the page and the admin ---------------------------------------------------------------------


def test_the_page_shows_the_refusal_next_to_the_post_s_date(client, world, brigade, since_june):
    client.force_login(world.users["master"])
    response = client.post(
        reverse("brigades:post_assign", args=[brigade.pk]),
        {"kind": Post.Kind.COUNCIL, "worker": since_june.worker.pk, "valid_from": "15.09.2026"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert CLOSED in " ".join(errors["valid_from"])
    assert not Post.objects.filter(brigade=brigade).exists()


def _inline_data(brigade, **post) -> dict:
    data = {
        "enterprise": brigade.enterprise_id,
        "section": brigade.section_id,
        "number": brigade.number,
        "name": brigade.name,
        "kind": brigade.kind,
        "pay_system": brigade.pay_system,
        "single_work_order": "on",
        "method": brigade.method,
        "work_grade": "",
        "formed_on": brigade.formed_on.strftime("%d.%m.%Y"),
        "disbanded_on": "",
    }
    for prefix, rows in (("memberships", []), ("posts", [post])):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


@pytest.mark.parametrize(
    ("valid_from", "accepted"),
    [("15.09.2026", False), ("01.10.2026", True)],
    ids=["closed", "open"],
)
def test_the_admin_refuses_a_council_post_in_a_closed_month(
    client, world, brigade, since_june, valid_from, accepted
):
    client.force_login(world.users["administrator"])
    data = _inline_data(
        brigade,
        kind=Post.Kind.COUNCIL,
        worker=str(since_june.worker.pk),
        valid_from=valid_from,
        valid_to="",
    )
    response = client.post(f"/admin/brigades/brigade/{brigade.pk}/change/", data)
    assert Post.objects.filter(brigade=brigade).exists() is accepted
    if not accepted:
        assert response.status_code == 200
        assert CLOSED in response.content.decode()
