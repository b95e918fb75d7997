"""The Idempotency-Key mechanism (core.idempotency) on a small API view that records working-day
overrides, and the meta-test that every unsafe API handler of the portal honours the key."""

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

import pytest
from pytest_django import Settings
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from accounts.models import User
from core.errors import DomainError
from core.idempotency import (
    UNSAFE_METHODS,
    IdempotentApiMixin,
    idempotency_records_purge,
    is_idempotent,
)
from core.models import IdempotencyRecord, IdempotencyStatus, WorkdayOverride
from core.tasks import idempotency_records_purge_task

pytestmark = pytest.mark.django_db

# How often the handler really ran, and what it should do next.
calls: list[str] = []
script: dict[str, Any] = {}


class HolidayApi(IdempotentApiMixin, APIView):
    """Marks a day as a holiday; refuses a day already marked; can be told to crash."""

    permission_classes = (AllowAny,)

    def post(self, request: Request) -> Response:
        data: dict[str, Any] = dict(request.data)
        calls.append(str(data["day"]))
        day = dt.date.fromisoformat(data["day"])
        if WorkdayOverride.objects.filter(day=day).exists():
            raise DomainError("该日期已设置。")
        row = WorkdayOverride.objects.create(day=day, is_working_day=False)
        if script.pop("crash", False):
            raise RuntimeError("crash after the write")
        if script.pop("unavailable", False):
            return Response({"detail": "稍后再试。"}, status=503)
        return Response({"id": row.pk, "day": day}, status=201)


@pytest.fixture(autouse=True)
def _reset() -> Iterator[None]:
    calls.clear()
    script.clear()
    yield
    script.clear()


def post(
    user: User | None, body: dict[str, Any], key: str | None = None, path: str = "/api/v1/holidays/"
) -> Response:
    headers = {"Idempotency-Key": key} if key is not None else {}
    request = APIRequestFactory().post(path, body, format="json", headers=headers)
    if user is not None:
        force_authenticate(request, user=user)
    response: Response = HolidayApi.as_view()(request)
    response.render()
    return response


def test_without_a_key_every_call_runs_as_before(citizen: User) -> None:
    first = post(citizen, {"day": "2025-10-01"})
    second = post(citizen, {"day": "2025-10-01"})

    assert (first.status_code, second.status_code) == (201, 400)
    assert calls == ["2025-10-01", "2025-10-01"]
    assert IdempotencyRecord.objects.count() == 0


def test_a_repeated_key_replays_the_first_answer_without_running_again(citizen: User) -> None:
    key = str(uuid.uuid4())

    first = post(citizen, {"day": "2025-10-01"}, key)
    second = post(citizen, {"day": "2025-10-01"}, key)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert calls == ["2025-10-01"]
    assert WorkdayOverride.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.user, record.method, record.path, record.status) == (
        citizen,
        "POST",
        "/api/v1/holidays/",
        IdempotencyStatus.DONE,
    )


def test_the_same_key_with_another_body_is_refused_422(citizen: User) -> None:
    key = uuid.uuid4().hex
    post(citizen, {"day": "2025-10-01"}, key)

    response = post(citizen, {"day": "2025-10-02"}, key)

    assert response.status_code == 422
    assert response.data["detail"] == (
        "该幂等键已用于另一个请求，请为新的请求生成新的 Idempotency-Key。"
    )
    assert calls == ["2025-10-01"]


def test_the_same_key_on_another_path_is_refused_422(citizen: User) -> None:
    key = uuid.uuid4().hex
    post(citizen, {"day": "2025-10-01"}, key)

    response = post(citizen, {"day": "2025-10-01"}, key, path="/api/v1/other/")

    assert response.status_code == 422


def test_the_body_is_compared_whatever_the_order_of_its_fields(citizen: User) -> None:
    key = uuid.uuid4().hex
    post(citizen, {"day": "2025-10-01", "note": "国庆"}, key)

    response = post(citizen, {"note": "国庆", "day": "2025-10-01"}, key)

    assert response.status_code == 201
    assert response["Idempotent-Replayed"] == "true"


def test_keys_are_per_user(citizen: User, catalogue_admin: User) -> None:
    key = uuid.uuid4().hex
    post(citizen, {"day": "2025-10-01"}, key)

    response = post(catalogue_admin, {"day": "2025-10-02"}, key)

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert calls == ["2025-10-01", "2025-10-02"]


def test_a_refusal_is_stored_and_replayed(citizen: User) -> None:
    WorkdayOverride.objects.create(day=dt.date(2025, 10, 1), is_working_day=False)
    key = uuid.uuid4().hex

    first = post(citizen, {"day": "2025-10-01"}, key)
    second = post(citizen, {"day": "2025-10-01"}, key)

    assert (first.status_code, second.status_code) == (400, 400)
    assert second.data == {"detail": "该日期已设置。"}
    assert second["Idempotent-Replayed"] == "true"
    assert len(calls) == 1


def test_a_crash_rolls_back_the_work_and_the_key_so_a_retry_runs_again(citizen: User) -> None:
    key = uuid.uuid4().hex
    script["crash"] = True

    with pytest.raises(RuntimeError):
        post(citizen, {"day": "2025-10-01"}, key)

    assert WorkdayOverride.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0
    retry = post(citizen, {"day": "2025-10-01"}, key)
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry
    assert WorkdayOverride.objects.count() == 1


