"""Share links: the holder lets a third party view and download one certificate until a date."""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import User
from certificates.choices import CertificateStatus
from certificates.models import ShareLink
from certificates.permissions import access_certificate_for_holder
from core.calendar import local_date
from core.errors import DomainError

MAX_SHARE_DAYS = 30


@transaction.atomic
def share_link_create(
    *, user: User, certificate_id: int, days: int, purpose: str, now: datetime
) -> ShareLink:
    """Make a share link valid for `days` (1–30).

    :raises DomainError: for a certificate that is not valid or a period out of range.
    :raises Certificate.DoesNotExist: if `user` does not hold it.
    """
    certificate = access_certificate_for_holder(user=user, certificate_id=certificate_id)
    if certificate.effective_status(local_date(now)) != CertificateStatus.VALID:
        raise DomainError(_("只有有效的证照可以分享。"))
    if not 1 <= days <= MAX_SHARE_DAYS:
        message = _("分享有效期应为1至%(max)d天。") % {"max": MAX_SHARE_DAYS}
        raise DomainError(message, errors={"days": [message]})
    return ShareLink.objects.create(
        certificate=certificate,
        token=secrets.token_urlsafe(24),
        purpose=purpose.strip()[:200],
        created_by=user,
        expires_at=now + timedelta(days=days),
    )


@transaction.atomic
def share_link_revoke(*, user: User, share_id: int, now: datetime) -> ShareLink:
    """The holder withdraws a share link at once.

    :raises ShareLink.DoesNotExist: if `user` did not create it.
    """
    share = ShareLink.objects.select_for_update().get(pk=share_id, created_by=user)
    if share.revoked_at is None:
        share.revoked_at = now
        share.save(update_fields=["revoked_at", "updated_at"])
    return share


def share_link_open(*, token: str, now: datetime) -> ShareLink:
    """The live share link for `token`, counting the view.

    :raises ShareLink.DoesNotExist: if it is unknown, expired or withdrawn (all look the same).
    """
    share = ShareLink.objects.select_related("certificate__type").get(
        token=token, revoked_at__isnull=True, expires_at__gt=now
    )
    ShareLink.objects.filter(pk=share.pk).update(views=F("views") + 1)
    return share
