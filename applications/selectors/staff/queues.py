"""The workbench queues: tabs per state with counts, overdue first."""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from accounts.models import User
from applications.choices import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    Channel,
    Status,
)
from applications.models import (
    Application,
)
from applications.presentation import (
    deadline_colour,
    running_deadline,
    step_name,
)
from applications.selectors.staff.common import DECIDED, PAGE_SIZE, RECENT_DAYS, TAB_KEYS, TABS
from applications.workflow import review_chain
from core.identifiers import mask_name
from matters.models import (
    DepartmentMembership,
    MatterVersion,
    ProcessStep,
)
from matters.permissions import departments_of_staff

# --- queues ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueTab:
    key: str
    title: str
    count: int | None  # None: not counted (the 已办结 tab when another tab is open)
    is_active: bool


@dataclass(frozen=True)
class QueueRow:
    pk: int
    reference: str
    matter_name: str
    applicant: str  # masked: 张*
    channel: str
    status: str
    step: str
    assignee: str
    deadline_label: str
    deadline: dt.datetime | None
    colour: str  # "", "yellow" or "red"


@dataclass(frozen=True)
class QueuePage:
    tabs: list[QueueTab]
    tab: str
    mine: bool
    rows: list[QueueRow]
    page_number: int
    pages: int
    total: int
    can_file: bool  # may open 一窗受理


def _roles_by_department(user: User, department_ids: Sequence[int]) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = defaultdict(set)
    memberships = DepartmentMembership.objects.filter(
        user=user, department_id__in=department_ids
    ).values_list("department_id", "role")
    for department_id, role in memberships:
        roles[department_id].add(role)
    return roles


def _my_review_steps(user: User, department_ids: Sequence[int]) -> Q:
    """Cases whose current review step has a role the user holds in the case's department.

    The chain of each version is read once (its steps), so the filter is a few
    `step_index = i AND version_id IN (…)` terms on the case table, with no join per case.
    """
    if user.is_superuser:
        return Q()
    roles = _roles_by_department(user, department_ids)
    versions = (
        MatterVersion.objects.filter(matter__department_id__in=list(roles))
        .select_related("matter")
        .prefetch_related(Prefetch("steps", queryset=ProcessStep.objects.order_by("order", "pk")))
        .only("pk", "case_type", "matter__department_id")
    )
    by_step: dict[int, list[int]] = defaultdict(list)
    for version in versions:
        held = roles[version.matter.department_id]
        for index, step in enumerate(review_chain(version)):
            if step.role in held:
                by_step[index].append(version.pk)
    condition = Q(pk__in=[])
    for index, version_ids in sorted(by_step.items()):
        condition |= Q(step_index=index, version_id__in=version_ids)
    return condition


# When a case ended: a terminal case has exactly one of the two (delivered: completed_at; not
# accepted, returned, withdrawn or void: closed_at). The 已办结 tab filters and sorts on it, read
# from the index `application_done_queue` (department, this, id): no sort of the month's cases.
ENDED_AT = Coalesce("completed_at", "closed_at")


def _tab_filters(user: User, department_ids: Sequence[int], now: dt.datetime) -> dict[str, Q]:
    since = now - dt.timedelta(days=RECENT_DAYS)
    recent = Q(GreaterThanOrEqual(ENDED_AT, since))
    return {
        "received": Q(status=Status.RECEIVED),
        "supplement": Q(status=Status.SUPPLEMENT_REQUIRED),
        "review": Q(status=Status.IN_REVIEW) & _my_review_steps(user, department_ids),
        "special": Q(status=Status.SUSPENDED),
        "delivery": Q(status__in=DECIDED),
        "done": Q(status__in=TERMINAL_STATUSES) & recent,
    }


# The running deadline of each tab (presentation.running_deadline), as an indexed column.
_TAB_ORDER = {
    "received": (F("intake_deadline").asc(nulls_last=True), "pk"),
    "supplement": (F("received_at").asc(nulls_last=True), "pk"),
    "review": (F("promise_deadline").asc(nulls_last=True), "pk"),
    "special": (F("promise_deadline").asc(nulls_last=True), "pk"),
    "delivery": (F("delivery_deadline").asc(nulls_last=True), "pk"),
    # no NULLS LAST: the tab has no case without an end, and SQLite indexes cannot say it
    "done": (ENDED_AT.desc(), "-pk"),
}


def queue_for_staff(*, user: User, tab: str, mine: bool, page: int, now: dt.datetime) -> QueuePage:
    """One page of a workbench queue of the user's departments, with the count of every tab.

    Overdue cases come first, then the nearest deadline. The counts are one aggregate over the
    case table filtered by department; the page total is its tab's count (no second count).
    An unknown tab is the first one that has cases.
    """
    department_ids = list(departments_of_staff(user).values_list("pk", flat=True))
    filters = _tab_filters(user, department_ids, now)
    cases = Application.objects.filter(department_id__in=department_ids)
    if mine:
        cases = cases.filter(assignee=user)
    # Open cases only, so the aggregate reads the (department, status, …) indexes, not the
    # department's whole history; the 已办结 tab is counted only when it is the one shown.
    open_filters = {key: condition for key, condition in filters.items() if key != "done"}
    counts: dict[str, int | None] = dict(
        cases.filter(status__in=OPEN_STATUSES).aggregate(
            **{key: Count("pk", filter=condition) for key, condition in open_filters.items()}
        )
    )
    counts["done"] = None
    if tab not in TAB_KEYS:
        tab = next((key for key, _title in TABS if counts[key]), TABS[0][0])
    if tab == "done":
        counts["done"] = cases.filter(filters["done"]).count()
    total = int(counts[tab] or 0)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    offset = (page - 1) * PAGE_SIZE
    rows = list(
        cases.filter(filters[tab])
        .select_related("version", "assignee")
        .defer("answers")  # encrypted, and never shown in the queue: no decrypting 50 rows a page
        .prefetch_related(
            Prefetch("version__steps", queryset=ProcessStep.objects.order_by("order", "pk"))
        )
        .order_by(*_TAB_ORDER[tab])[offset : offset + PAGE_SIZE]
    )
    return QueuePage(
        tabs=[
            QueueTab(key=key, title=str(title), count=counts[key], is_active=key == tab)
            for key, title in TABS
        ],
        tab=tab,
        mine=mine,
        rows=[_queue_row(application, now) for application in rows],
        page_number=page,
        pages=pages,
        total=total,
        can_file=user.has_perm("applications.file_application"),
    )


def _queue_row(application: Application, now: dt.datetime) -> QueueRow:
    label, deadline, start = running_deadline(application)
    return QueueRow(
        pk=application.pk,
        reference=application.reference or "",
        matter_name=application.version.name,
        applicant=mask_name(application.applicant_name),
        channel=str(Channel(application.channel).label),
        status=str(Status(application.status).label),
        step=step_name(application),
        assignee=application.assignee.display_name if application.assignee else "",
        deadline_label=label,
        deadline=deadline,
        colour=deadline_colour(deadline, start=start, now=now),
    )
