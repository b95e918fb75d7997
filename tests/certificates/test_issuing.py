"""Issuing (DOMAIN §7.6): the PENDING row is the outbox; a worker renders, signs and stores it once,
counts failed attempts and gives up after CERTIFICATE_MAX_ATTEMPTS; staff send a failed one back;
the sweeper resends what a lost message left behind; a new certificate supersedes the holder's
older one of the same type."""

import datetime as dt
import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from accounts.models import User
from certificates import services
from certificates.choices import CertificateStatus
from certificates.identifiers import Identifier, identifier_parse
from certificates.models import Certificate, CertificateType, SigningKey
from certificates.tasks import certificate_issue_task
from core.errors import ConflictError
from matters.models import Department
from notifications.choices import Channel, DeliveryStatus, Event
from notifications.models import Notification
from tests.applications.conftest import LATER, NOW, shared
from tests.certificates.conftest import (
    FOOD_TYPE,
    STAND_IN_PDF,
    holder_of,
    requested,
    stored,
    stored_file,
)
from tests.matters import documents

pytestmark = pytest.mark.django_db

applicant = shared("applicant")
other_citizen = shared("other_citizen")
market = shared("market")
food_type = shared("food_type")
senior_type = shared("senior_type")
approver = shared("approver")
clerk = shared("clerk")
outsider = shared("outsider")
health_approver = shared("health_approver")

MARKET_NAME = "深圳市市场监督管理局"


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """The keyword arguments of every certificate_issue_task sent to the broker."""
    sent: list[dict[str, object]] = []

    def record(*args: object, kwargs: dict[str, object], **options: object) -> None:
        sent.append(kwargs)

    monkeypatch.setattr(certificate_issue_task, "apply_async", record)
    return sent


@pytest.fixture
def media_root(settings: Settings, tmp_path: Path) -> Path:
    """A MEDIA_ROOT of this test's own, so file counts see no other test's certificates."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def certificate_files(media_root: Path) -> list[str]:
    return sorted(
        str(path.relative_to(media_root))
        for path in (media_root / "certificates").rglob("*")
        if path.is_file()
    )


def without_key(department: Department) -> None:
    """The department's signing key is withdrawn (as if it had never been made)."""
    SigningKey.objects.filter(department=department, is_root=False).update(is_active=False)


def failed(user: User, settings: Settings, department: Department) -> Certificate:
    """A certificate that failed its only attempt for want of a signing key."""
    settings.CERTIFICATE_MAX_ATTEMPTS = 1
    without_key(department)
    certificate = services.certificate_issue(certificate_id=requested(user).pk, now=NOW)
    assert certificate.status == CertificateStatus.FAILED
    return certificate


# --- Requesting ---------------------------------------------------------------------------------


def test_a_request_writes_a_pending_certificate_numbered_by_its_type_year_and_row(
    applicant: User, market: Department
) -> None:
    certificate = requested(applicant, source_ref="REF-1")

    serial = f"2025{certificate.pk:010d}"
    assert Certificate.objects.get(pk=certificate.pk) == certificate
    assert (
        certificate.status,
        certificate.number,
        certificate.identifier,
        certificate.version,
    ) == (
        CertificateStatus.PENDING,
        f"JY{serial}",
        str(Identifier(type_code=FOOD_TYPE, issuer_code=market.uscc, serial=serial, version="001")),
        "001",
    )
    assert (
        certificate.holder_name,
        certificate.holder_code,
        certificate.holder_code_type,
        certificate.holder_user,
    ) == ("李四", applicant.id_number, "111", applicant)
    assert (certificate.issuer, certificate.issuer_name, certificate.issuer_code) == (
        market,
        MARKET_NAME,
        documents.MARKET,
    )
    assert (certificate.valid_from, certificate.valid_until) == (
        dt.date(2025, 6, 11),
        dt.date(2030, 6, 10),
    )
    assert (certificate.attempts, certificate.file.name, certificate.sha256) == (0, "", "")
    assert certificate.data == {"shop_name": "好味小馆", "category": "热食类"}


def test_requesting_again_for_the_same_source_returns_the_first_certificate(
    applicant: User,
) -> None:
    first = requested(applicant, source_ref="REF-1")

    again = requested(applicant, source_ref="REF-1", now=LATER)

    assert again.pk == first.pk
    assert Certificate.objects.filter(source_ref="REF-1").count() == 1


def test_a_request_for_an_inactive_or_unknown_type_writes_nothing(
    applicant: User, food_type: CertificateType
) -> None:
    CertificateType.objects.filter(pk=food_type.pk).update(is_active=False)

    results = [
        services.certificate_request(
            type_code=code, holder=holder_of(applicant), data={}, source_ref="REF-1", now=NOW
        )
        for code in (FOOD_TYPE, "11100000MB0143028R999")
    ]

    assert results == [None, None]
    assert not Certificate.objects.exists()


