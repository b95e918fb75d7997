"""Verification (DOMAIN §7.5): by identifier, typed or from the QR code, and by uploading the PDF.
The public sees a masked holder; every check is logged with the client's address; the public
pages are rate-limited per address."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import pytest
from pytest_django import DjangoDbBlocker, Settings

from accounts.models import User
from certificates import services
from certificates.choices import CertificateStatus, VerificationMethod, VerificationResult
from certificates.identifiers import Identifier
from certificates.models import Certificate, VerificationLog
from core.errors import DomainError
from tests.applications.conftest import LATER, PDF, shared
from tests.certificates.conftest import (
    FOOD_TYPE,
    ZHANG_ID,
    issued,
    requested,
    stored,
    stored_file,
)
from tests.html import visible_text
from tests.matters import documents

pytestmark = pytest.mark.django_db

zhang = shared("zhang")
approver = shared("approver")

IP = "203.0.113.7"
UNKNOWN = str(
    Identifier(
        type_code=FOOD_TYPE, issuer_code=documents.MARKET, serial="20259999999999", version="001"
    )
)
GENUINE_MESSAGE = "该文件是本平台签发的原件，签章后未被改动。"
ALTERED_MESSAGE = "该文件不是本平台签发的原件，或在签章后被改动过，不能作为有效证照使用。"
NOT_PDF_MESSAGE = "请上传PDF格式的电子证照文件。"


@pytest.fixture(scope="module")
def genuine(world: dict[str, Any], django_db_blocker: DjangoDbBlocker) -> Certificate:
    """张三's food licence, really rendered and signed; shared by the module (tests that change it
    run in their own savepoint)."""
    with django_db_blocker.unblock():
        return issued(world["zhang"])


@pytest.fixture(scope="module")
def genuine_pdf(genuine: Certificate) -> bytes:
    return stored_file(genuine)


def logged() -> list[tuple[str, str, int | None, str, str | None]]:
    return list(
        VerificationLog.objects.order_by("pk").values_list(
            "method", "result", "certificate", "query", "ip"
        )
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def verify_file(client: Client, content: bytes, name: str = "证照.pdf") -> Any:
    return client.post(
        reverse("certificates:verify-file"), {"file": upload(name, content)}, REMOTE_ADDR=IP
    )


# --- By identifier ------------------------------------------------------------------------------


def test_a_valid_certificate_is_verified_with_the_holder_masked_and_the_file_checked(
    genuine: Certificate,
) -> None:
    outcome = services.certificate_verify(
        query=genuine.identifier, method=VerificationMethod.TYPED, now=LATER, ip=IP
    )

    assert (outcome.result, outcome.message, outcome.is_valid) == (
        VerificationResult.VALID,
        "该证照真实有效。",
        True,
    )
    assert outcome.certificate == services.PublicCertificate(
        identifier=genuine.identifier,
        type_name="食品经营许可证",
        number=genuine.number,
        holder_name="张*",
        holder_code="110105********002X",
        issuer_name="深圳市市场监督管理局",
        issued_on=dt.date(2025, 6, 11),
        valid_from=dt.date(2025, 6, 11),
        valid_until=dt.date(2030, 6, 10),
        status=CertificateStatus.VALID,
        status_label="有效",
        revoked_on=None,
        revoke_reason="",
    )
    assert outcome.file_check == services.FileCheck(
        hash_matches=True, signature_ok=True, summary="签名有效，文件自签章后未被改动。"
    )
    assert logged() == [("TYPED", "VALID", genuine.pk, genuine.identifier, IP)]


def test_an_identifier_typed_in_lower_case_with_spaces_is_still_found(
    genuine: Certificate,
) -> None:
    typed = " " + genuine.identifier.lower().replace(".001.", ". 001 .") + " "

    outcome = services.certificate_verify(query=typed, method=VerificationMethod.TYPED, now=LATER)

    assert (outcome.result, logged()[0][3]) == (VerificationResult.VALID, genuine.identifier)


def test_a_stored_file_altered_after_it_was_checked_is_caught_at_the_next_check(
    genuine: Certificate, genuine_pdf: bytes
) -> None:
    first = services.certificate_verify(
        query=genuine.identifier, method=VerificationMethod.TYPED, now=LATER, ip=IP
    )
    path = Path(genuine.file.path)
    altered = bytearray(genuine_pdf)
    altered[len(altered) // 2] ^= 0x01
    try:
        path.write_bytes(bytes(altered))
        second = services.certificate_verify(
            query=genuine.identifier, method=VerificationMethod.TYPED, now=LATER, ip=IP
        )
    finally:
        path.write_bytes(genuine_pdf)

    assert first.file_check is not None
    assert first.file_check.signature_ok
    assert second.file_check is not None
    assert (second.file_check.hash_matches, second.file_check.signature_ok) == (False, False)


def test_a_certificate_whose_file_was_lost_is_shown_with_the_loss_not_a_server_error(
    client: Client, genuine: Certificate, genuine_pdf: bytes
) -> None:
    path = Path(genuine.file.path)
    try:
        path.unlink()
        response = client.get(reverse("certificates:verify"), {"id": genuine.identifier})
    finally:
        path.write_bytes(genuine_pdf)

    assert response.status_code == 200
    assert "证照文件缺失，无法核对，请联系颁发机构。" in visible_text(response)


@pytest.mark.parametrize(
    ("header", "recorded"),
    [("198.51.100.9", "198.51.100.9"), ("not-an-address", IP), ("", IP)],
)
def test_behind_the_proxy_the_log_records_the_clients_address_from_its_header(
    client: Client, settings: Settings, header: str, recorded: str
) -> None:
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"

    client.get(
        reverse("certificates:verify"), {"id": UNKNOWN}, REMOTE_ADDR=IP, HTTP_X_REAL_IP=header
    )

    assert logged() == [("TYPED", "NOT_FOUND", None, UNKNOWN, recorded)]


@pytest.mark.parametrize("status", ["unknown", "still being issued"])
def test_an_identifier_of_no_issued_certificate_is_not_found_and_logged(
    status: str, zhang: User
) -> None:
    query = UNKNOWN if status == "unknown" else requested(zhang).identifier

    outcome = services.certificate_verify(
        query=query, method=VerificationMethod.QR, now=LATER, ip=IP
    )

    assert (outcome.result, outcome.message, outcome.certificate, outcome.file_check) == (
        VerificationResult.NOT_FOUND,
        "没有找到该证照标识对应的证照，请核对是否输入正确。",
        None,
        None,
    )
    assert logged() == [("QR", "NOT_FOUND", None, query, IP)]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "请输入证照标识。"),
        (
            "1.2.156.3005.2.110105",
            "证照标识格式不正确：应以 1.2.156.3005.2 开头，由类型代码、颁发机构代码、流水号、版本号和校验位组成。",
        ),
        (
            UNKNOWN[:-1] + ("A" if UNKNOWN[-1] != "A" else "B"),
            "证照标识的校验位不正确，请核对是否输错。",
        ),
    ],
    ids=["empty", "incomplete", "wrong check character"],
)
def test_a_malformed_identifier_is_refused_with_the_reason_and_logged(
    query: str, reason: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.certificate_verify(query=query, method=VerificationMethod.TYPED, now=LATER, ip=IP)

    assert (refused.value.message, refused.value.errors) == (reason, {"id": [reason]})
    assert logged() == [("TYPED", "MALFORMED", None, query, IP)]


def test_a_superseded_certificate_is_verified_as_changed(zhang: User) -> None:
    older = stored(zhang)
    stored(zhang, now=LATER)

    outcome = services.certificate_verify(
        query=older.identifier, method=VerificationMethod.TYPED, now=LATER
    )

    assert (outcome.result, outcome.message) == (
        VerificationResult.CHANGED,
        "该证照已变更，请以新版本为准。",
    )


# --- The public page ----------------------------------------------------------------------------


def test_the_public_page_shows_the_holder_masked_and_never_in_full(
    client: Client, genuine: Certificate
) -> None:
    response = client.get(
        reverse("certificates:verify"), {"id": genuine.identifier}, REMOTE_ADDR=IP
    )

    html = response.content.decode()
    text = visible_text(response)
    assert response.status_code == 200
    assert "该证照真实有效。" in text
    assert "持证主体 张*" in text
    assert "持证主体代码 110105********002X" in text
    assert ZHANG_ID not in html
    assert "张三" not in html
    assert logged() == [("TYPED", "VALID", genuine.pk, genuine.identifier, IP)]


def test_the_page_opened_from_the_qr_code_is_logged_as_a_scan(
    client: Client, genuine: Certificate
) -> None:
    client.get(
        reverse("certificates:verify"), {"id": genuine.identifier, "src": "qr"}, REMOTE_ADDR=IP
    )

    assert logged() == [("QR", "VALID", genuine.pk, genuine.identifier, IP)]


def test_the_public_page_shows_why_an_identifier_is_malformed(client: Client) -> None:
    response = client.get(reverse("certificates:verify"), {"id": "1.2.3"}, REMOTE_ADDR=IP)

    assert response.status_code == 400
    assert "证照标识格式不正确" in visible_text(response)


def test_the_public_page_says_revoked_for_a_revoked_certificate(
    client: Client, genuine: Certificate, approver: User
) -> None:
    services.certificate_revoke(
        user=approver, certificate_id=genuine.pk, reason="依法撤销。", now=LATER
    )

    response = client.get(reverse("certificates:verify"), {"id": genuine.identifier})

    text = visible_text(response)
    assert "该证照已被颁发机构撤销，不再有效。" in text
    assert "已撤销 （2025-06-11撤销：依法撤销。）" in text


# --- By uploading the file ----------------------------------------------------------------------


def test_the_issued_pdf_uploaded_is_recognised_as_the_original(
    client: Client, genuine: Certificate, genuine_pdf: bytes
) -> None:
    response = verify_file(client, genuine_pdf)

    text = visible_text(response)
    assert response.status_code == 200
    assert GENUINE_MESSAGE in text
    assert "持证主体 张*" in text
    assert ZHANG_ID not in response.content.decode()
    assert logged() == [("FILE", "FILE_GENUINE", genuine.pk, genuine.sha256, IP)]


def test_the_issued_pdf_with_one_byte_changed_is_not_the_original(
    client: Client, genuine: Certificate, genuine_pdf: bytes
) -> None:
    altered = genuine_pdf[:10] + b"A" + genuine_pdf[11:]  # in the header's binary comment

    response = verify_file(client, altered)

    text = visible_text(response)
    assert response.status_code == 200
    assert ALTERED_MESSAGE in text
    assert "文件在签章后被改动。" in text
    assert GENUINE_MESSAGE not in text
    assert [row[:3] for row in logged()] == [("FILE", "FILE_ALTERED", None)]


def test_the_pdf_of_a_revoked_certificate_uploaded_is_said_to_be_revoked(
    client: Client, genuine: Certificate, genuine_pdf: bytes, approver: User
) -> None:
    services.certificate_revoke(
        user=approver, certificate_id=genuine.pk, reason="依法撤销。", now=LATER
    )

    response = verify_file(client, genuine_pdf)

    text = visible_text(response)
    assert "该证照已被颁发机构撤销，不再有效。" in text
    assert GENUINE_MESSAGE not in text
    assert logged() == [("FILE", "REVOKED", genuine.pk, genuine.sha256, IP)]


def test_a_pdf_this_portal_never_issued_is_said_to_be_unknown(client: Client) -> None:
    response = verify_file(client, PDF)

    assert response.status_code == 200
    assert "该文件不是本平台签发的电子证照。" in visible_text(response)
    assert [row[:3] for row in logged()] == [("FILE", "FILE_UNKNOWN", None)]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("证照.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("证照.txt", "这是电子证照".encode()),
    ],
    ids=["png", "text"],
)
def test_a_file_that_is_not_a_pdf_is_refused_with_a_clear_message(
    client: Client, name: str, content: bytes
) -> None:
    response = verify_file(client, content, name)

    assert response.status_code == 400
    assert NOT_PDF_MESSAGE in visible_text(response)
    assert logged() == [("FILE", "NOT_PDF", None, "", IP)]


def test_submitting_the_form_without_a_file_asks_for_one(client: Client) -> None:
    response = client.post(reverse("certificates:verify-file"), {}, REMOTE_ADDR=IP)

    assert response.status_code == 400
    assert "请选择要核验的PDF文件。" in visible_text(response)
    assert logged() == []


# --- Rate limit ---------------------------------------------------------------------------------


def test_the_fourth_verification_in_a_minute_from_one_address_is_refused(
    client: Client, settings: Settings
) -> None:
    settings.VERIFICATION_RATE = "3/m"
    url = reverse("certificates:verify")

    codes = [client.get(url, {"id": UNKNOWN}, REMOTE_ADDR=IP).status_code for _ in range(4)]
    elsewhere = client.get(url, {"id": UNKNOWN}, REMOTE_ADDR="198.51.100.2")

    assert codes == [200, 200, 200, 429]
    assert elsewhere.status_code == 200
    assert len(logged()) == 4  # the refused one was not verified


def test_the_refusal_says_to_wait_a_minute(client: Client, settings: Settings) -> None:
    settings.VERIFICATION_RATE = "1/m"
    client.get(reverse("certificates:verify"), {"id": UNKNOWN}, REMOTE_ADDR=IP)

    response = verify_file(client, PDF)

    assert (response.status_code, response["Retry-After"]) == (429, "60")
    assert "您在短时间内核验的次数过多，请一分钟后再试。" in visible_text(response)
