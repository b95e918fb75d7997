"""一窗受理 (filing for a walk-in applicant) and the 收件凭证 receipt."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from applications import deadlines
from applications.choices import (
    Channel,
    DeliveryMethod,
    MaterialSource,
)
from applications.models import (
    ApplicationMaterial,
)
from applications.permissions import (
    access_application_for_staff_view,
    access_matter_for_window_filing,
)
from applications.selectors.staff.case import Choice, LabelledValue, _filed_by
from core.errors import DomainError
from core.identifiers import mask_name
from matters.choices import FieldType, MatterStatus, Necessity
from matters.models import (
    Matter,
    MatterVersion,
)
from matters.notice import situation_options_by_material
from matters.selectors import matter_guide_for_version

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
