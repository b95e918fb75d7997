"""The citizen centre (我的)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
