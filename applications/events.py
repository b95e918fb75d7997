"""The trail writer (全程留痕): every state change of an application writes one event, in the
service's transaction (STYLE R7)."""

from datetime import datetime
from typing import Any

from accounts.models import User
from applications.choices import EventKind
from applications.models import Application, ApplicationEvent
from applications.notices import notices_for_event
from applications.signals import case_event_recorded
from audit.choices import AuditAction
from audit.services import audit_record


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def event_record(
    *,
    application: Application,
    kind: EventKind,
    actor: User | None,
    at: datetime,
    from_status: str = "",
    role: str = "",
    step_name: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> ApplicationEvent:
    """Append one event and write the messages it causes; `actor=None` means the system acted
    (a watchdog, 秒批, or a certificate's issue)."""
    event = ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        actor_role=role,
        from_status=from_status,
        to_status=application.status,
        step_name=step_name,
        note=note,
        data=data or {},
        at=at,
        deadlines={
            "intake": _iso(application.intake_deadline),
            "promise": _iso(application.promise_deadline),
            "legal": _iso(application.legal_deadline),
            "delivery": _iso(application.delivery_deadline),
        },
    )
    notices_for_event(application=application, event=event, now=at)
    case_event_recorded.send(Application, application=application, event=event, at=at)
    audit_record(  # last: the audit lock is held until the service's transaction ends
        action=AuditAction.CASE_TRANSITION,
        actor=actor,
        object_type="application",
        object_id=application.pk,
        detail={"kind": kind, "from": from_status, "to": application.status, "event": event.pk},
    )
    return event
