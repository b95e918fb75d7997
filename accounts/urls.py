"""Sign-up, sign-in and sign-out for citizens (staff sign in through the same page)."""

from django.contrib.auth.views import LogoutView
from django.urls import URLPattern, path

from accounts import views

urlpatterns: list[URLPattern] = [
    path("sign-up/", views.SignUpView.as_view(), name="sign-up"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    # Django's LogoutView answers POST only (405 to GET), redirecting to LOGOUT_REDIRECT_URL.
    path("sign-out/", LogoutView.as_view(), name="sign-out"),
]
