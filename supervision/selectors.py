"""Read use cases of 好差评: the rater's view of their rating, the window tablet, and the
workbench pages of follow-ups. Pages get frozen dataclasses, never model rows (STYLE R14)."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, QuerySet, Value, When
from django.utils.translation import gettext as _

from django_stubs_ext import StrOrPromise

from accounts.choices import Role
from accounts.models import User
from applications.models import Application
from applications.presentation import deadline_colour
from applications.selectors.citizen import application_list_for_applicant
from core.identifiers import mask_name
from matters.permissions import roles_in_department
from supervision.choices import (
    BadTag,
    EvaluationChannel,
    EvaluationObject,
    FollowupStatus,
    GoodTag,
    Level,
)
from supervision.followup_permissions import (
    DECIDE,
    HANDLE,
    access_application_for_window_rating,
    access_followup_for_view,
    followup_departments_for_appeals,
    followup_departments_for_list,
)
from supervision.followups import APPEALABLE, OUTCOMES
from supervision.models import Evaluation, Followup
from supervision.services import RATEABLE_STATUSES

PAGE_SIZE = 50
TAG_LABELS: dict[str, StrOrPromise] = {**dict(GoodTag.choices), **dict(BadTag.choices)}
_RELATED = ("evaluation__application__version", "evaluation__evaluator", "department")


def evaluation_for(*, application_id: int, user: User) -> Evaluation | None:
    """The person's own rating of a case (一事一评), if they rated it."""
    return (
        Evaluation.objects.filter(
            application_id=application_id, evaluator=user, object_type=EvaluationObject.CASE
        )
        .order_by("pk")
        .first()
    )


def applications_awaiting_evaluation(*, user: User) -> QuerySet[Application]:
    """The person's closed cases they have not rated yet, latest first."""
    rated = Evaluation.objects.filter(
        application=OuterRef("pk"), evaluator=user, object_type=EvaluationObject.CASE
    )
    return (
        application_list_for_applicant(user=user)
        .filter(status__in=RATEABLE_STATUSES)
        .exclude(Exists(rated))
    )


# --- the rater ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaterFollowup:
    """What the rater sees of the follow-up of their 差评."""

    pk: int
    status_label: str
    is_contacted: bool
    is_reported: bool
    resolution: str
    rater_level_label: str
    can_rate_outcome: bool


def followup_for_rater(*, evaluation: Evaluation | None) -> RaterFollowup | None:
    """The follow-up of the person's own rating, if it has one."""
    if evaluation is None:
        return None
    followup = Followup.objects.filter(evaluation=evaluation).first()
    if followup is None:
        return None
    is_reported = followup.status in OUTCOMES
    return RaterFollowup(
        pk=followup.pk,
        status_label=followup.get_status_display(),
        is_contacted=followup.contacted_at is not None,
        is_reported=is_reported,
        resolution=followup.resolution if is_reported else "",
        rater_level_label=followup.get_rater_level_display() if followup.rater_level else "",
        can_rate_outcome=is_reported and followup.rater_level is None,
    )


# --- the window tablet ------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowCase:
    """The case on the counter tablet: what the visit was about, and whether it was rated."""

    pk: int
    reference: str
    matter_name: str
    department_name: str
    is_rated: bool


def window_case_for_clerk(*, user: User, application_id: int) -> WindowCase:
    """The case a window clerk opens the rating tablet for.

    :raises Application.DoesNotExist: if the case is not of the clerk's departments (404).
    :raises PermissionDenied: if the user is not a window clerk there.
    """
    application = access_application_for_window_rating(user=user, application_id=application_id)
    return WindowCase(
        pk=application.pk,
        reference=application.reference or "",
        matter_name=application.version.name,
        department_name=application.department.name,
        is_rated=Evaluation.objects.filter(
            application=application, object_type=EvaluationObject.WINDOW
        ).exists(),
    )


# --- the workbench -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    at: dt.datetime
    colour: str  # "", "yellow" (due within a working day) or "red" (overdue); "" once stopped


@dataclass(frozen=True)
class Rating:
    """A rating as the department sees it: the rater's name masked, nothing else about them."""

    level: int
    level_label: str
    tags: tuple[str, ...]
    comment: str
    channel_label: str
    object_label: str
    rated_at: dt.datetime
    rater_name: str
    staff_name: str


@dataclass(frozen=True)
class FollowupRow:
    pk: int
    application_id: int
    reference: str
    matter_name: str
    department_name: str
    status: str
    status_label: str
    rating: Rating
    contact: Deadline
    resolve: Deadline
    colour: str
    appeal_reason: str


def _rater_name(evaluation: Evaluation) -> str:
    if evaluation.evaluator is None:
        return _("窗口现场办事人（未登录）")
    if not evaluation.evaluator.real_name:
        return _("（未实名）")
    return mask_name(evaluation.evaluator.real_name)


def _rating(evaluation: Evaluation) -> Rating:
    staff = evaluation.staff
    return Rating(
        level=evaluation.level,
        level_label=str(Level(evaluation.level).label),
        tags=tuple(str(TAG_LABELS.get(tag, tag)) for tag in evaluation.tags),
        comment=evaluation.comment,
        channel_label=str(EvaluationChannel(evaluation.channel).label),
        object_label=str(EvaluationObject(evaluation.object_type).label),
        rated_at=evaluation.created_at,
        rater_name=_rater_name(evaluation),
        staff_name=staff.display_name if staff else "",
    )


def _colour(due: dt.datetime, *, running: bool, now: dt.datetime) -> str:
    return deadline_colour(due, start=None, now=now) if running else ""


