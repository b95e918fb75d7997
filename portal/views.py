"""Site pages: the home page, site-wide search and the health check."""

import logging
import sys
import uuid

from django import db
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

import redis

from matters import selectors
from matters.bundles import bundles_for_public
from matters.caching import public_page
from matters.choices import Audience
from matters.views import listing_context

logger = logging.getLogger(__name__)


@method_decorator(public_page, name="get")
class HomeView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        topics = list(selectors.topic_list_for_public())
        events = list(selectors.life_event_list_for_public())
        context = {
            "person_topics": [t for t in topics if t.audience == Audience.PERSON],
            "legal_topics": [t for t in topics if t.audience == Audience.LEGAL],
            "person_events": [e for e in events if e.audience == Audience.PERSON],
            "legal_events": [e for e in events if e.audience == Audience.LEGAL],
            "departments": selectors.department_list_for_public(),
            "popular": selectors.matter_list_for_public(limit=8).cards,
            "bundles": list(bundles_for_public()[:6]),
        }
        return render(request, "portal/home.html", context)


@method_decorator(public_page, name="get")
class SearchView(View):
    """Site-wide search: today the catalogue; later also the applicant's own cases."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "portal/search.html", listing_context(request))


class LanguageView(View):
    """Remember the visitor's language in a cookie and go back to the page they were on."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        if code not in dict(settings.LANGUAGES):
            raise Http404
        target = request.GET.get("next", "/")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = "/"
        response = HttpResponseRedirect(target)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax", secure=request.is_secure(), httponly=True,
        )  # fmt: skip
        return response


class HealthView(View):
    def get(self, request: HttpRequest) -> JsonResponse:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})


# An outage of PostgreSQL or Redis (connection refused, reset, timed out) is not a bug in the
# request: the client should come back later. Everything else stays a 500.
UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    db.OperationalError,
    db.InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Django calls it inside the `except` of the failed request, so the exception is
    at hand: a database or cache outage answers 503 with Retry-After (a page that needs neither,
    or JSON for the API); anything else is the plain 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE_ERRORS):
        retry_after = settings.SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS
        logger.error("Service unavailable (%s); answered 503", type(error).__name__)
        if request.path_info.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": _("系统繁忙，请稍后再试。"), "code": "service_unavailable"},
                status=503,
            )
        else:
            body = loader.get_template("503.html").render({"retry_after": retry_after})
            response = HttpResponse(body, status=503)
        response["Retry-After"] = str(retry_after)
        response["Cache-Control"] = "no-store"
        return response
    return _incident_response(request)


def _incident_response(request: HttpRequest) -> HttpResponse:
    """The generic 500 (SEC-LOG-01): no traceback, SQL or path in the body, only an incident id
    that is also on the error's log line (and on Django's own `django.request` line), so support
    can find what happened from what the citizen reads out. The traceback is on Django's line."""
    incident_id = str(getattr(request, "request_id", "") or uuid.uuid4().hex)
    request.request_id = incident_id  # type: ignore[attr-defined]  # Django's log line reads it
    logger.error(
        "Unhandled error in %s %s; incident %s",
        request.method,
        request.path_info,
        incident_id,
        extra={"request_id": incident_id, "incident_id": incident_id},
    )
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "detail": _("系统出错，请稍后再试。如需帮助，请提供事件编号。"),
                "code": "server_error",
                "incident_id": incident_id,
            },
            status=500,
        )
    else:
        try:
            body = loader.get_template("500.html").render({"incident_id": incident_id})
        except Exception:  # the error page itself failed (templates, static manifest): plain text
            logger.exception("The 500 page failed to render; incident %s", incident_id)
            body = f"Server Error (500). Incident {incident_id}"
            return HttpResponse(body, status=500, content_type="text/plain; charset=utf-8")
        response = HttpResponse(body, status=500)
    response["Cache-Control"] = "no-store"
    response["X-Incident-Id"] = incident_id
    return response
