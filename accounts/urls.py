"""Sign-up, sign-in and sign-out for citizens (staff sign in through the same page), and the staff
second factor (accounts.two_factor_urls)."""

from django.contrib.auth.views import LogoutView
from django.urls import URLPattern, URLResolver, include, path

from accounts import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("sign-up/", views.SignUpView.as_view(), name="sign-up"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    # Django's LogoutView answers POST only (405 to GET), redirecting to LOGOUT_REDIRECT_URL.
    path("sign-out/", LogoutView.as_view(), name="sign-out"),
    path("two-factor/", include("accounts.two_factor_urls")),
]
