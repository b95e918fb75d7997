"""The issuing department's certificate pages: the list (failed ones with their attempts), a
certificate's page with its last error, revoking with a reason, sending a failed one back, and the
template preview. Another department's certificate is a 404, a missing permission a 403."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from pytest_django import Settings

from accounts.models import User
from certificates import services
from certificates.choices import CertificateStatus
from certificates.models import Certificate, CertificateType, SigningKey
from matters.models import Department
from tests.applications.conftest import LATER, NOW, shared
from tests.auth import sign_in
from tests.certificates.conftest import requested, stored
from tests.html import visible_text

pytestmark = pytest.mark.django_db

applicant = shared("applicant")
market = shared("market")
clerk = shared("clerk")
approver = shared("approver")
health_approver = shared("health_approver")
catalogue_admin = shared("catalogue_admin")
food_type = shared("food_type")

REASON = "经营场所已不具备许可条件。"


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def failed(user: User, market: Department, settings: Settings) -> Certificate:
    """A certificate that failed its only attempt: the department had no signing key."""
    settings.CERTIFICATE_MAX_ATTEMPTS = 1
    SigningKey.objects.filter(department=market).update(is_active=False)
    return services.certificate_issue(certificate_id=requested(user).pk, now=NOW)


def status_of(certificate: Certificate) -> str:
    return Certificate.objects.get(pk=certificate.pk).status


def test_the_list_shows_the_departments_certificates_with_failed_attempts(
    applicant: User, approver: User, market: Department, settings: Settings
) -> None:
    valid = stored(applicant)
    failed(applicant, market, settings)

    everything = visible_text(signed_in(approver).get(reverse("certificates:staff-list")))
    only_failed = visible_text(
        signed_in(approver).get(reverse("certificates:staff-list"), {"status": "FAILED"})
    )

    assert f"食品经营许可证 {valid.number} — 有效 2025-06-11 10:00" in everything
    assert "食品经营许可证 — — 签发失败 已尝试1次 2025-06-11 10:00" in everything
    assert "签发失败 已尝试1次" in only_failed
    assert valid.number not in only_failed


def test_failed_certificates_come_first_in_the_list(
    applicant: User, approver: User, market: Department, settings: Settings
) -> None:
    failed(applicant, market, settings)
    newer = stored(applicant, now=LATER)

    text = visible_text(signed_in(approver).get(reverse("certificates:staff-list")))

    assert text.index("签发失败 已尝试1次") < text.index(newer.number)


def test_another_departments_staff_see_none_of_its_certificates(
    applicant: User, health_approver: User
) -> None:
    certificate = stored(applicant)
    client = signed_in(health_approver)

    listed = client.get(reverse("certificates:staff-list"))
    detail = client.get(reverse("certificates:staff-detail", args=[certificate.pk]))

    assert "没有符合条件的证照。" in visible_text(listed)
    assert detail.status_code == 404


def test_a_citizen_finds_no_staff_pages(applicant: User) -> None:
    certificate = stored(applicant)

    response = signed_in(applicant).get(reverse("certificates:staff-detail", args=[certificate.pk]))

    assert response.status_code == 404


def test_a_failed_certificates_page_shows_the_last_error_and_the_retry_button(
    applicant: User, approver: User, market: Department, settings: Settings
) -> None:
    certificate = failed(applicant, market, settings)

    response = signed_in(approver).get(reverse("certificates:staff-detail", args=[certificate.pk]))

    text = visible_text(response)
    assert "签发尝试次数 1 最近错误 颁发机构“深圳市市场监督管理局”尚未配置电子印章密钥。" in text
    assert reverse("certificates:staff-retry", args=[certificate.pk]) in response.content.decode()


def test_the_approver_revokes_with_a_reason_from_the_certificates_page(
    applicant: User, approver: User
) -> None:
    certificate = stored(applicant)
    client = signed_in(approver)
    url = reverse("certificates:staff-detail", args=[certificate.pk])

    response = client.post(
        reverse("certificates:staff-revoke", args=[certificate.pk]), {"reason": REASON}
    )

    assert (response.status_code, response["Location"]) == (302, url)
    assert status_of(certificate) == CertificateStatus.REVOKED
    text = visible_text(client.get(url))
    assert "证照已撤销，核验页面将显示“已撤销”。" in text
    assert f"状态 已撤销 （{timezone.localdate().isoformat()}撤销：{REASON}）" in text


def test_revoking_without_a_reason_shows_the_page_again_with_the_message(
    applicant: User, approver: User
) -> None:
    certificate = stored(applicant)

    response = signed_in(approver).post(
        reverse("certificates:staff-revoke", args=[certificate.pk]), {"reason": ""}
    )

    assert response.status_code == 400
    assert "操作未完成请写明撤销的理由。" in visible_text(response)
    assert status_of(certificate) == CertificateStatus.VALID


def test_a_clerk_may_not_revoke(applicant: User, clerk: User) -> None:
    certificate = stored(applicant)

    response = signed_in(clerk).post(
        reverse("certificates:staff-revoke", args=[certificate.pk]), {"reason": REASON}
    )

    assert response.status_code == 403
    assert "您没有执行该操作的权限。" in visible_text(response)
    assert status_of(certificate) == CertificateStatus.VALID


def test_the_approver_sends_a_failed_certificate_back_to_the_workers(
    applicant: User, approver: User, market: Department, settings: Settings
) -> None:
    certificate = failed(applicant, market, settings)

    response = signed_in(approver).post(reverse("certificates:staff-retry", args=[certificate.pk]))

    assert response.status_code == 302
    assert status_of(certificate) == CertificateStatus.PENDING


def test_sending_back_a_valid_certificate_is_refused_with_the_reason(
    applicant: User, approver: User
) -> None:
    certificate = stored(applicant)

    response = signed_in(approver).post(reverse("certificates:staff-retry", args=[certificate.pk]))

    assert response.status_code == 409
    assert "该证照已签发，无需重新签发。" in visible_text(response)


def test_the_catalogue_admin_previews_a_types_template_with_sample_data(
    catalogue_admin: User, food_type: CertificateType
) -> None:
    response = signed_in(catalogue_admin).get(
        reverse("certificates:type-preview", args=[food_type.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "杭州湖畔小笼餐饮有限公司" in response.content.decode()  # the sample holder


def test_a_clerk_may_not_preview_templates(clerk: User, food_type: CertificateType) -> None:
    response = signed_in(clerk).get(reverse("certificates:type-preview", args=[food_type.pk]))

    assert response.status_code == 403
