"""Who sees which rows (``visible_to``) and who may do what (``permissions.can``)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from enterprise.models import Period, Section, Shop, Worker
from enterprise.models.roles import Role
from enterprise.permissions import ENTERPRISE_ACTIONS, can, has_role, require
from enterprise.scoping import scope_of
from tests.conftest import ROLES
from tests.factories import (
    PeriodFactory,
    RoleAssignmentFactory,
    StepScaleFactory,
    TariffRateFactory,
    UserFactory,
)

ENTERPRISE_ROLES = ["labour", "production_head", "deputy_director", "administrator"]
SHOP_A_ROLES = ["shop_head", "dispatcher", "economist"]
SECTION_A1_ROLES = ["master", "brigade_leader"]

# role -> (shops, sections, sections whose workers are seen) by the world's keys
VISIBLE_UNITS = {
    "worker": ({"A"}, {"A1"}, None),  # None: his own record only
    **{role: ({"A"}, {"A1"}, {"A1"}) for role in SECTION_A1_ROLES},
    **{role: ({"A"}, {"A1", "A2"}, {"A1", "A2"}) for role in SHOP_A_ROLES},
    **{role: ({"A", "B"}, {"A1", "A2", "B1"}, {"A1", "A2", "B1"}) for role in ENTERPRISE_ROLES},
}


def _fresh(user):
    """The user as a new request would load it (the scope is cached on the object)."""
    return type(user).objects.get(pk=user.pk)


def _pks(objs):
    return {obj.pk for obj in objs}


def test_the_table_covers_every_role():
    assert set(VISIBLE_UNITS) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_each_role_the_shops_of_its_unit(world, role):
    shops, _, _ = VISIBLE_UNITS[role]
    visible = Shop.objects.visible_to(world.users[role])
    assert _pks(visible) == {world.units[key].pk for key in shops}


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_each_role_the_sections_of_its_unit(world, role):
    _, sections, _ = VISIBLE_UNITS[role]
    visible = Section.objects.visible_to(world.users[role])
    assert _pks(visible) == {world.units[key].pk for key in sections}


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_each_role_the_workers_of_its_unit(world, role):
    _, _, sections = VISIBLE_UNITS[role]
    visible = Worker.objects.visible_to(world.users[role])
    if sections is None:
        expected = {world.worker.pk}
    else:
        expected = {w.pk for key in sections for w in world.workers[key]}
    assert _pks(visible) == expected


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_every_role_the_periods_of_its_enterprise_only(world, role):
    PeriodFactory(enterprise=world.other_enterprise, year=2026, month=10)
    visible = Period.objects.visible_to(world.users[role])
    assert _pks(visible) == _pks(world.periods.values())


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_no_role_anything_of_the_other_enterprise(world, role):
    user = world.users[role]
    assert not Shop.objects.visible_to(user).filter(enterprise=world.other_enterprise).exists()
    assert (
        not Section.objects.visible_to(user)
        .filter(shop__enterprise=world.other_enterprise)
        .exists()
    )
    assert not Worker.objects.visible_to(user).filter(enterprise=world.other_enterprise).exists()


def test_the_master_of_a1_sees_a1_and_its_workers_only(world):
    master = world.users["master"]
    workers = Worker.objects.visible_to(master)
    assert set(workers.values_list("section_id", flat=True)) == {world.units["A1"].pk}
    for key in ("A2", "B1"):
        for worker in world.workers[key]:
            assert not workers.filter(pk=worker.pk).exists()
    assert not Section.objects.visible_to(master).filter(pk=world.units["A2"].pk).exists()


def test_the_worker_sees_only_himself_and_his_section_and_shop(world):
    user = world.users["worker"]
    assert list(Worker.objects.visible_to(user)) == [world.worker]
    assert list(Section.objects.visible_to(user)) == [world.units["A1"]]
    assert list(Shop.objects.visible_to(user)) == [world.units["A"]]


def test_a_worker_role_without_a_worker_record_sees_no_people(world):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.WORKER, enterprise=world.enterprise)
    assert not Worker.objects.visible_to(user).exists()
    assert not Section.objects.visible_to(user).exists()
    assert Period.objects.visible_to(user).count() == len(world.periods)


def test_two_roles_add_up(world):
    master = world.users["master"]
    RoleAssignmentFactory(user=master, role=Role.MASTER, section=world.units["B1"])
    visible = Worker.objects.visible_to(_fresh(master))
    assert _pks(visible) == _pks(world.workers["A1"] + world.workers["B1"])


def test_an_expired_role_gives_nothing(world):
    user = UserFactory()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignmentFactory(user=user, role=Role.SHOP_HEAD, shop=world.units["A"], valid_to=yesterday)
    RoleAssignmentFactory(
        user=user, role=Role.LABOUR, enterprise=world.enterprise, valid_to=yesterday
    )
    for model in (Shop, Section, Worker, Period):
        assert not model.objects.visible_to(user).exists(), model
    assert not can(user, "worker.edit", world.workers["A1"][0])


def test_a_role_that_starts_tomorrow_gives_nothing_yet(world):
    user = UserFactory()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    RoleAssignmentFactory(
        user=user, role=Role.LABOUR, enterprise=world.enterprise, valid_from=tomorrow
    )
    assert not Worker.objects.visible_to(user).exists()


def test_a_role_ending_today_still_counts(world):
    user = UserFactory()
    RoleAssignmentFactory(
        user=user, role=Role.LABOUR, enterprise=world.enterprise, valid_to=timezone.localdate()
    )
    assert Worker.objects.visible_to(user).count() == len(world.all_workers())


def test_ending_a_role_takes_the_rows_away(world):
    assignment = world.assignments["shop_head"]
    assignment.valid_to = assignment.valid_from
    assignment.save()
    assert not Worker.objects.visible_to(_fresh(world.users["shop_head"])).exists()


def test_it_shows_nothing_to_anonymous_inactive_or_roleless_users(world):
    inactive = world.users["labour"]
    inactive.is_active = False
    inactive.save()
    for user in (AnonymousUser(), _fresh(inactive), UserFactory(), None):
        for model in (Shop, Section, Worker, Period):
            assert not model.objects.visible_to(user).exists()


def test_a_superuser_sees_everything(world):
    root = UserFactory(is_superuser=True, is_staff=True)
    assert Worker.objects.visible_to(root).count() == Worker.objects.count()
    assert Worker.objects.visible_to(root).filter(pk=world.other_worker.pk).exists()
    assert Shop.objects.visible_to(root).count() == Shop.objects.count()
    assert all(can(root, action, world.other_worker) for action in ENTERPRISE_ACTIONS)


# --- permissions.can -----------------------------------------------------------------------


def _inside(world, action):
    """An object of the world's enterprise the action applies to."""
    make = {
        "structure.edit": lambda: world.units["A1"],
        "worker.edit": lambda: world.workers["A1"][1],
        "tariff.edit": lambda: world.rate("piece", 1),
        "scale.edit": lambda: StepScaleFactory(enterprise=world.enterprise),
        "period.close": lambda: world.period(2026, 10),
        "period.request_reopen": lambda: world.period(2026, 9),
        "period.decide_reopen": lambda: world.period(2026, 9),
        "admin.access": lambda: None,
        "history.view": lambda: world.workers["A1"][1],
        "roles.review": lambda: world.enterprise,
    }
    return make[action]()


