"""一件事一次办 (DOMAIN §4.2): one application (母件) fanned out into one case per matter (子件).

* Starting a bundle makes the 母件 and one draft per matter, filed by the same person.
* Saving the one form writes each answer into every draft whose matter has that field; a material
  uploaded once is filed with every matter that asks for it (each case keeps its own copy).
* Submitting checks every draft, reports all problems at once against the one form, and submits
  the cases that wait for nothing, in one transaction: nothing is filed unless everything can be.
  The cases then run in parallel, each routed to its department's workbench with its own clocks.
* A case with prerequisites (BundleOrder.DEPENDENCIES) is submitted by the system once every
  prerequisite is approved; if one is refused, it never starts.
* 一次告知: a 补正 notice of one case is held until every case of the bundle has been examined at
  intake, then all open notices reach the applicant as one message; each notice's window is
  counted from that message.
* The bundle completes when every case is closed, or can never start.
"""

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from applications import deadlines
from applications.choices import (
    TERMINAL_STATUSES,
    BundleStatus,
    DeliveryMethod,
    NoticeStatus,
    Status,
)
from applications.models import Application, ApplicationEvent, BundleApplication, SupplementNotice
from applications.notices import applicant_recipients
from applications.permissions import access_bundle_for_applicant
from applications.services import (
    SubmissionIncompleteError,
    application_draft_create,
    application_draft_update,
    application_material_upload,
    application_submit,
)
from applications.services.submission import submission_problems
from core import calendar
from core.errors import DomainError
from matters.bundles import BundleGuide, bundle_guide, bundle_prerequisites, bundle_problems
from matters.models import Bundle, MatterVersion
from matters.selectors import matter_guide_for_version
from notifications.choices import Event
from notifications.services import notify

logger = logging.getLogger(__name__)


def _cases(bundle_application: BundleApplication) -> list[Application]:
    return list(
        bundle_application.cases.select_related("matter", "department", "version").order_by("pk")
    )


def _guide(bundle_application: BundleApplication) -> BundleGuide:
    return bundle_guide(bundle_application.bundle)


@transaction.atomic
def bundle_application_start(
    *,
    applicant: User,
    bundle_id: int,
    now: dt.datetime,
    filed_by: User | None = None,
    client_key: str = "",
) -> BundleApplication:
    """Start a 一件事: the 母件 and a draft per matter. Idempotent with `client_key`.

    :raises DomainError: if the bundle is not offered, or a matter cannot be applied for by this
        person for this applicant (the drafts' own checks).
    """
    filer = filed_by or applicant
    if client_key:
        existing = BundleApplication.objects.filter(filed_by=filer, client_key=client_key).first()
        if existing is not None:
            return existing
    bundle = Bundle.objects.filter(pk=bundle_id, is_published=True).first()
    if bundle is None or bundle_problems(bundle):
        raise DomainError(_("该一件事暂不能申请。"))
    try:
        with transaction.atomic():
            bundle_application = BundleApplication.objects.create(
                bundle=bundle, applicant=applicant, filed_by=filer, client_key=client_key
            )
    except IntegrityError:
        return BundleApplication.objects.get(filed_by=filer, client_key=client_key)
    for member in bundle_guide(bundle).members:
        draft = application_draft_create(
            applicant=applicant, matter_id=member.matter_id, now=now, filed_by=filer
        )
        draft.bundle_application = bundle_application
        draft.save(update_fields=["bundle_application", "updated_at"])
    return bundle_application


def _delivery_for(version: MatterVersion, method: str) -> str:
    """The one delivery choice as each matter can honour it (the window otherwise)."""
    if method == DeliveryMethod.ELECTRONIC and not version.result_is_electronic:
        return DeliveryMethod.WINDOW
    if method == DeliveryMethod.MAIL and not version.supports_express:
        return DeliveryMethod.WINDOW
    return method


@transaction.atomic
def bundle_application_save(
    *,
    user: User,
    bundle_application_id: int,
    now: dt.datetime,
    situations: Mapping[int, Mapping[str, str]] | None = None,
    answers: Mapping[str, Any] | None = None,
    delivery_method: str | None = None,
    delivery_address: str | None = None,
) -> BundleApplication:
    """Save the one form into every draft (unchecked until submission). `situations` holds each
    matter's own questions, by matter id.

    :raises BundleApplication.DoesNotExist: if it is not the user's (404).
    :raises DomainError: once submitted.
    """
    bundle_application = access_bundle_for_applicant(
        user=user, bundle_application_id=bundle_application_id, lock=True
    )
    if bundle_application.status != BundleStatus.DRAFT:
        raise DomainError(_("一件事已提交，不能再修改。"))
    if answers is not None:
        bundle_application.answers = {**bundle_application.answers, **answers}
        bundle_application.save(update_fields=["answers", "updated_at"])
    for case in _cases(bundle_application):
        application_draft_update(
            user=user,
            application_id=case.pk,
            now=now,
            situation=(situations or {}).get(case.matter_id),
            answers=answers,
            delivery_method=(
                _delivery_for(case.version, delivery_method)
                if delivery_method is not None
                else None
            ),
            delivery_address=delivery_address,
        )
    return bundle_application


