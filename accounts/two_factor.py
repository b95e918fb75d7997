"""The staff second factor (等保 §9.2: two factors, one of them cryptographic): a TOTP code from an
authenticator app (django-otp), required for every staff account on every request.

A staff member signs in with the password on the ordinary sign-in page; until the session has
passed the second factor (`request.user.is_verified()`, set by django-otp's OTPMiddleware), the
middleware lets it reach only the second-factor pages and sign-out. The first time, the member
enrols an app (`/accounts/two-factor/setup/`); afterwards enters a code (`…/verify/`).
"""

import base64
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

import django_otp
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import SecurityChange, UserKind
from accounts.models import User
from accounts.services import security_change_announce
from audit.choices import AuditAction
from audit.services import REQUEST_USER, audit_record

logger = logging.getLogger(__name__)

DEVICE_NAME = "authenticator"
# Paths an unverified staff session may still reach.
_OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/sign-out/", "/static/", "/healthz")
_OPEN_PREFIXES_I18N = ("/language/", "/i18n/")


def needs_second_factor(user: object) -> bool:
    """Whether `user` is staff: every staff account passes the second factor."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (
            getattr(user, "kind", None) == UserKind.STAFF
            or getattr(user, "is_staff", False)
            or getattr(user, "is_superuser", False)
        )
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled, created once and re-used on reload."""
    User.objects.select_for_update().get(pk=user.pk)  # two tabs enrol one device, not two
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app without a camera."""
    encoded = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


@dataclass(frozen=True)
class CodeResult:
    ok: bool
    message: str = ""


def _clean(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def code_verify(
    *, request: HttpRequest, device: TOTPDevice, code: str, now: datetime
) -> CodeResult:
    """Check a code against `device`, honouring its throttling; on success mark the session
    verified (and confirm a device being enrolled)."""
    token = _clean(code)
    if not (token.isdigit() and len(token) == 6):  # a typo, not a guess: not counted
        return CodeResult(False, _("请输入认证器应用显示的6位数字验证码。"))
    allowed, data = device.verify_is_allowed()
    if not allowed:
        until = (data or {}).get("locked_until")
        seconds = max(1, int((until - now).total_seconds())) if until else 1
        return CodeResult(False, _("错误次数较多，请%(seconds)d秒后再试。") % {"seconds": seconds})
    if not device.verify_token(token):  # counts the failure (throttling) or resets it
        if code_was_used(device, token):  # SEC-AUTH-06: a code works once per time step
            logger.warning("Reused TOTP code refused for user %s", device.user_id)
        return CodeResult(False, _("验证码不正确或已过期，请输入应用当前显示的验证码。"))
    with transaction.atomic():
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # An old device enrolled before an admin reset is gone; any other pending one too.
            TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
            event = audit_record(
                action=AuditAction.MFA_ENROL,
                actor=device.user,
                object_type="otp_device",
                object_id=device.pk,
                request=request,
            )
            security_change_announce(user=device.user, change=SecurityChange.MFA_ENROL, event=event)
        django_otp.login(request, device)
    return CodeResult(True)


def code_was_used(device: TOTPDevice, token: str) -> bool:
    """Whether `token` is a right code of `device` for a time step already used (django-otp
    refuses a code whose step is not after `last_t`): a replayed or shoulder-surfed code."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return bool(totp.verify(int(token), device.tolerance)) and totp.t() <= device.last_t


@transaction.atomic
def second_factor_reset(*, user: User) -> int:
    """Remove the member's devices, so the next sign-in enrols again (a lost phone), and tell
    the member on the channel the account has."""
    deleted: int = TOTPDevice.objects.filter(user=user).delete()[0]
    if deleted:
        event = audit_record(  # by the admin on the request being served
            action=AuditAction.MFA_REMOVE,
            actor=REQUEST_USER,
            object_type="user",
            object_id=user.pk,
            detail={"devices": deleted},
        )
        security_change_announce(
            user=user, change=SecurityChange.MFA_REMOVE, event=event, by_staff=True
        )
    return deleted


@transaction.atomic
def second_factor_device_saved(*, device: TOTPDevice, was_confirmed: bool) -> None:
    """After an administrator saved a device in the admin: one confirmed there (added ready to
    use, or ticked) is an enrolment by staff, recorded and told to the member."""
    if not device.confirmed or was_confirmed:
        return
    event = audit_record(
        action=AuditAction.MFA_ENROL,
        actor=REQUEST_USER,
        object_type="otp_device",
        object_id=device.pk,
    )
    security_change_announce(
        user=device.user, change=SecurityChange.MFA_ENROL, event=event, by_staff=True
    )


@transaction.atomic
def second_factor_device_delete(*, device: TOTPDevice) -> None:
    """Delete one device in the admin; removing a confirmed one is recorded and told."""
    user, confirmed, device_id = device.user, device.confirmed, device.pk
    device.delete()
    if not confirmed:
        return  # an enrolment never finished: nothing the member signs in with changed
    event = audit_record(
        action=AuditAction.MFA_REMOVE,
        actor=REQUEST_USER,
        object_type="otp_device",
        object_id=device_id,
    )
    security_change_announce(
        user=user, change=SecurityChange.MFA_REMOVE, event=event, by_staff=True
    )


def _is_open(path: str) -> bool:
    return path.startswith(_OPEN_PREFIXES) or path.startswith(_OPEN_PREFIXES_I18N)


class StaffTwoFactorMiddleware:
    """Send a staff session that has not passed the second factor to it (after OTPMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            needs_second_factor(user)
            and not user.is_verified()  # type: ignore[union-attr]
            and not _is_open(request.path_info)
        ):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("需要完成双因素认证。"), "code": "second_factor_required"},
                    status=403,
                )
            target = reverse("two-factor")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
