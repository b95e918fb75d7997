"""Idempotency-Key on the applications API (RELIABILITY §2.2, REL-ID-01): a double click, a client
retry or a proxy retry with the same key does the work once and gets the first answer again."""

import uuid
from functools import partial
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import User
from applications import services
from applications.choices import EventKind
from applications.models import Application, ApplicationMaterial
from core.models import IdempotencyRecord
from matters.models import Matter
from tests.applications.conftest import PDF, pdf
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def food(workflow_catalogue: dict[str, Matter]) -> Matter:
    return workflow_catalogue["food"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_posts_with_one_key_make_one_draft_and_answer_alike(
    applicant: User, workflow_catalogue: dict[str, Matter]
) -> None:
    food, elder = workflow_catalogue["food"], workflow_catalogue["elder"]
    key = str(uuid.uuid4())
    clients = [api_as(applicant) for _ in range(20)]
    body = {"matter": food.implementation_code}  # no client_key: only the header protects it

    responses = run_together(
        [
            partial(c.post, "/api/v1/applications/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
            for c in clients
        ]
    )

    assert [r.status_code for r in responses] == [201] * 20, responses
    # The same JSON (PostgreSQL's jsonb keeps the keys in its own order, which JSON ignores).
    assert all(r.json() == responses[0].json() for r in responses)
    replayed = [r for r in responses if r.get("Idempotent-Replayed") == "true"]
    assert len(replayed) == 19
    assert Application.objects.filter(filed_by=applicant).count() == 1
    # The same key for another request is refused and makes nothing.
    other = clients[0].post(
        "/api/v1/applications/",
        {"matter": elder.implementation_code},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert other.status_code == 422
    assert Application.objects.filter(filed_by=applicant).count() == 1


def test_a_retried_upload_with_its_key_keeps_the_first_material(
    applicant: User, food: Matter
) -> None:
    me = api_as(applicant)
    draft = me.post(
        "/api/v1/applications/", {"matter": food.implementation_code}, format="json"
    ).json()
    url = f"/api/v1/applications/{draft['id']}/materials/"
    key = uuid.uuid4().hex

    def upload(content: bytes = PDF) -> Any:
        file = SimpleUploadedFile("申请表.pdf", content, content_type="application/pdf")
        return me.post(
            url, {"material_key": "M01", "file": file}, format="multipart", HTTP_IDEMPOTENCY_KEY=key
        )

    first, retry = upload(), upload()
    changed = upload(PDF.replace(b"%%EOF", b"%%EOF\n% another scan"))

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert changed.status_code == 422
    materials = ApplicationMaterial.objects.filter(application_id=draft["id"])
    assert list(materials.values_list("pk", flat=True)) == [first.json()["id"]]


def test_without_a_key_a_repeated_upload_replaces_the_first(applicant: User, food: Matter) -> None:
    """The control for the test above: the second upload is stored again and replaces the first,
    so the id the client got first no longer exists."""
    me = api_as(applicant)
    draft = me.post(
        "/api/v1/applications/", {"matter": food.implementation_code}, format="json"
    ).json()
    url = f"/api/v1/applications/{draft['id']}/materials/"

    first, second = (
        me.post(url, {"material_key": "M01", "file": pdf()}, format="multipart") for _ in range(2)
    )

    assert first.json()["id"] != second.json()["id"]
    materials = ApplicationMaterial.objects.filter(application_id=draft["id"])
    assert list(materials.values_list("pk", flat=True)) == [second.json()["id"]]


def test_a_crash_leaves_no_draft_and_no_key_so_the_retry_creates_it(
    applicant: User, food: Matter, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = api_as(applicant)
    key = uuid.uuid4().hex
    real = services.application_draft_create

    def crash_after_create(**kwargs: Any) -> Application:
        real(**kwargs)
        raise RuntimeError("the worker died after the insert")

    monkeypatch.setattr(services, "application_draft_create", crash_after_create)
    with pytest.raises(RuntimeError):
        me.post(
            "/api/v1/applications/",
            {"matter": food.implementation_code},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
    monkeypatch.setattr(services, "application_draft_create", real)

    assert Application.objects.filter(filed_by=applicant).count() == 0
    assert IdempotencyRecord.objects.count() == 0
    retry = me.post(
        "/api/v1/applications/",
        {"matter": food.implementation_code},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry
    assert Application.objects.filter(filed_by=applicant).count() == 1


def test_an_approval_clicked_twice_with_one_key_answers_200_twice_and_approves_once(
    accepted: Any, reviewer: User, approver: User, applicant: User
) -> None:
    case = accepted()
    services.application_step_pass(
        user=reviewer, application_id=case.pk, now=case.accepted_at, opinion="符合条件。"
    )
    services.application_material_upload(
        user=applicant, application_id=case.pk, material_key="M04", file=pdf(), now=case.accepted_at
    )
    client = api_as(approver)
    key = uuid.uuid4().hex
    url = f"/api/v1/cases/{case.pk}/approve/"

    first = client.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    second = client.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    fresh = client.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == first.json()
    assert first.json()["status"] == "APPROVED"
    # A new key is a new request: the case is decided already.
    assert fresh.status_code == 409
    assert case.events.filter(kind=EventKind.APPROVED).count() == 1


def test_a_refusal_is_replayed_for_its_key(applicant: User, food: Matter) -> None:
    me = api_as(applicant)
    draft = me.post(
        "/api/v1/applications/", {"matter": food.implementation_code}, format="json"
    ).json()
    key = uuid.uuid4().hex
    url = f"/api/v1/applications/{draft['id']}/submit/"

    first = me.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    second = me.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert (first.status_code, second.status_code) == (400, 400)
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"


def test_the_schema_documents_the_header_on_every_write() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-untyped-call]

    writes = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch", "delete")
    ]

    assert len(writes) >= 20
    for path, method, operation in writes:
        headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert headers == ["Idempotency-Key"], (path, method)


def test_a_stored_answer_is_encrypted_at_rest_and_replays_unchanged(
    applicant: User, food: Matter
) -> None:
    client, key = api_as(applicant), str(uuid.uuid4())
    first = client.post(
        "/api/v1/applications/",
        {"matter": food.implementation_code},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert first.status_code == 201
    with connection.cursor() as cursor:
        cursor.execute("SELECT response_body FROM core_idempotencyrecord")
        (stored,) = cursor.fetchone()

    assert stored.startswith("gAAAAA")  # a Fernet token, not the answer's JSON
    assert applicant.real_name not in stored
    again = client.post(
        "/api/v1/applications/",
        {"matter": food.implementation_code},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert again.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
