"""Review: passing and sending back steps, special procedures, the extension, claiming and assigning."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from applications import deadlines
from applications.choices import EventKind, SpecialKind, Status
from applications.events import event_record
from applications.models import Application, Extension, SpecialProcedure
from applications.permissions import (
    access_application_for_assignment,
    access_application_for_claim,
    access_application_for_extension,
    access_application_for_step,
)
from applications.services.common import conflict_for, fire, require_text, save
from applications.workflow import current_step, stage_role
from core.errors import ConflictError, DomainError
from matters.choices import CaseType
from matters.permissions import department_roles

MAX_SPECIAL_DAYS = 120


def _not_immediate(application: Application) -> None:
    """A 即办件 is decided on the spot (第34条): no special procedure, no extension."""
    if application.version.case_type == CaseType.IMMEDIATE:
        raise DomainError(_("即办件应当场办结，不能启动特别程序或延长期限。"))


@transaction.atomic
def application_step_pass(
    *, user: User, application_id: int, now: datetime, opinion: str
) -> Application:
    """Record the current step's opinion and hand the case to the next step.

    :raises DomainError: without an opinion, or at the decision step (decide instead).
    :raises PermissionDenied: if the step belongs to another role.
    """
    application = access_application_for_step(user=user, application_id=application_id)
    text = require_text(opinion, field="opinion", message=_("请填写本环节的办理意见。"))
    if (
        application.status == Status.IN_REVIEW
        and application.step_index + 1 >= application.step_count
    ):
        raise DomainError(_("本环节是决定环节，请作出准予或不予许可的决定。"))
    step = current_step(application)
    before = fire(application, application.pass_step, at=now)
    save(application, ["step_index", "assignee", "step_started_at"])
    event_record(
        application=application,
        kind=EventKind.STEP_PASSED,
        actor=user,
        role=step.role,
        at=now,
        from_status=before,
        step_name=step.name,
        note=text,
        data={"to_step": current_step(application).name},
    )
    return application


@transaction.atomic
def application_send_back(
    *, user: User, application_id: int, now: datetime, reason: str
) -> Application:
    """Send the case back one step, with the reason.

    :raises DomainError: without a reason, or at the first step.
    """
    application = access_application_for_step(user=user, application_id=application_id)
    text = require_text(reason, field="reason", message=_("请写明退回的理由。"))
    if application.status == Status.IN_REVIEW and application.step_index == 0:
        raise DomainError(_("这是第一个审查环节，不能再退回。"))
    step = current_step(application)
    before = fire(application, application.send_back, at=now)
    save(application, ["step_index", "assignee", "step_started_at"])
    event_record(
        application=application,
        kind=EventKind.SENT_BACK,
        actor=user,
        role=step.role,
        at=now,
        from_status=before,
        step_name=step.name,
        note=text,
        data={"to_step": current_step(application).name},
    )
    return application


@transaction.atomic
def application_suspend(
    *,
    user: User,
    application_id: int,
    now: datetime,
    kind: str,
    reason: str,
    expected_days: int,
) -> SpecialProcedure:
    """Start a special procedure (听证、检验检测、专家评审、现场核查 …): the clock stops, and the
    applicant is told the expected duration (第45条).

    :raises DomainError: without a kind, a reason or a sensible expected duration.
    """
    application = access_application_for_step(user=user, application_id=application_id)
    errors: dict[str, list[str]] = {}
    if kind not in SpecialKind.values:
        errors["kind"] = [_("请选择特别程序的种类。")]
    if not (reason or "").strip():
        errors["reason"] = [_("请写明特别程序的理由和依据。")]
    if not 1 <= expected_days <= MAX_SPECIAL_DAYS:
        errors["expected_days"] = [
            _("预计所需时间应为 1 至 %(n)d 个工作日。") % {"n": MAX_SPECIAL_DAYS}
        ]
    if errors:
        raise DomainError(_("特别程序告知书还不完整，请按提示修改。"), errors=errors)
    _not_immediate(application)
    step = current_step(application)
    before = fire(application, application.suspend)
    save(application, [])
    procedure = SpecialProcedure.objects.create(
        application=application,
        kind=kind,
        reason=reason.strip(),
        expected_days=expected_days,
        started_at=now,
        started_by=user,
    )
    event_record(
        application=application,
        kind=EventKind.SUSPENDED,
        actor=user,
        role=step.role,
        at=now,
        from_status=before,
        step_name=step.name,
        note=reason.strip(),
        data={"special": kind, "expected_days": expected_days},
    )
    return procedure


@transaction.atomic
def application_resume(
    *, user: User, application_id: int, now: datetime, result: str
) -> Application:
    """End the running special procedure with its result; the deadlines move by the working days
    it took.

    :raises DomainError: without a result.
    """
    application = access_application_for_step(user=user, application_id=application_id)
    text = require_text(result, field="result", message=_("请填写特别程序的结果。"))
    procedure = application.special_procedures.filter(ended_at__isnull=True).first()
    if application.status != Status.SUSPENDED or procedure is None:
        raise conflict_for(application)
    paused = deadlines.working_days_paused(procedure.started_at, now)
    total = application.paused_working_days + paused
    assert application.accepted_at is not None
    step = current_step(application)
    before = fire(
        application,
        application.resume,
        paused_days=paused,
        promise_deadline=deadlines.promise_deadline(
            application.version, application.accepted_at, paused_days=total
        ),
        legal_deadline=deadlines.legal_deadline(
            application.version,
            application.accepted_at,
            paused_days=total,
            extension=application.extension_days,
        ),
    )
    save(application, ["paused_working_days", "promise_deadline", "legal_deadline"])
    procedure.ended_at, procedure.ended_by = now, user
    procedure.result, procedure.paused_days = text, paused
    procedure.save(update_fields=["ended_at", "ended_by", "result", "paused_days", "updated_at"])
    event_record(
        application=application,
        kind=EventKind.RESUMED,
        actor=user,
        role=step.role,
        at=now,
        from_status=before,
        step_name=step.name,
        note=text,
        data={"paused_working_days": paused},
    )
    return application


@transaction.atomic
def application_extend(
    *, user: User, application_id: int, now: datetime, days: int, reason: str
) -> Extension:
    """Extend the statutory period once, by at most 10 working days, approved by the organ's head
    (第42条); the applicant is told the reason and the new deadline.

    :raises DomainError: without a reason, beyond 10 days, or if the case was already extended.
    :raises PermissionDenied: if the user is not an approver of the department.
    """
    application = access_application_for_extension(user=user, application_id=application_id)
    text = require_text(reason, field="reason", message=_("请写明延长期限的理由。"))
    if not 1 <= days <= deadlines.MAX_EXTENSION_DAYS:
        message = _("延长期限应为 1 至 %(n)d 个工作日。") % {"n": deadlines.MAX_EXTENSION_DAYS}
        raise DomainError(message, errors={"days": [message]})
    if application.extension_days:
        raise ConflictError(_("每个办件只能延长一次办理期限，本件已经延长过。"))
    _not_immediate(application)
    if application.status != Status.IN_REVIEW or application.accepted_at is None:
        raise conflict_for(application)
    before = fire(
        application,
        application.extend,
        days=days,
        legal_deadline=deadlines.legal_deadline(
            application.version,
            application.accepted_at,
            paused_days=application.paused_working_days,
            extension=days,
        ),
    )
    save(application, ["extension_days", "legal_deadline"])
    extension = Extension.objects.create(
        application=application, days=days, reason=text, approved_by=user, approved_at=now
    )
    event_record(
        application=application,
        kind=EventKind.EXTENDED,
        actor=user,
        role="APPROVER",
        at=now,
        from_status=before,
        step_name=current_step(application).name,
        note=text,
        data={"days": days},
    )
    return extension


@transaction.atomic
def application_claim(*, user: User, application_id: int, now: datetime) -> Application:
    """Take the case at its current step (认领), so colleagues see who is on it.

    :raises ConflictError: if a colleague already claimed it.
    """
    application = access_application_for_claim(user=user, application_id=application_id)
    if application.is_terminal:
        raise conflict_for(application)
    if application.assignee_id == user.pk:
        return application
    if application.assignee_id is not None:
        assert application.assignee is not None
        raise ConflictError(
            _("该办件已由%(who)s认领。") % {"who": application.assignee.display_name}
        )
    application.assignee = user
    application.save(update_fields=["assignee", "updated_at"])
    event_record(
        application=application,
        kind=EventKind.CLAIMED,
        actor=user,
        at=now,
        from_status=application.status,
    )
    return application


@transaction.atomic
def application_assign(
    *, user: User, application_id: int, assignee_id: int, now: datetime
) -> Application:
    """Assign the case to a colleague who holds the role of its current step.

    :raises DomainError: if the colleague may not handle the current step.
    """
    application = access_application_for_assignment(user=user, application_id=application_id)
    if application.is_terminal:
        raise conflict_for(application)
    assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
    role = stage_role(application)
    if assignee is None or role not in department_roles(assignee, application.department_id):
        message = _("只能分派给本部门负责当前环节的工作人员。")
        raise DomainError(message, errors={"assignee": [message]})
    application.assignee = assignee
    application.save(update_fields=["assignee", "updated_at"])
    event_record(
        application=application,
        kind=EventKind.ASSIGNED,
        actor=user,
        at=now,
        from_status=application.status,
        note=assignee.display_name,
        data={"assignee": assignee.pk},
    )
    return application
