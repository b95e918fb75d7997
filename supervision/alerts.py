"""电子监察 (DOMAIN §4.9): yellow and red cards on every running clock, raised by a beat job.

    CASE_DUE_SOON   yellow  the promised deadline is near (see `yellow_due`)
    CASE_OVERDUE    red     in review past the promised deadline
    LEGAL_OVERDUE   red     in review past the statutory deadline (违法超期)
    STEP_DUE_SOON   yellow  the current review step's own limit (环节时限) is near
    STEP_OVERDUE    red     the current review step is past its limit, though the case may be in time
    DEEMED_ACCEPTED red     the intake watchdog accepted a case nobody decided on in 5 working days
    DELIVERY_LATE   red     decided but not delivered within 10 working days (第44条)

"Near" is one working day before the deadline, or, with SUPERVISION_YELLOW_RULE = "percent", once
SUPERVISION_YELLOW_PERCENT of the clock's working days have passed. A suspended case (特别程序) raises
nothing: its clock stands still. Each card is raised once per case, rule and step (a unique
constraint), and resolved when its clock stops: the step passes, the case is decided or delivered.
Red cards tell the case's handler and the department's heads.
"""

import datetime as dt
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from accounts.choices import Role
from applications.choices import Status
from applications.models import Application
from applications.workflow import ChainStep, review_chain
from core.calendar import add_working_days, end_of_day, local_date, working_days_between
from matters.models import DepartmentMembership, MatterVersion
from notifications.choices import Event
from notifications.services import Recipient, notify
from supervision.choices import RULE_COLOR, AlertColor, AlertRule
from supervision.models import Alert

logger = logging.getLogger(__name__)

CASE_RULES = (AlertRule.CASE_DUE_SOON, AlertRule.CASE_OVERDUE, AlertRule.LEGAL_OVERDUE)
STEP_RULES = (AlertRule.STEP_DUE_SOON, AlertRule.STEP_OVERDUE)
CASE_LEVEL = -1  # Alert.step_index of the rules about the whole case
# Deemed acceptances are looked for among cases changed this recently (the job runs every 15 min).
DEEMED_LOOKBACK = dt.timedelta(days=2)


@dataclass(frozen=True)
class Card:
    application_id: int
    rule: AlertRule
    deadline: dt.datetime
    step_index: int = CASE_LEVEL
    step_name: str = ""


def yellow_due(started: dt.datetime, deadline: dt.datetime, now: dt.datetime) -> bool:
    """Whether a clock that started at `started` and runs out at `deadline` is near its end."""
    today, due_on = local_date(now), local_date(deadline)
    if settings.SUPERVISION_YELLOW_RULE == "percent":
        total = working_days_between(local_date(started), due_on)
        elapsed = working_days_between(local_date(started), today)
        percent: int = settings.SUPERVISION_YELLOW_PERCENT
        return elapsed >= math.ceil(total * percent / 100)
    return working_days_between(today, due_on) <= 1


def step_deadline(started: dt.datetime, step: ChainStep) -> dt.datetime | None:
    """The end of a review step's own limit (working days from the day it began), if it has one."""
    if step.time_limit <= 0:
        return None
    return end_of_day(add_working_days(local_date(started), step.time_limit))


def _review_cards(
    application: Application, chain: list[ChainStep], now: dt.datetime
) -> Iterator[Card]:
    accepted, promise, legal = (
        application.accepted_at,
        application.promise_deadline,
        application.legal_deadline,
    )
    if accepted is not None and promise is not None:
        if now > promise:
            yield Card(application.pk, AlertRule.CASE_OVERDUE, promise)
        elif yellow_due(accepted, promise, now):
            yield Card(application.pk, AlertRule.CASE_DUE_SOON, promise)
    if legal is not None and now > legal:
        yield Card(application.pk, AlertRule.LEGAL_OVERDUE, legal)
    started = application.step_started_at or accepted
    step = chain[min(application.step_index, len(chain) - 1)]
    due = step_deadline(started, step) if started is not None else None
    if started is not None and due is not None:
        index = application.step_index
        if now > due:
            yield Card(application.pk, AlertRule.STEP_OVERDUE, due, index, step.name)
        elif yellow_due(started, due, now):
            yield Card(application.pk, AlertRule.STEP_DUE_SOON, due, index, step.name)


