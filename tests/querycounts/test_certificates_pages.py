"""The certificate pages read as many queries for many certificates (or share links, or checks)
as for a few: the wallet, a certificate's page, the staff list (all, and by status), a staff
certificate page, the public verification page and a share link's page."""

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

import pytest

from certificates import services
from certificates.models import Certificate
from tests.certificates.conftest import (
    BUSINESS_TYPE,
    FOOD_TYPE,
    SENIOR_TYPE,
    module_world,
    requested,
    stored,
    world_build,
)
from tests.querycounts.conftest import read, same_count, signed_in

pytestmark = pytest.mark.django_db

world = module_world(world_build)

TYPES = (FOOD_TYPE, SENIOR_TYPE, BUSINESS_TYPE)


def certificates(world: dict[str, Any], count: int, *, first: int = 0) -> list[Certificate]:
    """`count` valid certificates of world["applicant"], of each type in turn, an hour apart."""
    start = timezone.now() - dt.timedelta(days=2)
    return [
        stored(
            world["applicant"],
            TYPES[(first + index) % len(TYPES)],
            now=start + dt.timedelta(hours=first + index),
        )
        for index in range(count)
    ]


def shares(certificate: Certificate, count: int) -> None:
    assert certificate.holder_user is not None
    for index in range(count):
        services.share_link_create(
            user=certificate.holder_user,
            certificate_id=certificate.pk,
            days=7,
            purpose=f"用途{index}",
            now=timezone.now(),
        )


def test_the_wallet_reads_the_same_for_twelve_certificates_as_for_two(
    world: dict[str, Any],
) -> None:
    client = signed_in(world["applicant"])
    first = certificates(world, 2)
    few = read(client, "/my/certificates/")
    rest = [*certificates(world, 9, first=2), requested(world["applicant"])]  # one still pending

    many = read(client, "/my/certificates/")

    assert all(f"/my/certificates/{c.pk}/" in many.text for c in first + rest)
    same_count(few, many)


def test_a_wallet_certificate_page_reads_the_same_for_ten_share_links_as_for_one(
    world: dict[str, Any],
) -> None:
    (certificate,) = certificates(world, 1)
    client = signed_in(world["applicant"])
    shares(certificate, 1)
    few = read(client, f"/my/certificates/{certificate.pk}/")
    shares(certificate, 9)

    many = read(client, f"/my/certificates/{certificate.pk}/")

    assert all(f"用途{index}" in many.text for index in range(9))
    same_count(few, many)


@pytest.mark.parametrize("status", ["", "VALID"])
def test_the_staff_list_reads_the_same_for_twelve_certificates_as_for_two(
    world: dict[str, Any], status: str
) -> None:
    client = signed_in(world["approver"], warm="/workbench/")
    first = certificates(world, 2)
    few = read(client, "/workbench/certificates/", {"status": status})
    rest = certificates(world, 10, first=2)

    many = read(client, "/workbench/certificates/", {"status": status})

    shown = Certificate.objects.filter(pk__in=[c.pk for c in first + rest])
    if status:  # a newer certificate of the same type replaces the holder's older one
        shown = shown.filter(status=status)
    assert len(shown) >= 3
    assert all(f"/workbench/certificates/{c.pk}/" in many.text for c in shown)
    same_count(few, many)


def test_the_staff_certificate_page_reads_the_same_after_many_checks(
    world: dict[str, Any],
) -> None:
    (certificate,) = certificates(world, 1)
    client = signed_in(world["approver"], warm="/workbench/")
    few = read(client, f"/workbench/certificates/{certificate.pk}/")
    shares(certificate, 5)
    _verified(certificate, 5)

    many = read(client, f"/workbench/certificates/{certificate.pk}/")

    assert certificate.number in many.text
    same_count(few, many)


def _verified(certificate: Certificate, times: int) -> None:
    for _index in range(times):
        services.certificate_verify(
            query=certificate.identifier, method="TYPED", now=timezone.now(), ip=None, user=None
        )


def test_the_verification_page_reads_the_same_after_many_checks_and_shares(
    world: dict[str, Any],
) -> None:
    (certificate,) = certificates(world, 1)
    client = Client()
    few = read(client, "/verify/", {"id": certificate.identifier})
    shares(certificate, 5)
    _verified(certificate, 5)

    many = read(client, "/verify/", {"id": certificate.identifier})

    assert certificate.number in many.text
    same_count(few, many)


def test_a_share_links_page_reads_the_same_after_many_views_and_shares(
    world: dict[str, Any],
) -> None:
    (certificate,) = certificates(world, 1)
    assert certificate.holder_user is not None
    link = services.share_link_create(
        user=certificate.holder_user,
        certificate_id=certificate.pk,
        days=7,
        purpose="银行开户",
        now=timezone.now(),
    )
    client = Client()
    few = read(client, f"/share/{link.token}/")
    shares(certificate, 5)
    for _index in range(5):
        client.get(f"/share/{link.token}/")

    many = read(client, f"/share/{link.token}/")

    assert certificate.number in many.text
    same_count(few, many)
