"""Plain data for pages: the timeline in citizens' words, deadline markers, what happens next.

Templates present these dataclasses; they never traverse the ORM (STYLE R14).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import Role
from applications.choices import EventKind, Status
from applications.models import Application, ApplicationEvent
from applications.workflow import current_step
from core import calendar
from core.identifiers import mask_mobile, mask_resident_id
from matters.choices import FieldType

# What a citizen reads for each trail event (staff see the event kind, actor and opinion).
CITIZEN_WORDS = {
    EventKind.SUBMITTED: gettext_lazy(
        "您提交了申请，材料已接收。部门将在5个工作日内告知是否受理。"
    ),
    EventKind.FILED_AT_WINDOW: gettext_lazy(
        "窗口已收取您的申请材料，将在5个工作日内告知是否受理。"
    ),
    EventKind.RESUBMITTED: gettext_lazy("您提交了补正材料，部门将重新审核是否受理。"),
    EventKind.ACCEPTED: gettext_lazy("部门已受理您的申请，开始审查。"),
    EventKind.DEEMED_ACCEPTED: gettext_lazy(
        "部门未在5个工作日内告知，依法视为自收到材料之日起受理。"
    ),
    EventKind.NOT_ACCEPTED: gettext_lazy("部门决定不予受理。"),
    EventKind.SUPPLEMENT_REQUESTED: gettext_lazy("部门一次性告知需要补正的材料，请在期限内补正。"),
    EventKind.RETURNED: gettext_lazy("补正期限已过，申请已退回。"),
    EventKind.STEP_PASSED: gettext_lazy("审查环节已完成，进入下一环节。"),
    EventKind.SENT_BACK: gettext_lazy("退回上一环节重新审查。"),
    EventKind.SUSPENDED: gettext_lazy("进入特别程序，所需时间不计入办理期限。"),
    EventKind.RESUMED: gettext_lazy("特别程序结束，继续审查。"),
    EventKind.EXTENDED: gettext_lazy("经负责人批准，办理期限延长。"),
    EventKind.APPROVED: gettext_lazy("部门作出准予许可的决定。"),
    EventKind.REJECTED: gettext_lazy("部门作出不予许可的决定。"),
    EventKind.DELIVERED: gettext_lazy("办理结果已送达，办件办结。"),
    EventKind.WITHDRAWN: gettext_lazy("您撤回了申请。"),
    EventKind.VOIDED: gettext_lazy("该办件已作废。"),
    EventKind.MATERIAL_CAUGHT_UP: gettext_lazy("您补齐了容缺材料。"),
}
# Events that are internal housekeeping and not shown to citizens.
STAFF_ONLY = {EventKind.CLAIMED, EventKind.ASSIGNED}
# Opinions citizens see (reasons that concern them); step opinions stay internal.
CITIZEN_NOTES = {
    EventKind.NOT_ACCEPTED,
    EventKind.SUPPLEMENT_REQUESTED,
    EventKind.REJECTED,
    EventKind.EXTENDED,
    EventKind.SUSPENDED,
    EventKind.VOIDED,
}


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    title: str
    text: str
    note: str
    actor: str  # staff only: name and role; "系统" for the system
    step: str


def timeline_for_citizen(events: Iterable[ApplicationEvent]) -> list[TimelineEntry]:
    """The trail in plain language, without internal opinions or names."""
    return [
        TimelineEntry(
            at=e.at,
            title=str(EventKind(e.kind).label),
            text=str(CITIZEN_WORDS.get(EventKind(e.kind), "")),
            note=e.note if e.kind in CITIZEN_NOTES else "",
            actor="",
            step="",
        )
        for e in events
        if e.kind not in STAFF_ONLY
    ]


def timeline_for_staff(events: Iterable[ApplicationEvent]) -> list[TimelineEntry]:
    """Every event with actor, role, step and opinion."""
    entries = []
    for e in events:
        if e.actor is None:
            actor = _("系统")
        else:
            role = str(Role(e.actor_role).label) if e.actor_role in Role.values else ""
            actor = f"{e.actor.display_name}（{role}）" if role else e.actor.display_name
        entries.append(
            TimelineEntry(
                at=e.at,
                title=str(EventKind(e.kind).label),
                text="",
                note=e.note,
                actor=actor,
                step=e.step_name,
            )
        )
    return entries


def deadline_colour(
    deadline: dt.datetime | None, *, start: dt.datetime | None, now: dt.datetime
) -> str:
    """ "red" when overdue; "yellow" on the last working day or past 80% of the time; else "".

    (电子监察 defaults, DOMAIN §4.9: yellow at max(1 WD before, 80%), red when overdue.)
    """
    if deadline is None:
        return ""
    if now > deadline:
        return "red"
    today = calendar.local_date(now)
    if calendar.local_date(deadline) <= calendar.add_working_days(today, 1):
        return "yellow"
    if start is not None and deadline > start:
        elapsed = (now - start) / (deadline - start)
        if elapsed >= 0.8:
            return "yellow"
    return ""


def running_deadline(
    application: Application,
) -> tuple[str, dt.datetime | None, dt.datetime | None]:
    """The clock that matters now: (label, deadline, when it started)."""
    if application.status == Status.RECEIVED:
        return _("受理期限"), application.intake_deadline, application.received_at
    if application.status in (Status.IN_REVIEW, Status.SUSPENDED):
        return _("承诺办结期限"), application.promise_deadline, application.accepted_at
    if application.status in (Status.APPROVED, Status.REJECTED):
        return _("送达期限"), application.delivery_deadline, application.decided_at
    return "", None, None


def case_row(application: Application, *, now: dt.datetime) -> dict[str, object]:
    """A case as the applicant's lists show it: the running deadline and its colour, next step."""
    label, deadline, start = running_deadline(application)
    return {
        "application": application,
        "next_step": next_step_text(application),
        "deadline_label": label,
        "deadline": deadline,
        "colour": deadline_colour(deadline, start=start, now=now),
    }


def next_step_text(application: Application) -> str:
    """What happens next, for the applicant."""
    status = application.status
    if status == Status.DRAFT:
        return _("请完成填写并提交申请。")
    if status == Status.RECEIVED:
        return _("部门正在核对材料，将在受理期限前告知是否受理或需要补正的材料。")
    if status == Status.SUPPLEMENT_REQUIRED:
        return _("请按补正告知书补正材料后重新提交。")
    if status == Status.IN_REVIEW:
        return _("部门正在审查，将在承诺办结期限前作出决定。")
    if status == Status.SUSPENDED:
        return _("正在进行特别程序，结束后继续审查；特别程序所需时间不计入办理期限。")
    if status == Status.APPROVED:
        return _("已准予许可，部门将按您选择的方式送达办理结果。")
    if status == Status.REJECTED:
        return _("已作出不予许可决定，决定书将送达您；如不服，可依法申请行政复议或提起行政诉讼。")
    return _("办件已结束。")


def step_name(application: Application) -> str:
    """The name of the case's current step, for queues and the case page."""
    if application.status in (Status.IN_REVIEW, Status.SUSPENDED):
        return current_step(application).name
    if application.status in (Status.RECEIVED, Status.SUPPLEMENT_REQUIRED):
        return _("受理")
    if application.status in (Status.APPROVED, Status.REJECTED):
        return _("送达")
    return ""


def masked_personal_number(field_type: str, value: str) -> str:
    """An answer of an ID-number or mobile field masked (DOMAIN §8.5); other answers unchanged."""
    if field_type == FieldType.ID_NUMBER:
        return mask_resident_id(value)
    if field_type == FieldType.MOBILE:
        return mask_mobile(value)
    return value