def _outside(world, action):
    """The same kind of object, of the second enterprise."""
    other = world.other_enterprise
    make = {
        "structure.edit": lambda: world.units["other_section"],
        "worker.edit": lambda: world.other_worker,
        "tariff.edit": lambda: TariffRateFactory(enterprise=other),
        "scale.edit": lambda: StepScaleFactory(enterprise=other),
        "period.close": lambda: PeriodFactory(enterprise=other, year=2026, month=10),
        "period.request_reopen": lambda: PeriodFactory(enterprise=other, year=2026, month=9),
        "period.decide_reopen": lambda: PeriodFactory(enterprise=other, year=2026, month=9),
        "history.view": lambda: world.other_worker,
        "roles.review": lambda: other,
    }
    return make[action]()


# action -> roles of the world that may perform it on the "inside" object
ALLOWED_INSIDE = {
    "structure.edit": {"administrator"},
    "worker.edit": {"administrator", "labour"},
    "tariff.edit": {"labour", "administrator"},
    "scale.edit": {"labour"},
    "period.close": {"labour", "administrator", "deputy_director"},
    "period.request_reopen": {
        "labour",
        "administrator",
        "deputy_director",
        "shop_head",
        "economist",
    },
    "period.decide_reopen": {"deputy_director", "administrator"},
    "admin.access": {"administrator", "labour"},
    "roles.review": {"deputy_director", "administrator"},
    "history.view": {
        "master",
        "shop_head",
        "economist",
        "labour",
        "production_head",
        "deputy_director",
        "administrator",
        "dispatcher",
    },
}


