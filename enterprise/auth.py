"""Logging in on the shop floor's shared computers: throttling and the shift's session.

**Throttling** (django-axes, settings ``AXES_*``): after ``AXES_FAILURE_LIMIT`` (10) wrong
passwords for one account from one address, that account is locked *from that address*
for ``AXES_COOLOFF_TIME`` (15 minutes); other accounts at the same address (a shop behind
one NAT) and the same account elsewhere still log in. The locked user sees the login page
again with the time the lock ends (:func:`lockout_response`); the back office sees and
lifts locks in the admin («Попытки доступа»: deleting the row lifts the lock).

**The client's address** (:func:`client_ip`): ``REMOTE_ADDR``, unless the settings'
``TRUSTED_PROXY_COUNT`` says how many reverse proxies stand in front of the application
— then the address the outermost of them saw, taken from the right of
``X-Forwarded-For`` (what a client writes there itself is to the left, never read).

**The shift** (:class:`ShiftSessionMiddleware`): a session lasts one shift from the login,
``SESSION_COOKIE_AGE`` (8 h), however active the user was; its cookie also ends with the
browser (``SESSION_EXPIRE_AT_BROWSER_CLOSE``).
"""

from __future__ import annotations

import datetime
import ipaddress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

SHIFT_STARTED = "shift_started"


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address as the nearest trusted proxy saw it (see the module's notes)."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p]
        if len(forwarded) >= count and (address := _address(forwarded[-count])):
            return address
    return _address(request.META.get("REMOTE_ADDR") or "")


def locked_until(username: str, address: str | None) -> datetime.datetime | None:
    """When the lock of ``username`` from ``address`` ends (None: not known)."""
    from axes.models import AccessAttempt

    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=address)
        .order_by("-attempt_time")
        .first()
    )
    return attempt.attempt_time + settings.AXES_COOLOFF_TIME if attempt else None


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, saying the account is locked from here and until when."""
    from axes.helpers import get_client_username
    from django.contrib.auth.forms import AuthenticationForm

    username = get_client_username(request, credentials) or ""
    until = locked_until(username, client_ip(request))
    form = AuthenticationForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked": True,
            "locked_until": timezone.localtime(until) if until else None,
            "cool_off_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "next": request.POST.get("next", "") if request.method == "POST" else "",
        },
        status=429,
    )


def start_shift(sender, request, user, **kwargs):
    """At a login (``user_logged_in``): the shift's session starts now."""
    if request is not None and hasattr(request, "session"):
        request.session[SHIFT_STARTED] = timezone.now().timestamp()


class ShiftSessionMiddleware:
    """Log out a session older than one shift from its login (activity does not extend it).

    A session with no recorded start (made before this rule) ends too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SHIFT_STARTED)
            now = timezone.now().timestamp()
            if not isinstance(started, int | float) or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, _("Смена закончилась: войдите снова."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
