"""Reads for applicants: their applications, one case with its trail, and the public tracking view."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from accounts.mandates import companies_represented_by, mandates_held_by
from accounts.models import User
from applications.choices import NoticeStatus, Status
from applications.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    BundleApplication,
    SupplementNotice,
)
from applications.permissions import access_application_for_applicant
from certificates.models import Certificate
from certificates.selectors import certificate_for_source
from matters.models import MatterVersion
from matters.selectors import matter_guide_for_version


def application_list_for_applicant(*, user: User) -> QuerySet[Application]:
    """The user's drafts and cases, and those of the people and companies they act for (within
    each mandate's matters), newest first."""
    reach = Q(applicant=user)
    for company in companies_represented_by(user):
        reach |= Q(applicant=company)
    for mandate in mandates_held_by(user):
        scope = Q(applicant_id=mandate.principal_id)
        if not mandate.all_matters:
            scope &= Q(matter__implementation_code__in=mandate.matter_codes)
        reach |= scope
    return (
        Application.objects.filter(reach)
        .select_related("version", "department", "applicant", "filed_by")
        .order_by("-updated_at", "-pk")
    )


@dataclass(frozen=True)
class CaseView:
    """One application with what its pages show, read in a fixed number of queries."""

    application: Application
    version: MatterVersion
    events: list[ApplicationEvent]
    materials: list[ApplicationMaterial]
    open_notice: SupplementNotice | None
    certificate: Certificate | None = None


def application_detail_for_applicant(*, user: User, application_id: int) -> CaseView:
    """The applicant's own case with its guide version, trail and current materials.

    :raises Application.DoesNotExist: if it is not the user's.
    """
    application = access_application_for_applicant(user=user, application_id=application_id)
    return _case_view(application)


def _case_view(application: Application) -> CaseView:
    version = matter_guide_for_version(version_id=application.version_id)
    events = list(
        ApplicationEvent.objects.filter(application=application)
        .select_related("actor")
        .order_by("at", "pk")
    )
    materials = list(
        application.materials.filter(superseded_at__isnull=True)
        .select_related("certificate__type")
        .order_by("material_key", "pk")
    )
    notice = application.supplement_notices.filter(status=NoticeStatus.OPEN).order_by("-pk").first()
    return CaseView(
        application=application,
        version=version,
        events=events,
        materials=materials,
        open_notice=notice,
        certificate=_result_certificate(application),
    )


def _result_certificate(application: Application) -> Certificate | None:
    if application.status not in (Status.APPROVED, Status.COMPLETED):
        return None
    return certificate_for_source(
        source_ref=application.reference or "", holder_user_id=application.applicant_id
    )


def certificate_for_applicant(*, user: User, application_id: int) -> Certificate | None:
    """The e-certificate of the user's own case (what the case page polls for): two queries,
    not the whole case.

    :raises Application.DoesNotExist: for anyone else's case.
    """
    return _result_certificate(
        access_application_for_applicant(user=user, application_id=application_id)
    )


def application_for_tracking(*, query_no: str) -> CaseView | None:
    """A submitted case found by its query number, for the public tracking page (no login)."""
    application = (
        Application.objects.exclude(status=Status.DRAFT)
        .filter(query_no=query_no.strip())
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "pk"))
        )
        .first()
    )
    if application is None:
        return None
    return _case_view(application)


def material_for_applicant(
    *, user: User, application_id: int, material_id: int
) -> ApplicationMaterial:
    """One uploaded material of the user's own application.

    :raises ApplicationMaterial.DoesNotExist: if it is not theirs or has no file.
    """
    application = access_application_for_applicant(user=user, application_id=application_id)
    return application.materials.exclude(file="").get(pk=material_id)


def bundle_applications_for(*, user: User) -> QuerySet[BundleApplication]:
    """The 一件事 a person filed (for themselves or a company), newest first."""
    return (
        BundleApplication.objects.filter(filed_by=user)
        .select_related("bundle")
        .order_by("-created_at")
    )
