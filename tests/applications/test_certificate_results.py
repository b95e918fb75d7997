"""A case whose result is an e-certificate (DOMAIN §7.6): approving writes the PENDING certificate in
the same transaction; its issue delivers the case (electronically) or is recorded (window, mail);
the case page polls its status. And 免提交 (国务院令第716号 Art 7): a valid certificate from the
applicant's wallet replaces a material, checked live when chosen, submitted and opened by the
clerk."""

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import reverse

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks

from accounts.models import User
from applications import services
from applications.choices import DeliveryMethod, EventKind, MaterialSource, Status
from applications.models import Application, ApplicationEvent, ApplicationMaterial
from applications.services import WalkIn
from certificates import services as certificate_services
from certificates.choices import CertificateStatus, VerificationMethod, VerificationResult
from certificates.models import Certificate, CertificateType, VerificationLog
from certificates.tasks import certificate_issue_task
from core.errors import DomainError
from notifications.choices import Channel, Event
from notifications.models import Notification
from tests.applications.conftest import (
    NOW,
    _valid_id,
    event_kinds,
    pdf,
    shared,
    simple_draft_ready,
)
from tests.auth import sign_in
from tests.certificates.conftest import (
    BUSINESS_TYPE,
    FOOD_TYPE,
    SENIOR_TYPE,
    STAND_IN_PDF,
    case_approved,
    case_at_decision,
    certificate_of,
    issued,
    module_world,
    stored,
    world_build,
)
from tests.html import visible_text

pytestmark = pytest.mark.django_db

# The certificate library's world (its catalogue issues certificates), built once for the module.
world = module_world(world_build)
applicant = shared("applicant")
elder_applicant = shared("elder_applicant")
other_citizen = shared("other_citizen")
clerk = shared("clerk")
approver = shared("approver")
supervisor = shared("supervisor")
workflow_catalogue = shared("workflow_catalogue")

HOUR = dt.timedelta(hours=1)
ISSUED_AT = NOW + 4 * HOUR


def issue(application: Application) -> Certificate:
    """The worker finishes the case's certificate (with a stand-in file) four hours after NOW."""
    return certificate_services.certificate_store(
        certificate_id=certificate_of(application).pk,
        pdf=STAND_IN_PDF,
        issued_on=ISSUED_AT.date(),
        now=ISSUED_AT,
    )


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def last_event(application: Application) -> ApplicationEvent:
    return ApplicationEvent.objects.filter(application=application).latest("at", "pk")


# --- Approval asks for the certificate ----------------------------------------------------------


def test_approving_writes_one_pending_certificate_for_the_applicant(
    world: dict[str, Any], applicant: User
) -> None:
    application = case_approved(world)

    certificate = Certificate.objects.get()
    assert (certificate.source_ref, certificate.type.code, certificate.status) == (
        application.reference,
        FOOD_TYPE,
        CertificateStatus.PENDING,
    )
    assert (
        certificate.holder_name,
        certificate.holder_code,
        certificate.holder_user,
        certificate.issuer_name,
        certificate.requested_at,
    ) == ("李四", applicant.id_number, applicant, "深圳市市场监督管理局", NOW + 3 * HOUR)
    # Only the type's surface fields: no other answer (ID number, mobile) is copied.
    assert certificate.data == {"shop_name": "好味小馆", "category": "热食类"}


def test_an_approval_rolled_back_leaves_no_certificate(
    world: dict[str, Any], approver: User
) -> None:
    application = case_at_decision(world)

    def approve_then_fail() -> None:
        with transaction.atomic():
            services.application_approve(
                user=approver, application_id=application.pk, now=NOW + 3 * HOUR
            )
            raise RuntimeError("the request failed after the approval")

    with pytest.raises(RuntimeError):
        approve_then_fail()

    assert not Certificate.objects.exists()
    assert Application.objects.get(pk=application.pk).status == Status.IN_REVIEW


