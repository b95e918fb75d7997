"""After issuing (DOMAIN §7.6, §11): the issuing department revokes with a reason and the holder is
told; the nightly job marks certificates past their last day expired; holders of renewable
certificates are reminded once, 30 days before expiry."""

import datetime as dt

from django.core.exceptions import PermissionDenied

import pytest

from accounts.models import User
from certificates import services
from certificates.choices import CertificateStatus, VerificationResult
from certificates.models import Certificate, CertificateType
from core.errors import ConflictError, DomainError
from notifications.choices import Channel, Event
from notifications.models import Notification
from tests.applications.conftest import LATER, NOW, shared
from tests.certificates.conftest import BUSINESS_TYPE, requested, stored

pytestmark = pytest.mark.django_db

applicant = shared("applicant")
other_citizen = shared("other_citizen")
approver = shared("approver")
clerk = shared("clerk")
health_approver = shared("health_approver")
food_type = shared("food_type")

REASON = "经营场所已不具备许可条件，依法撤销。"
FIVE_YEARS_BEFORE = dt.date(2020, 6, 11)  # 5-year certificates issued then end on 2025-06-10


def issued_to_end_on(user: User, last_day: dt.date) -> Certificate:
    """A food licence (five years) issued so that its last valid day is `last_day`."""
    first_day = (last_day + dt.timedelta(days=1)).replace(year=last_day.year - 5)
    certificate = stored(user, issued_on=first_day)
    assert certificate.valid_until == last_day
    return certificate


def messages_of(event: Event) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(event=event).order_by("channel").values_list("channel", "body")
    )


# --- Revocation ---------------------------------------------------------------------------------


def test_revoking_without_a_reason_is_refused_and_changes_nothing(
    applicant: User, approver: User
) -> None:
    certificate = stored(applicant)

    with pytest.raises(DomainError) as refused:
        services.certificate_revoke(
            user=approver, certificate_id=certificate.pk, reason="  ", now=LATER
        )

    assert (refused.value.message, refused.value.errors) == (
        "请写明撤销的理由。",
        {"reason": ["请写明撤销的理由。"]},
    )
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID
    assert messages_of(Event.CERTIFICATE_REVOKED) == []


def test_a_revoked_certificate_is_verified_as_revoked_with_its_reason(
    applicant: User, approver: User
) -> None:
    certificate = stored(applicant)

    services.certificate_revoke(
        user=approver, certificate_id=certificate.pk, reason=f" {REASON} ", now=LATER
    )
    outcome = services.certificate_verify(
        query=certificate.identifier, method="TYPED", now=LATER, ip="203.0.113.7"
    )

    revoked = Certificate.objects.get(pk=certificate.pk)
    assert (revoked.status, revoked.revoked_at, revoked.revoked_by, revoked.revoke_reason) == (
        CertificateStatus.REVOKED,
        LATER,
        approver,
        REASON,
    )
    assert (outcome.result, outcome.message, outcome.is_valid) == (
        VerificationResult.REVOKED,
        "该证照已被颁发机构撤销，不再有效。",
        False,
    )
    assert outcome.certificate is not None
    assert (
        outcome.certificate.status_label,
        outcome.certificate.revoked_on,
        outcome.certificate.revoke_reason,
    ) == ("已撤销", dt.date(2025, 6, 11), REASON)


def test_the_holder_is_told_of_the_revocation_and_its_reason(
    applicant: User, approver: User
) -> None:
    certificate = stored(applicant)

    services.certificate_revoke(
        user=approver, certificate_id=certificate.pk, reason=REASON, now=LATER
    )

    assert messages_of(Event.CERTIFICATE_REVOKED) == [
        (
            Channel.INBOX,
            "您好：\n\n"
            f"您的“食品经营许可证”（证照编号：{certificate.number}）已被撤销，自即日起不再有效。\n"
            f"\n理由：{REASON}\n\n"
            f"查看详情：http://127.0.0.1:8000/my/certificates/{certificate.pk}/",
        ),
        (
            Channel.SMS,
            f"【通办】您的食品经营许可证（编号{certificate.number}）已撤销，详见通办网站“我的消息”。",
        ),
    ]


def test_revoking_a_revoked_certificate_again_keeps_the_first_revocation(
    applicant: User, approver: User
) -> None:
    certificate = stored(applicant)
    services.certificate_revoke(
        user=approver, certificate_id=certificate.pk, reason=REASON, now=NOW
    )

    again = services.certificate_revoke(
        user=approver, certificate_id=certificate.pk, reason="再次撤销。", now=LATER
    )

    assert (again.revoked_at, again.revoke_reason) == (NOW, REASON)
    assert len(messages_of(Event.CERTIFICATE_REVOKED)) == 2  # inbox and SMS, once


