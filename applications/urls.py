"""Citizen and clerk pages for applications."""

from django.urls import include, path

urlpatterns = [
    path("", include("applications.views.citizen_urls")),
    path("workbench/", include("applications.views.staff_urls")),
]
