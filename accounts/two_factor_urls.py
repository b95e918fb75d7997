"""The staff second factor: enrol an authenticator app, then verify a code at each sign-in."""

from django.urls import URLPattern, path

from accounts import two_factor_views as views

urlpatterns: list[URLPattern] = [
    path("", views.TwoFactorStartView.as_view(), name="two-factor"),
    path("setup/", views.TwoFactorSetupView.as_view(), name="two-factor-setup"),
    path("verify/", views.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
]
