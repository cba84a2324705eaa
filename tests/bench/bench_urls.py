"""The benchmark's URLconf: the application's, and two minimal views on the same stack.

``make bench`` measures every main page beside them: a login-required view that returns an
empty response (the middleware, the session and the user: the floor of any page) and one
that renders the base template with the menus and nothing in it (the floor of a page).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


@login_required
def empty(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def base(request):
    return render(request, "base.html")


urlpatterns = [
    path("__bench__/empty/", empty),
    path("__bench__/base/", base),
    path("", include("config.urls")),
]