def test_the_request_reaches_a_worker_only_once_its_transaction_commits(
    applicant: User,
    enqueued: list[dict[str, object]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        certificate = requested(applicant)
        assert enqueued == []

    assert enqueued == [{"certificate_id": certificate.pk}]


# --- Issuing ------------------------------------------------------------------------------------


def test_issuing_renders_signs_and_stores_the_certificate_once(
    applicant: User, market: Department, media_root: Path
) -> None:
    pending = requested(applicant)
    serial = f"2025{pending.pk:010d}"

    certificate = services.certificate_issue(certificate_id=pending.pk, now=LATER)

    stored_pdf = stored_file(certificate)
    assert (certificate.status, certificate.issued_at, certificate.attempts) == (
        CertificateStatus.VALID,
        LATER,
        1,
    )
    assert certificate_files(media_root) == [f"certificates/2025/{serial}.pdf"]
    assert stored_pdf.startswith(b"%PDF-")
    assert (certificate.sha256, certificate.size) == (
        hashlib.sha256(stored_pdf).hexdigest(),
        len(stored_pdf),
    )
    assert identifier_parse(certificate.identifier) == Identifier(
        type_code=FOOD_TYPE, issuer_code=market.uscc, serial=serial, version="001"
    )
    assert certificate.number == f"JY{serial}"
    assert services.file_check(certificate) == services.FileCheck(
        hash_matches=True, signature_ok=True, summary="签名有效，文件自签章后未被改动。"
    )


def test_issuing_a_certificate_twice_stores_one_file_and_one_row(
    applicant: User, media_root: Path
) -> None:
    pending = requested(applicant)
    first = services.certificate_issue(certificate_id=pending.pk, now=NOW)

    second = services.certificate_issue(certificate_id=pending.pk, now=LATER)

    assert certificate_files(media_root) == [first.file.name]
    assert Certificate.objects.count() == 1
    assert (second.status, second.issued_at, second.sha256, second.attempts) == (
        CertificateStatus.VALID,
        NOW,
        first.sha256,
        1,
    )


def test_storing_a_certificate_that_is_no_longer_pending_changes_nothing(
    applicant: User, media_root: Path
) -> None:
    certificate = stored(applicant)

    again = services.certificate_store(
        certificate_id=certificate.pk, pdf=b"%PDF-1.7 other", issued_on=LATER.date(), now=LATER
    )

    assert (again.sha256, again.issued_at) == (hashlib.sha256(STAND_IN_PDF).hexdigest(), NOW)
    assert certificate_files(media_root) == [certificate.file.name]


def test_the_holder_is_told_the_certificate_is_in_the_wallet(applicant: User) -> None:
    certificate = stored(applicant)

    messages = Notification.objects.filter(event=Event.CERTIFICATE_ISSUED).order_by("channel")
    assert [(m.channel, m.recipient, m.address, m.status) for m in messages] == [
        (Channel.INBOX, applicant, "", DeliveryStatus.SENT),
        (Channel.SMS, applicant, "13900139000", DeliveryStatus.QUEUED),
    ]
    assert messages[0].body == (
        "您好：\n\n"
        "您的“食品经营许可证”电子证照已签发，可在证照夹查看和下载。\n\n"
        f"证照编号：{certificate.number}\n"
        "有效期至：2030-06-10\n\n"
        f"查看详情：http://127.0.0.1:8000/my/certificates/{certificate.pk}/"
    )
    assert messages[1].body == (
        f"【通办】您的食品经营许可证电子证照已签发，编号{certificate.number}，可在通办证照夹查看。"
    )


# --- Failures and retries -----------------------------------------------------------------------


def test_without_a_signing_key_each_attempt_is_counted_and_the_last_allowed_one_fails_it(
    applicant: User, market: Department, settings: Settings
) -> None:
    settings.CERTIFICATE_MAX_ATTEMPTS = 3
    without_key(market)
    pending = requested(applicant)

    seen = [
        (c.status, c.attempts, c.last_error)
        for c in (services.certificate_issue(certificate_id=pending.pk, now=NOW) for _ in range(4))
    ]

    error = f"颁发机构“{MARKET_NAME}”尚未配置电子印章密钥。"
    assert seen == [
        (CertificateStatus.PENDING, 1, error),
        (CertificateStatus.PENDING, 2, error),
        (CertificateStatus.FAILED, 3, error),
        (CertificateStatus.FAILED, 3, error),
    ]
    assert Certificate.objects.get(pk=pending.pk).file.name == ""


def test_a_broken_template_is_reported_on_the_certificate(
    applicant: User, food_type: CertificateType
) -> None:
    CertificateType.objects.filter(pk=food_type.pk).update(
        template_html="<p>{{ certificate.no_such_field }}</p>"
    )
    pending = requested(applicant)

    certificate = services.certificate_issue(certificate_id=pending.pk, now=NOW)

    assert (certificate.status, certificate.attempts, certificate.last_error) == (
        CertificateStatus.PENDING,
        1,
        "证照模板引用了不存在的变量“certificate.no_such_field”。",
    )


def test_an_approver_sends_a_failed_certificate_back_and_once_the_key_exists_it_is_issued(
    applicant: User,
    approver: User,
    market: Department,
    settings: Settings,
    enqueued: list[dict[str, object]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    certificate = failed(applicant, settings, market)
    services.signing_keys_ensure(departments=[market], now=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        retried = services.certificate_retry(
            user=approver, certificate_id=certificate.pk, now=LATER
        )
    issued = services.certificate_issue(certificate_id=certificate.pk, now=LATER)

    assert (retried.status, retried.attempts, retried.requested_at) == (
        CertificateStatus.PENDING,
        0,
        LATER,
    )
    assert enqueued == [{"certificate_id": certificate.pk}]
    assert (issued.status, issued.attempts, issued.last_error, issued.issued_at) == (
        CertificateStatus.VALID,
        1,
        "",
        LATER,
    )


@pytest.mark.parametrize(
    ("_case", "who", "error"),
    [
        ("clerk without the permission", "clerk", PermissionDenied),
        ("approver of another department", "health_approver", Certificate.DoesNotExist),
        ("clerk of another department", "outsider", Certificate.DoesNotExist),
    ],
)
def test_a_retry_is_refused_to_staff_who_may_not_retry_this_certificate(
    _case: str,
    who: str,
    error: type[Exception],
    applicant: User,
    market: Department,
    settings: Settings,
    request: pytest.FixtureRequest,
) -> None:
    certificate = failed(applicant, settings, market)
    user = request.getfixturevalue(who)

    with pytest.raises(error):
        services.certificate_retry(user=user, certificate_id=certificate.pk, now=LATER)

    after = Certificate.objects.get(pk=certificate.pk)
    assert (after.status, after.attempts, after.requested_at) == (
        CertificateStatus.FAILED,
        1,
        NOW,
    )


def test_a_valid_certificate_cannot_be_sent_back(applicant: User, approver: User) -> None:
    certificate = stored(applicant)

    with pytest.raises(ConflictError) as refused:
        services.certificate_retry(user=approver, certificate_id=certificate.pk, now=LATER)

    assert refused.value.message == "该证照已签发，无需重新签发。"
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID


def test_the_sweeper_resends_only_certificates_pending_longer_than_the_threshold(
    applicant: User, other_citizen: User, enqueued: list[dict[str, object]]
) -> None:
    stale = requested(applicant, now=NOW - dt.timedelta(minutes=4))
    requested(other_citizen, now=NOW - dt.timedelta(minutes=2))
    stored(other_citizen, now=NOW - dt.timedelta(hours=1))

    count = services.certificates_issue_pending(now=NOW)

    assert count == 1
    assert enqueued == [{"certificate_id": stale.pk}]


# --- One valid certificate per holder and type (变更) --------------------------------------------


def statuses(*certificates: Certificate) -> list[str]:
    return [Certificate.objects.get(pk=c.pk).status for c in certificates]


def test_a_new_certificate_of_the_same_type_marks_the_holders_older_one_changed(
    applicant: User,
) -> None:
    older = stored(applicant)

    newer = stored(applicant, now=LATER)

    assert statuses(older, newer) == [CertificateStatus.CHANGED, CertificateStatus.VALID]


def test_a_type_allowing_several_certificates_keeps_the_older_one_valid(
    applicant: User, food_type: CertificateType
) -> None:
    CertificateType.objects.filter(pk=food_type.pk).update(allow_multiple=True)
    older = stored(applicant)

    newer = stored(applicant, now=LATER)

    assert statuses(older, newer) == [CertificateStatus.VALID, CertificateStatus.VALID]


def test_another_holders_certificate_and_the_holders_other_types_stay_valid(
    applicant: User, other_citizen: User, senior_type: CertificateType
) -> None:
    others = stored(other_citizen)
    other_type = stored(applicant, senior_type.code)

    stored(applicant, now=LATER)

    assert statuses(others, other_type) == [CertificateStatus.VALID, CertificateStatus.VALID]
