"""Supervision pages: rating a case, the follow-up of bad ratings, the public 好差评 figures and
the 电子监察 dashboard."""

from django.urls import URLPattern, URLResolver, include, path

from supervision import views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "applications/<int:pk>/rate/", views.EvaluationView.as_view(), name="application-evaluate"
    ),
    path("", include("supervision.followup_urls")),
    path("supervision/", include("supervision.dashboard_urls")),
]
