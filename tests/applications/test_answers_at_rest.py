"""Form answers and certificates' printed fields at rest (RELIABILITY SEC-DP-02): the database holds
Fernet tokens, the code and the pages see the values as before, key rotation re-encrypts them,
retention still empties them, and the migration encrypts rows written before it."""

import datetime as dt
import importlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

import pytest
from cryptography.fernet import Fernet
from pytest_django import Settings
from rest_framework.test import APIClient

from accounts.models import User
from applications import bundles, services
from applications.choices import Status
from applications.models import Application, BundleApplication
from applications.retention import applications_anonymise_due
from certificates import services as certificate_services
from certificates.models import Certificate
from core.crypto import PersonalDataKeyError, personal_data_rotate
from matters.choices import Audience, BundleOrder
from matters.models import Bundle, BundleItem, Department, Matter
from tests.applications.conftest import GOOD_ANSWERS, NOW
from tests.auth import sign_in
from tests.certificates.conftest import FOOD_TYPE, _type, holder_of

pytestmark = pytest.mark.django_db

Make = Callable[..., Application]
ID_NUMBER = re.compile(r"(?<![A-Za-z0-9])\d{17}[\dX](?![A-Za-z0-9])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()
ADDRESS = "深圳市南山区科技园路1号"

# The schema before the migrations under test (applications 0010, certificates 0005).
APPLICATIONS_BEFORE = ("applications", "0009_application_anonymised_at")
CERTIFICATES_BEFORE = ("certificates", "0004_personal_data_encrypt_rows")


def raw(table: str, column: str, pk: int) -> str:
    """The column as stored, read past the model field."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column}::text FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def write_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def assert_sealed(stored: str, *plain: str) -> None:
    """A Fernet token that shows no ID number, no mobile and none of `plain`."""
    assert stored.startswith("gAAAAA")
    assert not ID_NUMBER.search(stored)
    assert not MOBILE.search(stored)
    for text in plain:
        assert text not in stored


@pytest.fixture
def food_type(market: Department) -> Any:
    return _type(
        FOOD_TYPE, "食品经营许可证", market, prefix="JY", years=5, renewable=True,
        fields=[("shop_name", "经营者名称"), ("address", "经营场所")],
    )  # fmt: skip


@pytest.fixture
def certificate(food_type: Any, applicant: User) -> Certificate:
    """A PENDING food licence whose printed fields include an address."""
    certificate = certificate_services.certificate_request(
        type_code=FOOD_TYPE,
        holder=holder_of(applicant),
        data={"shop_name": "好味小馆", "address": ADDRESS},
        source_ref="",
        now=NOW,
    )
    assert certificate is not None
    return certificate


@pytest.fixture
def bundle_application(workflow_catalogue: dict[str, Matter], applicant: User) -> BundleApplication:
    """A 一件事 draft (food licence + elderly card) whose one form holds the applicant's identity."""
    bundle = Bundle.objects.create(
        code="shop",
        name="开店",
        audience=Audience.PERSON,
        lead_department=workflow_catalogue["food"].department,
        order_mode=BundleOrder.PARALLEL,
        is_published=True,
    )
    for order, key in enumerate(("food", "elder"), 1):
        BundleItem.objects.create(bundle=bundle, matter=workflow_catalogue[key], order=order)
    started = bundles.bundle_application_start(applicant=applicant, bundle_id=bundle.pk, now=NOW)
    identity = {"name": "李四", "id_number": applicant.id_number, "mobile": applicant.mobile}
    return bundles.bundle_application_save(
        user=applicant,
        bundle_application_id=started.pk,
        now=NOW,
        answers={**identity, **GOOD_ANSWERS},
    )


def test_the_stored_answers_and_printed_fields_are_ciphertext_and_read_back_unchanged(
    submitted: Make,
    applicant: User,
    bundle_application: BundleApplication,
    certificate: Certificate,
) -> None:
    case = submitted(now=NOW)
    assert applicant.id_number
    assert applicant.mobile

    assert_sealed(raw("applications_application", "answers", case.pk), "李四", "好味小馆")
    assert_sealed(raw("applications_bundleapplication", "answers", bundle_application.pk), "李四")
    assert_sealed(raw("certificates_certificate", "data", certificate.pk), ADDRESS, "好味小馆")
    # Through the ORM the values are as written: the identity prefilled, the form as typed.
    assert Application.objects.get(pk=case.pk).answers == {
        "name": "李四",
        "id_number": applicant.id_number,
        "mobile": applicant.mobile,
        **GOOD_ANSWERS,
    }
    assert BundleApplication.objects.get(pk=bundle_application.pk).answers["id_number"] == (
        applicant.id_number
    )
    stored_certificate = Certificate.objects.get(pk=certificate.pk)
    assert stored_certificate.data == {"shop_name": "好味小馆", "address": ADDRESS}
    assert stored_certificate.surface_values() == [
        ("经营者名称", "好味小馆"),
        ("经营场所", ADDRESS),
    ]


def test_the_database_cannot_be_queried_into_the_encrypted_json(submitted: Make) -> None:
    submitted(now=NOW)

    lookups: list[dict[str, Any]] = [
        {"answers__id_number": "x"},
        {"answers__has_key": "id_number"},
        {"answers": {}},
    ]
    for lookup in lookups:
        with pytest.raises(FieldError):
            list(Application.objects.filter(**lookup))
    with pytest.raises(FieldError):
        list(Certificate.objects.filter(data__contains={"shop_name": "好味小馆"}))
    assert Application.objects.filter(answers__isnull=False).count() == 1


def test_the_api_and_the_case_page_show_the_answers_masked_as_before(
    submitted: Make, applicant: User, clerk: User
) -> None:
    case = submitted(now=NOW)
    assert applicant.id_number
    api = APIClient()
    api.force_authenticate(applicant)
    client = Client()
    sign_in(client, clerk)

    answers = api.get(f"/api/v1/applications/{case.pk}/").json()["answers"]
    page = client.get(reverse("workbench-case", args=[case.pk])).content.decode()

    masked_id = f"{applicant.id_number[:6]}********{applicant.id_number[-4:]}"
    assert answers == {
        "name": "李四",
        "id_number": masked_id,
        "mobile": "139****9000",
        **GOOD_ANSWERS,
    }
    assert masked_id in page
    assert "好味小馆" in page
    assert applicant.id_number not in page


def test_key_rotation_re_encrypts_answers_and_printed_fields(
    settings: Settings,
    submitted: Make,
    bundle_application: BundleApplication,
    certificate: Certificate,
) -> None:
    case = submitted(now=NOW)
    columns = [
        ("applications_application", "answers", case.pk),
        ("applications_bundleapplication", "answers", bundle_application.pk),
        ("certificates_certificate", "data", certificate.pk),
    ]
    before = [raw(*column) for column in columns]
    values = (
        Application.objects.get(pk=case.pk).answers,
        BundleApplication.objects.get(pk=bundle_application.pk).answers,
        Certificate.objects.get(pk=certificate.pk).data,
    )
    # A new first key, the ring the rows were written with still listed (as an operator does).
    settings.PERSONAL_DATA_KEYS = [KEY_A, *_current_ring()]

    report = personal_data_rotate(batch_size=1)

    assert report.failures == []
    after = [raw(*column) for column in columns]
    assert all(a != b and a.startswith("gAAAAA") for a, b in zip(after, before, strict=True))
    settings.PERSONAL_DATA_KEYS = [KEY_A]  # the old key retired: every value still opens
    assert (
        Application.objects.get(pk=case.pk).answers,
        BundleApplication.objects.get(pk=bundle_application.pk).answers,
        Certificate.objects.get(pk=certificate.pk).data,
    ) == values
    settings.PERSONAL_DATA_KEYS = [KEY_B]  # and nothing opens without it
    with pytest.raises(PersonalDataKeyError):
        Application.objects.get(pk=case.pk)


def _current_ring() -> list[str]:
    """The keys in use: the settings' list, or the development key derived from SECRET_KEY."""
    from core import crypto

    return list(crypto._keys())


def test_retention_empties_the_personal_answers_and_keeps_them_encrypted(
    submitted: Make, applicant: User, settings: Settings
) -> None:
    settings.APPLICATION_RETENTION_DAYS = 30
    case = services.application_withdraw(
        user=applicant, application_id=submitted(now=NOW).pk, now=NOW
    )

    report = applications_anonymise_due(now=NOW + dt.timedelta(days=31))

    assert report.cases == 1
    assert Application.objects.get(pk=case.pk).answers == {"area": "80", "category": "热食类"}
    assert_sealed(raw("applications_application", "answers", case.pk))


def test_the_bundle_form_loses_the_identity_when_its_last_case_is_anonymised(
    bundle_application: BundleApplication, settings: Settings
) -> None:
    settings.APPLICATION_RETENTION_DAYS = 30
    first, second = bundle_application.cases.order_by("pk")
    # Both cases closed (withdrawn) long ago; the second a day later than the first.
    for case, day in ((first, 0), (second, 20)):
        Application.objects.filter(pk=case.pk).update(
            status=Status.WITHDRAWN,
            reference=f"TEST{case.pk}",
            query_no=f"{case.pk:012d}",
            received_at=NOW,
            closed_at=NOW + dt.timedelta(days=day),
        )

    applications_anonymise_due(now=NOW + dt.timedelta(days=31))  # only the first is due
    halfway = BundleApplication.objects.get(pk=bundle_application.pk).answers
    applications_anonymise_due(now=NOW + dt.timedelta(days=51))

    assert halfway["id_number"] == bundle_application.answers["id_number"]
    assert BundleApplication.objects.get(pk=bundle_application.pk).answers == {
        "area": "80",
        "category": "热食类",
    }
    assert_sealed(raw("applications_bundleapplication", "answers", bundle_application.pk))


# --- The migration ------------------------------------------------------------------------------


def _run(migration: str, function: str) -> None:
    module = importlib.import_module(migration)
    with connection.schema_editor() as editor:
        getattr(module, function)(apps, editor)


def test_the_migration_encrypts_rows_written_in_plain_and_decrypts_them_back(
    submitted: Make, bundle_application: BundleApplication, certificate: Certificate
) -> None:
    case = submitted(now=NOW)
    expected = Application.objects.get(pk=case.pk).answers
    # Rows as the cast from jsonb leaves them: jsonb's text form, keys in jsonb's order.
    plain = json.dumps(expected, ensure_ascii=False)
    write_raw("applications_application", "answers", case.pk, plain)
    write_raw(
        "certificates_certificate",
        "data",
        certificate.pk,
        '{"address": "福田区", "shop_name": "旧店"}',
    )

    _run("applications.migrations.0010_answers_encrypted", "encrypt_rows")
    _run("certificates.migrations.0005_data_encrypted", "encrypt_rows")
    once = raw("applications_application", "answers", case.pk)
    _run("applications.migrations.0010_answers_encrypted", "encrypt_rows")  # again: no change

    assert_sealed(once, "李四")
    assert raw("applications_application", "answers", case.pk) == once
    assert Application.objects.get(pk=case.pk).answers == expected
    assert Certificate.objects.get(pk=certificate.pk).data == {
        "address": "福田区",
        "shop_name": "旧店",
    }

    _run("applications.migrations.0010_answers_encrypted", "decrypt_rows")
    with connection.cursor() as cursor:  # plain JSON again, which the reverse cast to jsonb needs
        cursor.execute(
            "SELECT answers::jsonb FROM applications_application WHERE id = %s", [case.pk]
        )
        assert json.loads(cursor.fetchone()[0]) == expected
        cursor.execute(
            "SELECT answers::jsonb FROM applications_bundleapplication WHERE id = %s",
            [bundle_application.pk],
        )
        assert json.loads(cursor.fetchone()[0])["mobile"] == "13900139000"


@pytest.mark.django_db(transaction=True)
def test_the_migrations_from_the_previous_schema_and_back(
    submitted: Make, certificate: Certificate
) -> None:
    case = submitted(now=NOW)
    answers = Application.objects.get(pk=case.pk).answers
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([APPLICATIONS_BEFORE, CERTIFICATES_BEFORE])
        # The previous schema: jsonb columns holding the values in plain.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_typeof(answers)::text, answers->>'id_number' "
                "FROM applications_application WHERE id = %s",
                [case.pk],
            )
            assert cursor.fetchone() == ("jsonb", answers["id_number"])
            cursor.execute(
                "SELECT data->>'address' FROM certificates_certificate WHERE id = %s",
                [certificate.pk],
            )
            assert cursor.fetchone() == (ADDRESS,)
    finally:  # forward to the latest state again, whatever happened
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert_sealed(raw("applications_application", "answers", case.pk), "李四")
    assert_sealed(raw("certificates_certificate", "data", certificate.pk), ADDRESS)
    assert Application.objects.get(pk=case.pk).answers == answers
    assert Certificate.objects.get(pk=certificate.pk).data == {
        "shop_name": "好味小馆",
        "address": ADDRESS,
    }
