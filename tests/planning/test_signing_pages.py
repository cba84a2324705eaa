"""Issue 13 on personal plans: a plan of a year whose December is closed is frozen (no
forms, the reason and who may reopen it, no task on the home page); agreeing and signing
ask first; a section's agreed plans are signed at once, each checked by the service."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from enterprise.models.roles import Role
from planning.models import PersonalPlan
from planning.plans import services
from tests.factories import PeriodFactory, RoleAssignmentFactory, UserFactory, WorkerFactory
from tests.pages import text_of

P = PersonalPlan


def _agreed(world, worker, year=2026):
    plan = services.plan_save_draft(
        worker=worker,
        year=year,
        method=P.Method.MANUAL,
        values={"annual_volume": Decimal("2517")},
        user=world.users[Role.ECONOMIST],
    )
    return services.plan_agree(plan=plan, user=world.users[Role.MASTER])


@pytest.fixture
def agreed(world):
    return _agreed(world, world.worker)


@pytest.fixture
def three_hats(world):
    person = UserFactory(username="three-hats", first_name="Иван", last_name="Многоролев")
    RoleAssignmentFactory(user=person, role=Role.MASTER, section=world.units["A1"])
    RoleAssignmentFactory(user=person, role=Role.ECONOMIST, shop=world.units["A"])
    RoleAssignmentFactory(user=person, role=Role.SHOP_HEAD, shop=world.units["A"])
    return person


def test_a_plan_of_a_closed_year_shows_no_buttons_and_says_why(client, world, agreed):
    master = world.users[Role.MASTER]
    client.force_login(master)
    assert (
        'data-testid="sign-master-button"' in client.get(agreed.get_absolute_url()).content.decode()
    )
    assert "Подписать личные планы" in text_of(client.get(reverse("home")).content)

    PeriodFactory(enterprise=world.enterprise, year=2026, month=12, closed=True,
                  closed_by=world.users[Role.LABOUR])  # fmt: skip

    html = client.get(agreed.get_absolute_url()).content.decode()
    assert 'data-testid="sign-' not in html.replace('data-testid="sign-master"', "").replace(
        'data-testid="sign-economist"', ""
    ).replace('data-testid="sign-shop_head"', "")
    assert reverse("planning:plan_return", args=[agreed.pk]) not in html
    assert "Месяц «декабрь 2026» закрыт" in text_of(html)
    assert "Подписать личные планы" not in text_of(client.get(reverse("home")).content)


def test_signing_asks_first_and_a_post_without_confirm_changes_nothing(client, world, agreed):
    client.force_login(world.users[Role.ECONOMIST])
    url = reverse("planning:plan_sign", args=[agreed.pk])

    page = client.post(url, {"role": "economist"})

    assert page.status_code == 200
    assert "Подписать план как экономист?" in text_of(page.content)
    assert 'name="role" value="economist"' in page.content.decode()
    agreed.refresh_from_db()
    assert agreed.economist_signed_at is None

    client.post(url, {"role": "economist", "confirm": "1"})

    agreed.refresh_from_db()
    assert agreed.economist_signed_by == world.users[Role.ECONOMIST]


def test_bulk_signing_lists_each_outcome_one_refused_by_the_service(client, world, three_hats):
    colleague = WorkerFactory(section=world.units["A1"], last_name="Яковлев")
    signed_by_him = services.plan_sign(plan=_agreed(world, world.worker), role="master",
                                       user=three_hats)  # fmt: skip
    other = _agreed(world, colleague)
    client.force_login(three_hats)
    url = reverse("planning:section_sign", args=[world.units["A1"].pk]) + "?role=economist"

    listing = client.get(url)

    html = listing.content.decode()
    assert f'name="pk" value="{other.pk}"' in html
    assert f'name="pk" value="{signed_by_him.pk}"' not in html  # he signed it as the master
    assert ">None<" not in html  # a plan set by hand has no growth: a dash, not «None»
    assert 'name="role" value="economist"' in html

    path = reverse("planning:section_sign", args=[world.units["A1"].pk])
    asked = client.post(path, {"role": "economist", "pk": [signed_by_him.pk, other.pk]})
    assert "Подписать отмеченные" in text_of(asked.content)
    other.refresh_from_db()
    assert other.economist_signed_at is None

    done = client.post(
        path,
        {"role": "economist", "pk": [signed_by_him.pk, other.pk], "confirm": "1"},
        follow=True,
    )
    assert done.redirect_chain == [(f"{path}?role=economist", 302)]

    outcomes = {o.row.pk: o for o in done.context["outcomes"]}
    assert outcomes[other.pk].done
    assert not outcomes[signed_by_him.pk].done
    assert "уже подписан вами как «мастер»" in outcomes[signed_by_him.pk].reason
    other.refresh_from_db()
    signed_by_him.refresh_from_db()
    assert other.economist_signed_by == three_hats
    assert signed_by_him.economist_signed_at is None


def test_bulk_signing_is_for_the_signers_of_the_section_only(client, world):
    url = reverse("planning:section_sign", args=[world.units["A1"].pk])
    for role in (Role.WORKER, Role.BRIGADE_LEADER, Role.LABOUR, Role.DISPATCHER):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 404, role
        assert client.post(url, {"pk": "1", "confirm": "1"}).status_code == 404, role
    client.force_login(world.users[Role.MASTER])
    assert client.get(url).status_code == 200
    other_section = reverse("planning:section_sign", args=[world.units["B1"].pk])
    assert client.get(other_section).status_code == 404


def test_the_plan_figures_to_sign_are_rounded_as_the_plan_page_shows_them(client, world):
    """2 064,771 norm-hours read «2 064,8» on the plan page and the list; the confirmation
    and the section's list to sign wrote «2 064,7» (Django's number_format cuts)."""
    plan = services.plan_save_draft(
        worker=world.worker,
        year=2026,
        method=P.Method.MANUAL,
        values={"annual_volume": Decimal("2064.771")},
        user=world.users[Role.ECONOMIST],
    )
    plan = services.plan_agree(plan=plan, user=world.users[Role.MASTER])
    client.force_login(world.users[Role.MASTER])

    listing = text_of(
        client.get(reverse("planning:section_sign", args=[world.units["A1"].pk])).content
    )
    asked = text_of(
        client.post(reverse("planning:plan_sign", args=[plan.pk]), {"role": "master"}).content
    )

    for page in (listing, asked):
        assert "2\N{NO-BREAK SPACE}064,8" in page or "2 064,8" in page
        assert "064,7" not in page
        assert "None" not in page  # a plan set by hand has no growth figure
