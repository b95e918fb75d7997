"""Reminders before a clock runs out: the applicant before the 补正 window closes, the case's
handler before it goes overdue (DOMAIN §11). Beat jobs; each reminder is sent once."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from applications.choices import NoticeStatus, Status
from applications.models import Application, SupplementNotice
from applications.notices import applicant_recipients
from applications.presentation import running_deadline, step_name
from core.calendar import add_working_days, local_date, working_days_between
from notifications.choices import Event
from notifications.selectors import notification_key_used
from notifications.services import Recipient, notify

SUPPLEMENT_REMIND_WORKING_DAYS = 2
CASE_REMIND_WORKING_DAYS = 1
BATCH = 1000


def reminders_supplement_due(*, now: datetime) -> int:
    """Remind applicants whose 补正 notice closes within two working days (once per notice)."""
    today = local_date(now)
    horizon = add_working_days(today, SUPPLEMENT_REMIND_WORKING_DAYS)
    notices = (
        SupplementNotice.objects.filter(
            status=NoticeStatus.OPEN,
            respond_by__gte=now,
            respond_by__date__lte=horizon,
            application__status=Status.SUPPLEMENT_REQUIRED,
        )
        .select_related("application__version", "application__applicant", "application__filed_by")
        .order_by("respond_by", "pk")[:BATCH]
    )
    done = 0
    for notice in notices:
        application = notice.application
        key = f"supplement-due:{notice.pk}"
        if notification_key_used(key=key):
            continue
        with transaction.atomic():
            notify(
                event=Event.SUPPLEMENT_DUE_SOON,
                recipients=applicant_recipients(application),
                context={
                    "matter_name": application.version.name,
                    "reference": application.reference or "",
                    "query_no": application.query_no or "",
                    "deadline": local_date(notice.respond_by).isoformat(),
                    "days_left": working_days_between(today, local_date(notice.respond_by)),
                },
                key=key,
                link=reverse("application-detail", args=[application.pk]),
                now=now,
            )
        done += 1
    return done


def reminders_case_due(*, now: datetime) -> int:
    """Tell each assigned handler about cases whose running deadline falls within one working day
    (once per case and deadline)."""
    today = local_date(now)
    horizon = add_working_days(today, CASE_REMIND_WORKING_DAYS)
    cases = (
        Application.objects.filter(assignee__isnull=False)
        .filter(
            Q(status=Status.RECEIVED, intake_deadline__gte=now, intake_deadline__date__lte=horizon)
            | Q(
                status=Status.IN_REVIEW,
                promise_deadline__gte=now,
                promise_deadline__date__lte=horizon,
            )
        )
        .select_related("version", "assignee")
        .defer("answers")  # encrypted and unused here
        .order_by("pk")[:BATCH]
    )
    done = 0
    for application in cases:
        _label, deadline, _started = running_deadline(application)
        assignee = application.assignee
        if deadline is None or assignee is None:
            continue
        key = f"case-due:{application.pk}:{local_date(deadline).isoformat()}"
        if notification_key_used(key=key):
            continue
        with transaction.atomic():
            notify(
                event=Event.CASE_DUE_SOON,
                recipients=[Recipient(user=assignee)],
                context={
                    "matter_name": application.version.name,
                    "reference": application.reference or "",
                    "query_no": application.query_no or "",
                    "step_name": step_name(application),
                    "due_on": local_date(deadline).isoformat(),
                    "days_left": working_days_between(today, local_date(deadline)),
                },
                key=key,
                link=reverse("workbench-case", args=[application.pk]),
                now=now,
            )
        done += 1
    return done
