"""The application's own error pages: Russian, in the site's layout, never Django's debug or
English pages (the tests run with DEBUG off, as ``make run`` does)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from enterprise.models.roles import Role


def test_the_tests_run_with_debug_off(settings):
    assert settings.DEBUG is False


def test_an_unknown_address_answers_the_russian_404_page(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Не найдено · Хозрасчёт</title>" in html
    assert "Страница не найдена" in html
    assert "Page not found" not in html and "URLconf" not in html


def test_a_worker_s_404_keeps_his_menu(world, client):
    client.force_login(world.users[Role.WORKER])
    response = client.get(reverse("enterprise:worker_detail", args=[world.other_worker.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "Страница не найдена" in html
    assert 'data-testid="nav-my-plan"' in html
    assert 'data-testid="nav-tariffs"' not in html


def test_the_403_page_says_why_in_russian(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(
        request, PermissionDenied("Удалить поправку может только тот, кто её внёс.")
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "Доступ запрещён" in html
    assert "Удалить поправку может только тот, кто её внёс." in html


def test_a_refused_csrf_token_gets_the_russian_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Форма устарела" in html
    assert "CSRF verification failed" not in html


def test_the_500_page_needs_no_request():
    html = render_to_string("500.html")
    assert "Ошибка сервера" in html and "ничего не сохранено" in html
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Ошибка сервера" in response.content.decode()
    assert "/static/vendor/bootstrap/" in response.content.decode()
