"""One-time SMS codes (短信验证码): send a 6-digit code to a mobile, then accept it once.

Only a keyed hash of each code is stored. The text goes straight to the SMS adapter rather than
through `notifications.notify`: a queued notification keeps its text, and a code must never be
stored in clear. Limits come from settings: SMS_CODE_TTL_SECONDS, SMS_CODE_RESEND_SECONDS,
SMS_CODE_DAILY_LIMIT (per mobile and purpose, per calendar day in TIME_ZONE) and
SMS_CODE_MAX_ATTEMPTS.
"""

import logging
import math
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.choices import CodePurpose
from accounts.models import OneTimeCode, User
from core.crypto import blind_index
from core.errors import DomainError
from core.identifiers import mask_mobile
from core.sms import SmsError, get_backend

logger = logging.getLogger(__name__)

CODE_LENGTH = 6


class CodeSendError(DomainError):
    """No code was sent: too soon after the last one, too many today, or the provider refused."""


class CodeError(DomainError):
    """The code typed is wrong, expired, already used or has had too many wrong tries."""


def code_hash(*, purpose: str, mobile: str, code: str) -> str:
    """Keyed hash (HMAC with SECRET_KEY) of a code: the table alone does not reveal any code."""
    return salted_hmac(
        "accounts.codes", f"{purpose}:{mobile}:{code}", algorithm="sha256"
    ).hexdigest()


def code_text(*, code: str) -> str:
    """The text message: the code and how long it lasts, nothing about the person."""
    minutes = math.ceil(settings.SMS_CODE_TTL_SECONDS / 60)
    return _("【通办】您的验证码是%(code)s，%(minutes)d分钟内有效。如非本人操作请忽略。") % {
        "code": code,
        "minutes": minutes,
    }


def code_send(
    *,
    purpose: CodePurpose,
    mobile: str,
    user: User | None = None,
    now: datetime,
    deliver: bool = True,
) -> OneTimeCode:
    """Record a new code for `mobile` (an 11-digit number) and text it.

    `deliver=False` records a decoy that is never sent: where the page must not tell whether a
    mobile is registered, an unknown mobile then meets exactly the same limits and messages.

    :raises CodeSendError: if the last code for this mobile and purpose is too recent, today's
        limit is reached or the SMS provider does not accept the message (then nothing is kept).
    """
    with transaction.atomic():
        sent = OneTimeCode.objects.filter(
            mobile_index=blind_index(mobile, kind="mobile"), purpose=purpose
        )
        last = sent.order_by("-created_at", "-pk").first()
        if last is not None:
            wait = settings.SMS_CODE_RESEND_SECONDS - (now - last.created_at).total_seconds()
            if wait > 0:
                raise CodeSendError(
                    _("请在%(seconds)d秒后再获取验证码。") % {"seconds": math.ceil(wait)}
                )
        day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        if sent.filter(created_at__gte=day_start).count() >= settings.SMS_CODE_DAILY_LIMIT:
            raise CodeSendError(_("今天获取验证码的次数已达上限，请明天再试。"))
        code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
        row = OneTimeCode.objects.create(
            purpose=purpose,
            mobile_index=blind_index(mobile, kind="mobile"),
            user=user,
            code_hash=code_hash(purpose=purpose, mobile=mobile, code=code),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
        )
    if not deliver:
        return row
    # Sent after the row is committed, so a slow provider holds no transaction open.
    try:
        get_backend().send(mobile=mobile, text=code_text(code=code))
    except SmsError:
        logger.warning("SMS code %s to %s not accepted", purpose, mask_mobile(mobile))
        row.delete()  # the citizen may ask again at once
        raise CodeSendError(_("短信发送失败，请稍后再试。")) from None
    logger.info("SMS code %s sent to %s", purpose, mask_mobile(mobile))
    return row


def code_check(*, purpose: CodePurpose, mobile: str, code: str, now: datetime) -> OneTimeCode:
    """Accept `code` for `mobile` once: the latest code of that purpose, if unused and unexpired.

    Every try counts; after SMS_CODE_MAX_ATTEMPTS tries the code is dead even if right.

    :raises CodeError: if there is no live code, or `code` is not it.
    """
    max_attempts = settings.SMS_CODE_MAX_ATTEMPTS
    # The try is recorded in its own transaction, then refused outside it: a caller's rollback
    # must not give the tries back.
    with transaction.atomic():
        # The latest code only: asking for a new one retires the earlier ones.
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(purpose=purpose, mobile_index=blind_index(mobile, kind="mobile"))
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None:
            refusal = _("请先获取验证码。")
        elif row.used_at is not None:
            refusal = _("验证码已使用，请重新获取。")
        elif row.expires_at <= now:
            refusal = _("验证码已过期，请重新获取。")
        elif row.attempts >= max_attempts:
            refusal = _("验证码输入错误次数过多，已失效，请重新获取。")
        else:
            row.attempts += 1  # under the row lock: concurrent tries cannot both count as first
            expected = code_hash(purpose=purpose, mobile=mobile, code=code)
            if constant_time_compare(row.code_hash, expected):
                row.used_at = now
                row.save(update_fields=["attempts", "used_at"])
                return row
            row.save(update_fields=["attempts"])
            left = max_attempts - row.attempts
            if left > 0:
                refusal = _("验证码不正确，还可以再试%(count)d次。") % {"count": left}
            else:
                refusal = _("验证码输入错误次数过多，已失效，请重新获取。")
    raise CodeError(refusal, errors={"sms_code": [refusal]})
