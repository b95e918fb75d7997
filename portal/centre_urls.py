"""The citizen centre (我的)."""

from django.urls import URLPattern, path

from portal import centre

urlpatterns: list[URLPattern] = [
    path("", centre.CentreView.as_view(), name="centre"),
    path("profile/", centre.ProfileView.as_view(), name="profile"),
]