def test_the_certificate_reaches_a_worker_once_the_approval_commits(
    world: dict[str, Any],
    approver: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    sent: list[dict[str, object]] = []
    monkeypatch.setattr(
        certificate_issue_task, "apply_async", lambda *a, kwargs, **o: sent.append(kwargs)
    )
    application = case_at_decision(world)

    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(
            user=approver, application_id=application.pk, now=NOW + 3 * HOUR
        )

    assert sent == [{"certificate_id": certificate_of(application).pk}]


def test_an_elderly_applicant_approved_by_the_system_gets_the_certificate_requested_too(
    elder_applicant: User, workflow_catalogue: dict[str, Any]
) -> None:
    draft = simple_draft_ready(elder_applicant, workflow_catalogue["elder"])

    application = services.application_submit(
        user=elder_applicant, application_id=draft.pk, now=NOW
    )

    certificate = certificate_of(application)
    assert (application.status, application.auto_approved) == (Status.APPROVED, True)
    assert (certificate.type.code, certificate.status, certificate.holder_name) == (
        SENIOR_TYPE,
        CertificateStatus.PENDING,
        "王五",
    )


# --- The issue delivers the case ----------------------------------------------------------------


def test_a_case_to_be_delivered_electronically_is_completed_by_the_system_when_issued(
    world: dict[str, Any], applicant: User
) -> None:
    application = case_approved(world)

    certificate = issue(application)

    application.refresh_from_db()
    event = last_event(application)
    assert application.status == Status.COMPLETED
    assert (event.kind, event.actor, event.from_status, event.to_status, event.step_name) == (
        EventKind.DELIVERED,
        None,
        Status.APPROVED,
        Status.COMPLETED,
        "送达",
    )
    assert event.note == "电子证照“食品经营许可证”已签发，放入申请人的证照夹，电子送达。"
    assert event.data == {
        "certificate_id": certificate.pk,
        "number": certificate.number,
        "method": DeliveryMethod.ELECTRONIC,
    }
    told = Notification.objects.filter(recipient=applicant, channel=Channel.INBOX)
    assert sorted(
        told.filter(event__in=[Event.APPLICATION_COMPLETED, Event.CERTIFICATE_ISSUED]).values_list(
            "event", flat=True
        )
    ) == [Event.APPLICATION_COMPLETED, Event.CERTIFICATE_ISSUED]


def test_a_case_collected_at_the_window_stays_approved_and_records_the_issue(
    world: dict[str, Any],
) -> None:
    application = case_approved(world, delivery_method=DeliveryMethod.WINDOW)

    certificate = issue(application)

    application.refresh_from_db()
    event = last_event(application)
    assert application.status == Status.APPROVED
    assert (event.kind, event.actor, event.to_status, event.step_name) == (
        EventKind.CERTIFICATE_ISSUED,
        None,
        Status.APPROVED,
        "制证",
    )
    assert event.note == "电子证照“食品经营许可证”已签发；纸质证照按申请人选择的方式送达。"
    assert event.data == {"certificate_id": certificate.pk, "number": certificate.number}
    assert not Notification.objects.filter(event=Event.APPLICATION_COMPLETED).exists()


def test_issuing_twice_delivers_the_case_once(world: dict[str, Any]) -> None:
    application = case_approved(world)
    issue(application)

    issue(application)

    assert event_kinds(application.pk).count(EventKind.DELIVERED) == 1


def test_a_case_voided_before_its_certificate_is_issued_is_not_delivered(
    world: dict[str, Any], supervisor: User
) -> None:
    application = case_approved(world)
    services.application_void(
        user=supervisor, application_id=application.pk, now=NOW + 3 * HOUR, reason="误录。"
    )

    issue(application)

    assert Application.objects.get(pk=application.pk).status == Status.VOID
    assert event_kinds(application.pk)[-1] == EventKind.VOIDED


def test_voiding_a_case_voids_its_pending_certificate_and_the_worker_issues_nothing(
    world: dict[str, Any], supervisor: User
) -> None:
    application = case_approved(world)
    services.application_void(
        user=supervisor, application_id=application.pk, now=NOW + 3 * HOUR, reason="误录。"
    )

    certificate_services.certificate_issue(
        certificate_id=certificate_of(application).pk, now=ISSUED_AT
    )

    certificate = certificate_of(application)
    assert (certificate.status, certificate.attempts, certificate.file.name) == (
        CertificateStatus.VOID,
        0,
        "",
    )


def test_voiding_a_case_whose_certificate_was_issued_stops_the_certificate_verifying(
    world: dict[str, Any], supervisor: User
) -> None:
    application = case_approved(world, delivery_method=DeliveryMethod.WINDOW)
    certificate = issue(application)

    services.application_void(
        user=supervisor, application_id=application.pk, now=ISSUED_AT + HOUR, reason="误录。"
    )
    outcome = certificate_services.certificate_verify(
        query=certificate.identifier, method=VerificationMethod.TYPED, now=ISSUED_AT + HOUR
    )

    assert certificate_of(application).status == CertificateStatus.VOID
    assert (outcome.result, outcome.message) == (
        VerificationResult.VOID,
        "该证照所依据的办件已作废，证照不再有效。",
    )


def test_the_delivery_is_recorded_at_the_moment_the_certificate_was_issued(
    world: dict[str, Any],
) -> None:
    application = case_approved(world)

    issue(application)

    application.refresh_from_db()
    assert (application.completed_at, last_event(application).at) == (ISSUED_AT, ISSUED_AT)


def test_a_walk_in_without_an_account_waits_for_the_clerk_when_the_certificate_is_issued(
    clerk: User, workflow_catalogue: dict[str, Any]
) -> None:
    id_number = _valid_id("19450101", serial="456")
    application = services.application_file_at_window(
        clerk=clerk,
        matter_id=workflow_catalogue["elder"].pk,
        applicant=WalkIn(name="钱七", id_number=id_number, mobile=""),
        situation={"Q1": "Q1A"},
        answers={"name": "钱七", "id_number": id_number, "mobile": "13300133000"},
        uploads={"M01": pdf()},
        paper=["M02"],
        delivery_method="ELECTRONIC",
        delivery_address="",
        now=NOW,
    )
    assert certificate_of(application).holder_user is None

    issue(application)

    event = last_event(application)
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED
    assert (event.kind, event.note) == (
        EventKind.CERTIFICATE_ISSUED,
        "电子证照“广东省老年人优待证”已签发；申请人没有通办账号，请打印证照或当面送达。",
    )


# --- The case page follows the certificate ------------------------------------------------------


def test_the_case_page_polls_while_the_certificate_is_pending_and_then_shows_it_ready(
    world: dict[str, Any], applicant: User
) -> None:
    application = case_approved(world)
    client = signed_in(applicant)
    url = reverse("application-certificate", args=[application.pk])

    page = client.get(reverse("application-detail", args=[application.pk]))
    pending = json.loads(client.get(url).content)
    certificate = issue(application)
    ready = json.loads(client.get(url).content)

    assert f'data-poll="{url}"' in page.content.decode()
    assert (pending["status"], pending["label"]) == ("PENDING", "签发中")
    assert (
        "“食品经营许可证”正在签发，完成后会自动放入您的证照夹，本页面会自动更新。"
        in pending["html"]
    )
    assert (ready["status"], ready["label"]) == ("VALID", "有效")
    assert f"“食品经营许可证”已签发，证照编号 {certificate.number}。" in ready["html"]
    assert reverse("certificates:wallet-download", args=[certificate.pk]) in ready["html"]


def test_a_case_without_a_certificate_answers_none(world: dict[str, Any], applicant: User) -> None:
    application = case_at_decision(world)

    response = signed_in(applicant).get(reverse("application-certificate", args=[application.pk]))

    assert json.loads(response.content) == {"status": "NONE"}


def test_another_citizen_cannot_read_the_cases_certificate_status(
    world: dict[str, Any], other_citizen: User
) -> None:
    application = case_approved(world)

    response = signed_in(other_citizen).get(
        reverse("application-certificate", args=[application.pk])
    )

    assert response.status_code == 404


# --- 免提交: a wallet certificate replaces a material ---------------------------------------------


def change_draft(applicant: User, world: dict[str, Any]) -> Application:
    """A draft of 个体工商户变更登记 with everything but its 营业执照 (M04)."""
    return simple_draft_ready(applicant, world["workflow_catalogue"]["change"])


def use(applicant: User, application: Application, certificate: Certificate) -> None:
    services.application_material_use_certificate(
        user=applicant,
        application_id=application.pk,
        material_key="M04",
        certificate_id=certificate.pk,
        now=NOW,
    )


def test_the_materials_step_offers_the_applicants_valid_business_licence(
    world: dict[str, Any], applicant: User
) -> None:
    certificate = stored(applicant, BUSINESS_TYPE)
    application = change_draft(applicant, world)

    response = signed_in(applicant).get(
        reverse("application-step", args=[application.pk, "materials"])
    )

    assert (
        f"您的证照夹里有有效的“营业执照（个体工商户）”（编号 {certificate.number}），"
        "可以直接使用，无需上传。 使用电子证照（免提交）"
    ) in visible_text(response)


@pytest.mark.parametrize("whose", ["another citizen's", "revoked"])
def test_no_offer_is_made_for_a_certificate_the_applicant_cannot_use(
    whose: str, world: dict[str, Any], applicant: User, other_citizen: User, approver: User
) -> None:
    certificate = stored(
        other_citizen if whose == "another citizen's" else applicant, BUSINESS_TYPE
    )
    if whose == "revoked":
        certificate_services.certificate_revoke(
            user=approver, certificate_id=certificate.pk, reason="依法撤销。", now=NOW
        )
    application = change_draft(applicant, world)

    response = signed_in(applicant).get(
        reverse("application-step", args=[application.pk, "materials"])
    )

    assert response.status_code == 200
    assert "使用电子证照（免提交）" not in visible_text(response)


def test_choosing_the_offered_certificate_provides_the_material_and_logs_the_use(
    world: dict[str, Any], applicant: User
) -> None:
    certificate = stored(applicant, BUSINESS_TYPE)
    application = change_draft(applicant, world)

    response = signed_in(applicant).post(
        reverse("application-step", args=[application.pk, "materials"]),
        {"material_key": "M04", "source": "CERTIFICATE", "certificate": str(certificate.pk)},
    )
    submitted = services.application_submit(user=applicant, application_id=application.pk, now=NOW)

    assert response.status_code == 302
    material = ApplicationMaterial.objects.get(application=application, material_key="M04")
    assert (material.source, material.certificate, material.material_name, material.file.name) == (
        MaterialSource.CERTIFICATE,
        certificate,
        "营业执照",
        "",
    )
    use_log = VerificationLog.objects.get()
    assert (use_log.method, use_log.result, use_log.certificate, use_log.user, use_log.purpose) == (
        VerificationMethod.USE,
        VerificationResult.VALID,
        certificate,
        applicant,
        "个体工商户变更登记",
    )
    assert submitted.status == Status.RECEIVED


def _revoked(world: dict[str, Any]) -> Certificate:
    certificate = stored(world["applicant"], BUSINESS_TYPE)
    return certificate_services.certificate_revoke(
        user=world["approver"], certificate_id=certificate.pk, reason="依法撤销。", now=NOW
    )


def _expired(world: dict[str, Any]) -> Certificate:
    CertificateType.objects.filter(code=BUSINESS_TYPE).update(validity_years=1)
    return stored(world["applicant"], BUSINESS_TYPE, issued_on=dt.date(2020, 1, 1))


def _someone_elses(world: dict[str, Any]) -> Certificate:
    return stored(world["other_citizen"], BUSINESS_TYPE)


def _other_type(world: dict[str, Any]) -> Certificate:
    return stored(world["applicant"])  # a food licence, not a business licence


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_revoked, "电子证照“营业执照（个体工商户）”已撤销，不能用于办事，请上传材料。"),
        (_expired, "电子证照“营业执照（个体工商户）”已过期，不能用于办事，请上传材料。"),
        (_someone_elses, "所选电子证照不属于申请人或类型不符，请上传材料。"),
        (_other_type, "所选电子证照不属于申请人或类型不符，请上传材料。"),
    ],
    ids=["revoked", "expired", "another citizen's", "another type"],
)
def test_a_certificate_that_cannot_stand_in_is_refused(
    make: Any, message: str, world: dict[str, Any], applicant: User
) -> None:
    certificate = make(world)
    application = change_draft(applicant, world)

    with pytest.raises(DomainError) as refused:
        use(applicant, application, certificate)

    assert refused.value.message == message
    assert not ApplicationMaterial.objects.filter(
        application=application, material_key="M04"
    ).exists()