@transaction.atomic
def bundle_material_upload(
    *,
    user: User,
    bundle_application_id: int,
    slot: str,
    file: UploadedFile[bytes],
    now: dt.datetime,
) -> int:
    """Upload a material of the one set once: it is filed with every matter asking for it.
    Returns the number of cases it was filed with.

    :raises UploadRefused: if the file is refused (nothing is stored).
    :raises DomainError: for an unknown material, or once submitted.
    """
    bundle_application = access_bundle_for_applicant(
        user=user, bundle_application_id=bundle_application_id, lock=True
    )
    if bundle_application.status != BundleStatus.DRAFT:
        raise DomainError(_("一件事已提交，不能再修改。"))
    shared = next((m for m in _guide(bundle_application).materials if m.slot == slot), None)
    if shared is None:
        raise DomainError(_("该一件事没有这项材料。"))
    filed = 0
    for case in _cases(bundle_application):
        key = shared.keys.get(case.matter_id)
        if key is None:
            continue
        file.seek(0)
        application_material_upload(
            user=user, application_id=case.pk, material_key=key, file=file, now=now
        )
        filed += 1
    return filed


def _bundle_errors(
    guide: BundleGuide, case: Application, problems: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """One case's problems, named as the one form names them."""
    errors: dict[str, list[str]] = {}
    for key, messages in problems.items():
        if key.startswith("materials."):
            material_key = key.removeprefix("materials.")
            slot = next(
                (m.slot for m in guide.materials if m.keys.get(case.matter_id) == material_key),
                material_key,
            )
            errors[f"materials.{slot}"] = messages
        elif key.startswith("situation."):
            errors[f"situation.{case.matter_id}.{key.removeprefix('situation.')}"] = messages
        else:
            errors[key] = messages
    return errors


def _reference(bundle_application: BundleApplication, now: dt.datetime) -> str:
    return f"YJS{calendar.local_date(now):%Y%m%d}{bundle_application.pk:06d}"


@transaction.atomic
def bundle_application_submit(
    *, user: User, bundle_application_id: int, now: dt.datetime
) -> BundleApplication:
    """Check every draft and submit the cases that wait for nothing, all or none. Submitting
    twice yields one submission.

    :raises SubmissionIncompleteError: naming everything still missing, in the one form's terms.
    """
    bundle_application = access_bundle_for_applicant(
        user=user, bundle_application_id=bundle_application_id, lock=True
    )
    if bundle_application.status != BundleStatus.DRAFT:
        return bundle_application
    guide = _guide(bundle_application)
    cases = _cases(bundle_application)
    errors: dict[str, list[str]] = {}
    for case in cases:
        version = matter_guide_for_version(version_id=case.version_id)
        for key, messages in _bundle_errors(
            guide, case, submission_problems(case, version, now=now)
        ).items():
            errors.setdefault(key, [])
            errors[key].extend(m for m in messages if m not in errors[key])
    if errors:
        raise SubmissionIncompleteError(_("申请还有未完成的内容，请按提示修改。"), errors=errors)
    prerequisites = {m.matter_id: m.prerequisites for m in guide.members}
    for case in cases:
        if not prerequisites.get(case.matter_id):
            application_submit(user=user, application_id=case.pk, now=now)
    bundle_application.status = BundleStatus.IN_PROGRESS
    bundle_application.submitted_at = now
    bundle_application.reference = _reference(bundle_application, now)
    bundle_application.save(update_fields=["status", "submitted_at", "reference", "updated_at"])
    bundle_progress(bundle_application_id=bundle_application.pk, now=now)
    return bundle_application


def _blocked(
    case: Application, by_matter: Mapping[int, Application], waits: tuple[int, ...]
) -> bool:
    """A draft that can never start: a prerequisite ended without approval."""
    for matter_id in waits:
        before = by_matter.get(matter_id)
        if before is None:
            continue
        if before.status in TERMINAL_STATUSES and before.outcome != Status.APPROVED:
            return True
        if before.status == Status.REJECTED:
            return True
    return False


def _ready(by_matter: Mapping[int, Application], waits: tuple[int, ...]) -> bool:
    return all(
        (before := by_matter.get(m)) is not None and before.outcome == Status.APPROVED
        for m in waits
    )


def bundle_case_state(
    case: Application, by_matter: Mapping[int, Application], waits: tuple[int, ...]
) -> str:
    """How the applicant's page shows a case: its status, or waiting / never started."""
    if case.status != Status.DRAFT:
        return str(case.get_status_display())
    if _blocked(case, by_matter, waits):
        return _("未启动（前置事项未获准予）")
    return _("待前置事项准予后自动提交")


def _tell_supplements(
    bundle_application: BundleApplication, cases: list[Application], now: dt.datetime
) -> None:
    """Once no case waits at intake, tell every open 补正 notice not told yet, in one message."""
    if any(case.status == Status.RECEIVED for case in cases):
        return
    notices = list(
        SupplementNotice.objects.filter(
            application__bundle_application=bundle_application, status=NoticeStatus.OPEN
        )
        .exclude(pk__in=bundle_application.notices_told)
        .select_related("application__department", "application__version")
        .order_by("pk")
    )
    if not notices:
        return
    items: list[dict[str, str]] = []
    for notice in notices:
        # The applicant hears of it only now: the notice's window counts from this message.
        window = calendar.working_days_between(
            calendar.local_date(notice.issued_at), calendar.local_date(notice.respond_by)
        )
        notice.respond_by = max(notice.respond_by, deadlines.after_working_days(now, window))
        notice.save(update_fields=["respond_by", "updated_at"])
        case = notice.application
        items.extend(
            {
                "department": case.department.name,
                "matter_name": case.version.name,
                "name": item.get("name", ""),
                "reason": item.get("reason", ""),
                "deadline": calendar.local_date(notice.respond_by).isoformat(),
            }
            for item in notice.items
        )
    told = [notice.pk for notice in notices]
    notify(
        event=Event.BUNDLE_SUPPLEMENT_REQUESTED,
        recipients=applicant_recipients(notices[0].application),
        context={
            "bundle_name": bundle_application.bundle.name,
            "bundle_reference": bundle_application.reference or "",
            "items": items,
        },
        key=f"bundle-supplement:{bundle_application.pk}:{'-'.join(map(str, told))}",
        link=reverse("bundle-application-detail", args=[bundle_application.pk]),
        now=now,
    )
    bundle_application.notices_told = [*bundle_application.notices_told, *told]
    bundle_application.save(update_fields=["notices_told", "updated_at"])


def _start_waiting(
    bundle_application: BundleApplication,
    cases: list[Application],
    prerequisites: Mapping[int, tuple[int, ...]],
    now: dt.datetime,
) -> bool:
    """Submit the drafts whose prerequisites are all approved; whether any was tried."""
    by_matter = {case.matter_id: case for case in cases}
    tried = False
    for case in cases:
        waits = prerequisites.get(case.matter_id, ())
        if case.status != Status.DRAFT or not waits or not _ready(by_matter, waits):
            continue
        tried = True
        try:
            with transaction.atomic():
                application_submit(
                    user=bundle_application.filed_by, application_id=case.pk, now=now
                )
        except DomainError as exc:  # e.g. a wallet certificate expired meanwhile
            logger.warning(
                "Bundle %s: case %s could not start: %s",
                bundle_application.pk,
                case.pk,
                exc.message,
            )
    return tried


def _complete_when_done(
    bundle_application: BundleApplication,
    cases: list[Application],
    prerequisites: Mapping[int, tuple[int, ...]],
    now: dt.datetime,
) -> None:
    by_matter = {case.matter_id: case for case in cases}
    settled = all(
        case.status in TERMINAL_STATUSES
        or (
            case.status == Status.DRAFT
            and _blocked(case, by_matter, prerequisites.get(case.matter_id, ()))
        )
        for case in cases
    )
    if not settled:
        return
    bundle_application.status = BundleStatus.COMPLETED
    bundle_application.completed_at = now
    bundle_application.save(update_fields=["status", "completed_at", "updated_at"])
    notify(
        event=Event.BUNDLE_COMPLETED,
        recipients=applicant_recipients(cases[0]),
        context={
            "bundle_name": bundle_application.bundle.name,
            "bundle_reference": bundle_application.reference or "",
            "approved": sum(case.outcome == Status.APPROVED for case in cases),
            "total": len(cases),
        },
        key=f"bundle-completed:{bundle_application.pk}",
        link=reverse("bundle-application-detail", args=[bundle_application.pk]),
        now=now,
    )


def bundle_progress(*, bundle_application_id: int, now: dt.datetime) -> None:
    """After any step of one of its cases: tell held 补正 notices, start cases whose
    prerequisites are approved, complete the bundle when every case is done. Locks the 母件, so
    two departments acting at once are seen one after the other."""
    bundle_application = (
        BundleApplication.objects.select_for_update()
        .select_related("bundle", "filed_by")
        .get(pk=bundle_application_id)
    )
    if bundle_application.status != BundleStatus.IN_PROGRESS:
        return
    prerequisites = bundle_prerequisites(bundle_application.bundle)
    cases = _cases(bundle_application)
    _tell_supplements(bundle_application, cases, now)
    if _start_waiting(bundle_application, cases, prerequisites, now):
        # The started cases ran this function again for their own receipt: read what it left.
        bundle_application.refresh_from_db(fields=["status", "completed_at", "notices_told"])
        if bundle_application.status != BundleStatus.IN_PROGRESS:
            return
        cases = _cases(bundle_application)
    _complete_when_done(bundle_application, cases, prerequisites, now)


def bundle_case_changed(
    *, application: Application, event: ApplicationEvent, now: dt.datetime
) -> None:
    """A case of a bundle moved (called for every trail entry of a bundled case)."""
    if application.bundle_application_id is None or application.status == Status.DRAFT:
        return
    bundle_progress(bundle_application_id=application.bundle_application_id, now=now)
