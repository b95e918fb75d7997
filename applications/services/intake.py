"""Intake (收件 → 受理 / 不予受理 / 补正) and its two watchdogs (行政许可法第32条)."""

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from applications import deadlines
from applications.choices import EventKind, NotAcceptedKind, NoticeStatus, Status
from applications.events import event_record
from applications.models import Application, SupplementNotice
from applications.permissions import access_application_for_applicant, access_application_for_intake
from applications.services.common import conflict_for, fire, remedy_text, require_text, save
from applications.services.submission import submission_check
from core import calendar
from core.errors import ConflictError, DomainError
from matters.models import MatterVersion
from matters.selectors import matter_guide_for_version

logger = logging.getLogger(__name__)

SUPPLEMENT_DEFAULT_WORKING_DAYS = 20
SUPPLEMENT_MAX_WORKING_DAYS = 60


def _accept(
    application: Application,
    *,
    actor: User | None,
    now: datetime,
    accepted_at: datetime,
    deemed: bool,
    note: str,
) -> Application:
    version = application.version
    before = fire(
        application,
        application.accept,
        at=accepted_at,
        promise_deadline=deadlines.promise_deadline(version, accepted_at),
        legal_deadline=deadlines.legal_deadline(version, accepted_at),
        deemed=deemed,
    )
    save(
        application,
        [
            "accepted_at", "deemed_accepted", "promise_deadline", "legal_deadline",
            "intake_deadline", "step_index", "assignee", "step_started_at",
        ],
    )  # fmt: skip
    # 容缺: the catch-up deadline may not pass the promised deadline (DOMAIN §4.4).
    assert application.promise_deadline is not None
    application.materials.owed().update(due_on=calendar.local_date(application.promise_deadline))
    event_record(
        application=application,
        kind=EventKind.DEEMED_ACCEPTED if deemed else EventKind.ACCEPTED,
        actor=actor,
        role="" if actor is None else Role.WINDOW_CLERK,
        at=now,
        from_status=before,
        step_name=_("受理"),
        note=note,
    )
    return application


@transaction.atomic
def application_accept(
    *, user: User, application_id: int, now: datetime, opinion: str = ""
) -> Application:
    """Accept a received application (受理): the promised and statutory clocks start today.

    :raises PermissionDenied: if the user is not a window clerk of its department.
    :raises AlreadyHandledError: if it is no longer waiting for intake.
    """
    application = access_application_for_intake(user=user, application_id=application_id)
    if _intake_overdue(application, now):
        # Past the 5 working days the law already counts the case accepted from receipt.
        assert application.received_at is not None
        return _accept(
            application,
            actor=user,
            now=now,
            accepted_at=application.received_at,
            deemed=True,
            note=_("超过五个工作日才作出受理决定，依法自收到申请材料之日起视为受理。"),
        )
    return _accept(
        application,
        actor=user,
        now=now,
        accepted_at=now,
        deemed=False,
        note=opinion.strip() or _("材料齐全，符合法定形式，予以受理。"),
    )


def _intake_overdue(application: Application, now: datetime) -> bool:
    return (
        application.status == Status.RECEIVED
        and application.intake_deadline is not None
        and now > application.intake_deadline
    )


def _refuse_when_overdue(application: Application, now: datetime) -> None:
    """After the 5 working days, 补正 or 不予受理 can no longer be decided (第32条第4项)."""
    if _intake_overdue(application, now):
        raise ConflictError(
            _(
                "已超过收件后五个工作日的告知期限，依法视为受理，不能再要求补正或不予受理；"
                "请直接受理。"
            )
        )


