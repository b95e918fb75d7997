"""Helpers shared by the application services: firing a transition, saving, refusing clearly."""

__all__ = [
    "AlreadyHandledError", "conflict_for", "deliver", "fire", "remedy_text", "require_text", "save",
]  # fmt: skip

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from django_fsm import TransitionNotAllowed

from accounts.models import User
from applications.choices import EventKind
from applications.conflicts import AlreadyHandledError, conflict_for
from applications.events import event_record
from applications.models import Application
from core.errors import DomainError
from matters.models import MatterVersion


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


def deliver(
    application: Application,
    *,
    actor: User | None,
    role: str,
    method: str,
    note: str,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    """Fire 送达 on the locked case and record it (by a clerk, or by the system when the
    e-certificate is issued)."""
    before = fire(application, application.deliver, at=now)
    save(application, ["completed_at"])
    event_record(
        application=application,
        kind=EventKind.DELIVERED,
        actor=actor,
        role=role,
        at=now,
        from_status=before,
        step_name=_("送达"),
        note=note,
        data={**(data or {}), "method": method},
    )
