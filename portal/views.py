"""Site pages: the home page, site-wide search and the health check."""

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from matters import selectors
from matters.bundles import bundles_for_public
from matters.caching import public_page
from matters.choices import Audience
from matters.views import listing_context


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
