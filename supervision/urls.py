"""好差评: rating pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
