"""The staff second factor: enrol an authenticator app, then verify a code at each sign-in."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