def test_an_attempt_to_use_a_revoked_certificate_is_logged(
    world: dict[str, Any], applicant: User
) -> None:
    certificate = _revoked(world)
    application = change_draft(applicant, world)

    with pytest.raises(DomainError):
        use(applicant, application, certificate)

    assert list(VerificationLog.objects.values_list("method", "result", "certificate")) == [
        (VerificationMethod.USE, VerificationResult.REVOKED, certificate.pk)
    ]


def test_a_certificate_revoked_after_it_was_chosen_leaves_the_material_missing_at_submission(
    world: dict[str, Any], applicant: User, approver: User
) -> None:
    certificate = stored(applicant, BUSINESS_TYPE)
    application = change_draft(applicant, world)
    use(applicant, application, certificate)
    certificate_services.certificate_revoke(
        user=approver, certificate_id=certificate.pk, reason="依法撤销。", now=NOW
    )

    with pytest.raises(services.SubmissionIncompleteError) as refused:
        services.application_submit(user=applicant, application_id=application.pk, now=NOW)

    assert refused.value.errors == {"materials.M04": ["请提交“营业执照”。"]}
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_the_clerk_sees_the_certificate_checked_live_on_the_case_page(
    world: dict[str, Any], applicant: User, clerk: User, approver: User
) -> None:
    certificate = issued(applicant, BUSINESS_TYPE)
    application = change_draft(applicant, world)
    use(applicant, application, certificate)
    services.application_submit(user=applicant, application_id=application.pk, now=NOW)
    page = reverse("workbench-case", args=[application.pk])

    valid = visible_text(signed_in(clerk).get(page))
    certificate_services.certificate_revoke(
        user=approver, certificate_id=certificate.pk, reason="依法撤销。", now=NOW
    )
    revoked = visible_text(signed_in(clerk).get(page))

    assert (
        f"✓ 实时核验通过：营业执照（个体工商户）（{certificate.number}，有效）"
        "签名有效，文件自签章后未被改动。"
    ) in valid
    assert f"✗ 实时核验未通过：营业执照（个体工商户）（{certificate.number}，已撤销）" in revoked
