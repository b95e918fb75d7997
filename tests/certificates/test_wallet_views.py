"""The holder's wallet (我的证照): the list, a certificate's page, the PDF download and share links
a third party opens without signing in, until they expire or are withdrawn. Anyone else's
certificate is "not found"."""

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from accounts.models import User
from certificates import services
from certificates.choices import CertificateStatus
from certificates.models import Certificate, ShareLink
from core.errors import DomainError
from tests.applications.conftest import LATER, shared
from tests.auth import sign_in
from tests.certificates.conftest import BUSINESS_TYPE, STAND_IN_PDF, requested, stored
from tests.html import visible_text

pytestmark = pytest.mark.django_db

applicant = shared("applicant")
other_citizen = shared("other_citizen")
approver = shared("approver")

SHARE_DAYS_MESSAGE = "分享有效期应为1至30天。"


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def holder(applicant: User) -> Client:
    return signed_in(applicant)


@pytest.fixture
def certificate(applicant: User) -> Certificate:
    return stored(applicant)


def share(certificate: Certificate, *, days: int = 7) -> ShareLink:
    assert certificate.holder_user is not None
    return services.share_link_create(
        user=certificate.holder_user,
        certificate_id=certificate.pk,
        days=days,
        purpose="银行开户",
        now=timezone.now(),
    )


