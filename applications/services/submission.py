"""Applying: drafts, materials, submission (online and at the window) and 秒批."""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.choices import Role, UserKind
from accounts.mandates import may_act_for
from accounts.models import User
from applications import deadlines, references
from applications.answers import (
    MOBILE,
    Identity,
    answers_check,
    answers_keep,
    prefill,
    visible_fields,
)
from applications.choices import Channel, DeliveryMethod, EventKind, MaterialSource, Status
from applications.events import event_record
from applications.models import Application, ApplicationMaterial
from applications.permissions import (
    access_application_for_applicant,
    access_matter_for_window_filing,
)
from applications.rules import rules_hold
from applications.services.common import fire, save
from applications.services.results import result_certificate_request
from applications.uploads import (
    InspectedUpload,
    UploadRefused,
    upload_discard,
    upload_inspect,
    upload_quota_check,
    upload_store,
)
from applications.workflow import review_chain
from certificates.choices import CertificateStatus
from certificates.models import Certificate
from certificates.services import certificate_check_for_use
from core import calendar
from core.crypto import blind_index
from core.errors import DomainError
from core.identifiers import normalise_resident_id
from matters.choices import MatterStatus, Necessity
from matters.models import Material, Matter, MatterVersion
from matters.notice import (
    AnswersIncompleteError,
    answers_parse,
    applicable_materials,
    situation_options_by_material,
)
from matters.selectors import matter_guide_for_version

logger = logging.getLogger(__name__)


class SubmissionIncompleteError(DomainError):
    """The application cannot be submitted yet; `errors` names each missing or wrong item."""


def identity_of(user: User, *, contact: User | None = None) -> Identity:
    """The applicant's identity as filed: a person's ID number, or a company's USCC; the mobile is
    the applicant's own, or for a company the person filing (its 经办人)."""
    if user.kind == UserKind.LEGAL_PERSON:
        return Identity(
            name=user.real_name,
            id_number=user.uscc or "",
            mobile=contact.mobile if contact else "",
        )
    return Identity(name=user.real_name, id_number=user.id_number or "", mobile=user.mobile)


def _current_version(matter: Matter) -> MatterVersion:
    if matter.status != MatterStatus.IN_USE or matter.current_version_id is None:
        raise DomainError(_("该事项已停用或尚未发布，暂不能申请。"))
    return matter_guide_for_version(version_id=matter.current_version_id)


