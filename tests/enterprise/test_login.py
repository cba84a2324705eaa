"""Logging in on the shop floor's shared computers (issue 11): throttling per account and
address with a cool-off (django-axes), a Russian page when locked, the lock seen and lifted
in the admin; a session lasts one shift from the login and ends with the browser."""

from __future__ import annotations

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enterprise.auth import SHIFT_STARTED, client_ip
from tests.factories import PASSWORD, UserFactory

LOGIN = reverse("login")
HOME = reverse("home")
SHOP_NAT = "10.6.0.1"


def attempt(username: str, password: str, address: str = SHOP_NAT, **extra):
    return Client(REMOTE_ADDR=address, **extra).post(
        LOGIN, {"username": username, "password": password}
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse(
        settings.LOGIN_REDIRECT_URL
    )


@pytest.fixture
def turner(db):
    return UserFactory(username="turner")


@pytest.fixture
def miller(db):
    return UserFactory(username="miller")


def test_the_settings_lock_the_account_and_address_pair_for_a_quarter_hour():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_150_wrong_passwords_then_the_right_one_is_refused_with_the_lock_page(turner):
    for _n in range(150):
        response = attempt("turner", "wrong")
        assert not logged_in(response)
    response = attempt("turner", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(response)
    page = response.content.decode()
    assert "Слишком много неудачных попыток входа под этим именем с этого компьютера" in page
    assert "вход закрыт на 15 мин." in page
    until = timezone.localtime(AccessAttempt.objects.get().attempt_time) + datetime.timedelta(
        minutes=15
    )
    assert f"Попробуйте снова после {until:%H:%M}." in page
    assert 'name="username"' in page and 'value="turner"' in page  # the login form again
    assert "_auth_user_id" not in response.wsgi_request.session


def test_nine_failures_do_not_lock_and_a_success_forgets_them(turner):
    for _n in range(9):
        attempt("turner", "wrong")
    assert logged_in(attempt("turner", PASSWORD))
    for _n in range(9):
        attempt("turner", "wrong")
    assert logged_in(attempt("turner", PASSWORD))  # 18 failures, never 10 in a row


def test_the_lock_holds_only_the_pair(turner, miller):
    for _n in range(10):
        attempt("turner", "wrong")
    assert attempt("turner", PASSWORD).status_code == 429
    assert logged_in(attempt("miller", PASSWORD))  # another user behind the same NAT
    assert logged_in(attempt("turner", PASSWORD, address="10.7.0.1"))  # elsewhere


def test_the_lock_ends_after_the_cool_off(turner):
    for _n in range(10):
        attempt("turner", "wrong")
    assert attempt("turner", PASSWORD).status_code == 429
    # a quarter of an hour and a minute later (the try while locked restarted the clock)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=14))
    assert attempt("turner", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert logged_in(attempt("turner", PASSWORD))


def test_the_back_office_sees_the_lock_in_the_admin_and_lifts_it(world, turner):
    for _n in range(10):
        attempt("turner", "wrong")
    back_office = Client()
    back_office.force_login(world.users["administrator"])
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = back_office.get(changelist)
    assert page.status_code == 200
    text = page.content.decode()
    assert "turner" in text and SHOP_NAT in text
    assert "Попытки доступа" in text  # axes' own Russian names
    assert back_office.get(reverse("admin:index")).content.decode().count("Попытки доступа")
    locked = back_office.get(changelist, {"locked_out": "yes"})
    assert "turner" in locked.content.decode()
    (row,) = AccessAttempt.objects.all()
    delete = reverse("admin:axes_accessattempt_delete", args=[row.pk])
    assert back_office.post(delete, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    assert logged_in(attempt("turner", PASSWORD))


def test_a_worker_does_not_see_the_locks(world):
    client = Client()
    client.force_login(world.users["master"])
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code in (302, 403)


def test_the_address_behind_a_proxy_is_the_one_the_proxy_saw(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.6.0.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.6.0.9"  # the client's own "1.2.3.4" is never read
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "1.2.3.4"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="junk")) == (
        "10.0.0.2"
    )
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_behind_a_proxy_a_forged_header_does_not_escape_the_lock(turner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(10):
        forged = f"192.0.2.{number}, {SHOP_NAT}"
        attempt("turner", "wrong", address="10.0.0.2", HTTP_X_FORWARDED_FOR=forged)
    response = attempt(
        "turner", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.1, {SHOP_NAT}"
    )
    assert response.status_code == 429
    other_shop = attempt("turner", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="10.7.0.1")
    assert logged_in(other_shop)


# --- the shift's session ---------------------------------------------------------------------


def test_the_session_settings_are_a_shift_ending_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_the_session_cookie_ends_with_the_browser(turner):
    client = Client(REMOTE_ADDR=SHOP_NAT)
    response = client.post(LOGIN, {"username": "turner", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    expiry = client.session.get_expiry_date()
    assert datetime.timedelta(hours=7, minutes=59) < expiry - timezone.now()
    assert expiry - timezone.now() <= datetime.timedelta(hours=8)


def _age_session(client, hours: float) -> None:
    session = client.session
    session[SHIFT_STARTED] = timezone.now().timestamp() - hours * 3600
    session.save()


def test_a_session_older_than_a_shift_is_logged_out_however_active(world):
    client = Client()
    client.force_login(world.users["master"])
    _age_session(client, 7.9)
    assert client.get(HOME).status_code == 200  # activity does not renew the shift
    _age_session(client, 8.1)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Смена закончилась: войдите снова." in page


def test_a_session_without_a_start_is_logged_out(world):
    client = Client()
    client.force_login(world.users["master"])
    session = client.session
    del session[SHIFT_STARTED]
    session.save()
    assert client.get(HOME).status_code == 302


def test_the_start_is_the_login_not_the_last_request(world):
    client = Client()
    before = timezone.now().timestamp()
    client.force_login(world.users["master"])
    started = client.session[SHIFT_STARTED]
    assert before <= started <= timezone.now().timestamp()
    client.get(HOME)
    assert client.session[SHIFT_STARTED] == started
    assert re.fullmatch(r"\d+(\.\d+)?", str(started))
