"""Objects of another section, shop or plant are not there (404) for a scoped user — for
reading and for every action on them; lists, filters and exports leave them out."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from enterprise.models import HistoryRecord, Period, PeriodReopening, StepScale, Worker
from enterprise.models.roles import Role
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.pages import field_errors, form_data
from tests.permission_matrix import matrix_objects


@pytest.fixture
def objects(world):
    return matrix_objects(world)


@pytest.fixture
def outsider(world):
    """Users holding enterprise-wide roles — in the other plant."""

    def make(role):
        user = UserFactory(username=f"other-{role}")
        RoleAssignmentFactory(user=user, role=role, enterprise=world.other_enterprise)
        return user

    return make


def _row(model, pk):
    return model.objects.filter(pk=pk).values().get()


def _worker_post(world, worker, **changes):
    data = {
        "personnel_number": worker.personnel_number,
        "last_name": "Чужой",
        "first_name": worker.first_name,
        "middle_name": worker.middle_name,
        "section": worker.section_id,
        "profession": worker.profession_id,
        "grade": "6",
        "pay_condition": worker.pay_condition_id,
        "birth_date": worker.birth_date.isoformat(),
        "hire_date": worker.hire_date.isoformat(),
        "dismissal_date": "",
    }
    data.update(changes)
    return data


# --- another plant -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LABOUR, Role.ADMINISTRATOR])
@pytest.mark.parametrize("section", ["A1", "B1"])
def test_it_hides_a_worker_from_the_editors_of_another_plant(
    client, world, outsider, role, section
):
    worker = world.workers[section][0]
    client.force_login(outsider(role))
    before, history = _row(Worker, worker.pk), HistoryRecord.objects.count()
    url = reverse("enterprise:worker_edit", args=[worker.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _worker_post(world, worker)).status_code == 404
    assert client.get(worker.get_absolute_url()).status_code == 404
    assert _row(Worker, worker.pk) == before
    assert HistoryRecord.objects.count() == history


def test_it_refuses_a_new_worker_in_a_section_of_another_plant(client, world, outsider):
    administrator = outsider(Role.ADMINISTRATOR)
    client.force_login(administrator)
    count = Worker.objects.count()
    response = client.post(
        reverse("enterprise:worker_create"),
        _worker_post(world, world.workers["A1"][0], personnel_number="9001"),
    )
    # The form offers only the user's own sections: a foreign one is not a valid choice.
    assert response.status_code == 200
    assert field_errors(response.content, "section")
    assert field_errors(response.content, "profession")
    assert Worker.objects.count() == count


def test_it_does_not_move_a_worker_into_another_plant(client, world):
    worker = world.workers["A1"][0]
    before = _row(Worker, worker.pk)
    client.force_login(world.users["labour"])
    form = client.get(reverse("enterprise:worker_edit", args=[worker.pk])).context["form"]
    data = form_data(form) | {"section": world.units["other_section"].pk}
    response = client.post(reverse("enterprise:worker_edit", args=[worker.pk]), data)
    assert response.status_code == 200
    assert "Выберите корректный вариант" in field_errors(response.content, "section")
    assert _row(Worker, worker.pk) == before


@pytest.mark.parametrize("role", [Role.LABOUR, Role.DEPUTY_DIRECTOR, Role.ADMINISTRATOR])
def test_it_hides_the_periods_of_another_plant_from_their_actions(
    client, world, outsider, objects, role
):
    october, september = world.period(2026, 10), world.period(2026, 9)
    pending = objects["pending reopening"]
    client.force_login(outsider(role))
    assert client.get(october.get_absolute_url()).status_code == 404
    assert client.post(reverse("enterprise:period_close", args=[october.pk])).status_code == 404
    assert (
        client.post(
            reverse("enterprise:period_request_reopen", args=[september.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("enterprise:reopening_decide", args=[pending.pk]), {"approve": "1"}
        ).status_code
        == 404
    )
    october.refresh_from_db()
    september.refresh_from_db()
    pending.refresh_from_db()
    assert october.status == Period.Status.OPEN
    assert september.status == Period.Status.CLOSED
    assert september.reopenings.count() == 1
    assert pending.status == PeriodReopening.Status.REQUESTED


def test_it_hides_a_scale_of_another_plant_from_labour(client, world, outsider, objects):
    scale = objects["scale"]
    before = _row(StepScale, scale.pk)
    client.force_login(outsider(Role.LABOUR))
    assert client.get(scale.get_absolute_url()).status_code == 404
    url = reverse("enterprise:scale_edit", args=[scale.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Чужая", "code": "x"}).status_code == 404
    assert _row(StepScale, scale.pk) == before


def test_it_shows_another_plant_nothing_in_the_lists(client, world, outsider):
    client.force_login(outsider(Role.PRODUCTION_HEAD))
    for name in ("shop_list", "section_list", "worker_list", "period_list", "scale_list"):
        response = client.get(reverse(f"enterprise:{name}"))
        records = [row.record for row in response.context["table"].page.object_list]
        mine = {
            "shop_list": lambda r: r.enterprise_id,
            "section_list": lambda r: r.shop.enterprise_id,
            "worker_list": lambda r: r.enterprise_id,
            "period_list": lambda r: r.enterprise_id,
            "scale_list": lambda r: r.enterprise_id,
        }[name]
        assert {mine(r) for r in records} <= {world.other_enterprise.pk}, name


def test_it_shows_the_tariff_grid_of_the_own_plant_only(client, world, outsider):
    client.force_login(outsider(Role.LABOUR))
    rows = client.get(reverse("enterprise:tariff_grid")).context["rows"]
    assert all(row.condition.enterprise_id == world.other_enterprise.pk for row in rows)


# --- another section or shop of the same plant -------------------------------------------


@pytest.mark.parametrize("role", ["master", "brigade_leader"])
def test_it_keeps_a_section_user_in_the_section(client, world, role):
    client.force_login(world.users[role])
    for key in ("A2", "B1"):
        assert client.get(world.units[key].get_absolute_url()).status_code == 404
        for worker in world.workers[key]:
            assert client.get(worker.get_absolute_url()).status_code == 404
    assert client.get(world.units["B"].get_absolute_url()).status_code == 404
    for worker in world.workers["A1"]:
        assert client.get(worker.get_absolute_url()).status_code == 200


def test_it_keeps_a_shop_head_in_the_shop(client, world):
    client.force_login(world.users["shop_head"])
    assert client.get(world.units["B"].get_absolute_url()).status_code == 404
    assert client.get(world.units["B1"].get_absolute_url()).status_code == 404
    for worker in world.workers["B1"]:
        assert client.get(worker.get_absolute_url()).status_code == 404
    for key in ("A1", "A2"):
        assert client.get(world.units[key].get_absolute_url()).status_code == 200


def test_it_keeps_the_head_of_shop_b_out_of_shop_a(client, world):
    head = UserFactory(username="head-b")
    RoleAssignmentFactory(user=head, role=Role.SHOP_HEAD, shop=world.units["B"])
    client.force_login(head)
    assert client.get(world.units["B1"].get_absolute_url()).status_code == 200
    assert client.get(world.units["A"].get_absolute_url()).status_code == 404
    assert client.get(world.units["A1"].get_absolute_url()).status_code == 404
    assert client.get(world.workers["A1"][0].get_absolute_url()).status_code == 404


def test_it_keeps_a_worker_to_his_own_record(client, world):
    client.force_login(world.users["worker"])
    assert client.get(world.worker.get_absolute_url()).status_code == 200
    for worker in world.all_workers():
        if worker.pk != world.worker.pk:
            assert client.get(worker.get_absolute_url()).status_code == 404, worker
    listed = client.get(reverse("enterprise:worker_list")).context["table"].page.object_list
    assert [row.record.pk for row in listed] == [world.worker.pk]


def test_it_lists_only_the_section_of_a_master(client, world):
    client.force_login(world.users["master"])
    listed = client.get(reverse("enterprise:worker_list")).context["table"].page.object_list
    assert {row.record.pk for row in listed} == {w.pk for w in world.workers["A1"]}
    sections = client.get(reverse("enterprise:section_list")).context["table"].page.object_list
    assert [row.record.pk for row in sections] == [world.units["A1"].pk]


def test_it_finds_nothing_when_a_master_filters_by_a_foreign_section(client, world):
    client.force_login(world.users["master"])
    url = reverse("enterprise:worker_list")
    for key in ("B1", "other_section"):
        response = client.get(url, {"section": world.units[key].pk})
        assert response.status_code == 200
        assert not list(response.context["table"].page.object_list), key
    foreign = world.workers["B1"][0]
    found = client.get(url, {"q": foreign.personnel_number}).context["table"].page.object_list
    assert not list(found)


def test_it_exports_only_what_the_user_sees(client, world):
    client.force_login(world.users["master"])
    response = client.get(reverse("enterprise:worker_list"), {"_export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)[1:]
    assert {str(row[0]) for row in rows} == {w.personnel_number for w in world.workers["A1"]}
    # The section filter of a shop head's export stays within the shop too.
    client.force_login(world.users["shop_head"])
    response = client.get(
        reverse("enterprise:worker_list"), {"_export": "csv", "section": world.units["B1"].pk}
    )
    body = response.content.decode("utf-8-sig").splitlines()
    assert len([line for line in body[1:] if line]) == 0


def test_it_counts_on_the_shop_page_only_what_the_user_sees(client, world):
    client.force_login(world.users["master"])
    shop = client.get(world.units["A"].get_absolute_url()).context["shop"]
    assert (shop.section_count, shop.worker_count) == (1, 2)


# --- roles that ended, users without roles ------------------------------------------------


def test_it_shows_nothing_to_a_user_whose_role_has_ended(client, world):
    user = UserFactory(username="retired")
    RoleAssignmentFactory(
        user=user,
        role=Role.LABOUR,
        enterprise=world.enterprise,
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2021, 12, 31),
    )
    client.force_login(user)
    assert client.get(world.workers["A1"][0].get_absolute_url()).status_code == 404
    edit = reverse("enterprise:worker_edit", args=[world.workers["A1"][0].pk])
    assert client.get(edit).status_code == 404
    assert client.get(world.units["A"].get_absolute_url()).status_code == 404
    assert client.get(reverse("enterprise:tariff_grid")).status_code == 404
    assert client.get(reverse("enterprise:tariff_rate_create")).status_code == 404
    assert client.get(reverse("home")).status_code == 200
    listed = client.get(reverse("enterprise:worker_list")).context["table"].page.object_list
    assert not list(listed)


def test_it_shows_nothing_to_a_user_without_roles(client, world):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("home")).status_code == 200
    assert client.get(world.period(2026, 10).get_absolute_url()).status_code == 404
    assert client.get(reverse("enterprise:worker_create")).status_code == 404
    assert client.get(reverse("admin:index")).status_code == 302
    for name in ("shop_list", "worker_list", "period_list"):
        response = client.get(reverse(f"enterprise:{name}"))
        assert not list(response.context["table"].page.object_list), name


def test_it_hides_an_inactive_users_pages(client, world):
    labour = world.users["labour"]
    client.force_login(labour)
    type(labour).objects.filter(pk=labour.pk).update(is_active=False)
    response = client.get(world.workers["A1"][0].get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