@transaction.atomic
def application_draft_create(
    *,
    applicant: User,
    matter_id: int,
    now: datetime,
    client_key: str = "",
    filed_by: User | None = None,
) -> Application:
    """Start a draft for the current guide version of a matter, prefilled from the applicant.

    `filed_by` is the person applying for `applicant` (a company's 经办人 or representative, or a
    proxy); their authority for this matter is checked here and again at submission.
    Idempotent with `client_key`: the same key returns the draft (or case) it created before.

    :raises DomainError: if the matter cannot be applied for online, or not by this person for
        this applicant.
    """
    filer = filed_by or applicant
    if filer.kind != UserKind.CITIZEN or not filer.id_number:
        raise DomainError(_("请使用实名认证的个人账户申请。"))
    if applicant.kind not in (UserKind.CITIZEN, UserKind.LEGAL_PERSON):
        raise DomainError(_("请使用实名认证的个人账户申请。"))
    if client_key:
        existing = (
            Application.objects.filter(filed_by=filer, client_key=client_key).order_by("pk").first()
        )
        if existing is not None:
            return existing
    matter = Matter.objects.select_related("department").get(pk=matter_id)
    version = _current_version(matter)
    if not version.is_online:
        raise DomainError(_("该事项暂不支持网上办理，请到办事窗口申请。"))
    if not may_act_for(agent=filer, principal=applicant, matter_code=matter.implementation_code):
        raise DomainError(_("您没有代该申请人办理此事项的授权。"))
    is_company = applicant.kind == UserKind.LEGAL_PERSON
    if (is_company and not version.for_legal) or (not is_company and not version.for_person):
        raise DomainError(
            _("该事项面向企业和组织办理。") if not is_company else _("该事项面向个人办理。")
        )
    identity = identity_of(applicant, contact=filer)
    application = Application(
        matter=matter,
        version=version,
        department=matter.department,
        applicant=applicant,
        applicant_name=identity.name,
        applicant_id_number=identity.id_number,
        applicant_mobile=identity.mobile,
        filed_by=filer,
        channel=Channel.ONLINE,
        client_key=client_key,
        answers=prefill(list(version.form_fields.all()), identity),
        delivery_method=DeliveryMethod.ELECTRONIC if version.result_is_electronic else "",
        step_count=len(review_chain(version)),
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # the same key raced in from a retried request
        return Application.objects.get(filed_by=filer, client_key=client_key)
    return application


def _draft_for_applicant(user: User, application_id: int) -> Application:
    application = access_application_for_applicant(
        user=user, application_id=application_id, lock=True
    )
    if application.status != Status.DRAFT:
        raise DomainError(_("申请已提交，不能再修改草稿。"))
    return application


def _known_situation(version: MatterVersion, situation: Mapping[str, str]) -> dict[str, str]:
    """Only questions and options the version has."""
    known = {q.key: {o.key for o in q.options.all()} for q in version.situations.all()}
    return {k: str(v) for k, v in situation.items() if k in known and str(v) in known[k]}


@transaction.atomic
def application_draft_update(
    *,
    user: User,
    application_id: int,
    now: datetime,
    situation: Mapping[str, str] | None = None,
    answers: Mapping[str, Any] | None = None,
    delivery_method: str | None = None,
    delivery_address: str | None = None,
) -> Application:
    """Save what the applicant has entered so far (unchecked: checks happen at submission).

    :raises Application.DoesNotExist: if it is not the user's application.
    :raises DomainError: if it was already submitted.
    """
    application = _draft_for_applicant(user, application_id)
    version = matter_guide_for_version(version_id=application.version_id)
    fields = ["updated_at"]
    if situation is not None:
        application.situation = _known_situation(version, situation)
        fields.append("situation")
    if answers is not None:
        merged = {**application.answers, **answers_keep(list(version.form_fields.all()), answers)}
        application.answers = merged
        fields.append("answers")
    if delivery_method is not None:
        application.delivery_method = (
            delivery_method if delivery_method in DeliveryMethod.values else ""
        )
        fields.append("delivery_method")
    if delivery_address is not None:
        application.delivery_address = delivery_address.strip()[:200]
        fields.append("delivery_address")
    application.save(update_fields=fields)
    return application


@transaction.atomic
def application_draft_discard(*, user: User, application_id: int) -> None:
    """Delete a draft and its uploaded files.

    :raises DomainError: if it was already submitted (a case is never deleted).
    """
    application = _draft_for_applicant(user, application_id)
    names = [str(m.file.name) for m in application.materials.all() if m.file]
    application.materials.all().delete()
    application.delete()
    transaction.on_commit(lambda: _discard(names))


def _upload_row(
    application: Application,
    material: Material,
    stored: str,
    inspected: InspectedUpload,
    *,
    by: User,
    now: datetime,
) -> ApplicationMaterial:
    """The row recording a stored upload as material `material` of `application`."""
    return ApplicationMaterial.objects.create(
        application=application,
        material_key=material.key,
        material_name=material.name,
        source=MaterialSource.UPLOAD,
        file=stored,
        original_name=inspected.original_name,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        provided_at=now,
        provided_by=by,
    )


def _discard(names: list[str]) -> None:
    for name in names:
        upload_discard(name=name)


def _material(version: MatterVersion, key: str) -> Material:
    for material in version.materials.all():
        if material.key == key:
            return material
    raise DomainError(_("该事项没有这项材料。"), errors={"material": [_("该事项没有这项材料。")]})


def _may_provide(application: Application, key: str) -> bool:
    """Whether the applicant may (re)provide material `key` in the case's current state."""
    if application.status == Status.DRAFT:
        return True
    if application.status == Status.SUPPLEMENT_REQUIRED:
        notice = application.supplement_notices.filter(status="OPEN").first()
        return notice is not None and any(
            item.get("kind") == "material" and item.get("key") == key for item in notice.items
        )
    if application.status in (Status.IN_REVIEW, Status.SUSPENDED):  # 容缺: catching up
        return application.materials.owed().filter(material_key=key).exists()
    return False


def _replace_current(application: Application, key: str, *, now: datetime) -> list[str]:
    """Retire the current row for `key`: deleted in a draft, kept as superseded in a case.
    Returns file names to delete after commit."""
    current = application.materials.filter(material_key=key, superseded_at__isnull=True)
    if application.status == Status.DRAFT:
        names = [str(m.file.name) for m in current if m.file]
        current.delete()
        return names
    current.update(superseded_at=now)
    return []


@transaction.atomic
def application_material_upload(
    *, user: User, application_id: int, material_key: str, file: UploadedFile[bytes], now: datetime
) -> ApplicationMaterial:
    """Attach an uploaded file as material `material_key`, replacing the one provided before.

    Allowed in a draft, for items listed on an open 补正 notice, and for a 容缺 material being caught up.

    :raises UploadRefused: if the file's size or type is not accepted (nothing is stored).
    :raises DomainError: if that material may not be provided now.
    """
    application = access_application_for_applicant(
        user=user, application_id=application_id, lock=True
    )
    version = matter_guide_for_version(version_id=application.version_id)
    material = _material(version, material_key)
    if not _may_provide(application, material_key):
        raise DomainError(_("现在不能提交这项材料。"))
    inspected = upload_inspect(file=file)
    caught_up = application.status in (Status.IN_REVIEW, Status.SUSPENDED)
    old_names = _replace_current(application, material_key, now=now)
    upload_quota_check(application=application, user=user, inspected=inspected, now=now)
    stored = upload_store(file=file, inspected=inspected, now=now)
    transaction.on_commit(lambda: _discard(old_names))
    try:
        row = _upload_row(application, material, stored, inspected, by=user, now=now)
    except BaseException:
        upload_discard(name=stored)  # the row never existed: keep no orphan file
        raise
    if caught_up:
        event_record(
            application=application,
            kind=EventKind.MATERIAL_CAUGHT_UP,
            actor=user,
            at=now,
            from_status=application.status,
            note=material.name,
            data={"material": material.key},
        )
    return row


@transaction.atomic
def application_material_choose(
    *, user: User, application_id: int, material_key: str, source: str, now: datetime
) -> ApplicationMaterial:
    """Provide a material by 容缺后补 (catch up later) or 告知承诺 (a signed commitment), where the
    matter allows it; only in a draft.

    :raises DomainError: if the matter does not allow it for this material.
    """
    application = _draft_for_applicant(user, application_id)
    version = matter_guide_for_version(version_id=application.version_id)
    material = _material(version, material_key)
    if source not in (MaterialSource.DEFICIENCY, MaterialSource.COMMITMENT):
        raise DomainError(_("请上传这项材料，或在允许时选择容缺后补、告知承诺。"))
    return _choose(application, material, source=source, by=user, now=now)


def application_material_use_certificate(
    *, user: User, application_id: int, material_key: str, certificate_id: int, now: datetime
) -> ApplicationMaterial:
    """免提交: let a valid certificate from the applicant's wallet stand in for a material the
    matter allows it for (in a draft, or for an item of an open 补正 notice). The certificate is
    checked live and the use is logged by the certificate library.

    :raises DomainError: if the material cannot be replaced, or the certificate is not the
        applicant's, of the wrong type, revoked or expired.
    """
    application = access_application_for_applicant(user=user, application_id=application_id)
    version = matter_guide_for_version(version_id=application.version_id)
    material = _material(version, material_key)
    if not material.certificate_type:
        raise DomainError(_("这项材料不能用电子证照代替，请上传材料。"))
    # Checked (and logged) before the write: a refused use leaves its trace (DOMAIN §7.5).
    certificate = certificate_check_for_use(
        certificate_id=certificate_id,
        holder_code=application.applicant_id_number,
        type_code=material.certificate_type,
        purpose=version.name,
        user=user,
        now=now,
    )
    return _use_certificate(user, application_id, material, certificate, now=now)


@transaction.atomic
def _use_certificate(
    user: User, application_id: int, material: Material, certificate: Certificate, *, now: datetime
) -> ApplicationMaterial:
    application = access_application_for_applicant(
        user=user, application_id=application_id, lock=True
    )
    if not _may_provide(application, material.key):
        raise DomainError(_("现在不能提交这项材料。"))
    old_names = _replace_current(application, material.key, now=now)
    transaction.on_commit(lambda: _discard(old_names))
    return ApplicationMaterial.objects.create(
        application=application,
        material_key=material.key,
        material_name=material.name,
        source=MaterialSource.CERTIFICATE,
        certificate=certificate,
        provided_at=now,
        provided_by=user,
    )


def _choose(
    application: Application, material: Material, *, source: str, by: User, now: datetime
) -> ApplicationMaterial:
    if source == MaterialSource.DEFICIENCY and material.necessity != Necessity.DEFICIENCY_ALLOWED:
        raise DomainError(_("这项材料不能容缺后补。"))
    if source == MaterialSource.COMMITMENT and not material.commitment_allowed:
        raise DomainError(_("这项材料不能以告知承诺代替。"))
    if source not in (MaterialSource.DEFICIENCY, MaterialSource.COMMITMENT, MaterialSource.PAPER):
        raise DomainError(_("提交方式无效。"))
    old_names = _replace_current(application, material.key, now=now)
    transaction.on_commit(lambda: _discard(old_names))
    commitment = ""
    if source == MaterialSource.COMMITMENT:
        commitment = _(
            "本人承诺符合“%(material)s”所证明的条件，所填报信息真实、准确；"
            "如有虚假，愿意承担相应法律责任，并接受撤销相关决定的处理。"
        ) % {"material": material.name}
    return ApplicationMaterial.objects.create(
        application=application,
        material_key=material.key,
        material_name=material.name,
        source=source,
        provided_at=now,
        provided_by=by,
        commitment_text=commitment,
    )


def submission_check(application: Application, version: MatterVersion, *, now: datetime) -> None:
    """Everything a submission must satisfy, reported all at once.

    :raises SubmissionIncompleteError: naming each item (situation.Q1, answers.key, materials.key …).
    """
    errors: dict[str, list[str]] = {}
    chosen = None
    try:
        chosen = answers_parse(version, application.situation)
    except AnswersIncompleteError as exc:
        errors.update({f"situation.{k}": v for k, v in exc.errors.items()})
    fields = visible_fields(version, application.situation)
    clean, problems = answers_check(fields, application.answers)
    errors.update({f"answers.{k}": v for k, v in problems.items()})
    current = list(application.materials.current().select_related("certificate"))
    provided = {m.material_key for m in current}
    for row in current:  # a wallet certificate revoked or expired since it was chosen
        if row.source == MaterialSource.CERTIFICATE and row.certificate is not None:
            status = row.certificate.effective_status(calendar.local_date(now))
            if status != CertificateStatus.VALID:
                provided.discard(row.material_key)
    # Unanswered situation: at least the materials every situation needs are reported now.
    situational = situation_options_by_material(version)
    for material in applicable_materials(version, chosen or {}):
        # A 非必要 material is required when the chosen situation names it (授权委托书 for an agent).
        optional = material.necessity == Necessity.OPTIONAL and material.pk not in situational
        if optional or material.key in provided:
            continue
        errors[f"materials.{material.key}"] = [_("请提交“%(name)s”。") % {"name": material.name}]
    method = application.delivery_method
    if method not in DeliveryMethod.values:
        errors["delivery_method"] = [_("请选择结果送达方式。")]
    elif method == DeliveryMethod.MAIL and not version.supports_express:
        errors["delivery_method"] = [_("该事项不支持邮寄送达，请选择其他方式。")]
    elif method == DeliveryMethod.MAIL and not application.delivery_address.strip():
        errors["delivery_address"] = [_("请填写邮寄地址。")]
    if errors:
        raise SubmissionIncompleteError(_("申请还有未完成的内容，请按提示修改。"), errors=errors)
    application.answers = {**clean}


def answer_problems(application: Application) -> dict[str, list[str]]:
    """What is wrong with the form answers saved so far (field key → messages); reads only."""
    version = matter_guide_for_version(version_id=application.version_id)
    _clean, problems = answers_check(
        visible_fields(version, application.situation), application.answers
    )
    return problems


def submission_problems(
    application: Application, version: MatterVersion, *, now: datetime
) -> dict[str, list[str]]:
    """What still keeps a draft from being submitted (empty when it is complete); reads only."""
    try:
        submission_check(application, version, now=now)
    except SubmissionIncompleteError as exc:
        return exc.errors
    return {}


def _receive(
    application: Application, version: MatterVersion, *, actor: User, now: datetime, kind: EventKind
) -> Application:
    """DRAFT → RECEIVED with a reference number and the 5-working-day intake clock; then 秒批."""
    day = calendar.local_date(now)
    before = fire(
        application,
        application.submit,
        at=now,
        reference=references.reference_next(matter=application.matter, day=day),
        query_no=references.query_no_new(day=day),
        intake_deadline=deadlines.intake_deadline(now),
    )
    save(
        application,
        ["answers", "received_at", "reference", "query_no", "intake_deadline", "step_count"],
    )
    event_record(
        application=application,
        kind=kind,
        actor=actor,
        role=Role.WINDOW_CLERK if kind == EventKind.FILED_AT_WINDOW else "",
        at=now,
        from_status=before,
        step_name=_("收件"),
    )
    _auto_approve(application, version, now=now)
    return application


def _auto_approve(application: Application, version: MatterVersion, *, now: datetime) -> None:
    """秒批: when every rule holds and nothing is owed, the system accepts and approves."""
    if not version.auto_approve_rules:
        return
    if application.materials.owed().exists():
        return
    if not rules_hold(
        version.auto_approve_rules,
        answers=application.answers,
        id_number=application.applicant_id_number,
        on=calendar.local_date(now),
    ):
        return
    rules = list(version.auto_approve_rules)
    before = fire(
        application,
        application.accept,
        at=now,
        promise_deadline=deadlines.promise_deadline(version, now),
        legal_deadline=deadlines.legal_deadline(version, now),
    )
    event_record(
        application=application,
        kind=EventKind.ACCEPTED,
        actor=None,
        at=now,
        from_status=before,
        step_name=_("受理"),
        note=_("符合秒批规则，系统自动受理。"),
        data={"rules": rules},
    )
    application.step_index = application.step_count - 1
    before = fire(
        application,
        application.approve,
        at=now,
        reason=_("符合秒批规则，系统自动准予。"),
        delivery_deadline=deadlines.delivery_deadline(now),
    )
    application.auto_approved = True
    save(
        application,
        [
            "accepted_at", "deemed_accepted", "promise_deadline", "legal_deadline",
            "intake_deadline", "step_index", "step_started_at", "decided_at", "outcome", "decision_reason",
            "delivery_deadline", "auto_approved",
        ],
    )  # fmt: skip
    event_record(
        application=application,
        kind=EventKind.APPROVED,
        actor=None,
        at=now,
        from_status=before,
        step_name=_("决定"),
        note=_("秒批：系统按规则自动准予。"),
        data={"rules": rules},
    )
    result_certificate_request(application, now=now)
    logger.info("Application %s approved by auto-approval rules", application.pk)


@transaction.atomic
def application_submit(*, user: User, application_id: int, now: datetime) -> Application:
    """Submit the applicant's draft. Idempotent: submitting a submitted application returns it.

    :raises Application.DoesNotExist: if it is not the user's application.
    :raises SubmissionIncompleteError: naming everything still missing or wrong.
    """
    application = access_application_for_applicant(
        user=user, application_id=application_id, lock=True
    )
    if application.status != Status.DRAFT:
        return application  # a double click or a retried request: one application
    version = matter_guide_for_version(version_id=application.version_id)
    if application.matter.status != MatterStatus.IN_USE:
        raise DomainError(_("该事项已停用，暂不能申请。"))
    submission_check(application, version, now=now)
    return _receive(application, version, actor=user, now=now, kind=EventKind.SUBMITTED)


@dataclass(frozen=True)
class WalkIn:
    """The applicant standing at the window (identity checked by the clerk against the ID card)."""

    name: str
    id_number: str
    mobile: str


@transaction.atomic
def application_file_at_window(
    *,
    clerk: User,
    matter_id: int,
    applicant: WalkIn,
    situation: Mapping[str, str],
    answers: Mapping[str, Any],
    uploads: Mapping[str, UploadedFile[bytes]],
    paper: Sequence[str],
    delivery_method: str,
    delivery_address: str,
    now: datetime,
    client_key: str = "",
) -> Application:
    """一窗受理: file an application for a walk-in applicant, with the same checks as online.

    Materials are scanned uploads or paper originals the clerk has seen (`paper`: material keys).
    If the applicant has a portal account, the case appears in it. A refusal stores nothing.

    :raises PermissionDenied: if the clerk is not a window clerk of the matter's department.
    :raises SubmissionIncompleteError: naming everything missing or wrong.
    :raises UploadRefused: if a scan is refused.
    """
    matter = access_matter_for_window_filing(user=clerk, matter_id=matter_id)
    if client_key:
        existing = (
            Application.objects.filter(filed_by=clerk, client_key=client_key).order_by("pk").first()
        )
        if existing is not None:
            return existing
    version = _current_version(matter)
    errors: dict[str, list[str]] = {}
    name = applicant.name.strip()
    if not name:
        errors["applicant_name"] = [_("请填写申请人姓名。")]
    try:
        id_number = normalise_resident_id(applicant.id_number)
    except ValueError as exc:
        errors["applicant_id_number"] = [str(exc)]
        id_number = ""
    if applicant.mobile and not MOBILE.match(applicant.mobile):
        errors["applicant_mobile"] = [_("手机号码应为以 1 开头的 11 位数字。")]
    if errors:
        raise SubmissionIncompleteError(_("申请人信息有误，请核对。"), errors=errors)
    by_id_number = User.objects.filter(id_number_index=blind_index(id_number, kind="id_number"))
    account = by_id_number.filter(kind=UserKind.CITIZEN).order_by("pk").first()
    fields = list(version.form_fields.all())
    given = {k: v for k, v in answers_keep(fields, answers).items() if v}
    application = Application(
        matter=matter,
        version=version,
        department=matter.department,
        applicant=account,
        applicant_name=name,
        applicant_id_number=id_number,
        applicant_mobile=applicant.mobile,
        filed_by=clerk,
        channel=Channel.WINDOW,
        client_key=client_key,
        situation=_known_situation(version, situation),
        # The walk-in's identity fills the form's identity fields, as an account does online.
        answers={
            **prefill(fields, Identity(name=name, id_number=id_number, mobile=applicant.mobile)),
            **given,
        },
        delivery_method=delivery_method if delivery_method in DeliveryMethod.values else "",
        delivery_address=delivery_address.strip()[:200],
        step_count=len(review_chain(version)),
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # the same key raced in from a double submit
        return Application.objects.get(filed_by=clerk, client_key=client_key)
    stored: list[str] = []
    try:
        for key, file in uploads.items():
            material = _material(version, key)
            try:
                inspected = upload_inspect(file=file)
            except UploadRefused as exc:
                raise SubmissionIncompleteError(
                    f"{material.name}：{exc.message}", errors={f"materials.{key}": [exc.message]}
                ) from None
            upload_quota_check(application=application, user=None, inspected=inspected, now=now)
            name_stored = upload_store(file=file, inspected=inspected, now=now)
            stored.append(name_stored)
            _upload_row(application, material, name_stored, inspected, by=clerk, now=now)
        for key in paper:
            if key in uploads:
                continue
            _choose(
                application, _material(version, key), source=MaterialSource.PAPER, by=clerk, now=now
            )
        submission_check(application, version, now=now)
        return _receive(application, version, actor=clerk, now=now, kind=EventKind.FILED_AT_WINDOW)
    except BaseException:
        for name_stored in stored:
            upload_discard(name=name_stored)
        raise
