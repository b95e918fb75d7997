"""Read use cases of the clerk workbench: queues, the case page, downloads, 一窗受理 and receipts.

Everything returned is plain data (frozen dataclasses), so templates only present (STYLE R14).
Reads of one case go through `access_application_for_staff_view`: another department's case is
"not found". Which actions a user may take now is computed here, mirroring the access functions
of `applications.permissions`; the services remain the authority and check again.
"""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from django_stubs_ext import StrOrPromise

from accounts.choices import Role
from accounts.models import User
from applications import deadlines
from applications.answers import visible_fields
from applications.choices import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    Channel,
    DeliveryMethod,
    MaterialSource,
    NotAcceptedKind,
    NoticeStatus,
    SpecialKind,
    Status,
)
from applications.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Extension,
    SupplementNotice,
)
from applications.permissions import (
    access_application_for_staff_view,
    access_matter_for_window_filing,
    department_roles,
    departments_of_staff,
)
from applications.presentation import (
    TimelineEntry,
    deadline_colour,
    running_deadline,
    step_name,
    timeline_for_staff,
)
from applications.workflow import ChainStep, review_chain
from core.errors import DomainError
from core.identifiers import mask_mobile, mask_name, mask_resident_id
from matters.choices import FieldType, MatterStatus, Necessity, Prefill
from matters.models import (
    DepartmentMembership,
    FormField,
    Matter,
    MatterVersion,
    ProcessStep,
)
from matters.notice import situation_options_by_material
from matters.selectors import matter_guide_for_version

PAGE_SIZE = 50
RECENT_DAYS = 30  # how far back the 已办结 tab looks
PREVIEWABLE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})

# Queue tabs: key, title. The order is the order of the tabs on the page.
TABS: tuple[tuple[str, StrOrPromise], ...] = (
    ("received", gettext_lazy("待受理")),
    ("supplement", gettext_lazy("补正中")),
    ("review", gettext_lazy("待审查")),
    ("special", gettext_lazy("特别程序")),
    ("delivery", gettext_lazy("待送达")),
    ("done", gettext_lazy("已办结")),
)
TAB_KEYS = frozenset(key for key, _title in TABS)
DECIDED = (Status.APPROVED, Status.REJECTED)
# Every action the case page knows, in the order it offers them.
ACTIONS = (
    "claim", "accept", "supplement", "not_accept", "pass", "send_back", "approve", "reject",
    "suspend", "resume", "extend", "deliver", "assign", "void",
)  # fmt: skip


# --- queues ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueTab:
    key: str
    title: str
    count: int
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


