"""Site pages: the home page, site-wide search and the health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import View

from matters import selectors
from matters.choices import Audience
from matters.views import listing_context


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
        }
        return render(request, "portal/home.html", context)


class SearchView(View):
    """Site-wide search: today the catalogue; later also the applicant's own cases."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "portal/search.html", listing_context(request))


class HealthView(View):
    def get(self, request: HttpRequest) -> JsonResponse:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