def test_a_5xx_answer_is_not_stored_and_its_work_is_rolled_back(citizen: User) -> None:
    key = uuid.uuid4().hex
    script["unavailable"] = True

    first = post(citizen, {"day": "2025-10-01"}, key)
    retry = post(citizen, {"day": "2025-10-01"}, key)

    assert (first.status_code, retry.status_code) == (503, 201)
    assert WorkdayOverride.objects.count() == 1
    assert len(calls) == 2


def test_a_call_still_in_progress_under_the_key_answers_409(citizen: User) -> None:
    key = uuid.uuid4().hex
    IdempotencyRecord.objects.create(
        user=citizen,
        key=key,
        method="POST",
        path="/api/v1/holidays/",
        request_hash=_hash_of(citizen, {"day": "2025-10-01"}),
        created_at=dt.datetime(2025, 6, 11, tzinfo=dt.UTC),
    )

    response = post(citizen, {"day": "2025-10-01"}, key)

    assert response.status_code == 409
    assert response.data["detail"] == "同一请求正在处理，请稍后重试。"
    assert calls == []


def _hash_of(user: User, body: dict[str, Any]) -> str:
    """The fingerprint the mechanism computes, taken from a real call under a throw-away key."""
    post(user, body, "throw-away-key")
    record = IdempotencyRecord.objects.get(key="throw-away-key")
    record.delete()
    WorkdayOverride.objects.all().delete()
    calls.clear()
    return record.request_hash


@pytest.mark.parametrize(
    "key", ["short", "has space in it", "x" * 65, "中文键中文键中文键", "semi;colon;key"]
)
def test_a_malformed_key_is_refused_400_before_anything_runs(citizen: User, key: str) -> None:
    response = post(citizen, {"day": "2025-10-01"}, key)

    assert response.status_code == 400
    assert response.data["code"] == "idempotency_key_invalid"
    assert calls == []


@pytest.mark.parametrize("key", [str(uuid.uuid4()), uuid.uuid4().hex, "order_2025-06-11"])
def test_uuids_and_plain_tokens_are_accepted_as_keys(citizen: User, key: str) -> None:
    assert post(citizen, {"day": "2025-10-01"}, key).status_code == 201


def test_an_anonymous_call_with_a_key_runs_as_before() -> None:
    response = post(None, {"day": "2025-10-01"}, uuid.uuid4().hex)

    assert response.status_code == 201
    assert IdempotencyRecord.objects.count() == 0


def test_records_older_than_the_ttl_are_purged(citizen: User, settings: Settings) -> None:
    settings.IDEMPOTENCY_TTL_HOURS = 48
    now = dt.datetime(2025, 6, 11, 10, tzinfo=dt.UTC)
    for key, age in (("old-key-1", 49), ("edge-key", 47), ("new-key-1", 1)):
        IdempotencyRecord.objects.create(
            user=citizen,
            key=key,
            method="POST",
            path="/x/",
            request_hash="0" * 64,
            created_at=now - dt.timedelta(hours=age),
        )

    deleted = idempotency_records_purge(now=now)

    assert deleted == 1
    assert sorted(IdempotencyRecord.objects.values_list("key", flat=True)) == [
        "edge-key",
        "new-key-1",
    ]


def test_the_purge_runs_hourly_from_beat(settings: Settings) -> None:
    job = settings.CELERY_BEAT_SCHEDULE["core-purge-idempotency-records"]

    assert job == {"task": idempotency_records_purge_task.name, "schedule": 3600}
    assert idempotency_records_purge_task.name == "core.purge_idempotency_records"


# --- Every state-changing API route honours the key ---------------------------------------------


def api_handlers(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, str, Any]]:
    """(route, method, handler) for every unsafe handler of a class-based view under api/."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_handlers(pattern.url_patterns, route)
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if not route.startswith("api/") or view_class is None:
            continue
        for method in UNSAFE_METHODS:
            handler = getattr(view_class, method, None)
            if handler is not None:
                yield route, method, handler


def unguarded(patterns: list[URLPattern | URLResolver]) -> list[str]:
    return [f"{m.upper()} {r}" for r, m, h in api_handlers(patterns) if not is_idempotent(h)]


def test_every_unsafe_api_handler_honours_the_idempotency_key() -> None:
    patterns = get_resolver().url_patterns

    handlers = list(api_handlers(patterns))

    assert unguarded(patterns) == []
    # The portal's writes: draft create and patch, materials, 3 applicant actions, 14 case actions.
    assert len(handlers) >= 20


def test_the_meta_test_notices_an_unguarded_view() -> None:
    class PlainApi(APIView):
        def post(self, request: Request) -> Response:
            return Response(status=204)

    class GuardedApi(IdempotentApiMixin, APIView):
        def delete(self, request: Request) -> Response:
            return Response(status=204)

    from django.urls import path

    patterns: list[URLPattern | URLResolver] = [
        path("api/v1/plain/", PlainApi.as_view()),
        path("api/v1/guarded/", GuardedApi.as_view()),
        path("pages/plain/", PlainApi.as_view()),  # not the API
    ]

    assert unguarded(patterns) == ["POST api/v1/plain/"]
