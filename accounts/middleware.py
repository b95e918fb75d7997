"""Session limits and password age (等保 §9.2).

A signed-in session ends after a while without a request: citizens get
settings.SESSION_IDLE_SECONDS, staff settings.STAFF_SESSION_IDLE_SECONDS. Whatever the activity,
it ends SESSION_ABSOLUTE_SECONDS after sign-in (checked here, on the server, not by the cookie).
Staff whose password is older than STAFF_PASSWORD_MAX_AGE_DAYS must change it first.

Requests a page makes on its own (the certificate status poll of static/js/certificate-status.js)
do not count as activity: a tab left open would otherwise never time out. They are recognised by
URL name (`PASSIVE_URL_NAMES`), not by a header, so no script has to remember to send one.
"""

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.choices import UserKind
from accounts.models import User
from accounts.two_factor import needs_second_factor

LAST_ACTIVITY_KEY = "accounts.last_activity"
# When the session was signed in (seconds since the epoch), for the absolute limit.
SIGNED_IN_AT_KEY = "accounts.signed_in_at"
# Put in the fresh session after an idle sign-out; the sign-in page pops it to explain why.
IDLE_SIGNED_OUT_KEY = "accounts.idle_signed_out"
# URL names of requests that check a session but do not keep it alive.
PASSIVE_URL_NAMES = frozenset({"application-certificate"})
# The stamp is rewritten at most this often, sparing a session write on every request.
STAMP_EVERY_SECONDS = 60


def idle_limit_seconds(user: object) -> int:
    """How long `user`'s session may stay idle: staff get the shorter limit."""
    is_staff = getattr(user, "is_staff", False) or getattr(user, "kind", None) == UserKind.STAFF
    seconds: int = (
        settings.STAFF_SESSION_IDLE_SECONDS if is_staff else settings.SESSION_IDLE_SECONDS
    )
    return seconds


def _is_passive(request: HttpRequest) -> bool:
    # After the view Django has resolved the URL already; before it, resolve it here.
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
    return match.url_name in PASSIVE_URL_NAMES


def _expired(request: HttpRequest, now: float) -> bool:
    """Whether the signed-in session is past its idle or its absolute limit."""
    last = request.session.get(LAST_ACTIVITY_KEY)
    if isinstance(last, int | float) and now - last > idle_limit_seconds(request.user):
        return True
    signed_in = request.session.get(SIGNED_IN_AT_KEY)
    return (
        isinstance(signed_in, int | float) and now - signed_in > settings.SESSION_ABSOLUTE_SECONDS
    )


class SessionTimeoutMiddleware:
    """Sign out a session idle for too long, or signed in for longer than the absolute limit
    (SESSION_ABSOLUTE_SECONDS, whatever the activity); stamp the time of each active request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        if request.user.is_authenticated and _expired(request, now):
            return self._signed_out(request)
        response = self.get_response(request)
        # After the view: a sign-in has just happened, or a sign-out (then nothing to stamp).
        if request.user.is_authenticated:
            # The first request of a session (just signed in) starts the absolute clock; a
            # sign-in always starts a fresh session (login() flushes or rotates it).
            request.session.setdefault(SIGNED_IN_AT_KEY, int(now))
            if not _is_passive(request):
                last = request.session.get(LAST_ACTIVITY_KEY)
                if not isinstance(last, int | float) or now - last >= STAMP_EVERY_SECONDS:
                    request.session[LAST_ACTIVITY_KEY] = int(now)
        return response

    def _signed_out(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        message = _("您已较长时间未操作，为保护账户安全已自动退出，请重新登录。")
        if request.path_info.startswith("/api/") or _is_passive(request):
            # Scripts get JSON, as DRF answers an unauthenticated session request.
            return JsonResponse({"detail": message, "code": "session_idle"}, status=403)
        request.session[IDLE_SIGNED_OUT_KEY] = True
        return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))


def staff_password_expired(user: object, now: datetime) -> bool:
    """Whether `user` is staff whose password is older than STAFF_PASSWORD_MAX_AGE_DAYS (等保 §9.2:
    passwords changed regularly). The age counts from the last change, or from the account's
    creation when no change was recorded. Citizens' passwords do not expire."""
    days: int = settings.STAFF_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not isinstance(user, User) or not needs_second_factor(user):
        return False
    if not user.has_usable_password():
        return False
    changed_at = user.password_changed_at or user.date_joined
    return now - changed_at > timedelta(days=days)


# Paths a member of staff with an expired password may still reach.
_EXPIRED_OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/sign-out/", "/static/", "/healthz")


class PasswordExpiryMiddleware:
    """Send staff whose password has expired to the password page until they change it
    (after StaffTwoFactorMiddleware: the second factor comes first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(_EXPIRED_OPEN_PREFIXES) or not staff_password_expired(
            request.user, timezone.now()
        ):
            return self.get_response(request)
        change_url = reverse("password-change")
        if path != change_url:
            if path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("您的密码已过期，请先修改密码。"), "code": "password_expired"},
                    status=403,
                )
            return HttpResponseRedirect(
                f"{change_url}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)
