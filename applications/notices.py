"""Who hears about each step of a case, and with what (DOMAIN §11). Called by `event_record`, so
every state change writes its messages in the same transaction as its trail entry; the messages
are rows the notification workers send (STYLE R9)."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import UserKind
from applications.choices import EventKind, NoticeStatus, SpecialKind
from applications.models import Application, ApplicationEvent
from applications.presentation import step_name
from core.calendar import local_date
from notifications.choices import Event
from notifications.services import Recipient, notify

# Trail entries that tell the applicant, and the message each sends.
APPLICANT_EVENTS: dict[str, Event] = {
    EventKind.SUBMITTED: Event.APPLICATION_RECEIVED,
    EventKind.FILED_AT_WINDOW: Event.APPLICATION_RECEIVED,
    EventKind.RESUBMITTED: Event.APPLICATION_RECEIVED,
    EventKind.ACCEPTED: Event.APPLICATION_ACCEPTED,
    EventKind.DEEMED_ACCEPTED: Event.APPLICATION_ACCEPTED,
    EventKind.NOT_ACCEPTED: Event.APPLICATION_NOT_ACCEPTED,
    EventKind.SUPPLEMENT_REQUESTED: Event.SUPPLEMENT_REQUESTED,
    EventKind.RETURNED: Event.APPLICATION_RETURNED,
    EventKind.SUSPENDED: Event.APPLICATION_SUSPENDED,
    EventKind.EXTENDED: Event.APPLICATION_EXTENDED,
    EventKind.APPROVED: Event.APPLICATION_APPROVED,
    EventKind.REJECTED: Event.APPLICATION_REJECTED,
    EventKind.DELIVERED: Event.APPLICATION_COMPLETED,
}


def _day(moment: datetime | None) -> str:
    return local_date(moment).isoformat() if moment else ""


def _minute(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def applicant_recipients(application: Application) -> list[Recipient]:
    """Who hears about the case on the applicant's side.

    The applicant (their inbox, e-mail, and the mobile given on the application), and whoever filed
    it for them: a proxy (代办人) is told too, in their own inbox and on their own mobile. A company
    has no inbox anyone reads, so its messages go to the 经办人 who filed, with the contact mobile
    of the application. Staff who filed at the window are not applicants and hear nothing here.
    """
    applicant, filer = application.applicant, application.filed_by
    filer_is_agent = filer.kind == UserKind.CITIZEN and filer.pk != application.applicant_id
    if applicant is not None and applicant.kind == UserKind.LEGAL_PERSON:
        if filer_is_agent:
            return [Recipient(user=filer, mobile=application.applicant_mobile)]
        return [Recipient(mobile=application.applicant_mobile)]
    recipients = [Recipient(user=applicant, mobile=application.applicant_mobile)]
    if filer_is_agent:
        recipients.append(Recipient(user=filer))
    return recipients


def _case_context(application: Application) -> dict[str, object]:
    return {
        "matter_name": application.version.name,
        "reference": application.reference or "",
        "query_no": application.query_no or "",
    }


def _applicant_context(
    application: Application, event: ApplicationEvent, kind: Event
) -> dict[str, object]:
    version = application.version
    context = _case_context(application)
    if kind == Event.APPLICATION_RECEIVED:
        context |= {
            "received_at": _minute(application.received_at),
            "intake_deadline": _day(application.intake_deadline),
        }
    elif kind == Event.SUPPLEMENT_REQUESTED:
        notice = (
            application.supplement_notices.filter(status=NoticeStatus.OPEN).order_by("-pk").first()
        )
        items = [
            {"name": i.get("name", ""), "reason": i.get("reason", "")}
            for i in (notice.items if notice else [])
        ]
        context |= {
            "items": items,
            "deadline": _day(notice.respond_by if notice else None),
            "how": _("登录通办网站在线补正，或到%(place)s提交。")
            % {"place": version.address or _("办事窗口")},
        }
    elif kind == Event.APPLICATION_ACCEPTED:
        context |= {
            "accepted_at": _minute(application.accepted_at),
            "promised_on": _day(application.promise_deadline),
            "hotline": version.complaint_phone or "12345",
        }
    elif kind == Event.APPLICATION_NOT_ACCEPTED:
        context |= {
            "reason": application.decision_reason or event.note,
            "authority": application.competent_authority,
            "remedies": application.remedy_text,
        }
    elif kind == Event.APPLICATION_SUSPENDED:
        procedure = (
            application.special_procedures.filter(ended_at__isnull=True).order_by("-pk").first()
        )
        context |= {
            "kind": str(SpecialKind(procedure.kind).label) if procedure else "",
            "expected_days": procedure.expected_days if procedure else "",
        }
    elif kind == Event.APPLICATION_EXTENDED:
        context |= {"reason": event.note, "new_deadline": _day(application.legal_deadline)}
    elif kind == Event.APPLICATION_APPROVED:
        context |= {
            "decided_on": _day(application.decided_at),
            "delivery": version.result_delivery
            or (_("电子证照将发放至您的证照夹。") if version.result_certificate_type else ""),
        }
    elif kind == Event.APPLICATION_REJECTED:
        context |= {
            "decided_on": _day(application.decided_at),
            "reason": application.decision_reason,
            "remedies": application.remedy_text,
        }
    elif kind == Event.APPLICATION_RETURNED:
        context |= {"reason": event.note}
    elif kind == Event.APPLICATION_COMPLETED:
        context |= {"completed_on": _day(application.completed_at)}
    return context


def notices_for_event(*, application: Application, event: ApplicationEvent, now: datetime) -> None:
    """Write the messages one trail entry causes (none for internal steps such as a review
    opinion). Keyed on the event, so each is sent once per channel."""
    kind = APPLICANT_EVENTS.get(event.kind)
    if kind == Event.SUPPLEMENT_REQUESTED and application.bundle_application_id is not None:
        kind = None  # 一次告知: the bundle tells every department's notice in one message
    if kind is not None:
        notify(
            event=kind,
            recipients=applicant_recipients(application),
            context=_applicant_context(application, event, kind),
            key=f"application-event:{event.pk}",
            link=reverse("application-detail", args=[application.pk]),
            now=now,
        )
    if event.kind == EventKind.ASSIGNED and application.assignee_id is not None:
        assignee = application.assignee
        assert assignee is not None
        notify(
            event=Event.CASE_ASSIGNED,
            recipients=[Recipient(user=assignee)],
            context={
                **_case_context(application),
                "step_name": event.step_name or step_name(application),
                "due_on": _day(application.promise_deadline or application.intake_deadline),
            },
            key=f"application-event:{event.pk}",
            link=reverse("workbench-case", args=[application.pk]),
            now=now,
        )
