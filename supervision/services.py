"""Write use cases of 好差评: a person rates a case they applied for, once, after it closed."""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from applications.choices import Status
from applications.permissions import access_application_for_applicant
from core.errors import DomainError
from supervision.choices import BAD_LEVELS, BadTag, EvaluationChannel, GoodTag, Level
from supervision.models import Evaluation

# Cases that ended in a way worth rating; a voided case was the department's doing, not a service.
RATEABLE_STATUSES = frozenset(
    {Status.COMPLETED, Status.NOT_ACCEPTED, Status.RETURNED, Status.WITHDRAWN}
)
COMMENT_MAX = 500


def tags_for(level: int) -> type[GoodTag] | type[BadTag]:
    """The tags that go with a level: praise for 1–3, what went wrong for 4–5."""
    return BadTag if level in BAD_LEVELS else GoodTag


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
    """Record the person's rating of their closed case (一事一评).

    :raises Application.DoesNotExist: if the case is not theirs (404).
    :raises DomainError: if the case is still open, was rated already, or the rating is incomplete
        (`errors` names the fields).
    """
    application = access_application_for_applicant(user=user, application_id=application_id)
    if application.status not in RATEABLE_STATUSES:
        raise DomainError(_("办件办结后才能评价。"))
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
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                application=application,
                evaluator=user,
                channel=channel,
                level=level,
                tags=list(dict.fromkeys(tags)),
                comment=comment,
                department_id=application.department_id,
                matter_code=application.matter.implementation_code,
                created_at=now,
            )
    except IntegrityError:
        raise DomainError(_("您已评价过该办件，感谢您的反馈。")) from None
