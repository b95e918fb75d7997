"""The case page: everything about one case, and the actions this user may take now."""

import datetime as dt
from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from applications.answers import visible_fields
from applications.choices import (
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
)
from applications.presentation import (
    TimelineEntry,
    deadline_colour,
    masked_personal_number,
    step_name,
    timeline_for_staff,
)
from applications.selectors.staff.common import ACTIONS, DECIDED
from applications.uploads import PREVIEWABLE_TYPES
from applications.workflow import ChainStep, current_step, review_chain, stage_role
from certificates.choices import CertificateStatus
from certificates.services import file_check, public_view
from core.identifiers import mask_name
from matters.choices import FieldType, Prefill
from matters.models import (
    FormField,
    MatterVersion,
)
from matters.permissions import roles_in_department
from matters.selectors import matter_guide_for_version

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
    certificate: "CertificateCheck | None" = None


@dataclass(frozen=True)
class CertificateCheck:
    """A wallet certificate standing in for a material (免提交), checked when the page is shown."""

    name: str
    number: str
    identifier: str
    status_label: str
    is_valid: bool
    file_summary: str


def _certificate_check(material: ApplicationMaterial, *, today: dt.date) -> CertificateCheck | None:
    certificate = material.certificate
    if certificate is None:
        return None
    view = public_view(certificate, today=today)
    check = file_check(certificate)
    return CertificateCheck(
        name=view.type_name,
        number=view.number,
        identifier=view.identifier,
        status_label=view.status_label,
        is_valid=view.status == CertificateStatus.VALID
        and check.hash_matches
        and check.signature_ok,
        file_summary=check.summary,
    )


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


def _owes_deficiency(application: Application) -> bool:
    return application.materials.owed().exists()


def case_actions_for(user: User, application: Application) -> list[str]:
    """The actions `user` may take on the case now (names of `ACTIONS`), mirroring the access
    functions of `applications.permissions` and the transitions' sources. The services check
    again when an action is posted."""
    if application.is_terminal or application.status == Status.DRAFT:
        return []
    roles = roles_in_department(user, application.department_id)

    def may(role: str, permission: str) -> bool:
        return role in roles and user.has_perm(permission)

    status = application.status
    allowed: set[str] = set()
    if application.assignee_id is None and stage_role(application) in roles:
        allowed.add("claim")
    if status == Status.RECEIVED and may(Role.WINDOW_CLERK, "applications.receive_application"):
        allowed |= {"accept", "not_accept"}
        if not application.supplement_notices.exists():  # 一次性告知: one notice per case
            allowed.add("supplement")
    if status in (Status.IN_REVIEW, Status.SUSPENDED):
        chain = review_chain(application.version)
        step = current_step(application)
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
            department_memberships__role=stage_role(application),
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
        certificate=_certificate_check(material, today=timezone.localdate())
        if material.source == MaterialSource.CERTIFICATE and material.superseded_at is None
        else None,
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
    if field.prefill == Prefill.NAME:
        return mask_name(text)
    return masked_personal_number(field.field_type, text)


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
        application.materials.select_related("certificate__type"),
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
    if application.bundle_application_id is not None:
        bundle_application = application.bundle_application
        assert bundle_application is not None
        others = bundle_application.cases.exclude(pk=application.pk).count()
        notes.append(
            _(
                "本件属于一件事“%(name)s”（%(reference)s），与另外 %(n)d 个事项同时办理；"
                "本件的补正告知会与其他部门的一并告知申请人。"
            )
            % {
                "name": bundle_application.bundle.name,
                "reference": bundle_application.reference or "",
                "n": others,
            }
        )
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
