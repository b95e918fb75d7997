"""Middleware of the site: the language, and the security headers of every response."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from csp import constants as csp
from csp.middleware import CSPMiddleware, PolicyParts


class LanguageMiddleware:
    """Serve zh-hans unless the visitor chose another language with the switcher (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Chinese government portal
    shows Chinese first, whatever the browser says, and English on request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


# Per-view exceptions to settings.CONTENT_SECURITY_POLICY, by URL name ("namespace:name", or
# "namespace:*" for a whole namespace). Each directive listed replaces the site-wide one.
CSP_VIEW_POLICIES: dict[str, dict[str, list[Any]]] = {
    # The certificate type preview, framed by its admin page: HTML and CSS an administrator wrote
    # for the PDF (<style> elements, rotated seal letters). It may be framed by our own pages and
    # keeps its inline CSS, but runs no script at all and is sandboxed.
    "certificates:type-preview": {
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "script-src": [csp.NONE],
        "frame-ancestors": [csp.SELF],
        "sandbox": [True],
    },
}


def _view_policy(request: HttpRequest) -> dict[str, list[Any]] | None:
    match = request.resolver_match
    if match is None:
        return None
    policy = CSP_VIEW_POLICIES.get(match.view_name)
    if policy is None and match.namespace:
        policy = CSP_VIEW_POLICIES.get(f"{match.namespace}:*")
    return policy


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the per-view exceptions of CSP_VIEW_POLICIES."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        policy = None if report_only else _view_policy(request)
        if policy is not None:
            parts.replace = {**policy, **(parts.replace or {})}
        return parts


def _cacheable_by_design(response: HttpResponseBase) -> bool:
    # A view that chose public caching (or a no-store of its own) knows what it serves.
    directives = response.get("Cache-Control", "").lower()
    return "public" in directives or "no-store" in directives


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on every response to a
    signed-in user (SEC-DP-03), so no personal page stays in a browser's or proxy's cache.

    Public catalogue pages are unaffected for visitors: they are cached server-side only for
    requests without a session cookie (matters.caching.public_page).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if response.status_code >= 500:  # the error pages set their own; the database may be down
            return response
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) and not _cacheable_by_design(response):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
            patch_vary_headers(response, ("Cookie",))
        return response
