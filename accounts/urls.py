"""Sign-up, sign-in (password or SMS code) and sign-out for citizens (staff sign in through the
same page with a password), password reset and change, change of mobile, and the staff second
factor (accounts.two_factor_urls)."""

from django.contrib.auth.views import LogoutView
from django.urls import URLPattern, URLResolver, include, path

from accounts import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("sign-up/", views.SignUpView.as_view(), name="sign-up"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.SignInCodeView.as_view(), name="sign-in-code"),
    # Django's LogoutView answers POST only (405 to GET), redirecting to LOGOUT_REDIRECT_URL.
    path("sign-out/", LogoutView.as_view(), name="sign-out"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("mobile/", views.MobileChangeView.as_view(), name="mobile-change"),
    path("two-factor/", include("accounts.two_factor_urls")),
]