@transaction.atomic
def application_not_accept(
    *,
    user: User,
    application_id: int,
    now: datetime,
    kind: str,
    reason: str,
    competent_authority: str = "",
) -> Application:
    """Refuse to accept (不予受理), with the reason, the competent authority where it is another
    organ's matter, and the remedies (第32条第1、2项).

    :raises DomainError: if the reason (or the competent authority) is missing.
    """
    application = access_application_for_intake(user=user, application_id=application_id)
    _refuse_when_overdue(application, now)
    if kind not in NotAcceptedKind.values:
        raise DomainError(
            _("请选择不予受理的情形。"), errors={"kind": [_("请选择不予受理的情形。")]}
        )
    text = require_text(reason, field="reason", message=_("请写明不予受理的理由。"))
    authority = competent_authority.strip()
    if kind == NotAcceptedKind.NOT_COMPETENT and not authority:
        message = _("不属于本机关职权范围的，应告知申请人向哪个机关申请。")
        raise DomainError(message, errors={"competent_authority": [message]})
    before = fire(
        application,
        application.not_accept,
        at=now,
        kind=kind,
        reason=text,
        competent_authority=authority,
        remedy_text=remedy_text(application.version),
    )
    save(
        application,
        [
            "not_accepted_kind", "decision_reason", "remedy_text", "competent_authority",
            "closed_at", "intake_deadline",
        ],
    )  # fmt: skip
    event_record(
        application=application,
        kind=EventKind.NOT_ACCEPTED,
        actor=user,
        role=Role.WINDOW_CLERK,
        at=now,
        from_status=before,
        step_name=_("受理"),
        note=text,
        data={"kind": kind, "competent_authority": authority},
    )
    return application


def _supplement_items(
    version: MatterVersion, items: Sequence[Mapping[str, Any]]
) -> list[dict[str, str]]:
    """Validate the items of a 补正 notice: each a known material or form field, with a reason."""
    materials = {m.key: m.name for m in version.materials.all()}
    fields = {f.key: f.label for f in version.form_fields.all()}
    errors: dict[str, list[str]] = {}
    clean: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        kind, key = str(item.get("kind") or "material"), str(item.get("key") or "")
        names = materials if kind == "material" else fields if kind == "field" else {}
        if key not in names:
            errors[f"items[{index}].key"] = [_("补正事项不是本事项的材料或表单字段。")]
            continue
        reason = str(item.get("reason") or "").strip()
        if not reason:
            errors[f"items[{index}].reason"] = [
                _("请写明“%(name)s”需要补正的原因。") % {"name": names[key]}
            ]
        if (kind, key) in seen:
            continue
        seen.add((kind, key))
        clean.append({"kind": kind, "key": key, "name": names[key], "reason": reason[:500]})
    if not items:
        errors["items"] = [_("请选择需要补正的全部材料或内容，并逐项写明原因。")]
    if errors:
        raise DomainError(_("补正告知书还不完整，请按提示修改。"), errors=errors)
    return clean


@transaction.atomic
def application_supplement_request(
    *,
    user: User,
    application_id: int,
    now: datetime,
    items: Sequence[Mapping[str, Any]],
    respond_within: int = SUPPLEMENT_DEFAULT_WORKING_DAYS,
) -> SupplementNotice:
    """Tell the applicant, once, every item to supplement with a reason each (一次性告知).

    The intake clock stops until the supplements arrive. A case gets one notice: a second would
    be evidence that the first was incomplete (DOMAIN §4.8).

    :raises DomainError: if an item or its reason is missing, or a notice was already issued.
    """
    application = access_application_for_intake(user=user, application_id=application_id)
    if application.status != Status.RECEIVED:
        raise conflict_for(application)
    _refuse_when_overdue(application, now)
    if application.supplement_notices.exists():
        raise DomainError(_("补正材料应一次性告知；本件已经告知过一次，不能再次要求补正。"))
    if not 1 <= respond_within <= SUPPLEMENT_MAX_WORKING_DAYS:
        message = _("补正期限应为 1 至 %(n)d 个工作日。") % {"n": SUPPLEMENT_MAX_WORKING_DAYS}
        raise DomainError(message, errors={"respond_within": [message]})
    clean = _supplement_items(matter_guide_for_version(version_id=application.version_id), items)
    before = fire(application, application.request_supplement)
    save(application, ["intake_deadline"])
    notice = SupplementNotice.objects.create(
        application=application,
        issued_at=now,
        issued_by=user,
        respond_by=deadlines.after_working_days(now, respond_within),
        items=clean,
    )
    event_record(
        application=application,
        kind=EventKind.SUPPLEMENT_REQUESTED,
        actor=user,
        role=Role.WINDOW_CLERK,
        at=now,
        from_status=before,
        step_name=_("受理"),
        note="；".join(f"{i['name']}：{i['reason']}" for i in clean),
        data={"items": clean, "respond_by": notice.respond_by.isoformat()},
    )
    return notice


