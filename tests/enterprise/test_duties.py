"""Separation of duties on the platform: who grants roles, who decides a reopening, and
the log of grants for the director's review (``enterprise.duties``)."""

import datetime

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from enterprise import duties
from enterprise.models import Period, PeriodReopening, RoleAssignment
from enterprise.models.roles import Role
from enterprise.services import period_decide_reopen, period_request_reopen
from enterprise.tracking import acting_as
from tests.factories import RoleAssignmentFactory, UserFactory


@pytest.fixture
def closed(world):
    return world.period(2026, 9)


def _log_creation(creator, account):
    """What the admin writes when ``creator`` adds the ``account``."""
    LogEntry.objects.log_actions(
        user_id=creator.pk, queryset=[account], action_flag=ADDITION, single_object=True
    )


# --- the reopening decider is independent of the requester --------------------------------


def test_it_refuses_a_decider_whose_role_the_requester_granted(world, closed):
    admin = world.users[Role.ADMINISTRATOR]
    puppet = UserFactory(username="puppet")
    RoleAssignmentFactory(
        user=puppet, role=Role.DEPUTY_DIRECTOR, enterprise=world.enterprise, granted_by=admin
    )
    request = period_request_reopen(period=closed, user=admin, reason="Ошибка в нарядах")
    with pytest.raises(ValidationError) as caught:
        period_decide_reopen(reopening=request, user=puppet, approve=True)
    assert "назначил вам тот, кто подал запрос" in " ".join(caught.value.messages)
    assert Period.objects.get(pk=closed.pk).is_closed
    assert PeriodReopening.objects.get(pk=request.pk).status == PeriodReopening.Status.REQUESTED


def test_it_refuses_a_decider_whose_role_the_requester_created_by_history_alone(world, closed):
    admin = world.users[Role.ADMINISTRATOR]
    puppet = UserFactory(username="puppet")
    with acting_as(admin):  # an assignment from before granted_by: its history says who
        RoleAssignmentFactory(user=puppet, role=Role.DEPUTY_DIRECTOR, enterprise=world.enterprise)
    request = period_request_reopen(period=closed, user=admin, reason="Ошибка в нарядах")
    with pytest.raises(ValidationError):
        period_decide_reopen(reopening=request, user=puppet, approve=True)
    assert Period.objects.get(pk=closed.pk).is_closed


def test_it_refuses_a_decider_whose_role_the_requester_extended(world, closed):
    admin = world.users[Role.ADMINISTRATOR]
    deputy = world.users[Role.DEPUTY_DIRECTOR]
    assignment = world.assignments[Role.DEPUTY_DIRECTOR]
    assignment.valid_to = datetime.date(2027, 12, 31)
    assignment.save()
    assignment.valid_to = datetime.date(2099, 12, 31)  # the requester extends it
    with acting_as(admin):
        assignment.save()
    request = period_request_reopen(period=closed, user=admin, reason="Ошибка в нарядах")
    with pytest.raises(ValidationError):
        period_decide_reopen(reopening=request, user=deputy, approve=True)


def test_it_refuses_a_decider_whose_account_the_requester_created(world, closed):
    admin = world.users[Role.ADMINISTRATOR]
    puppet = UserFactory(username="puppet")
    _log_creation(admin, puppet)
    RoleAssignmentFactory(user=puppet, role=Role.DEPUTY_DIRECTOR, enterprise=world.enterprise)
    request = period_request_reopen(period=closed, user=admin, reason="Ошибка в нарядах")
    with pytest.raises(ValidationError) as caught:
        period_decide_reopen(reopening=request, user=puppet, approve=True)
    assert "создал тот, кто подал запрос" in " ".join(caught.value.messages)


def test_it_lets_an_independent_deputy_director_decide(world, closed):
    admin = world.users[Role.ADMINISTRATOR]
    request = period_request_reopen(period=closed, user=admin, reason="Ошибка в нарядах")
    decided = period_decide_reopen(
        reopening=request, user=world.users[Role.DEPUTY_DIRECTOR], approve=True
    )
    assert decided.status == PeriodReopening.Status.APPROVED
    assert not Period.objects.get(pk=closed.pk).is_closed


