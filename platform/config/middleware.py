"""Project-wide middleware that is not about tenancy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django_tenants.utils import get_public_schema_name
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


class PermissionsPolicyMiddleware:
    """Switches off, for every page, the browser features the platform never uses (camera,
    microphone, location...): an injected script or a framed page cannot ask for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def may_hold_personal_data(request: HttpRequest) -> bool:
    """Whether an answer to this request may show personal data.

    Everything on a district's host (the workspace; also its public complaint form and
    tracking page, whose answers echo what was typed or a complaint's stage), and anything
    answered to a signed-in account or API token anywhere (the console, the secretariat's
    pages). Anonymous pages of the platform's host (landing, public figures) stay cacheable.
    """
    tenant = getattr(request, "tenant", None)
    if tenant is not None and tenant.schema_name != get_public_schema_name():
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (and ``private``) on every answer that may hold personal
    data, so neither the browser's cache (a shared office computer, the back button after
    logging out) nor a proxy keeps a copy. Static files and the probes are answered by
    earlier middleware and never get here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if may_hold_personal_data(request):
            add_never_cache_headers(response)
        return response
