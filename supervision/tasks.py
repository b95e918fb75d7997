"""Beat jobs of supervision: thin, one service each (STYLE R8)."""

from django.utils import timezone

from celery import shared_task

from supervision import alerts, statistics


@shared_task(name="supervision.raise_alerts")
def raise_alerts_task(**kwargs: object) -> int:
    """Raise the yellow and red cards due now, resolve those whose clock stopped."""
    return alerts.alerts_raise(now=timezone.now())


@shared_task(name="supervision.refresh_statistics")
def refresh_statistics_task(**kwargs: object) -> int:
    """Rewrite today's and yesterday's daily figures."""
    return statistics.statistics_refresh_recent(now=timezone.now())


@shared_task(name="supervision.invite_ratings")
def invite_ratings_task(**kwargs: object) -> int:
    """Invite the applicants of cases closed lately to rate them (one-time SMS link)."""
    from supervision.invitations import evaluation_invites_send

    return evaluation_invites_send(now=timezone.now())


@shared_task(name="supervision.followups_due")
def followups_due_task(**kwargs: object) -> int:
    """Remind departments of 差评 follow-ups about to run out or overdue."""
    from supervision.followups import followups_remind_due

    return followups_remind_due(now=timezone.now())