def test_the_period_page_says_why_a_dependent_decider_cannot_decide(world, closed, client):
    admin = world.users[Role.ADMINISTRATOR]
    puppet = UserFactory(username="puppet")
    RoleAssignmentFactory(
        user=puppet, role=Role.DEPUTY_DIRECTOR, enterprise=world.enterprise, granted_by=admin
    )
    period_request_reopen(period=closed, user=admin, reason="Ошибка в нарядах")
    client.force_login(puppet)
    page = client.get(reverse("enterprise:period_detail", args=[closed.pk])).content.decode()
    assert 'data-testid="decide-blocked"' in page
    assert "reopening_decide" not in page and "/decide/" not in page
    client.force_login(world.users[Role.DEPUTY_DIRECTOR])
    page = client.get(reverse("enterprise:period_detail", args=[closed.pk])).content.decode()
    assert "/decide/" in page


def test_the_decide_post_of_a_dependent_decider_changes_nothing(world, closed, client):
    admin = world.users[Role.ADMINISTRATOR]
    puppet = UserFactory(username="puppet")
    RoleAssignmentFactory(
        user=puppet, role=Role.DEPUTY_DIRECTOR, enterprise=world.enterprise, granted_by=admin
    )
    request = period_request_reopen(period=closed, user=admin, reason="Ошибка в нарядах")
    client.force_login(puppet)
    client.post(
        reverse("enterprise:reopening_decide", args=[request.pk]), {"approve": "1", "comment": ""}
    )
    assert Period.objects.get(pk=closed.pk).is_closed
    assert PeriodReopening.objects.get(pk=request.pk).status == PeriodReopening.Status.REQUESTED


# --- who may grant a role -----------------------------------------------------------------


def test_nobody_grants_a_role_to_himself(world):
    deputy = world.users[Role.DEPUTY_DIRECTOR]
    problem = duties.grant_problem(
        deputy, user_id=deputy.pk, role=Role.MASTER, enterprise_id=world.enterprise.pk,
        section_id=world.units["A1"].pk, section_shop_id=world.units["A"].pk,
    )  # fmt: skip
    assert problem and "себе не назначают" in problem


@pytest.mark.parametrize(
    "role", [Role.DEPUTY_DIRECTOR, Role.PRODUCTION_HEAD, Role.LABOUR, Role.ADMINISTRATOR]
)
def test_the_back_office_cannot_grant_an_enterprise_deciding_role(world, role):
    someone = UserFactory(username="someone")
    problem = duties.grant_problem(
        world.users[Role.ADMINISTRATOR], user_id=someone.pk, role=role,
        enterprise_id=world.enterprise.pk,
    )  # fmt: skip
    assert problem and "решает вопросы о деньгах" in problem


def test_the_back_office_cannot_grant_a_shop_head(world):
    problem = duties.grant_problem(
        world.users[Role.ADMINISTRATOR], user_id=UserFactory().pk, role=Role.SHOP_HEAD,
        enterprise_id=world.enterprise.pk, shop_id=world.units["B"].pk,
    )  # fmt: skip
    assert problem


def test_the_back_office_grants_roles_that_decide_nothing(world):
    admin = world.users[Role.ADMINISTRATOR]
    enterprise_id = world.enterprise.pk
    master = duties.grant_problem(
        admin, user_id=UserFactory().pk, role=Role.MASTER, enterprise_id=enterprise_id,
        section_id=world.units["A1"].pk, section_shop_id=world.units["A"].pk,
    )  # fmt: skip
    economist = duties.grant_problem(
        admin, user_id=UserFactory().pk, role=Role.ECONOMIST, enterprise_id=enterprise_id,
        shop_id=world.units["A"].pk,
    )  # fmt: skip
    assert (master, economist) == (None, None)


