"""The admin in correct Russian: the model's name in the accusative in its titles and its
«Добавить …» button, messages worded for any name, the scripts' strings translated."""

from __future__ import annotations

import json
import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from enterprise.models.roles import Role
from tests.factories import UserFactory


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_the_worker_list_asks_to_select_a_worker_in_the_accusative(world, client):
    client.force_login(world.users[Role.ADMINISTRATOR])
    html = client.get(reverse("admin:enterprise_worker_changelist")).content.decode()
    assert _title(html).startswith("Выберите рабочего для изменения |")
    assert "Добавить рабочего" in html
    assert "Добавить рабочий" not in html and "Выберите рабочий" not in html


def test_the_add_and_change_forms_name_the_worker_in_the_accusative(world, client):
    client.force_login(world.users[Role.ADMINISTRATOR])
    html = client.get(reverse("admin:enterprise_worker_add")).content.decode()
    assert _title(html).startswith("Добавить рабочего |")
    assert "<h1>Добавить рабочего</h1>" in html
    assert '<li aria-current="page">Добавить рабочего</li>' in html  # the breadcrumb
    assert "Добавить рабочий" not in html
    worker = world.workers["A1"][1]
    html = client.get(reverse("admin:enterprise_worker_change", args=[worker.pk])).content
    assert f"{worker} | Изменить рабочего |" in _title(html.decode())


def test_feminine_names_take_their_accusative_and_inanimate_ones_stay(world, client):
    client.force_login(world.users[Role.ADMINISTRATOR])
    html = client.get(reverse("admin:brigades_brigade_add")).content.decode()
    assert "<h1>Добавить бригаду</h1>" in html
    html = client.get(reverse("admin:enterprise_shop_changelist")).content.decode()
    assert _title(html).startswith("Выберите цех для изменения |")
    assert "Добавить цех" in html


def test_the_messages_that_name_a_model_agree_with_any_name():
    with translation.override("ru"):
        added = gettext("The {name} “{obj}” was added successfully.")
        assert added.format(name="претензия", obj="№ 5") == "Добавлено: претензия «№ 5»."
        another = gettext("Add another %(verbose_name)s") % {"verbose_name": "Строка"}
        assert another == "Добавить ещё: Строка"


def test_the_admin_scripts_note_on_the_time_zone_is_russian(world, client):
    client.force_login(world.users[Role.ADMINISTRATOR])
    script = client.get(reverse("admin:jsi18n")).content.decode()
    # the catalog is JSON in the script: Cyrillic written as \u escapes
    assert json.dumps("время вводится по часовому поясу")[1:-1] in script
    assert json.dumps("Сегодня (%(date)s)")[1:-1] in script


def test_the_background_tasks_are_named_in_russian(db, client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(reverse("admin:index")).content.decode()
    assert "Фоновые задачи" in html and "Tasks Database Backend" not in html
    assert "Попытки входа" in html and ">Axes<" not in html
    html = client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist")
    ).content.decode()
    assert _title(html).startswith("Выберите фоновую задачу для просмотра |")
    assert "Task name" not in html and "Enqueued at" not in html


def test_django_s_own_forms_take_the_accusative_too(db, client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(reverse("admin:auth_user_add")).content.decode()
    assert _title(html).startswith("Добавить пользователя |")
    assert '<li aria-current="page">Добавить пользователя</li>' in html
