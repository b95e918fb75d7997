"""Celery beat watchdogs of the intake and 补正 clocks (DOMAIN §3.3). Thin: one service per case."""

import logging

from django.utils import timezone

from celery import shared_task

from applications import retention, services

logger = logging.getLogger(__name__)


@shared_task(name="applications.deem_accepted_overdue")
def deem_accepted_overdue_task(**kwargs: object) -> int:
    """Accept by law every case whose 5-working-day intake window passed without a decision."""
    now = timezone.now()
    done = 0
    for application_id in services.intake_overdue_ids(now=now):
        if services.application_deem_accepted(application_id=application_id, now=now):
            done += 1
    return done


@shared_task(name="applications.return_unanswered")
def return_unanswered_task(**kwargs: object) -> int:
    """Close (退件) every case whose 补正 notice expired unanswered."""
    now = timezone.now()
    done = 0
    for application_id in services.supplement_expired_ids(now=now):
        if services.application_return_unanswered(application_id=application_id, now=now):
            done += 1
    return done


@shared_task(name="applications.remind_supplement_due")
def remind_supplement_due_task(**kwargs: object) -> int:
    """Remind applicants two working days before their 补正 window closes."""
    return services.reminders_supplement_due(now=timezone.now())


@shared_task(name="applications.remind_case_due")
def remind_case_due_task(**kwargs: object) -> int:
    """Warn handlers one working day before a case's running deadline."""
    return services.reminders_case_due(now=timezone.now())


@shared_task(name="applications.anonymise_closed_cases")
def anonymise_closed_cases_task(**kwargs: object) -> int:
    """Anonymise the cases closed longer ago than APPLICATION_RETENTION_DAYS (retention)."""
    return retention.applications_anonymise_due(now=timezone.now()).cases
