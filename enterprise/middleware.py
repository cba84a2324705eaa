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
