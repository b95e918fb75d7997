"""The follow-up of a 差评 (DOMAIN §5.1, §5.3): "谁办理、谁负责".

A bad rating (不满意, 非常不满意) opens a follow-up for the case's department in the rating's own
transaction. The department's head contacts the rater (回访) within
SUPERVISION_FOLLOWUP_CONTACT_WORKING_DAYS, then rectifies or explains and reports back within
SUPERVISION_FOLLOWUP_RESOLVE_WORKING_DAYS; both count working days and end at the end of a day.
A rating the department holds malicious or mistaken is appealed to a supervisor (申诉复核): upheld,
the rating is voided and no longer counted; rejected, the follow-up resumes with its deadlines.

    OPEN ──contact──▶ CONTACTED ──resolve──▶ RECTIFIED | EXPLAINED ──rater rates the outcome
      └──appeal──▶ APPEALED ◀──appeal──┘
                     ├─upheld──▶ VOIDED
                     └─rejected─▶ back to OPEN or CONTACTED
"""

import datetime as dt
from collections.abc import Collection

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from accounts.personal_data import personal_data_reveal
from applications.models import Application
from applications.notices import applicant_recipients
from core.calendar import add_working_days, end_of_day, local_date
from core.errors import ConflictError, DomainError
from notifications.choices import Event
from notifications.models import Notification
from notifications.services import Recipient, notify
from supervision.choices import FollowupStatus, Level
from supervision.followup_permissions import (
    HANDLE,
    access_followup_for_appeal_decision,
    access_followup_for_handling,
    access_followup_for_rater,
)
from supervision.models import Evaluation, Followup

TEXT_MAX = 2000
OUTCOMES = frozenset({FollowupStatus.RECTIFIED, FollowupStatus.EXPLAINED})
APPEALABLE = frozenset({FollowupStatus.OPEN, FollowupStatus.CONTACTED})
REMIND_BATCH = 500
CONTACT_DUE_KEY = "followup-contact-due:"
RESOLVE_DUE_KEY = "followup-resolve-due:"


class FollowupStateError(ConflictError):
    """The follow-up is not in a state that allows the action (someone acted first, or too early)."""