def test_a_certificate_still_being_issued_cannot_be_revoked(
    applicant: User, approver: User
) -> None:
    certificate = requested(applicant)

    with pytest.raises(ConflictError) as refused:
        services.certificate_revoke(
            user=approver, certificate_id=certificate.pk, reason=REASON, now=LATER
        )

    assert refused.value.message == "只有有效的证照可以撤销，该证照当前状态为“签发中”。"
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.PENDING


@pytest.mark.parametrize(
    ("_case", "who", "error"),
    [
        ("clerk without the permission", "clerk", PermissionDenied),
        ("approver of another department", "health_approver", Certificate.DoesNotExist),
        ("the holder", "applicant", Certificate.DoesNotExist),
    ],
)
def test_revoking_is_refused_to_anyone_but_the_issuing_departments_approvers(
    _case: str,
    who: str,
    error: type[Exception],
    applicant: User,
    request: pytest.FixtureRequest,
) -> None:
    certificate = stored(applicant)
    user = request.getfixturevalue(who)

    with pytest.raises(error):
        services.certificate_revoke(
            user=user, certificate_id=certificate.pk, reason=REASON, now=LATER
        )

    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID
    assert messages_of(Event.CERTIFICATE_REVOKED) == []


# --- Expiry -------------------------------------------------------------------------------------


def test_the_nightly_job_marks_certificates_past_their_last_day_expired(
    applicant: User, other_citizen: User
) -> None:
    ended = issued_to_end_on(applicant, dt.date(2025, 6, 10))
    last_day_today = issued_to_end_on(other_citizen, dt.date(2025, 6, 11))
    long_term = stored(applicant, BUSINESS_TYPE, issued_on=FIVE_YEARS_BEFORE)

    count = services.certificates_expire(now=NOW)

    assert count == 1
    assert [
        Certificate.objects.get(pk=c.pk).status for c in (ended, last_day_today, long_term)
    ] == [
        CertificateStatus.EXPIRED,
        CertificateStatus.VALID,
        CertificateStatus.VALID,
    ]


def test_a_certificate_past_its_last_day_is_verified_as_expired_before_the_job_runs(
    applicant: User,
) -> None:
    certificate = issued_to_end_on(applicant, dt.date(2025, 6, 10))

    outcome = services.certificate_verify(query=certificate.identifier, method="TYPED", now=NOW)

    assert (outcome.result, outcome.message) == (
        VerificationResult.EXPIRED,
        "该证照已超过有效期，不再有效。",
    )
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID


# --- Reminder before expiry ---------------------------------------------------------------------


def test_the_holder_of_a_renewable_certificate_is_reminded_once_30_days_before_it_ends(
    applicant: User,
) -> None:
    certificate = issued_to_end_on(applicant, dt.date(2025, 7, 11))

    counts = [services.certificates_remind_expiring(now=NOW) for _ in range(2)]

    assert counts == [1, 0]
    assert Certificate.objects.get(pk=certificate.pk).expiry_reminded_at == NOW
    assert messages_of(Event.CERTIFICATE_EXPIRING) == [
        (
            Channel.INBOX,
            "您好：\n\n"
            f"您的“食品经营许可证”（证照编号：{certificate.number}）将于2025-07-11到期。"
            "如需延续，请在有效期届满30日前提出申请。\n\n"
            f"查看详情：http://127.0.0.1:8000/my/certificates/{certificate.pk}/",
        ),
        (Channel.SMS, "【通办】您的食品经营许可证将于2025-07-11到期，如需延续请在届满30日前申请。"),
    ]


def test_a_certificate_ending_31_days_ahead_is_not_reminded_yet(applicant: User) -> None:
    issued_to_end_on(applicant, dt.date(2025, 7, 12))

    assert services.certificates_remind_expiring(now=NOW) == 0
    assert messages_of(Event.CERTIFICATE_EXPIRING) == []


def test_a_certificate_that_cannot_be_renewed_is_not_reminded(
    applicant: User, food_type: CertificateType
) -> None:
    CertificateType.objects.filter(pk=food_type.pk).update(renewable=False)
    issued_to_end_on(applicant, dt.date(2025, 7, 1))

    assert services.certificates_remind_expiring(now=NOW) == 0
    assert messages_of(Event.CERTIFICATE_EXPIRING) == []


def test_a_revoked_certificate_is_not_reminded(applicant: User, approver: User) -> None:
    certificate = issued_to_end_on(applicant, dt.date(2025, 7, 1))
    services.certificate_revoke(
        user=approver, certificate_id=certificate.pk, reason=REASON, now=NOW
    )

    assert services.certificates_remind_expiring(now=NOW) == 0
    assert messages_of(Event.CERTIFICATE_EXPIRING) == []
