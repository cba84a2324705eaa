"""The version guard (enterprise.versions) on its own: what makes rows stale, and what
the refusal says."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from enterprise import services, versions
from enterprise.models import Worker
from enterprise.models.roles import Role
from enterprise.tracking import acting_as
from tests.factories import WorkerFactory

FIELDS = ("grade", "last_name")
WHEN = r"\d\d\.\d\d\.\d{4} \d\d:\d\d"


def _rows(world):
    return list(Worker.objects.filter(section=world.units["A1"]).order_by("pk"))


def test_unchanged_rows_are_current(world):
    token = versions.stamp((_rows(world), FIELDS))
    versions.check(token, (_rows(world), FIELDS))


def test_an_empty_token_is_not_checked(world):
    versions.check("", (_rows(world), FIELDS))


def test_a_change_of_a_field_the_page_does_not_edit_is_not_stale(world):
    token = versions.stamp((_rows(world), FIELDS))
    Worker.objects.filter(pk=_rows(world)[0].pk).update(middle_name="Иванович")
    versions.check(token, (_rows(world), FIELDS))


def test_a_changed_row_is_stale_and_named_with_who_what_and_when(world):
    labour = world.users[Role.LABOUR]
    token = versions.stamp((_rows(world), FIELDS))
    worker = _rows(world)[0]
    with acting_as(labour):
        worker.grade = 5
        worker.save()

    with pytest.raises(versions.StaleError) as stale:
        versions.check(token, (_rows(world), FIELDS))

    header, *lines = stale.value.messages
    assert "уже изменил другой пользователь" in header
    assert len(lines) == 1
    assert re.fullmatch(rf"{labour.get_full_name()}, {WHEN} — .+: разряд: 3 → 5", lines[0])
    # The version now, for the page shown again: saving with it is accepted.
    versions.check(stale.value.current, (_rows(world), FIELDS))


def test_added_and_removed_rows_are_stale(world):
    token = versions.stamp((_rows(world), FIELDS))
    with acting_as(world.users[Role.LABOUR]):
        WorkerFactory(section=world.units["A1"], last_name="Новиков")
        _rows(world)[0].delete()

    with pytest.raises(versions.StaleError) as stale:
        versions.check(token, (_rows(world), FIELDS))

    lines = stale.value.messages[1:]
    assert any("строка удалена" in line for line in lines), lines
    assert any("строка добавлена" in line and "Новиков" in line for line in lines), lines


def test_a_tampered_token_is_stale_not_skipped(world):
    token = versions.stamp((_rows(world), FIELDS))
    with pytest.raises(versions.StaleError) as stale:
        versions.check(token[:-3] + "abc", (_rows(world), FIELDS))
    assert "Страница устарела" in stale.value.messages[0]


def test_a_long_list_of_changes_is_cut_and_counted(world):
    for _ in range(40):
        WorkerFactory(section=world.units["A1"])
    token = versions.stamp((_rows(world), FIELDS))
    with acting_as(world.users[Role.LABOUR]):
        Worker.objects.filter(section=world.units["A1"]).update(grade=6)
    with pytest.raises(versions.StaleError) as stale:
        versions.check(token, (_rows(world), FIELDS))
    lines = stale.value.messages[1:]
    assert len(lines) == versions.MAX_LINES + 1
    assert lines[-1].startswith("…и ещё изменений:")


def test_the_worker_service_checks_the_version_under_its_lock(world):
    worker = _rows(world)[0]
    token = versions.stamp(([worker], FIELDS))
    with acting_as(world.users[Role.LABOUR]):
        Worker.objects.filter(pk=worker.pk).update(grade=5)
    # A name other than the world's (a random one: it may be «Петров» itself).
    stored_name = worker.last_name
    worker.last_name = "Петров" if stored_name != "Петров" else "Сидоров"
    with pytest.raises(ValidationError) as stale:
        services.worker_save(
            worker=worker, user=world.users[Role.LABOUR], version=token, fields=FIELDS
        )
    assert isinstance(stale.value, versions.StaleError)
    assert "разряд: 3 → 5" in stale.value.messages[1]
    assert Worker.objects.get(pk=worker.pk).last_name == stored_name