def downloaded(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# --- Wallet -------------------------------------------------------------------------------------


def test_the_holder_sees_the_certificate_in_the_wallet(
    holder: Client, certificate: Certificate
) -> None:
    response = holder.get(reverse("certificates:wallet"))

    assert response.status_code == 200
    assert (
        f"食品经营许可证 有效 证照编号：{certificate.number} 有效期至：2030-06-10"
        in visible_text(response)
    )


def test_a_certificate_being_issued_shows_in_the_wallet_without_a_number_and_a_failed_one_not_at_all(
    holder: Client, applicant: User
) -> None:
    pending = requested(applicant)
    failed = requested(applicant, BUSINESS_TYPE)
    Certificate.objects.filter(pk=failed.pk).update(status=CertificateStatus.FAILED)

    text = visible_text(holder.get(reverse("certificates:wallet")))

    assert "食品经营许可证 签发中 证照编号：— 有效期至：2030-06-10" in text
    assert pending.number not in text
    assert "营业执照" not in text


def test_a_certificate_of_a_voided_case_shows_as_void_in_the_wallet(
    holder: Client, applicant: User
) -> None:
    certificate = stored(applicant, source_ref="REF-1")
    services.certificates_void_for_source(source_ref="REF-1", now=LATER)

    text = visible_text(holder.get(reverse("certificates:wallet")))

    assert f"食品经营许可证 已作废 证照编号：{certificate.number}" in text


def test_an_empty_wallet_explains_where_certificates_come_from(holder: Client) -> None:
    text = visible_text(holder.get(reverse("certificates:wallet")))

    assert "您还没有电子证照。办件准予许可后，电子证照会自动放入这里" in text


def test_the_certificates_page_shows_its_surface_fields_and_identifier(
    holder: Client, certificate: Certificate
) -> None:
    response = holder.get(reverse("certificates:wallet-detail", args=[certificate.pk]))

    text = visible_text(response)
    assert response.status_code == 200
    assert "经营者名称 好味小馆" in text
    assert "经营项目 热食类" in text
    assert f"证照标识 {certificate.identifier}" in text


def test_the_holder_downloads_the_pdf_as_an_attachment(
    holder: Client, certificate: Certificate
) -> None:
    response = holder.get(reverse("certificates:wallet-download", args=[certificate.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificate-{certificate.number}.pdf"'
    )
    assert downloaded(response) == STAND_IN_PDF


@pytest.mark.parametrize(
    ("_case", "name", "method"),
    [
        ("the certificate's page", "certificates:wallet-detail", "get"),
        ("the download", "certificates:wallet-download", "get"),
        ("making a share link", "certificates:share-create", "post"),
    ],
)
def test_another_citizen_finds_nothing_at_the_holders_certificate(
    _case: str, name: str, method: str, other_citizen: User, certificate: Certificate
) -> None:
    client = signed_in(other_citizen)

    response = getattr(client, method)(reverse(name, args=[certificate.pk]), {"days": "7"})

    assert response.status_code == 404
    assert not ShareLink.objects.exists()


def test_a_visitor_is_asked_to_sign_in_for_the_wallet(client: Client) -> None:
    response = client.get(reverse("certificates:wallet"))

    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('sign-in')}?next=/my/certificates/",
    )


# --- Share links --------------------------------------------------------------------------------


def test_the_holder_makes_a_share_link_and_sees_it_once(
    holder: Client, certificate: Certificate
) -> None:
    url = reverse("certificates:wallet-detail", args=[certificate.pk])
    before = timezone.now()

    response = holder.post(
        reverse("certificates:share-create", args=[certificate.pk]),
        {"days": "7", "purpose": "银行开户"},
    )
    after = timezone.now()
    first, second = visible_text(holder.get(url)), visible_text(holder.get(url))

    made = ShareLink.objects.get()
    link = f"http://testserver/share/{made.token}/"
    assert (response.status_code, response["Location"]) == (302, url)
    assert (made.certificate, made.purpose, made.views) == (certificate, "银行开户", 0)
    assert before + dt.timedelta(days=7) <= made.expires_at <= after + dt.timedelta(days=7)
    assert f"分享链接（只显示这一次，请复制）：{link}" in first
    assert link not in second


@pytest.mark.parametrize("days", ["0", "31", "七"])
def test_a_share_link_for_a_period_outside_1_to_30_days_is_refused(
    days: str, holder: Client, certificate: Certificate
) -> None:
    response = holder.post(
        reverse("certificates:share-create", args=[certificate.pk]), {"days": days}
    )

    assert response.status_code == 400
    assert SHARE_DAYS_MESSAGE in visible_text(response)
    assert not ShareLink.objects.exists()


def test_a_revoked_certificate_cannot_be_shared(approver: User, certificate: Certificate) -> None:
    services.certificate_revoke(
        user=approver, certificate_id=certificate.pk, reason="依法撤销。", now=LATER
    )

    with pytest.raises(DomainError) as refused:
        share(certificate)

    assert refused.value.message == "只有有效的证照可以分享。"
    assert not ShareLink.objects.exists()


def test_anyone_with_the_link_sees_the_masked_certificate_and_downloads_it(
    client: Client, applicant: User, certificate: Certificate
) -> None:
    link = share(certificate)

    page = client.get(reverse("certificates:shared", args=[link.token]))
    download = client.get(reverse("certificates:shared-download", args=[link.token]))

    text = visible_text(page)
    assert page.status_code == 200
    assert "持证人分享的电子证照" in text
    assert "用证事由：银行开户" in text
    id_number = applicant.id_number or ""
    masked = f"{id_number[:6]}********{id_number[-4:]}"  # 110105********123x
    assert f"持证主体 李* 持证主体代码 {masked}" in text
    assert id_number not in page.content.decode()
    assert downloaded(download) == STAND_IN_PDF
    assert ShareLink.objects.get(pk=link.pk).views == 2  # the page and the download


def test_an_expired_share_link_shows_nothing(client: Client, certificate: Certificate) -> None:
    link = share(certificate)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    page = client.get(reverse("certificates:shared", args=[link.token]))
    download = client.get(reverse("certificates:shared-download", args=[link.token]))

    assert (page.status_code, download.status_code) == (404, 404)


def test_a_share_link_the_holder_withdrew_shows_nothing(
    client: Client, holder: Client, certificate: Certificate
) -> None:
    link = share(certificate)

    withdrawn = holder.post(reverse("certificates:share-revoke", args=[link.pk]))
    page = client.get(reverse("certificates:shared", args=[link.token]))
    download = client.get(reverse("certificates:shared-download", args=[link.token]))

    assert (withdrawn.status_code, withdrawn["Location"]) == (
        302,
        reverse("certificates:wallet-detail", args=[certificate.pk]),
    )
    assert (page.status_code, download.status_code) == (404, 404)


def test_another_citizen_cannot_withdraw_the_holders_share_link(
    other_citizen: User, certificate: Certificate
) -> None:
    link = share(certificate)

    response = signed_in(other_citizen).post(reverse("certificates:share-revoke", args=[link.pk]))

    assert response.status_code == 404
    assert ShareLink.objects.get(pk=link.pk).revoked_at is None


def test_a_share_link_of_a_revoked_certificate_shows_it_revoked_without_a_download(
    client: Client, approver: User, certificate: Certificate
) -> None:
    link = share(certificate)
    services.certificate_revoke(
        user=approver, certificate_id=certificate.pk, reason="依法撤销。", now=LATER
    )

    page = client.get(reverse("certificates:shared", args=[link.token]))

    assert "状态 已撤销" in visible_text(page)
    assert reverse("certificates:shared-download", args=[link.token]) not in page.content.decode()


def test_a_share_link_of_a_revoked_certificate_no_longer_downloads_the_pdf(
    client: Client, approver: User, certificate: Certificate
) -> None:
    link = share(certificate)
    services.certificate_revoke(
        user=approver, certificate_id=certificate.pk, reason="依法撤销。", now=LATER
    )

    download = client.get(reverse("certificates:shared-download", args=[link.token]))

    assert download.status_code == 404
