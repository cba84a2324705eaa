"""Separation of duties on personal plans: the master's, the economist's and the shop
head's signatures are three people's, whatever roles one person holds; nobody signs his
own plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from enterprise.models.roles import Role
from planning.models import PersonalPlan
from planning.plans import services
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.pages import messages_of

P = PersonalPlan


@pytest.fixture
def three_hats(world):
    """One person: master of A1, economist and head of shop A."""
    person = UserFactory(username="three-hats", first_name="Иван", last_name="Многоролев")
    RoleAssignmentFactory(user=person, role=Role.MASTER, section=world.units["A1"])
    RoleAssignmentFactory(user=person, role=Role.ECONOMIST, shop=world.units["A"])
    RoleAssignmentFactory(user=person, role=Role.SHOP_HEAD, shop=world.units["A"])
    return person


@pytest.fixture
def agreed(world):
    plan = services.plan_save_draft(
        worker=world.worker,
        year=2026,
        method=P.Method.MANUAL,
        values={"annual_volume": Decimal("2517")},
        user=world.users[Role.ECONOMIST],
    )
    return services.plan_agree(plan=plan, user=world.users[Role.WORKER])


def test_one_person_signs_once_whatever_roles_he_holds(agreed, three_hats):
    assert services.signable_roles(agreed, three_hats) == ["master", "economist", "shop_head"]
    plan = services.plan_sign(plan=agreed, role="master", user=three_hats)
    assert services.signable_roles(plan, three_hats) == []
    for role in ("economist", "shop_head"):
        with pytest.raises(ValidationError) as caught:
            services.plan_sign(plan=plan, role=role, user=three_hats)
        assert "уже подписан вами как «мастер»" in " ".join(caught.value.messages)
    plan.refresh_from_db()
    assert plan.status == P.Status.AGREED
    assert (plan.economist_signed_by, plan.shop_head_signed_by) == (None, None)


def test_the_other_two_signatures_come_from_other_people(world, agreed, three_hats):
    plan = services.plan_sign(plan=agreed, role="shop_head", user=three_hats)
    plan = services.plan_sign(plan=plan, role="master", user=world.users[Role.MASTER])
    with pytest.raises(ValidationError):
        services.plan_sign(plan=plan, role="economist", user=three_hats)
    plan = services.plan_sign(plan=plan, role="economist", user=world.users[Role.ECONOMIST])
    assert plan.status == P.Status.SIGNED
    signers = {plan.master_signed_by, plan.economist_signed_by, plan.shop_head_signed_by}
    assert len(signers) == 3


def test_a_worker_who_is_also_a_master_does_not_sign_his_own_plan(world, agreed):
    RoleAssignmentFactory(
        user=world.users[Role.WORKER], role=Role.MASTER, section=world.units["A1"]
    )
    worker = get_user_model().objects.get(pk=world.users[Role.WORKER].pk)  # a fresh scope
    assert services.signable_roles(agreed, worker) == []
    with pytest.raises(ValidationError) as caught:
        services.plan_sign(plan=agreed, role="master", user=worker)
    assert "Свой личный план вы не подписываете" in " ".join(caught.value.messages)


def test_the_page_explains_instead_of_offering_a_second_signature(client, agreed, three_hats):
    client.force_login(three_hats)
    page = client.get(agreed.get_absolute_url()).content.decode()
    assert page.count('data-testid="sign-') >= 3  # three buttons before any signature
    assert 'data-testid="sign-master-button"' in page
    client.post(reverse("planning:plan_sign", args=[agreed.pk]), {"role": "master", "confirm": "1"})
    page = client.get(agreed.get_absolute_url()).content.decode()
    assert 'data-testid="sign-economist-button"' not in page
    assert 'data-testid="sign-shop_head-button"' not in page
    assert 'data-testid="sign-blocked"' in page
    response = client.post(reverse("planning:plan_sign", args=[agreed.pk]), {"role": "economist"})
    assert response.status_code == 302
    shown = messages_of(client.get(response["Location"]))
    assert any("уже подписан вами" in m for m in shown)
    agreed.refresh_from_db()
    assert agreed.economist_signed_at is None


def test_a_single_role_signer_sees_no_reason(client, world, agreed):
    client.force_login(world.users[Role.ECONOMIST])
    page = client.get(agreed.get_absolute_url()).content.decode()
    assert 'data-testid="sign-economist-button"' in page
    assert 'data-testid="sign-blocked"' not in page


def test_the_home_page_asks_him_for_no_second_signature(world, agreed, three_hats):
    from planning.plans.selectors import tasks_for

    def signing_tasks():
        fresh = get_user_model().objects.get(pk=three_hats.pk)
        return [t for t in tasks_for(fresh) if t.title.startswith("Подписать личные планы")]

    assert len(signing_tasks()) == 3  # one per role he holds, before he signs
    services.plan_sign(plan=agreed, role="master", user=three_hats)
    assert signing_tasks() == []