@transaction.atomic
def application_supplement_answer(
    *, user: User, application_id: int, now: datetime, answers: Mapping[str, Any] | None = None
) -> Application:
    """The applicant resubmits after 补正: only the listed items may change; every listed material
    must have been provided again. The intake clock restarts from today.

    :raises DomainError: if a listed item is still missing, or an unlisted field was changed.
    """
    application = access_application_for_applicant(
        user=user, application_id=application_id, lock=True
    )
    if application.status != Status.SUPPLEMENT_REQUIRED:
        if application.status == Status.RECEIVED:
            return application  # already resubmitted (double click)
        raise conflict_for(application)
    notice = application.supplement_notices.get(status=NoticeStatus.OPEN)
    listed_fields = {i["key"] for i in notice.items if i["kind"] == "field"}
    errors: dict[str, list[str]] = {}
    changed = dict(answers or {})
    for key in changed:
        if key not in listed_fields:
            errors[f"answers.{key}"] = [_("只能修改补正告知书中列明的内容。")]
    for item in notice.items:
        if item["kind"] != "material":
            continue
        fresh = application.materials.filter(
            material_key=item["key"], superseded_at__isnull=True, provided_at__gte=notice.issued_at
        ).exists()
        if not fresh:
            errors[f"materials.{item['key']}"] = [
                _("请重新提交“%(name)s”。") % {"name": item["name"]}
            ]
    if errors:
        raise DomainError(_("补正还没有完成，请按提示修改。"), errors=errors)
    application.answers = {**application.answers, **{k: str(v) for k, v in changed.items()}}
    version = matter_guide_for_version(version_id=application.version_id)
    submission_check(application, version, now=now)
    before = fire(
        application,
        application.resubmit,
        at=now,
        intake_deadline=deadlines.intake_deadline(now),
    )
    save(application, ["answers", "received_at", "intake_deadline"])
    notice.status, notice.answered_at = NoticeStatus.ANSWERED, now
    notice.save(update_fields=["status", "answered_at", "updated_at"])
    event_record(
        application=application,
        kind=EventKind.RESUBMITTED,
        actor=user,
        at=now,
        from_status=before,
        step_name=_("补正"),
    )
    return application


@transaction.atomic
def application_deem_accepted(*, application_id: int, now: datetime) -> Application | None:
    """The intake watchdog for one case: no decision within 5 working days means accepted from
    the day the materials arrived (第32条第4项). Returns None if it no longer applies."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("version")
        .get(pk=application_id)
    )
    if (
        application.status != Status.RECEIVED
        or application.intake_deadline is None
        or application.intake_deadline >= now
    ):
        return None
    assert application.received_at is not None
    logger.info("Application %s deemed accepted by the intake watchdog", application.pk)
    return _accept(
        application,
        actor=None,
        now=now,
        accepted_at=application.received_at,
        deemed=True,
        note=_("收件后五个工作日内未告知，依法自收到申请材料之日起视为受理。"),
    )


@transaction.atomic
def application_return_unanswered(*, application_id: int, now: datetime) -> Application | None:
    """The 补正 watchdog for one case: an unanswered notice past its window closes the case (退件).
    Returns None if it no longer applies."""
    application = Application.objects.select_for_update(of=("self",)).get(pk=application_id)
    notice = application.supplement_notices.filter(status=NoticeStatus.OPEN).first()
    if application.status != Status.SUPPLEMENT_REQUIRED or notice is None:
        return None
    if notice.respond_by >= now:
        return None
    before = fire(application, application.return_unanswered, at=now)
    save(application, ["closed_at"])
    notice.status = NoticeStatus.EXPIRED
    notice.save(update_fields=["status", "updated_at"])
    event_record(
        application=application,
        kind=EventKind.RETURNED,
        actor=None,
        at=now,
        from_status=before,
        step_name=_("补正"),
        note=_("申请人未在补正期限内补齐材料，予以退件。"),
    )
    return application


def intake_overdue_ids(*, now: datetime) -> list[int]:
    """Cases past their intake deadline, for the watchdog."""
    return list(
        Application.objects.filter(status=Status.RECEIVED, intake_deadline__lt=now)
        .order_by("intake_deadline", "pk")
        .values_list("pk", flat=True)[:1000]
    )


def supplement_expired_ids(*, now: datetime) -> list[int]:
    """Cases whose 补正 window has passed unanswered, for the watchdog."""
    return list(
        SupplementNotice.objects.filter(status=NoticeStatus.OPEN, respond_by__lt=now)
        .order_by("respond_by", "pk")
        .values_list("application_id", flat=True)[:1000]
    )