def test_a_deputy_director_and_a_production_head_grant_a_shop_head(world):
    for grantor in (Role.DEPUTY_DIRECTOR, Role.PRODUCTION_HEAD):
        problem = duties.grant_problem(
            world.users[grantor], user_id=UserFactory().pk, role=Role.SHOP_HEAD,
            enterprise_id=world.enterprise.pk, shop_id=world.units["B"].pk,
        )  # fmt: skip
        assert problem is None
    # …but a production head does not make a deputy director
    assert duties.grant_problem(
        world.users[Role.PRODUCTION_HEAD], user_id=UserFactory().pk,
        role=Role.DEPUTY_DIRECTOR, enterprise_id=world.enterprise.pk,
    )  # fmt: skip


def test_a_deputy_director_of_another_plant_grants_nothing_here(world):
    foreign = UserFactory(username="foreign_deputy")
    RoleAssignmentFactory(
        user=foreign, role=Role.DEPUTY_DIRECTOR, enterprise=world.other_enterprise
    )
    assert duties.grant_problem(
        foreign, user_id=UserFactory().pk, role=Role.SHOP_HEAD,
        enterprise_id=world.enterprise.pk, shop_id=world.units["A"].pk,
    )  # fmt: skip


def test_a_deputy_director_does_not_grant_a_deciding_role_to_an_account_he_created(world):
    deputy = world.users[Role.DEPUTY_DIRECTOR]
    puppet = UserFactory(username="puppet")
    _log_creation(deputy, puppet)
    problem = duties.grant_problem(
        deputy, user_id=puppet.pk, role=Role.SHOP_HEAD, enterprise_id=world.enterprise.pk,
        shop_id=world.units["A"].pk,
    )  # fmt: skip
    assert problem and "сами создали" in problem


# --- the admin ------------------------------------------------------------------------------


def _grant_in_admin(client, grantor, **fields):
    client.force_login(grantor)
    data = {"valid_from": "01.10.2026", "valid_to": "", "shop": "", "section": "", **fields}
    return client.post("/admin/enterprise/roleassignment/add/", data)


def test_the_admin_refuses_the_back_office_a_deputy_director_grant_next_to_the_field(world, client):
    puppet = UserFactory(username="puppet")
    response = _grant_in_admin(
        client, world.users[Role.ADMINISTRATOR], user=puppet.pk, role=Role.DEPUTY_DIRECTOR,
        enterprise=world.enterprise.pk,
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "решает вопросы о деньгах" in " ".join(errors["role"])
    assert not RoleAssignment.objects.filter(user=puppet).exists()


def test_the_admin_refuses_the_back_office_its_own_roles(world, client):
    admin = world.users[Role.ADMINISTRATOR]
    response = _grant_in_admin(
        client, admin, user=admin.pk, role=Role.MASTER, enterprise=world.enterprise.pk,
        section=world.units["A2"].pk,
    )  # fmt: skip
    assert "себе не назначают" in " ".join(response.context["adminform"].form.errors["role"])
    assert not RoleAssignment.objects.filter(user=admin, role=Role.MASTER).exists()


def test_the_admin_records_who_granted_a_role(world, client):
    admin = world.users[Role.ADMINISTRATOR]
    someone = UserFactory(username="new_master")
    response = _grant_in_admin(
        client, admin, user=someone.pk, role=Role.MASTER, enterprise=world.enterprise.pk,
        section=world.units["A2"].pk,
    )  # fmt: skip
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=someone)
    assert assignment.granted_by == admin


def test_an_administrator_who_is_also_deputy_director_grants_a_shop_head(world, client):
    admin = world.users[Role.ADMINISTRATOR]
    RoleAssignmentFactory(user=admin, role=Role.DEPUTY_DIRECTOR, enterprise=world.enterprise)
    someone = UserFactory(username="new_head")
    response = _grant_in_admin(
        client, admin, user=someone.pk, role=Role.SHOP_HEAD, enterprise=world.enterprise.pk,
        shop=world.units["B"].pk,
    )  # fmt: skip
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user=someone).granted_by == admin