def _tab_filters(user: User, department_ids: Sequence[int], now: dt.datetime) -> dict[str, Q]:
    since = now - dt.timedelta(days=RECENT_DAYS)
    recent = Q(completed_at__gte=since) | Q(closed_at__gte=since)
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
    "done": (Coalesce("completed_at", "closed_at").desc(nulls_last=True), "-pk"),
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
    scope = Q(status__in=OPEN_STATUSES) | filters["done"]
    counts = cases.filter(scope).aggregate(
        **{key: Count("pk", filter=condition) for key, condition in filters.items()}
    )
    if tab not in TAB_KEYS:
        tab = next((key for key, _title in TABS if counts[key]), TABS[0][0])
    total = int(counts[tab])
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    offset = (page - 1) * PAGE_SIZE
    rows = list(
        cases.filter(filters[tab])
        .select_related("version", "assignee")
        .prefetch_related(
            Prefetch("version__steps", queryset=ProcessStep.objects.order_by("order", "pk"))
        )
        .order_by(*_TAB_ORDER[tab])[offset : offset + PAGE_SIZE]
    )
    return QueuePage(
        tabs=[
            QueueTab(key=key, title=str(title), count=int(counts[key]), is_active=key == tab)
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


# --- the case page --------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledValue:
    label: str
    value: str


@dataclass(frozen=True)
class MaterialRow:
    pk: int
    name: str
    source_label: str
    is_deficiency: bool  # 容缺: still owed, due by `due_on`
    has_file: bool
    original_name: str
    size: int
    sha256_short: str
    is_previewable: bool
    due_on: dt.date | None
    commitment_text: str
    provided_at: dt.datetime
    is_superseded: bool


@dataclass(frozen=True)
class NoticeItem:
    name: str
    reason: str


@dataclass(frozen=True)
class NoticeInfo:
    status: str
    is_open: bool
    issued_at: dt.datetime
    respond_by: dt.datetime
    items: list[NoticeItem]


@dataclass(frozen=True)
class SpecialRow:
    kind: str
    reason: str
    expected_days: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    result: str
    paused_days: int


@dataclass(frozen=True)
class ExtensionInfo:
    days: int
    reason: str
    approved_by: str
    approved_at: dt.datetime


@dataclass(frozen=True)
class DeadlineRow:
    label: str
    at: dt.datetime | None
    colour: str
    is_running: bool


@dataclass(frozen=True)
class SupplementTarget:
    """A material or form field a 补正 notice may list."""

    kind: str  # "material" or "field"
    key: str
    name: str


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class CaseDetail:
    pk: int
    reference: str
    query_no: str
    status: str
    status_label: str
    is_terminal: bool
    matter_name: str
    version_number: int
    implementation_code: str
    department_name: str
    channel: str
    applicant_name: str  # masked
    applicant_id_number: str  # masked
    applicant_mobile: str  # masked
    filed_by: str
    received_at: dt.datetime | None
    accepted_at: dt.datetime | None
    step: str
    chain: list[ChainStep]
    current_step: int | None  # index in `chain` while in review
    assignee: str
    delivery_method: str  # a DeliveryMethod value or ""
    delivery_method_label: str
    delivery_address: str
    situation: list[LabelledValue]
    answers: list[LabelledValue]
    materials: list[MaterialRow]
    notice: NoticeInfo | None
    specials: list[SpecialRow]
    extension: ExtensionInfo | None
    deadlines: list[DeadlineRow]
    decision: list[LabelledValue]
    timeline: list[TimelineEntry]
    actions: list[str]
    notes: list[str]
    supplement_targets: list[SupplementTarget]
    colleagues: list[Choice]


def _user_roles(user: User, department_id: int) -> set[str]:
    if user.is_superuser:
        return set(Role.values)
    return department_roles(user, department_id)


def _current_step(application: Application) -> ChainStep:
    chain = review_chain(application.version)
    return chain[min(application.step_index, len(chain) - 1)]


def _stage_role(application: Application) -> str:
    """Who handles the case now: the window before review and after the decision, else the step."""
    if application.status in (Status.IN_REVIEW, Status.SUSPENDED):
        return _current_step(application).role
    return Role.WINDOW_CLERK


def _owes_deficiency(application: Application) -> bool:
    return application.materials.filter(
        source=MaterialSource.DEFICIENCY, superseded_at__isnull=True
    ).exists()


def case_actions_for(user: User, application: Application) -> list[str]:
    """The actions `user` may take on the case now (names of `ACTIONS`), mirroring the access
    functions of `applications.permissions` and the transitions' sources. The services check
    again when an action is posted."""
    if application.is_terminal or application.status == Status.DRAFT:
        return []
    roles = _user_roles(user, application.department_id)

    def may(role: str, permission: str) -> bool:
        return role in roles and user.has_perm(permission)

    status = application.status
    allowed: set[str] = set()
    if application.assignee_id is None and _stage_role(application) in roles:
        allowed.add("claim")
    if status == Status.RECEIVED and may(Role.WINDOW_CLERK, "applications.receive_application"):
        allowed |= {"accept", "not_accept"}
        if not application.supplement_notices.exists():  # 一次性告知: one notice per case
            allowed.add("supplement")
    if status in (Status.IN_REVIEW, Status.SUSPENDED):
        chain = review_chain(application.version)
        step = _current_step(application)
        is_last = application.step_index + 1 >= len(chain)
        permission = (
            "applications.decide_application" if is_last else "applications.review_application"
        )
        if step.role == Role.WINDOW_CLERK:  # 即办件
            permission = "applications.receive_application"
        if may(step.role, permission):
            allowed |= _step_actions(application)
    if (
        status == Status.IN_REVIEW
        and application.extension_days == 0
        and may(Role.APPROVER, "applications.extend_application")
    ):
        allowed.add("extend")
    if status in DECIDED and may(Role.WINDOW_CLERK, "applications.deliver_application"):
        allowed.add("deliver")
    if user.has_perm("applications.assign_application") and roles & {
        Role.DEPARTMENT_ADMIN,
        Role.APPROVER,
    }:
        allowed.add("assign")
    if may(Role.SUPERVISOR, "applications.void_application"):
        allowed.add("void")
    return [action for action in ACTIONS if action in allowed]


def _step_actions(application: Application) -> set[str]:
    """What the holder of the current step may do, by state and position in the chain."""
    if application.status == Status.SUSPENDED:
        return {"resume"}
    actions = {"suspend"}
    at_last = application.step_index + 1 >= application.step_count
    if not at_last:
        actions.add("pass")
    if application.step_index > 0:
        actions.add("send_back")
    if at_last:
        actions.add("reject")
        if not _owes_deficiency(application):  # 容缺: decide once every owed material is in
            actions.add("approve")
    return actions


def colleagues_for_assignment(application: Application) -> list[Choice]:
    """Active members of the case's department who hold the role of its current stage."""
    members = (
        User.objects.filter(
            is_active=True,
            department_memberships__department_id=application.department_id,
            department_memberships__role=_stage_role(application),
        )
        .distinct()
        .order_by("real_name", "username", "pk")
    )
    return [Choice(value=str(member.pk), label=member.display_name) for member in members]


def _material_row(material: ApplicationMaterial) -> MaterialRow:
    return MaterialRow(
        pk=material.pk,
        name=material.material_name,
        source_label=str(MaterialSource(material.source).label),
        is_deficiency=material.source == MaterialSource.DEFICIENCY,
        has_file=bool(material.file),
        original_name=material.original_name,
        size=material.size,
        sha256_short=material.sha256[:12],
        is_previewable=material.content_type in PREVIEWABLE_TYPES,
        due_on=material.due_on,
        commitment_text=material.commitment_text,
        provided_at=material.provided_at,
        is_superseded=material.superseded_at is not None,
    )


def _situation(version: MatterVersion, chosen: dict[str, str]) -> list[LabelledValue]:
    rows = []
    for question in sorted(version.situations.all(), key=lambda q: (q.order, q.pk)):
        options = {o.key: o.label for o in question.options.all()}
        key = chosen.get(question.key, "")
        rows.append(LabelledValue(label=question.text, value=options.get(key, key)))
    return rows


def _deadlines(application: Application, now: dt.datetime) -> list[DeadlineRow]:
    status = application.status
    reviewing = status in (Status.IN_REVIEW, Status.SUSPENDED)
    clocks = (
        (
            _("受理期限"),
            application.intake_deadline,
            application.received_at,
            status == Status.RECEIVED,
        ),
        (_("承诺办结期限"), application.promise_deadline, application.accepted_at, reviewing),
        (_("法定办结期限"), application.legal_deadline, application.accepted_at, reviewing),
        (_("送达期限"), application.delivery_deadline, application.decided_at, status in DECIDED),
    )
    return [
        DeadlineRow(
            label=label,
            at=at,
            colour=deadline_colour(at, start=start, now=now) if running else "",
            is_running=running,
        )
        for label, at, start, running in clocks
    ]


def _decision(application: Application) -> list[LabelledValue]:
    rows = []
    if application.not_accepted_kind:
        kind = NotAcceptedKind(application.not_accepted_kind).label
        rows.append(LabelledValue(label=_("不予受理情形"), value=str(kind)))
    if application.competent_authority:
        rows.append(LabelledValue(label=_("有权受理的机关"), value=application.competent_authority))
    if application.decision_reason:
        rows.append(LabelledValue(label=_("决定理由"), value=application.decision_reason))
    if application.remedy_text:
        rows.append(LabelledValue(label=_("救济途径"), value=application.remedy_text))
    return rows


def _notice(application: Application) -> NoticeInfo | None:
    notice = (
        SupplementNotice.objects.filter(application=application)
        .order_by("-issued_at", "-pk")
        .first()
    )
    if notice is None:
        return None
    return NoticeInfo(
        status=str(NoticeStatus(notice.status).label),
        is_open=notice.status == NoticeStatus.OPEN,
        issued_at=notice.issued_at,
        respond_by=notice.respond_by,
        items=[NoticeItem(name=str(i["name"]), reason=str(i["reason"])) for i in notice.items],
    )


def _masked_answer(field: FormField, value: object) -> str:
    """An answer as the case page shows it: identity data masked like the applicant's own."""
    text = "" if value is None else str(value)
    if not text:
        return ""
    if field.field_type == FieldType.ID_NUMBER:
        return mask_resident_id(text)
    if field.field_type == FieldType.MOBILE:
        return mask_mobile(text)
    if field.prefill == Prefill.NAME:
        return mask_name(text)
    return text


def _filed_by(application: Application) -> str:
    """The clerk who filed at the window; online, the applicant (masked, like everywhere here)."""
    if application.channel == Channel.WINDOW:
        return application.filed_by.display_name
    return _("申请人本人（网上申报）")


def _timeline(application: Application, events: list[ApplicationEvent]) -> list[TimelineEntry]:
    """The staff timeline, with the applicant's own name masked where they acted."""
    entries = timeline_for_staff(events)
    return [
        replace(entry, actor=_("%(name)s（申请人）") % {"name": mask_name(event.actor.real_name)})
        if event.actor is not None and event.actor_id == application.applicant_id
        else entry
        for event, entry in zip(events, entries, strict=True)
    ]


def case_detail_for_staff(*, user: User, application_id: int, now: dt.datetime) -> CaseDetail:
    """Everything the case page shows, with the actions the user may take now.

    Identity data is masked here: the page never receives the whole ID number or mobile.

    :raises Application.DoesNotExist: if the user is not staff of the case's department.
    """
    application = access_application_for_staff_view(user=user, application_id=application_id)
    version = matter_guide_for_version(version_id=application.version_id)
    application.version = version  # the same row, with its guide prefetched
    materials_order = {m.key: (m.order, m.pk) for m in version.materials.all()}
    materials = sorted(
        application.materials.all(),
        key=lambda m: (
            materials_order.get(m.material_key, (0, 0)),
            m.superseded_at is not None,
            -m.provided_at.timestamp(),
        ),
    )
    events = application.events.select_related("actor").order_by("at", "pk")
    extension = Extension.objects.filter(application=application).select_related("approved_by")
    actions = case_actions_for(user, application)
    notes = []
    if application.status == Status.IN_REVIEW and "reject" in actions and "approve" not in actions:
        notes.append(_("容缺材料尚未补齐，补齐后才能作出准予许可的决定。"))
    return CaseDetail(
        pk=application.pk,
        reference=application.reference or "",
        query_no=application.query_no or "",
        status=application.status,
        status_label=str(Status(application.status).label),
        is_terminal=application.is_terminal,
        matter_name=version.name,
        version_number=version.number,
        implementation_code=version.matter.implementation_code,
        department_name=application.department.name,
        channel=str(Channel(application.channel).label),
        applicant_name=mask_name(application.applicant_name),
        applicant_id_number=application.masked_id_number,
        applicant_mobile=application.masked_mobile,
        filed_by=_filed_by(application),
        received_at=application.received_at,
        accepted_at=application.accepted_at,
        step=step_name(application),
        chain=review_chain(version),
        current_step=(
            application.step_index
            if application.status in (Status.IN_REVIEW, Status.SUSPENDED)
            else None
        ),
        assignee=application.assignee.display_name if application.assignee else "",
        delivery_method=application.delivery_method,
        delivery_method_label=(
            str(DeliveryMethod(application.delivery_method).label)
            if application.delivery_method
            else ""
        ),
        delivery_address=application.delivery_address,
        situation=_situation(version, application.situation),
        answers=[
            LabelledValue(label=f.label, value=_masked_answer(f, application.answers.get(f.key)))
            for f in visible_fields(version, application.situation)
            if f.field_type != FieldType.FILE
        ],
        materials=[_material_row(m) for m in materials],
        notice=_notice(application),
        specials=[
            SpecialRow(
                kind=str(SpecialKind(s.kind).label),
                reason=s.reason,
                expected_days=s.expected_days,
                started_at=s.started_at,
                ended_at=s.ended_at,
                result=s.result,
                paused_days=s.paused_days,
            )
            for s in application.special_procedures.order_by("started_at", "pk")
        ],
        extension=next(
            (
                ExtensionInfo(
                    days=e.days,
                    reason=e.reason,
                    approved_by=e.approved_by.display_name,
                    approved_at=e.approved_at,
                )
                for e in extension
            ),
            None,
        ),
        deadlines=_deadlines(application, now),
        decision=_decision(application),
        timeline=_timeline(application, list(events)),
        actions=actions,
        notes=notes,
        supplement_targets=_supplement_targets(version) if "supplement" in actions else [],
        colleagues=colleagues_for_assignment(application) if "assign" in actions else [],
    )


def supplement_targets_for(*, user: User, application_id: int) -> list[SupplementTarget]:
    """Every material and form field of the case's version, which a 补正 notice may list.

    :raises Application.DoesNotExist: if the user is not staff of the case's department.
    """
    application = access_application_for_staff_view(user=user, application_id=application_id)
    version = matter_guide_for_version(version_id=application.version_id)
    return _supplement_targets(version)


def _supplement_targets(version: MatterVersion) -> list[SupplementTarget]:
    materials = sorted(version.materials.all(), key=lambda m: (m.order, m.pk))
    fields = sorted(version.form_fields.all(), key=lambda f: (f.order, f.pk))
    return [SupplementTarget(kind="material", key=m.key, name=m.name) for m in materials] + [
        SupplementTarget(kind="field", key=f.key, name=f.label)
        for f in fields
        if f.field_type != FieldType.FILE
    ]


def material_for_staff(*, user: User, application_id: int, material_id: int) -> ApplicationMaterial:
    """An uploaded material of a case of the user's departments, for download.

    :raises Application.DoesNotExist: if the user is not staff of the case's department.
    :raises ApplicationMaterial.DoesNotExist: if the case has no such uploaded file.
    """
    application = access_application_for_staff_view(user=user, application_id=application_id)
    return ApplicationMaterial.objects.exclude(file="").get(pk=material_id, application=application)


# --- 一窗受理 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilingMatter:
    pk: int
    name: str
    implementation_code: str
    department_name: str


def matter_list_for_window_filing(*, user: User) -> list[FilingMatter]:
    """The matters in use of the departments where `user` is a window clerk, by department."""
    matters: QuerySet[Matter] = Matter.objects.filter(
        status=MatterStatus.IN_USE, current_version__isnull=False
    )
    if not user.is_superuser:
        matters = matters.filter(
            department__memberships__user=user,
            department__memberships__role=Role.WINDOW_CLERK,
        )
    rows = matters.select_related("department", "current_version").order_by(
        "department__name", "current_version__name", "pk"
    )
    return [
        FilingMatter(
            pk=m.pk,
            name=m.current_version.name if m.current_version else "",
            implementation_code=m.implementation_code,
            department_name=m.department.name,
        )
        for m in rows
    ]


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    text: str
    help: str
    options: list[Choice]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    field_type: str  # a matters FieldType value
    required: bool
    help_text: str
    choices: list[str]
    prefill: str  # a Prefill value: filled from the applicant's identity
    condition: str  # "仅在…时填写", or ""


@dataclass(frozen=True)
class MaterialSpec:
    key: str
    name: str
    necessity: str
    condition: str  # "仅在…时需要", or ""


@dataclass(frozen=True)
class FilingSpec:
    """What the 一窗受理 form asks for one matter, from its current guide version."""

    matter_id: int
    matter_name: str
    department_name: str
    questions: list[QuestionSpec]
    fields: list[FieldSpec]
    materials: list[MaterialSpec]
    default_delivery: str
    supports_express: bool


def _when_text(version: MatterVersion, visible_when: str) -> str:
    question_key, _sep, option_key = visible_when.partition("=")
    for question in version.situations.all():
        if question.key == question_key:
            for option in question.options.all():
                if option.key == option_key:
                    return _("仅在“%(question)s”选择“%(option)s”时填写") % {
                        "question": question.text,
                        "option": option.label,
                    }
    return _("仅在情形 %(when)s 时填写") % {"when": visible_when}


def filing_spec_for_window(*, user: User, matter_id: int) -> FilingSpec:
    """The questions, form fields and materials a window clerk fills in for a walk-in applicant.

    :raises PermissionDenied: if the user is not a window clerk of the matter's department.
    :raises Matter.DoesNotExist: if there is no such matter.
    :raises DomainError: if the matter is retired or not yet published.
    """
    matter = access_matter_for_window_filing(user=user, matter_id=matter_id)
    if matter.status != MatterStatus.IN_USE or matter.current_version_id is None:
        raise DomainError(_("该事项已停用或尚未发布，暂不能收件。"))
    version = matter_guide_for_version(version_id=matter.current_version_id)
    by_material = situation_options_by_material(version)
    return FilingSpec(
        matter_id=matter.pk,
        matter_name=version.name,
        department_name=matter.department.name,
        questions=[
            QuestionSpec(
                key=q.key,
                text=q.text,
                help=q.help,
                options=[Choice(value=o.key, label=o.label) for o in q.options.all()],
            )
            for q in version.situations.all()
        ],
        fields=[
            FieldSpec(
                key=f.key,
                label=f.label,
                field_type=f.field_type,
                required=f.required,
                help_text=f.help_text,
                choices=[str(c) for c in f.choices],
                prefill=f.prefill,
                condition=_when_text(version, f.visible_when) if f.visible_when else "",
            )
            for f in version.form_fields.all()
            if f.field_type != FieldType.FILE
        ],
        materials=[
            MaterialSpec(
                key=m.key,
                name=m.name,
                necessity=str(Necessity(m.necessity).label),
                condition=(
                    _("仅在选择“%(options)s”时需要")
                    % {"options": "、".join(o.label for o in by_material[m.pk])}
                    if by_material.get(m.pk)
                    else ""
                ),
            )
            for m in version.materials.all()
        ],
        default_delivery=(
            DeliveryMethod.ELECTRONIC if version.result_is_electronic else DeliveryMethod.WINDOW
        ),
        supports_express=version.supports_express,
    )


# --- 受理回执 / 收件凭证 ----------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    pk: int
    department_name: str
    matter_name: str
    reference: str
    query_no: str
    received_at: dt.datetime | None
    intake_deadline: dt.datetime | None
    applicant_name: str  # masked
    clerk: str
    channel: str
    materials: list[LabelledValue]  # name → how it was received
    consult_phone: str
    complaint_phone: str


def receipt_for_staff(*, user: User, application_id: int) -> Receipt:
    """The 收件凭证 of a case: what was received, when, by whom, and when intake is decided.

    :raises Application.DoesNotExist: if the user is not staff of the case's department.
    """
    application = access_application_for_staff_view(user=user, application_id=application_id)
    version = application.version
    received_at = application.received_at
    intake = application.intake_deadline
    if intake is None and received_at is not None:  # decided since: the date stated at receipt
        intake = deadlines.intake_deadline(received_at)
    current = application.materials.filter(superseded_at__isnull=True).order_by(
        "material_key", "pk"
    )
    return Receipt(
        pk=application.pk,
        department_name=application.department.name,
        matter_name=version.name,
        reference=application.reference or "",
        query_no=application.query_no or "",
        received_at=received_at,
        intake_deadline=intake,
        applicant_name=mask_name(application.applicant_name),
        clerk=_filed_by(application),
        channel=str(Channel(application.channel).label),
        materials=[LabelledValue(label=m.material_name, value=_receipt_source(m)) for m in current],
        consult_phone=version.consult_phone,
        complaint_phone=version.complaint_phone,
    )


def _receipt_source(material: ApplicationMaterial) -> str:
    if material.source == MaterialSource.UPLOAD:
        return _("电子件（%(name)s）") % {"name": material.original_name or material.material_name}
    if material.source == MaterialSource.PAPER:
        return _("纸质原件，已收取")
    return str(MaterialSource(material.source).label)