def _row(followup: Followup, *, now: dt.datetime) -> FollowupRow:
    evaluation = followup.evaluation
    application = evaluation.application
    contact = Deadline(
        followup.contact_due,
        _colour(followup.contact_due, running=followup.status == FollowupStatus.OPEN, now=now),
    )
    resolve = Deadline(
        followup.resolve_due,
        _colour(followup.resolve_due, running=followup.status in APPEALABLE, now=now),
    )
    colours = {contact.colour, resolve.colour}
    return FollowupRow(
        pk=followup.pk,
        application_id=application.pk,
        reference=application.reference or "",
        matter_name=application.version.name,
        department_name=followup.department.name,
        status=followup.status,
        status_label=followup.get_status_display(),
        rating=_rating(evaluation),
        contact=contact,
        resolve=resolve,
        colour="red" if "red" in colours else "yellow" if "yellow" in colours else "",
        appeal_reason=followup.appeal_reason,
    )


@dataclass(frozen=True)
class FollowupPage:
    rows: list[FollowupRow]
    status: str
    total: int
    pages: int
    page_number: int


def followup_list_for_staff(
    *, user: User, status: str, page: int, now: dt.datetime
) -> FollowupPage:
    """The follow-ups of the user's departments, the running clocks first by deadline (so the
    overdue ones lead), then the closed ones, latest first. `status` filters; "" is all.

    :raises PermissionDenied: if the user may not see follow-ups.
    """
    departments = followup_departments_for_list(user=user)
    queryset = Followup.objects.filter(department__in=departments)
    if status in FollowupStatus.values:
        queryset = queryset.filter(status=status)
    else:
        status = ""
    running_due = Case(
        When(status=FollowupStatus.OPEN, then=F("contact_due")),
        When(status=FollowupStatus.CONTACTED, then=F("resolve_due")),
        default=Value(None),
        output_field=DateTimeField(),
    )
    queryset = (
        queryset.select_related(*_RELATED, "evaluation__staff")
        .annotate(running_due=running_due)
        .order_by(F("running_due").asc(nulls_last=True), "-opened_at", "-pk")
    )
    paginator = Paginator(queryset, PAGE_SIZE)
    current = paginator.get_page(page)
    return FollowupPage(
        rows=[_row(followup, now=now) for followup in current.object_list],
        status=status,
        total=paginator.count,
        pages=paginator.num_pages,
        page_number=current.number,
    )


@dataclass(frozen=True)
class Step:
    """One entry of a follow-up's history."""

    title: str
    at: dt.datetime
    by: str
    text: str


@dataclass(frozen=True)
class FollowupDetail:
    row: FollowupRow
    history: list[Step]
    rater_level_label: str
    actions: tuple[str, ...]  # of "contact", "resolve", "appeal", "decide": what the user may do
    contact_mobile: str  # masked; the handler may reveal it to call the rater back


def _name(user: User | None) -> str:
    return user.display_name if user else ""


def _history(followup: Followup) -> list[Step]:
    steps = [Step(_("收到差评，待回访"), followup.opened_at, "", "")]
    if followup.contacted_at:
        steps.append(
            Step(
                _("回访评价人"),
                followup.contacted_at,
                _name(followup.contacted_by),
                followup.contact_note,
            )
        )
    if followup.appealed_at:
        steps.append(Step(_("申诉"), followup.appealed_at, "", followup.appeal_reason))
    if followup.appeal_decided_at:
        upheld = followup.status == FollowupStatus.VOIDED
        steps.append(
            Step(
                _("复核：申诉成立") if upheld else _("复核：申诉不成立"),
                followup.appeal_decided_at,
                _name(followup.appeal_decided_by),
                followup.appeal_note,
            )
        )
    if followup.resolved_at:
        steps.append(
            Step(
                followup.get_status_display(),
                followup.resolved_at,
                _name(followup.resolved_by),
                followup.resolution,
            )
        )
    return sorted(steps, key=lambda step: step.at)


def _actions(user: User, followup: Followup) -> tuple[str, ...]:
    roles = roles_in_department(user, followup.department_id)
    actions: list[str] = []
    if user.has_perm(HANDLE) and Role.DEPARTMENT_ADMIN in roles:
        if followup.status == FollowupStatus.OPEN:
            actions.append("contact")
        if followup.status == FollowupStatus.CONTACTED:
            actions.append("resolve")
        if followup.status in APPEALABLE and followup.appealed_at is None:
            actions.append("appeal")
    if (
        user.has_perm(DECIDE)
        and Role.SUPERVISOR in roles
        and followup.status == FollowupStatus.APPEALED
    ):
        actions.append("decide")
    return tuple(actions)


def followup_detail_for_staff(*, user: User, followup_id: int, now: dt.datetime) -> FollowupDetail:
    """One follow-up with its rating, deadlines, history and the actions the user may take.

    :raises Followup.DoesNotExist: if it is not of the user's departments (404).
    :raises PermissionDenied: if the user may not see follow-ups.
    """
    followup = access_followup_for_view(user=user, followup_id=followup_id)
    return FollowupDetail(
        row=_row(followup, now=now),
        history=_history(followup),
        rater_level_label=followup.get_rater_level_display() if followup.rater_level else "",
        actions=_actions(user, followup),
        contact_mobile=followup.evaluation.application.masked_mobile,
    )


def followup_appeals_for_supervisor(*, user: User, now: dt.datetime) -> list[FollowupRow]:
    """The appeals awaiting the user's decision, oldest first.

    :raises PermissionDenied: if the user may not decide appeals.
    """
    departments = followup_departments_for_appeals(user=user)
    return [
        _row(followup, now=now)
        for followup in Followup.objects.filter(
            department__in=departments, status=FollowupStatus.APPEALED
        )
        .select_related(*_RELATED, "evaluation__staff")
        .order_by("appealed_at", "pk")
    ]
