"""Request-wide context: who is acting (for the history of changes), and the request's
memo of answers computed once (:mod:`enterprise.memo`)."""

from .memo import SAFE_METHODS, request_memo
from .tracking import acting_as


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with (
            acting_as(getattr(request, "user", None)),
            request_memo(active=request.method in SAFE_METHODS),
        ):
            return self.get_response(request)


class LanguageMiddleware:
    """Russian unless the user chose another language (cookie set by ``set_language``).

    The browser's Accept-Language is ignored on purpose: the plant works in Russian,
    and a computer with an English system must not switch the pages by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class MethodNotAllowedMiddleware:
    """An action that only a form's button posts (sign, agree, start a close…), opened by
    its address — typed, bookmarked, or reached by logging in with it as ``next`` — gets
    the application's Russian page instead of an empty 405, which the browser shows as its
    own English error. The page links back to the document the action belongs to (the
    address one level up) when that is a page of the application."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method not in {"GET", "HEAD"}:
            return response
        from django.shortcuts import render
        from django.urls import Resolver404, resolve

        parent = request.path.rstrip("/").rsplit("/", 1)[0] + "/"
        try:
            resolve(parent)
        except Resolver404:
            parent = None
        page = render(request, "405.html", {"document_url": parent}, status=405)
        page["Allow"] = response.get("Allow", "")
        return page