def test_the_admin_refuses_a_deciding_role_on_an_account_being_created(world, client):
    admin = world.users[Role.ADMINISTRATOR]
    RoleAssignmentFactory(user=admin, role=Role.DEPUTY_DIRECTOR, enterprise=world.enterprise)
    client.force_login(admin)
    prefix = "role_assignments"
    data = {
        "username": "puppet",
        "password1": "Xk3!vT9#qLm2",
        "password2": "Xk3!vT9#qLm2",
        "usable_password": "true",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-role": Role.SHOP_HEAD,
        f"{prefix}-0-enterprise": world.enterprise.pk,
        f"{prefix}-0-shop": world.units["B"].pk,
        f"{prefix}-0-section": "",
        f"{prefix}-0-valid_from": "01.10.2026",
        f"{prefix}-0-valid_to": "",
    }
    response = client.post("/admin/auth/user/add/", data)
    assert response.status_code == 200
    assert "сами создаёте эту учётную запись" in response.content.decode()
    assert not RoleAssignment.objects.filter(user__username="puppet").exists()


def test_a_superuser_grants_any_role(world, client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    someone = UserFactory(username="new_deputy")
    response = _grant_in_admin(
        client, root, user=someone.pk, role=Role.DEPUTY_DIRECTOR, enterprise=world.enterprise.pk
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user=someone).granted_by == root


def test_the_back_office_may_end_a_deciding_role_early(world, client):
    admin = world.users[Role.ADMINISTRATOR]
    assignment = world.assignments[Role.SHOP_HEAD]
    client.force_login(admin)
    data = {
        "user": assignment.user_id,
        "role": assignment.role,
        "enterprise": assignment.enterprise_id,
        "shop": assignment.shop_id,
        "section": "",
        "valid_from": assignment.valid_from.strftime("%d.%m.%Y"),
        "valid_to": "30.11.2026",
    }
    response = client.post(f"/admin/enterprise/roleassignment/{assignment.pk}/change/", data)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.valid_to == datetime.date(2026, 11, 30)


# --- the log of grants and revocations --------------------------------------------------------


def test_the_grants_log_lists_grants_and_revocations_with_who_and_whom(world, client):
    admin = world.users[Role.ADMINISTRATOR]
    someone = UserFactory(username="new_master", last_name="Петров", first_name="Пётр")
    with acting_as(admin):
        granted = RoleAssignmentFactory(
            user=someone, role=Role.MASTER, section=world.units["A2"], granted_by=admin
        )
        granted.valid_to = datetime.date(2026, 12, 31)
        granted.save()
        gone = RoleAssignmentFactory(user=someone, role=Role.ECONOMIST, shop=world.units["B"])
        gone.delete()
    client.force_login(world.users[Role.DEPUTY_DIRECTOR])
    response = client.get(reverse("enterprise:role_grants"))
    assert response.status_code == 200
    rows = [c for c in response.context["changes"] if c.user == "Пётр Петров"]
    kinds = sorted((c.kind, c.role) for c in rows)
    assert kinds == sorted(
        [
            ("grant", str(Role.ECONOMIST.label)),
            ("grant", str(Role.MASTER.label)),
            ("revoke", str(Role.ECONOMIST.label)),
            ("revoke", str(Role.MASTER.label)),
        ]
    )
    assert {c.actor for c in rows} == {admin}
    assert {c.unit for c in rows} == {str(world.units["A2"]), str(world.units["B"])}
    assert "Пётр Петров" in response.content.decode()


def test_the_grants_log_filters_by_grantor_and_by_dates(world, client):
    admin = world.users[Role.ADMINISTRATOR]
    deputy = world.users[Role.DEPUTY_DIRECTOR]
    with acting_as(admin):
        RoleAssignmentFactory(
            user=UserFactory(username="a"), role=Role.MASTER, section=world.units["A2"]
        )
    with acting_as(deputy):
        RoleAssignmentFactory(
            user=UserFactory(username="b"), role=Role.SHOP_HEAD, shop=world.units["B"]
        )
    client.force_login(deputy)
    url = reverse("enterprise:role_grants")
    by_admin = client.get(url, {"grantor": admin.pk}).context["changes"]
    assert by_admin and {c.actor for c in by_admin} == {admin}
    by_deputy = client.get(url, {"grantor": deputy.pk}).context["changes"]
    assert {c.actor for c in by_deputy} == {deputy}
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert client.get(url, {"date_from": tomorrow.isoformat()}).context["changes"] == []
    today = datetime.date.today().isoformat()
    assert len(client.get(url, {"date_from": today, "date_to": today}).context["changes"]) >= 2


def test_the_grants_log_shows_only_the_reviewers_plant(world, client):
    with acting_as(world.users[Role.ADMINISTRATOR]):
        RoleAssignmentFactory(
            user=UserFactory(username="foreign"),
            role=Role.LABOUR,
            enterprise=world.other_enterprise,
        )
    client.force_login(world.users[Role.DEPUTY_DIRECTOR])
    changes = client.get(reverse("enterprise:role_grants")).context["changes"]
    assert all(c.unit != str(world.other_enterprise) for c in changes)


@pytest.mark.parametrize(
    "role",
    [Role.MASTER, Role.SHOP_HEAD, Role.ECONOMIST, Role.LABOUR, Role.WORKER, Role.PRODUCTION_HEAD],
)
def test_the_grants_log_is_not_there_for_other_roles(world, client, role):
    client.force_login(world.users[role])
    assert client.get(reverse("enterprise:role_grants")).status_code == 404
    assert 'data-testid="nav-role-grants"' not in client.get("/").content.decode()


@pytest.mark.parametrize("role", [Role.DEPUTY_DIRECTOR, Role.ADMINISTRATOR])
def test_the_menu_links_the_grants_log_for_its_reviewers(world, client, role):
    client.force_login(world.users[role])
    assert 'data-testid="nav-role-grants"' in client.get("/").content.decode()


def test_the_back_office_does_not_change_a_deciding_role_holders_account(world, client):
    deputy = world.users[Role.DEPUTY_DIRECTOR]
    client.force_login(world.users[Role.ADMINISTRATOR])
    response = client.post(
        f"/admin/auth/user/{deputy.pk}/password/",
        {"password1": "Xk3!vT9#qLm2", "password2": "Xk3!vT9#qLm2", "usable_password": "true"},
    )
    assert response.status_code == 403
    deputy.refresh_from_db()
    assert deputy.check_password("Xk3!vT9#qLm2") is False
    # an account without a deciding role is the back office's to keep
    master = world.users[Role.MASTER]
    response = client.post(
        f"/admin/auth/user/{master.pk}/password/",
        {"password1": "Xk3!vT9#qLm2", "password2": "Xk3!vT9#qLm2", "usable_password": "true"},
    )
    assert response.status_code == 302
    master.refresh_from_db()
    assert master.check_password("Xk3!vT9#qLm2")


def test_ending_a_role_sooner_is_no_grant(world, closed):
    """The requester who only shortened the decider's role did not make him a decider."""
    labour = world.users[Role.LABOUR]
    assignment = world.assignments[Role.DEPUTY_DIRECTOR]
    assignment.valid_to = datetime.date(2099, 12, 31)
    assignment.save()
    assignment.valid_to = datetime.date(2098, 12, 31)
    with acting_as(labour):
        assignment.save()
    request = period_request_reopen(period=closed, user=labour, reason="Ошибка в нарядах")
    decided = period_decide_reopen(
        reopening=request, user=world.users[Role.DEPUTY_DIRECTOR], approve=True
    )
    assert decided.status == PeriodReopening.Status.APPROVED


def test_ending_a_role_in_the_admin_keeps_who_granted_it(world, client):
    assignment = world.assignments[Role.MASTER]
    deputy = world.users[Role.DEPUTY_DIRECTOR]
    RoleAssignment.objects.filter(pk=assignment.pk).update(granted_by=deputy)
    client.force_login(world.users[Role.ADMINISTRATOR])
    data = {
        "user": assignment.user_id,
        "role": assignment.role,
        "enterprise": assignment.enterprise_id,
        "shop": "",
        "section": assignment.section_id,
        "valid_from": assignment.valid_from.strftime("%d.%m.%Y"),
        "valid_to": "30.11.2026",
    }
    response = client.post(f"/admin/enterprise/roleassignment/{assignment.pk}/change/", data)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.valid_to, assignment.granted_by) == (datetime.date(2026, 11, 30), deputy)
