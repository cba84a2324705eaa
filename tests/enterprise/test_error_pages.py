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


def test_an_action_opened_by_its_address_gets_the_russian_page(world, client):
    """A button's action (here: agreeing a plan) reached by a GET — e.g. logging in with it
    as ``next`` — changes nothing and says so in Russian, with the way back to the plan."""
    from planning.models import PersonalPlan
    from tests.planning.factories import PersonalPlanFactory

    plan = PersonalPlanFactory(worker=world.worker)
    client.force_login(world.users[Role.WORKER])
    url = reverse("planning:plan_agree", args=[plan.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Это действие выполняется кнопкой на странице документа" in html
    assert f'href="{plan.get_absolute_url()}" data-testid="method-not-allowed-document"' in html
    assert 'data-testid="nav-my-plan"' in html  # in the site's layout, with his menu
    plan.refresh_from_db()
    assert plan.status == PersonalPlan.Status.DRAFT  # nothing done


def test_the_405_page_offers_no_link_that_is_not_a_page(rf):
    from django.http import HttpResponse, HttpResponseNotAllowed

    from enterprise.middleware import MethodNotAllowedMiddleware

    request = rf.get("/no-such-place/start/")
    request.user = AnonymousUser()
    response = MethodNotAllowedMiddleware(lambda r: HttpResponseNotAllowed(["POST"]))(request)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "method-not-allowed-document" not in response.content.decode()
    post = rf.post("/x/")
    answered = HttpResponseNotAllowed(["GET"])
    assert MethodNotAllowedMiddleware(lambda r: answered)(post) is answered  # a POST: as is
    kept = HttpResponse("custom", status=405)
    assert MethodNotAllowedMiddleware(lambda r: kept)(request) is kept  # a page of its own
