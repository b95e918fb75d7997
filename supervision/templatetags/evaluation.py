"""`{% evaluation_prompt application %}`: the 好差评 prompt on a case page. A tag, because the
applications app, below supervision, must not import it; the template asks instead."""

from typing import Any

from django import template

from accounts.models import User
from applications.models import Application
from supervision.selectors import evaluation_for, followup_for_rater
from supervision.services import RATEABLE_STATUSES

register = template.Library()


@register.inclusion_tag("supervision/_prompt.html", takes_context=True)
def evaluation_prompt(context: dict[str, Any], application: Application) -> dict[str, Any]:
    user = context["request"].user
    show = isinstance(user, User) and application.status in RATEABLE_STATUSES
    evaluation = evaluation_for(application_id=application.pk, user=user) if show else None
    return {
        "application": application,
        "show": show,
        "evaluation": evaluation,
        "followup": followup_for_rater(evaluation=evaluation),
    }
