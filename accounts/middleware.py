"""Session idle timeout (等保 §9.2): a signed-in session ends after a while without a request.

Citizens get settings.SESSION_IDLE_SECONDS, staff settings.STAFF_SESSION_IDLE_SECONDS; whatever
happens, a session ends after SESSION_COOKIE_AGE (Django's own expiry).

Requests a page makes on its own (the certificate status poll of static/js/certificate-status.js)
do not count as activity: a tab left open would otherwise never time out. They are recognised by
URL name (`PASSIVE_URL_NAMES`), not by a header, so no script has to remember to send one.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from accounts.choices import UserKind

LAST_ACTIVITY_KEY = "accounts.last_activity"
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


class SessionTimeoutMiddleware:
    """Sign out a session idle for too long; stamp the time of each active request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        user = request.user
        if user.is_authenticated:
            last = request.session.get(LAST_ACTIVITY_KEY)
            if isinstance(last, int | float) and now - last > idle_limit_seconds(user):
                return self._signed_out(request)
        response = self.get_response(request)
        # After the view: a sign-in has just happened, or a sign-out (then nothing to stamp).
        if request.user.is_authenticated and not _is_passive(request):
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