def followup_deadlines(rated_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Return (contact_due, resolve_due) of a rating made at `rated_at`: the end of the working
    day that many working days after the day of the rating (the day itself is not counted)."""
    rated_on = local_date(rated_at)
    contact_days = settings.SUPERVISION_FOLLOWUP_CONTACT_WORKING_DAYS
    resolve_days = settings.SUPERVISION_FOLLOWUP_RESOLVE_WORKING_DAYS
    return (
        end_of_day(add_working_days(rated_on, contact_days)),
        end_of_day(add_working_days(rated_on, resolve_days)),
    )


def _handlers(department_id: int) -> list[User]:
    """The department's heads (部门负责人): who handles its follow-ups."""
    return list(
        User.objects.filter(
            is_active=True,
            department_memberships__department_id=department_id,
            department_memberships__role=Role.DEPARTMENT_ADMIN,
        )
        .distinct()
        .order_by("pk")
    )


def _case_context(application: Application) -> dict[str, object]:
    return {
        "matter_name": application.version.name,
        "reference": application.reference or "",
        "query_no": application.query_no or "",
    }


def _text(value: str, *, field: str, missing: str) -> str:
    """The stripped text of a required field, or a refusal naming it."""
    value = value.strip()
    if not value:
        raise DomainError(missing, errors={field: [missing]})
    if len(value) > TEXT_MAX:
        message = _("内容不能超过%(max)s个字。") % {"max": TEXT_MAX}
        raise DomainError(message, errors={field: [message]})
    return value


def _require_status(followup: Followup, allowed: Collection[str], action: str) -> None:
    if followup.status not in allowed:
        raise FollowupStateError(
            _("该差评当前为“%(status)s”，不能%(action)s。")
            % {"status": followup.get_status_display(), "action": action}
        )


@transaction.atomic
def followup_open(*, evaluation: Evaluation, now: dt.datetime) -> Followup:
    """Open the follow-up of a bad rating and tell the department's heads. Call it inside the
    transaction that records the rating, so the two exist together or not at all."""
    contact_due, resolve_due = followup_deadlines(evaluation.created_at)
    followup = Followup.objects.create(
        evaluation=evaluation,
        department_id=evaluation.department_id,
        status=FollowupStatus.OPEN,
        opened_at=now,
        contact_due=contact_due,
        resolve_due=resolve_due,
    )
    notify(
        event=Event.FOLLOWUP_OPENED,
        recipients=[Recipient(user=user) for user in _handlers(followup.department_id)],
        context={
            **_case_context(evaluation.application),
            "level": str(Level(evaluation.level).label),
            "contact_due": local_date(contact_due).isoformat(),
            "resolve_due": local_date(resolve_due).isoformat(),
        },
        key=f"followup-opened:{followup.pk}",
        link=reverse("followup-detail", args=[followup.pk]),
        now=now,
    )
    return followup


@transaction.atomic
def followup_contact(*, user: User, followup_id: int, note: str, now: dt.datetime) -> Followup:
    """Record that the department contacted the rater (回访), with what was said.

    :raises Followup.DoesNotExist: if the follow-up is not of the user's departments (404).
    :raises PermissionDenied: if the user is not the department's head.
    :raises FollowupStateError: if it is not waiting for contact.
    :raises DomainError: if the note is missing (`errors["note"]`).
    """
    followup = access_followup_for_handling(user=user, followup_id=followup_id)
    _require_status(followup, {FollowupStatus.OPEN}, _("登记回访"))
    followup.contact_note = _text(note, field="note", missing=_("请填写回访记录。"))
    followup.status = FollowupStatus.CONTACTED
    followup.contacted_at, followup.contacted_by = now, user
    followup.save(update_fields=["status", "contacted_at", "contacted_by", "contact_note"])
    return followup


def _rater_recipients(evaluation: Evaluation) -> tuple[list[Recipient], str]:
    """Who rated, and the page they see it on. A window rating has no account behind it: the
    applicant's side of the case is who stood at the counter."""
    application = evaluation.application
    if evaluation.evaluator is not None:
        link = reverse("application-evaluate", args=[application.pk])
        return [Recipient(user=evaluation.evaluator)], link
    return applicant_recipients(application), ""


@transaction.atomic
def followup_resolve(
    *, user: User, followup_id: int, kind: str, text: str, now: dt.datetime
) -> Followup:
    """Report the outcome to the rater: rectified (立行立改, 限期整改) or explained (解释说明).

    :raises Followup.DoesNotExist: if the follow-up is not of the user's departments (404).
    :raises PermissionDenied: if the user is not the department's head.
    :raises FollowupStateError: if the rater has not been contacted yet, or it is closed.
    :raises DomainError: if the kind or the text is missing (`errors` names the field).
    """
    followup = access_followup_for_handling(user=user, followup_id=followup_id)
    _require_status(followup, {FollowupStatus.CONTACTED}, _("反馈处理结果"))
    if kind not in OUTCOMES:
        message = _("请选择处理结果：已整改或已解释说明。")
        raise DomainError(message, errors={"kind": [message]})
    followup.resolution = _text(text, field="text", missing=_("请填写整改情况或解释说明。"))
    followup.status = kind
    followup.resolved_at, followup.resolved_by = now, user
    followup.save(update_fields=["status", "resolved_at", "resolved_by", "resolution"])
    evaluation = followup.evaluation
    recipients, link = _rater_recipients(evaluation)
    notify(
        event=Event.FOLLOWUP_REPORTED,
        recipients=recipients,
        context={
            **_case_context(evaluation.application),
            "outcome": followup.get_status_display(),
            "resolution": followup.resolution,
        },
        key=f"followup-reported:{followup.pk}",
        link=link,
        now=now,
    )
    return followup


@transaction.atomic
def followup_appeal(*, user: User, followup_id: int, reason: str, now: dt.datetime) -> Followup:
    """Ask a supervisor to void a rating the department holds malicious or mistaken (申诉).
    A follow-up is appealed once; its deadlines keep running meanwhile.

    :raises Followup.DoesNotExist: if the follow-up is not of the user's departments (404).
    :raises PermissionDenied: if the user is not the department's head.
    :raises FollowupStateError: if it is closed, under appeal, or was appealed before.
    :raises DomainError: if the reason is missing (`errors["reason"]`).
    """
    followup = access_followup_for_handling(user=user, followup_id=followup_id)
    _require_status(followup, APPEALABLE, _("申诉"))
    if followup.appealed_at is not None:
        raise FollowupStateError(_("该差评已申诉并复核过，不能再次申诉。"))
    followup.appeal_reason = _text(reason, field="reason", missing=_("请填写申诉理由。"))
    followup.status = FollowupStatus.APPEALED
    followup.appealed_at = now
    followup.save(update_fields=["status", "appeal_reason", "appealed_at"])
    return followup


@transaction.atomic
def followup_appeal_decide(
    *, user: User, followup_id: int, upheld: bool, note: str, now: dt.datetime
) -> Followup:
    """Decide an appeal (复核). Upheld: the rating is voided and no longer counted. Rejected: the
    follow-up goes back to where it was (contacted or not), its deadlines unchanged.

    :raises Followup.DoesNotExist: if the follow-up is not of the user's departments (404).
    :raises PermissionDenied: if the user is not a supervisor there.
    :raises FollowupStateError: if it is not under appeal.
    :raises DomainError: if the note is missing (`errors["note"]`).
    """
    followup = access_followup_for_appeal_decision(user=user, followup_id=followup_id)
    _require_status(followup, {FollowupStatus.APPEALED}, _("复核申诉"))
    followup.appeal_note = _text(note, field="note", missing=_("请填写复核意见。"))
    followup.appeal_decided_at, followup.appeal_decided_by = now, user
    if upheld:
        followup.status = FollowupStatus.VOIDED
        evaluation = followup.evaluation
        evaluation.voided = True
        evaluation.save(update_fields=["voided"])
    elif followup.contacted_at is not None:
        followup.status = FollowupStatus.CONTACTED
    else:
        followup.status = FollowupStatus.OPEN
    followup.save(update_fields=["status", "appeal_note", "appeal_decided_at", "appeal_decided_by"])
    return followup


@transaction.atomic
def followup_rate_outcome(*, user: User, followup_id: int, level: int) -> Followup:
    """Record how satisfied the rater is with what the department did (once).

    :raises Followup.DoesNotExist: if it is not the follow-up of the user's rating (404).
    :raises FollowupStateError: if no outcome was reported yet, or it was rated already.
    :raises DomainError: if the level is not one of the five (`errors["level"]`).
    """
    followup = access_followup_for_rater(user=user, followup_id=followup_id)
    if followup.status not in OUTCOMES:
        raise FollowupStateError(_("办理部门反馈处理结果后才能评价。"))
    if followup.rater_level is not None:
        raise FollowupStateError(_("您已评价过处理结果，感谢您的反馈。"))
    if level not in Level.values:
        message = _("请选择满意程度。")
        raise DomainError(message, errors={"level": [message]})
    followup.rater_level = level
    followup.save(update_fields=["rater_level"])
    return followup


def _remind(followup: Followup, *, key: str, step: str, due: dt.datetime, now: dt.datetime) -> bool:
    """Write one reminder to the department's heads; False if there was nobody to tell."""
    with transaction.atomic():
        rows = notify(
            event=Event.FOLLOWUP_DUE,
            recipients=[Recipient(user=user) for user in _handlers(followup.department_id)],
            context={
                **_case_context(followup.evaluation.application),
                "stage": step,
                "due_on": local_date(due).isoformat(),
                "overdue": now > due,
            },
            key=key,
            link=reverse("followup-detail", args=[followup.pk]),
            now=now,
        )
    return bool(rows)


def notification_sent(prefix: str) -> Exists:
    """Whether the message keyed `<prefix><pk of the outer row>` was written: the row of a
    once-only message is the record that it was sent (so batches skip it in the query)."""
    key = Concat(Value(prefix), Cast(OuterRef("pk"), output_field=CharField()))
    return Exists(Notification.objects.filter(key=key))


def followups_remind_due(*, now: dt.datetime) -> int:
    """Remind the department's heads, once per deadline, of follow-ups whose contact or report
    deadline falls within one working day or has passed. Return how many reminders were written.

    Idempotent: each reminder is keyed on the follow-up and the deadline, so a second run (or a
    run after the deadline passed) writes nothing new.
    """
    horizon = end_of_day(add_working_days(local_date(now), 1))
    due = Followup.objects.select_related("evaluation__application__version")
    contact = (
        due.filter(status=FollowupStatus.OPEN, contact_due__lte=horizon)
        .exclude(notification_sent(CONTACT_DUE_KEY))
        .order_by("contact_due", "pk")[:REMIND_BATCH]
    )
    resolve = (
        due.filter(status__in=APPEALABLE, resolve_due__lte=horizon)
        .exclude(notification_sent(RESOLVE_DUE_KEY))
        .order_by("resolve_due", "pk")[:REMIND_BATCH]
    )
    reminded = 0
    for followup in contact:
        reminded += _remind(
            followup,
            key=f"{CONTACT_DUE_KEY}{followup.pk}",
            step=_("回访"),
            due=followup.contact_due,
            now=now,
        )
    for followup in resolve:
        reminded += _remind(
            followup,
            key=f"{RESOLVE_DUE_KEY}{followup.pk}",
            step=_("整改反馈"),
            due=followup.resolve_due,
            now=now,
        )
    return reminded


@transaction.atomic
def followup_contact_number(
    *, user: User, followup_id: int, reason: str, ip: str | None, now: dt.datetime
) -> str:
    """The rater's contact mobile in full, for the department head who must call them back
    (回访); the look is recorded with its reason (accounts.personal_data).

    :raises Followup.DoesNotExist: if it is not a follow-up of the user's departments (404).
    :raises PermissionDenied: if the user does not handle follow-ups there.
    :raises DomainError: if the reason is missing or too short.
    """
    followup = access_followup_for_handling(user=user, followup_id=followup_id)
    application = followup.evaluation.application
    return personal_data_reveal(
        user=user,
        object_type="applications.application",
        object_id=str(application.pk),
        field="applicant_mobile",
        value=application.applicant_mobile,
        reason=reason,
        ip=ip,
        now=now,
        purpose_permission=HANDLE,
    )
