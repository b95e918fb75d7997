"""Helpers shared by the application services: firing a transition, saving, refusing clearly."""

from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from django_fsm import TransitionNotAllowed

from applications.choices import Status
from applications.models import Application, ApplicationEvent
from core.errors import ConflictError, DomainError
from matters.models import MatterVersion


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


def fire(application: Application, transition: Callable[..., None], **kwargs: Any) -> str:
    """Run a transition; return the status it left. A refused one becomes a clear 409."""
    before = str(application.status)
    try:
        transition(**kwargs)
    except TransitionNotAllowed:
        raise conflict_for(application) from None
    return before


def save(application: Application, fields: Iterable[str]) -> None:
    application.save(update_fields=["status", "updated_at", *fields])


def require_text(value: str, *, field: str, message: str) -> str:
    """The trimmed text, or a refusal naming the field."""
    text = (value or "").strip()
    if not text:
        raise DomainError(message, errors={field: [message]})
    return text


def remedy_text(version: MatterVersion) -> str:
    """复议/诉讼 rights to print on a refusal (行政许可法第38条; DOMAIN §3.1 periods)."""
    review = version.review_authority or _("上一级行政机关或本级人民政府")
    court = version.litigation_court or _("有管辖权的人民法院")
    return _(
        "如不服本决定，可以自知道该决定之日起六十日内向%(review)s申请行政复议，"
        "或者自知道该决定之日起六个月内向%(court)s提起行政诉讼。"
    ) % {"review": review, "court": court}
