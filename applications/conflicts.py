"""The refusal when someone else changed a case first (two clerks at once): who, when, and what
state the case is in now."""

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.choices import Status
from applications.models import Application, ApplicationEvent
from core.errors import ConflictError


class AlreadyHandledError(ConflictError):
    """Someone else changed the case first (two clerks at once): nothing was changed."""


def conflict_for(application: Application) -> ConflictError:
    """A refusal that says who changed the case last and what it is now."""
    status = Status(application.status).label
    last = (
        ApplicationEvent.objects.filter(application=application)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    if last is not None and last.actor is not None:
        when = timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M")
        return AlreadyHandledError(
            _("该办件已由%(who)s于%(when)s处理（%(what)s），当前状态为“%(status)s”，请刷新后查看。")
            % {
                "who": last.actor.display_name,
                "when": when,
                "what": last.get_kind_display(),
                "status": status,
            }
        )
    return AlreadyHandledError(
        _("办件当前状态为“%(status)s”，不能执行该操作。") % {"status": status}
    )
