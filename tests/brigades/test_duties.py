"""Separation of duties on a brigade's distribution: the council's agreement and the
shop head's approval are two people's, whatever roles one person holds."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from brigades.models import Brigade, Distribution
from brigades.permissions import approve_blocked, may_approve
from brigades.services import distribution_agree, distribution_approve
from enterprise.models.roles import Role
from enterprise.permissions import can
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.pages import messages_of


@pytest.fixture
def head_and_master(world):
    """One person: shop A's head and, standing in, the master of section A1."""
    person = UserFactory(username="head-and-master", first_name="Олег", last_name="Кузнецов")
    RoleAssignmentFactory(user=person, role=Role.SHOP_HEAD, shop=world.units["A"])
    RoleAssignmentFactory(user=person, role=Role.MASTER, section=world.units["A1"])
    return person


@pytest.fixture
def agreed_by_him(table18, october, master, head_and_master):
    """Drafted by the section's master; the council's agreement recorded by the person who
    is also the shop head."""
    distribution = table18.open(master, october, Brigade.Method.TARIFF)
    distribution = table18.earn(distribution, master, "1053.84")
    return distribution_agree(
        distribution=distribution, minutes="Протокол № 10 от 02.11.2026", user=head_and_master
    )


def test_it_refuses_the_approval_by_the_one_who_recorded_the_agreement(
    agreed_by_him, head_and_master
):
    distribution = agreed_by_him
    assert can(head_and_master, "distribution.approve", distribution)
    assert not may_approve(head_and_master, distribution)
    with pytest.raises(ValidationError) as caught:
        distribution_approve(distribution=distribution, user=head_and_master)
    message = " ".join(caught.value.messages)
    assert "уже подписан вами как «записавший согласие совета»" in message
    assert "другой человек" in message
    distribution.refresh_from_db()
    assert (distribution.status, distribution.approved_by) == (Distribution.Status.AGREED, None)


def test_another_shop_head_approves_it(agreed_by_him, shop_head):
    distribution = distribution_approve(distribution=agreed_by_him, user=shop_head)
    assert (distribution.status, distribution.approved_by) == (
        Distribution.Status.APPROVED,
        shop_head,
    )


def test_the_sheet_says_why_instead_of_the_approve_button(client, agreed_by_him, head_and_master):
    client.force_login(head_and_master)
    assert approve_blocked(head_and_master, agreed_by_him)
    page = client.get(agreed_by_him.get_absolute_url()).content.decode()
    assert 'data-testid="approve"' not in page
    assert 'data-testid="approve-blocked"' in page
    response = client.post(reverse("brigades:distribution_approve", args=[agreed_by_him.pk]))
    assert response.status_code == 302
    shown = messages_of(client.get(response["Location"]))
    assert any("записавший согласие совета" in m for m in shown)
    agreed_by_him.refresh_from_db()
    assert agreed_by_him.status == Distribution.Status.AGREED


def test_the_plain_shop_head_sees_the_button_and_no_reason(client, agreed_by_him, shop_head):
    client.force_login(shop_head)
    page = client.get(agreed_by_him.get_absolute_url()).content.decode()
    assert 'data-testid="approve"' in page
    assert 'data-testid="approve-blocked"' not in page
