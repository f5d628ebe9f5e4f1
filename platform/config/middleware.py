"""Project-wide middleware that is not about tenancy."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from pghistory.middleware import HistoryMiddleware


class SpanishFirstLocaleMiddleware(LocaleMiddleware):
    """Spanish unless the person chose another language with the switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; offices often run
    browsers set to English, and the product is Spanish first.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class HistoryContextMiddleware(HistoryMiddleware):
    """Tags history rows with the user and URL of HTML requests. The GraphQL endpoint is
    left out: its resolvers only read, and every service that writes sets the history
    context itself (``pghistory.context(user=...)``)."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/graphql/"):
            return self.get_response(request)
        return super().__call__(request)