def cards_due(*, now: dt.datetime) -> Iterator[Card]:
    """Every card the running clocks call for at `now` (raised or not yet)."""
    chains: dict[int, list[ChainStep]] = {}
    in_review = Application.objects.filter(status=Status.IN_REVIEW).only(
        "pk", "version_id", "accepted_at", "promise_deadline", "legal_deadline", "step_index",
        "step_started_at",
    )  # fmt: skip
    for application in in_review.iterator(chunk_size=2000):
        chain = chains.get(application.version_id)
        if chain is None:
            version = MatterVersion.objects.prefetch_related("steps").get(pk=application.version_id)
            chain = chains[application.version_id] = review_chain(version)
        yield from _review_cards(application, chain, now)
    late = Application.objects.filter(
        status__in=(Status.APPROVED, Status.REJECTED), delivery_deadline__lt=now
    ).values_list("pk", "delivery_deadline")
    for pk, deadline in late.iterator(chunk_size=2000):
        if deadline is not None:
            yield Card(pk, AlertRule.DELIVERY_LATE, deadline)
    deemed = Application.objects.filter(
        deemed_accepted=True, updated_at__gte=now - DEEMED_LOOKBACK
    ).values_list("pk", "received_at")
    for pk, received_at in deemed.iterator(chunk_size=2000):
        if received_at is not None:
            yield Card(pk, AlertRule.DEEMED_ACCEPTED, received_at)


def _heads(department_id: int) -> list[Recipient]:
    users = DepartmentMembership.objects.filter(
        department_id=department_id, role=Role.DEPARTMENT_ADMIN, user__is_active=True
    ).select_related("user")
    return [Recipient(user=membership.user) for membership in users]


def _tell(alert: Alert, application: Application, now: dt.datetime) -> None:
    recipients = _heads(application.department_id)
    if application.assignee is not None:
        recipients.append(Recipient(user=application.assignee))
    if not recipients:
        return
    notify(
        event=Event.ALERT_RAISED,
        recipients=recipients,
        context={
            "matter_name": application.version.name,
            "reference": application.reference or "",
            "query_no": application.query_no or "",
            "color": str(AlertColor(alert.color).label),
            "rule": str(AlertRule(alert.rule).label),
            "deadline": local_date(alert.deadline).isoformat(),
        },
        key=f"alert:{alert.pk}",
        link=reverse("workbench-case", args=[application.pk]),
        now=now,
    )


def _raise(cards: list[Card], now: dt.datetime) -> int:
    """Create the cards not raised before; tell people of the red ones. One transaction."""
    ids = {card.application_id for card in cards}
    existing = set(
        Alert.objects.filter(application_id__in=ids).values_list(
            "application_id", "rule", "step_index"
        )
    )
    new = [c for c in cards if (c.application_id, c.rule, c.step_index) not in existing]
    if not new:
        return 0
    applications = (
        Application.objects.select_related("version", "matter", "assignee").defer("answers")
    ).in_bulk({card.application_id for card in new})
    created = 0
    with transaction.atomic():
        for card in new:
            application = applications[card.application_id]
            alert, was_created = Alert.objects.get_or_create(
                application=application,
                rule=card.rule,
                step_index=card.step_index,
                defaults={
                    "color": RULE_COLOR[card.rule],
                    "step_name": card.step_name,
                    "deadline": card.deadline,
                    "raised_at": now,
                    "department_id": application.department_id,
                    "matter_code": application.matter.implementation_code,
                },
            )
            if not was_created:
                continue  # another run raised it meanwhile
            created += 1
            if alert.color == AlertColor.RED:
                _tell(alert, application, now)
    return created


def alerts_resolve(*, now: dt.datetime) -> int:
    """Close the cards whose clock stopped: the case left review, its step moved, it was delivered."""
    open_cards = Alert.objects.filter(resolved_at__isnull=True)
    running = (Status.IN_REVIEW, Status.SUSPENDED)
    done = (
        open_cards.filter(rule__in=CASE_RULES)
        .exclude(application__status__in=running)
        .update(resolved_at=now)
    )
    done += (
        open_cards.filter(rule__in=STEP_RULES)
        .exclude(Q(application__status__in=running) & Q(application__step_index=F("step_index")))
        .update(resolved_at=now)
    )
    done += (
        open_cards.filter(rule=AlertRule.DELIVERY_LATE)
        .exclude(application__status__in=(Status.APPROVED, Status.REJECTED))
        .update(resolved_at=now)
    )
    # A deemed acceptance is a fact: its card closes when the department has answered it.
    done += open_cards.filter(rule=AlertRule.DEEMED_ACCEPTED, responded_at__isnull=False).update(
        resolved_at=now
    )
    return done


def alerts_raise(*, now: dt.datetime, batch: int = 1000) -> int:
    """The beat job: resolve what stopped, raise what is due; return the number of new cards."""
    alerts_resolve(now=now)
    created, cards = 0, []
    for card in cards_due(now=now):
        cards.append(card)
        if len(cards) >= batch:
            created += _raise(cards, now)
            cards = []
    if cards:
        created += _raise(cards, now)
    if created:
        logger.info("Raised %d supervision cards", created)
    return created
