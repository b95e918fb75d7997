"""Deciding (准予 / 不予许可), delivering, withdrawing and voiding."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from applications import deadlines
from applications.choices import DeliveryMethod, EventKind, Status
from applications.events import event_record
from applications.models import Application
from applications.permissions import (
    access_application_for_applicant,
    access_application_for_delivery,
    access_application_for_step,
    access_application_for_void,
)
from applications.services.common import (
    conflict_for,
    deliver,
    fire,
    remedy_text,
    require_text,
    save,
)
from applications.services.results import result_certificate_request
from applications.workflow import current_step
from certificates.services import certificates_void_for_source
from core.errors import ConflictError, DomainError


def _decision_step(application: Application) -> None:
    if (
        application.status == Status.IN_REVIEW
        and application.step_index + 1 < application.step_count
    ):
        raise DomainError(_("还没有到决定环节，请先完成当前环节。"))


@transaction.atomic
def application_approve(
    *, user: User, application_id: int, now: datetime, opinion: str = ""
) -> Application:
    """Grant the licence (准予许可) at the decision step; delivery is due within 10 working days.

    :raises ConflictError: while a 容缺 material is still owed.
    :raises PermissionDenied: if the user does not hold the decision step's role.
    """
    application = access_application_for_step(user=user, application_id=application_id)
    _decision_step(application)
    owed = application.materials.owed()
    if application.status == Status.IN_REVIEW and owed.exists():
        names = "、".join(m.material_name for m in owed)
        raise ConflictError(_("容缺材料尚未补齐（%(names)s），暂不能作出决定。") % {"names": names})
    step = current_step(application)
    text = opinion.strip() or _("经审查，申请符合法定条件和标准，准予许可。")
    before = fire(
        application,
        application.approve,
        at=now,
        reason=text,
        delivery_deadline=deadlines.delivery_deadline(now),
    )
    save(application, ["decided_at", "outcome", "decision_reason", "delivery_deadline"])
    event_record(
        application=application,
        kind=EventKind.APPROVED,
        actor=user,
        role=step.role,
        at=now,
        from_status=before,
        step_name=step.name,
        note=text,
    )
    result_certificate_request(application, now=now)
    return application


@transaction.atomic
def application_reject(
    *, user: User, application_id: int, now: datetime, reason: str
) -> Application:
    """Refuse the licence (不予许可) with reasons; the remedies are added from the guide (第38条).

    :raises DomainError: without reasons.
    """
    application = access_application_for_step(user=user, application_id=application_id)
    _decision_step(application)
    text = require_text(reason, field="reason", message=_("不予许可应当说明理由。"))
    step = current_step(application)
    before = fire(
        application,
        application.reject,
        at=now,
        reason=text,
        remedy_text=remedy_text(application.version),
        delivery_deadline=deadlines.delivery_deadline(now),
    )
    save(
        application,
        ["decided_at", "outcome", "decision_reason", "remedy_text", "delivery_deadline"],
    )
    event_record(
        application=application,
        kind=EventKind.REJECTED,
        actor=user,
        role=step.role,
        at=now,
        from_status=before,
        step_name=step.name,
        note=text,
    )
    return application


@transaction.atomic
def application_deliver(
    *, user: User, application_id: int, now: datetime, method: str = "", note: str = ""
) -> Application:
    """Deliver the decision (送达: electronic, window pick-up or mail) and complete the case.

    :raises DomainError: if the delivery method is unknown.
    """
    application = access_application_for_delivery(user=user, application_id=application_id)
    chosen = method or application.delivery_method or DeliveryMethod.ELECTRONIC
    if chosen not in DeliveryMethod.values:
        raise DomainError(_("请选择送达方式。"), errors={"method": [_("请选择送达方式。")]})
    deliver(
        application,
        actor=user,
        role=Role.WINDOW_CLERK,
        method=chosen,
        note=note.strip() or str(DeliveryMethod(chosen).label),
        now=now,
    )
    return application


@transaction.atomic
def application_withdraw(
    *, user: User, application_id: int, now: datetime, reason: str = ""
) -> Application:
    """The applicant withdraws the application before a decision (撤回).

    :raises AlreadyHandledError: once the case is decided or closed.
    """
    application = access_application_for_applicant(
        user=user, application_id=application_id, lock=True
    )
    if application.status == Status.WITHDRAWN:
        return application
    if application.status == Status.DRAFT:
        raise DomainError(_("草稿尚未提交，可以直接删除。"))
    before = fire(application, application.withdraw, at=now)
    save(application, ["closed_at"])
    event_record(
        application=application,
        kind=EventKind.WITHDRAWN,
        actor=user,
        at=now,
        from_status=before,
        note=reason.strip(),
    )
    return application


@transaction.atomic
def application_void(*, user: User, application_id: int, now: datetime, reason: str) -> Application:
    """A supervisor voids a case (作废: a duplicate, a mis-entry), with the reason.

    :raises DomainError: without a reason.
    :raises PermissionDenied: if the user is not a supervisor of the department.
    """
    application = access_application_for_void(user=user, application_id=application_id)
    text = require_text(reason, field="reason", message=_("请写明作废的理由。"))
    if application.is_terminal:
        raise conflict_for(application)
    before = fire(application, application.void, at=now, reason=text)
    save(application, ["closed_at", "decision_reason"])
    certificates_void_for_source(source_ref=application.reference or "", now=now)
    event_record(
        application=application,
        kind=EventKind.VOIDED,
        actor=user,
        role=Role.SUPERVISOR,
        at=now,
        from_status=before,
        note=text,
    )
    return application
