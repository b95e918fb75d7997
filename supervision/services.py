"""Write use cases of 好差评: a person rates a case they applied for, once, after it closed
(一事一评, online or by the SMS link); the person at the counter rates a window visit (一次一评).
A 差评 opens its follow-up (`supervision.followups`) in the same transaction."""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from applications.choices import Status
from applications.permissions import access_application_for_applicant
from core.errors import DomainError
from supervision.choices import (
    BAD_LEVELS,
    BadTag,
    EvaluationChannel,
    EvaluationObject,
    GoodTag,
    Level,
)
from supervision.followup_permissions import access_application_for_window_rating
from supervision.followups import followup_open
from supervision.models import Evaluation

# Cases that ended in a way worth rating; a voided case was the department's doing, not a service.
RATEABLE_STATUSES = frozenset(
    {Status.COMPLETED, Status.NOT_ACCEPTED, Status.RETURNED, Status.WITHDRAWN}
)
COMMENT_MAX = 500


def tags_for(level: int) -> type[GoodTag] | type[BadTag]:
    """The tags that go with a level: praise for 1–3, what went wrong for 4–5."""
    return BadTag if level in BAD_LEVELS else GoodTag


def _cleaned(*, level: int, tags: Sequence[str], comment: str) -> tuple[list[str], str]:
    """The tags (deduplicated, in order) and the stripped comment of a complete rating.

    :raises DomainError: if the rating is incomplete (`errors` names the fields).
    """
    errors: dict[str, list[str]] = {}
    if level not in Level.values:
        errors["level"] = [_("请选择满意程度。")]
    else:
        allowed = tags_for(level).values
        if any(tag not in allowed for tag in tags):
            errors["tags"] = [_("所选标签与满意程度不符，请重新选择。")]
        comment = comment.strip()
        if len(comment) > COMMENT_MAX:
            errors["comment"] = [_("评价内容不能超过500个字。")]
        if level in BAD_LEVELS and not tags and not comment:
            errors["comment"] = [_("请告诉我们哪里没做好：选择标签或填写评价内容。")]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    return list(dict.fromkeys(tags)), comment


def _record(evaluation: Evaluation, *, now: datetime, already: str) -> Evaluation:
    """Save a new rating; a bad one opens its follow-up in the same transaction.

    :raises DomainError: with `already` if the case was rated already (the unique constraints).
    """
    try:
        with transaction.atomic():
            evaluation.save(force_insert=True)
    except IntegrityError:
        raise DomainError(already) from None
    if evaluation.is_bad:
        followup_open(evaluation=evaluation, now=now)
    return evaluation


@transaction.atomic
def evaluation_submit(
    *,
    user: User,
    application_id: int,
    level: int,
    tags: Sequence[str],
    comment: str,
    now: datetime,
    channel: str = EvaluationChannel.WEB,
) -> Evaluation:
    """Record the person's rating of their closed case (一事一评); a 差评 opens its follow-up.

    :raises Application.DoesNotExist: if the case is not theirs (404).
    :raises DomainError: if the case is still open, was rated already, or the rating is incomplete
        (`errors` names the fields).
    """
    application = access_application_for_applicant(user=user, application_id=application_id)
    if application.status not in RATEABLE_STATUSES:
        raise DomainError(_("办件办结后才能评价。"))
    tags, comment = _cleaned(level=level, tags=tags, comment=comment)
    evaluation = Evaluation(
        application=application,
        evaluator=user,
        object_type=EvaluationObject.CASE,
        channel=channel,
        level=level,
        tags=tags,
        comment=comment,
        department_id=application.department_id,
        matter_code=application.matter.implementation_code,
        created_at=now,
    )
    return _record(evaluation, now=now, already=_("您已评价过该办件，感谢您的反馈。"))


@transaction.atomic
def evaluation_submit_at_window(
    *,
    clerk: User,
    application_id: int,
    level: int,
    tags: Sequence[str],
    comment: str,
    now: datetime,
) -> Evaluation:
    """Record the rating the person at the counter gave the clerk's service on the window tablet
    (一次一评): once per case, not signed in, the clerk as the one rated. A 差评 opens its
    follow-up, as online.

    :raises Application.DoesNotExist: if the case is not of the clerk's departments (404).
    :raises PermissionDenied: if the user is not a window clerk there.
    :raises DomainError: if the visit was rated already, or the rating is incomplete.
    """
    application = access_application_for_window_rating(
        user=clerk, application_id=application_id, lock=True
    )
    tags, comment = _cleaned(level=level, tags=tags, comment=comment)
    evaluation = Evaluation(
        application=application,
        evaluator=None,
        object_type=EvaluationObject.WINDOW,
        staff=clerk,
        channel=EvaluationChannel.WINDOW,
        level=level,
        tags=tags,
        comment=comment,
        department_id=application.department_id,
        matter_code=application.matter.implementation_code,
        created_at=now,
    )
    return _record(evaluation, now=now, already=_("本次窗口服务已评价，感谢您的反馈。"))