def test_the_table_covers_every_action():
    assert set(ALLOWED_INSIDE) == set(ENTERPRISE_ACTIONS)


@pytest.mark.parametrize("action", sorted(ENTERPRISE_ACTIONS))
def test_it_allows_an_action_to_its_roles_inside_their_unit(world, action):
    obj = _inside(world, action)
    allowed = {role for role in ROLES if can(world.users[role], action, obj)}
    assert allowed == ALLOWED_INSIDE[action]


@pytest.mark.parametrize("action", sorted(set(ENTERPRISE_ACTIONS) - {"admin.access"}))
def test_it_allows_no_action_on_an_object_of_another_enterprise(world, action):
    obj = _outside(world, action)
    assert [role for role in ROLES if can(world.users[role], action, obj)] == []


@pytest.mark.parametrize("role", ["shop_head", "economist"])
def test_it_lets_shop_level_roles_ask_to_reopen_their_enterprises_month(world, role):
    assert can(world.users[role], "period.request_reopen", world.period(2026, 9))


@pytest.mark.parametrize(
    ("key", "allowed"),
    [
        ("A1", set(ALLOWED_INSIDE["history.view"])),
        ("A2", set(ALLOWED_INSIDE["history.view"]) - {"master"}),
        ("B1", {"labour", "production_head", "deputy_director", "administrator"}),
    ],
)
def test_it_limits_a_section_or_shop_role_to_its_own_unit(world, key, allowed):
    worker = world.workers[key][0]
    assert {role for role in ROLES if can(world.users[role], "history.view", worker)} == allowed


def test_it_lets_the_labour_department_edit_any_worker_of_its_enterprise(world):
    labour = world.users["labour"]
    assert all(can(labour, "worker.edit", worker) for worker in world.all_workers())
    assert not can(labour, "worker.edit", world.other_worker)


def test_it_takes_away_an_action_when_the_role_expires(world):
    assignment = world.assignments["labour"]
    assignment.valid_to = timezone.localdate() - datetime.timedelta(days=1)
    assignment.save()
    assert not can(_fresh(world.users["labour"]), "tariff.edit", world.rate("piece", 1))


def test_require_raises_permission_denied(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        require(world.users["master"], "tariff.edit", world.rate("piece", 1))
    require(world.users["labour"], "tariff.edit", world.rate("piece", 1))


def test_it_answers_has_role_from_current_roles(world):
    assert has_role(world.users["economist"], Role.ECONOMIST)
    assert not has_role(world.users["economist"], Role.LABOUR, Role.ADMINISTRATOR)
    assert not has_role(AnonymousUser(), Role.WORKER)


def test_it_grants_admin_model_permissions_by_role(world):
    administrator = _fresh(world.users["administrator"])
    labour = _fresh(world.users["labour"])
    master = _fresh(world.users["master"])
    assert administrator.has_perm("enterprise.change_worker")
    assert administrator.has_perm("enterprise.change_tariffrate")
    assert labour.has_perm("enterprise.change_stepscale")
    assert not labour.has_perm("enterprise.change_shop")
    assert not master.has_perm("enterprise.view_worker")


def test_the_scope_lists_the_units_of_the_grants(world):
    scope = scope_of(world.users["master"])
    assert scope.sections == {world.units["A1"].pk}
    assert scope.shops_seen == {world.units["A"].pk}
    assert scope.roles == {Role.MASTER}
