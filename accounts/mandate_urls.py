"""My companies (法人) and proxies (代办): who I act for and who acts for me."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
