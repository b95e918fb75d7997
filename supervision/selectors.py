"""Read use cases of 好差评."""

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from applications.models import Application
from applications.selectors.citizen import application_list_for_applicant
from supervision.models import Evaluation
from supervision.services import RATEABLE_STATUSES


def evaluation_for(*, application_id: int, user: User) -> Evaluation | None:
    return Evaluation.objects.filter(application_id=application_id, evaluator=user).first()


def applications_awaiting_evaluation(*, user: User) -> QuerySet[Application]:
    """The person's closed cases they have not rated yet, latest first."""
    rated = Evaluation.objects.filter(application=OuterRef("pk"), evaluator=user)
    return (
        application_list_for_applicant(user=user)
        .filter(status__in=RATEABLE_STATUSES)
        .exclude(Exists(rated))
    )
