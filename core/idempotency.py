"""Idempotency keys for the state-changing API calls (RELIABILITY §2.2): a client that sends
`Idempotency-Key: <uuid>` may repeat the call (double click, lost response, proxy retry) and the
work is done once.

With a key, the record `(user, key)` is inserted in the same transaction as the call's own
changes, and the answer is stored in it before commit. A second call with the same key waits on
the unique index until the first commits, then gets `IntegrityError`: it replays the stored answer
(`Idempotent-Replayed: true`). A 5xx or an unexpected exception rolls everything back, the record
too, so a retry runs again. Without the header a call behaves as it always did.

Views opt in by inheriting `IdempotentApiMixin`: every `post`/`put`/`patch`/`delete` a subclass
defines is wrapped. `tests/core/test_idempotency.py` fails if an API route's unsafe handler is not.
"""

import functools
import hashlib
import json
import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import IdempotencyRecord, IdempotencyStatus

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
UNSAFE_METHODS = ("post", "put", "patch", "delete")
# A UUID (with or without hyphens) matches too.
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")

Handler = Callable[..., Response]

# The handlers `idempotent` has wrapped, for the meta-test over the URL resolver.
_wrapped: set[Callable[..., Any]] = set()

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="幂等键（UUID 或 8–64 位字母、数字、-、_）：同一用户重复发送同一键只执行一次，"
    "之后重放首次的响应（响应头 Idempotent-Replayed: true）。",
)


def key_is_valid(key: str) -> bool:
    """Whether `key` is a UUID or 8–64 letters, digits, '-' and '_'."""
    return KEY_PATTERN.fullmatch(key) is not None


def _canonical(value: Any) -> Any:
    """`value` as plain JSON data: form data as lists per field, files by name, size and sha256."""
    if isinstance(value, File):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)  # the handler reads it again
        return {"name": value.name, "size": value.size, "sha256": digest.hexdigest()}
    if hasattr(value, "lists"):  # QueryDict / MultiValueDict: keep every value of a field
        return {str(k): [_canonical(v) for v in vs] for k, vs in value.lists()}
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def request_fingerprint(request: Request) -> str:
    """sha256 of the method, the path and the canonical body of `request`."""
    payload = json.dumps(
        [request.method, request.path, _canonical(request.data)],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        cls=DjangoJSONEncoder,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _claim(request: Request, user_id: int, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """Insert the record in a savepoint; None if the key is taken (after the holder committed)."""
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                user_id=user_id,
                key=key,
                method=str(request.method),
                path=request.path[:255],
                request_hash=fingerprint,
                created_at=timezone.now(),
            )
    except IntegrityError:
        return None


def _run(view: APIView, handler: Handler, request: Request, *args: Any, **kwargs: Any) -> Response:
    """The handler's response; an exception DRF answers (a refusal) becomes that answer, so it
    is stored like any other. Anything else propagates and rolls the transaction back."""
    try:
        return handler(view, request, *args, **kwargs)
    except Exception as exc:  # handle_exception re-raises what it does not answer
        return view.handle_exception(exc)


def _replay(user_id: int, key: str, fingerprint: str) -> Response:
    """The stored answer of an earlier call with this key, or why there is none to give."""
    record = IdempotencyRecord.objects.filter(user_id=user_id, key=key).first()
    if record is None:  # purged in the meantime: the client may simply retry
        return Response(
            {"detail": _("该请求正在处理，请稍后重试。"), "code": "idempotency_in_progress"},
            status=status.HTTP_409_CONFLICT,
        )
    if record.request_hash != fingerprint:
        return Response(
            {
                "detail": _("该幂等键已用于另一个请求，请为新的请求生成新的 Idempotency-Key。"),
                "code": "idempotency_key_reused",
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if record.status != IdempotencyStatus.DONE or record.response_code is None:
        return Response(
            {"detail": _("同一请求正在处理，请稍后重试。"), "code": "idempotency_in_progress"},
            status=status.HTTP_409_CONFLICT,
        )
    return Response(
        record.response_body, status=record.response_code, headers={REPLAYED_HEADER: "true"}
    )


def idempotent(handler: Handler) -> Handler:
    """Make an APIView's unsafe handler honour the `Idempotency-Key` header (module docstring).

    Anonymous calls and calls without the header run the handler as it is.
    """
    if handler in _wrapped:
        return handler

    @functools.wraps(handler)
    def wrapper(view: APIView, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        user_id: int | None = request.user.pk if request.user.is_authenticated else None
        if key is None or user_id is None:
            return handler(view, request, *args, **kwargs)
        if not key_is_valid(key):
            return Response(
                {
                    "detail": _(
                        "Idempotency-Key 格式不正确：应为 UUID，或 8 至 64 位字母、数字、“-”、“_”。"
                    ),
                    "code": "idempotency_key_invalid",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        fingerprint = request_fingerprint(request)
        with transaction.atomic():
            record = _claim(request, user_id, key, fingerprint)
            if record is not None:
                response = _run(view, handler, request, *args, **kwargs)
                if response.status_code >= status.HTTP_500_INTERNAL_SERVER_ERROR:
                    transaction.set_rollback(True)  # not stored: a retry runs again
                    return response
                record.status = IdempotencyStatus.DONE
                record.response_code = response.status_code
                # Plain JSON values (dates, decimals, lazy text as strings): the column is
                # encrypted JSON, since an answer can hold a name or an address.
                record.response_body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
                record.save(update_fields=["status", "response_code", "response_body"])
                return response
        return _replay(user_id, key, fingerprint)

    documented: Handler = extend_schema(parameters=[PARAMETER])(wrapper)
    _wrapped.add(documented)
    return documented


def is_idempotent(handler: Callable[..., Any]) -> bool:
    """Whether `handler` was wrapped by `idempotent`."""
    return handler in _wrapped


class IdempotentApiMixin:
    """Wrap every unsafe handler (`post`, `put`, `patch`, `delete`) a subclass defines with
    `idempotent`, so a new endpoint cannot forget it."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in UNSAFE_METHODS:
            handler = cls.__dict__.get(name)
            if handler is not None:
                setattr(cls, name, idempotent(handler))


def idempotency_records_purge(*, now: datetime) -> int:
    """Delete the records older than `IDEMPOTENCY_TTL_HOURS`; return how many were deleted.
    A key is honoured at least that long; after it, the same key runs the call again."""
    cutoff = now - timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        logger.info("Purged %d idempotency records", deleted)
    return deleted
