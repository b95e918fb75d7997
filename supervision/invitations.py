"""The SMS link channel of 好差评 (DOMAIN §5.3, §11 EVALUATION_INVITE).

When a case closes, the beat job `supervision.invite_ratings` sends its applicant one invitation
with a link `/rate/<token>/`. The token is the credential for this one purpose: it is signed with
the secret key (salt "supervision.rate") and holds only the case's and the applicant account's
ids and when it was issued, never a name, ID number or mobile. It rates that case once, as that
applicant, for SUPERVISION_RATING_LINK_DAYS, without signing in.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application
from applications.notices import applicant_recipients
from core.errors import DomainError
from notifications.choices import Event
from notifications.services import notify
from supervision.choices import EvaluationChannel, EvaluationObject
from supervision.followups import notification_sent
from supervision.models import Evaluation
from supervision.services import RATEABLE_STATUSES, evaluation_submit

logger = logging.getLogger(__name__)

SALT = "supervision.rate"
INVITE_WINDOW = dt.timedelta(days=30)  # cases closed longer ago are not invited any more
INVITE_BATCH = 500
INVITE_KEY = "evaluation-invite:"


class InvalidRatingLinkError(DomainError):
    """The link was altered, is not a rating link, or has expired."""

    status_code = 404


@dataclass(frozen=True)
class RatingLink:
    """What a valid token stands for."""

    application_id: int
    user_id: int


def invite_key(application_id: int) -> str:
    """The notification key of a case's invitation: sent once, ever."""
    return f"{INVITE_KEY}{application_id}"


def rating_token_make(*, application_id: int, user_id: int, now: dt.datetime) -> str:
    """Return the signed token of a rating link for this case and applicant, issued at `now`."""
    # A plain Signer: the issue time is in the payload, so expiry is checked against `now`.
    return signing.Signer(salt=SALT).sign_object([application_id, user_id, int(now.timestamp())])


def rating_token_read(token: str, *, now: dt.datetime) -> RatingLink:
    """Return what the token stands for if it is genuine and not expired.

    :raises InvalidRatingLinkError: if it was altered, is something else, or has expired.
    """
    try:
        application_id, user_id, issued = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidRatingLinkError(_("评价链接无效。")) from None
    if not all(isinstance(value, int) for value in (application_id, user_id, issued)):
        raise InvalidRatingLinkError(_("评价链接无效。"))
    issued_at = dt.datetime.fromtimestamp(issued, tz=dt.UTC)
    if now - issued_at > dt.timedelta(days=settings.SUPERVISION_RATING_LINK_DAYS):
        raise InvalidRatingLinkError(_("评价链接已过期。"))
    return RatingLink(application_id=application_id, user_id=user_id)


def rating_link_case(*, token: str, now: dt.datetime) -> tuple[Application, Evaluation | None]:
    """Return the case a rating link is for and the applicant's rating of it, if any.

    :raises InvalidRatingLinkError: if the token is not valid, or no longer fits the case.
    """
    link = rating_token_read(token, now=now)
    application = (
        Application.objects.select_related("version", "department")
        .filter(pk=link.application_id, applicant_id=link.user_id)
        .first()
    )
    if application is None:
        raise InvalidRatingLinkError(_("评价链接无效。"))
    evaluation = (
        Evaluation.objects.filter(
            application=application, evaluator_id=link.user_id, object_type=EvaluationObject.CASE
        )
        .order_by("pk")
        .first()
    )
    return application, evaluation


@transaction.atomic
def evaluation_submit_by_link(
    *, token: str, level: int, tags: list[str], comment: str, now: dt.datetime
) -> Evaluation:
    """Record the rating given through an SMS link, as the case's applicant (channel SMS).

    :raises InvalidRatingLinkError: if the token is not valid.
    :raises DomainError: if the case was rated already, or the rating is incomplete.
    """
    link = rating_token_read(token, now=now)
    applicant = User.objects.filter(pk=link.user_id, is_active=True).first()
    if applicant is None:
        raise InvalidRatingLinkError(_("评价链接无效。"))
    try:
        return evaluation_submit(
            user=applicant,
            application_id=link.application_id,
            level=level,
            tags=tags,
            comment=comment,
            now=now,
            channel=EvaluationChannel.SMS,
        )
    except Application.DoesNotExist:  # the case is no longer the account's to rate
        raise InvalidRatingLinkError(_("评价链接无效。")) from None


def _invitable(now: dt.datetime) -> list[Application]:
    """Closed cases of the last 30 days with an applicant account, not rated and not invited."""
    since = now - INVITE_WINDOW
    rated = Evaluation.objects.filter(
        application=OuterRef("pk"),
        evaluator=OuterRef("applicant"),
        object_type=EvaluationObject.CASE,
    )
    return list(
        Application.objects.filter(status__in=RATEABLE_STATUSES, applicant__isnull=False)
        .filter(Q(completed_at__range=(since, now)) | Q(closed_at__range=(since, now)))
        .exclude(Exists(rated))
        .exclude(notification_sent(INVITE_KEY))
        .select_related("version", "applicant", "filed_by")
        .order_by("pk")[:INVITE_BATCH]
    )


def evaluation_invites_send(*, now: dt.datetime) -> int:
    """Invite the applicants of newly closed cases to rate them by SMS link (and in the inbox);
    return how many cases were invited. Each case is invited once (the notification key)."""
    invited = 0
    for application in _invitable(now):
        assert application.applicant_id is not None  # filtered in _invitable
        token = rating_token_make(
            application_id=application.pk, user_id=application.applicant_id, now=now
        )
        with transaction.atomic():
            rows = notify(
                event=Event.EVALUATION_INVITE,
                recipients=applicant_recipients(application),
                context={
                    "matter_name": application.version.name,
                    "reference": application.reference or "",
                    "query_no": application.query_no or "",
                    "rate_url": settings.PORTAL_BASE_URL + reverse("rate-by-link", args=[token]),
                },
                key=invite_key(application.pk),
                link=reverse("application-evaluate", args=[application.pk]),
                now=now,
            )
        invited += bool(rows)
    if invited:
        logger.info("Invited the applicants of %s cases to rate them", invited)
    return invited
