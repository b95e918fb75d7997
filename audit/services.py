"""Write use cases of the audit log: append an event, record a refusal, anchor the head, purge.

Appends run in the caller's transaction (a rolled-back transition leaves no audit row) and are
serialised on PostgreSQL by a transaction-level advisory lock, so seq is contiguous and every row
links to the one before. The lock is held until the caller's transaction ends: callers record
last, just before they commit.
"""

import json
import logging
import os
import re
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

import pgtrigger

from audit.chain import (
    GENESIS,
    HASHED_FIELDS,
    Anchor,
    anchor_mac,
    canonical_json,
    row_hash,
    ts_text,
)
from audit.choices import AuditAction, AuditResult
from audit.context import Denial, context_get
from audit.models import AuditEvent
from core.http import client_ip
from core.identifiers import mask_mobile, mask_resident_id

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock key of the audit chain: the bytes of "audit\x01" as a bigint.
ADVISORY_LOCK_KEY = 0x617564697401
# 网络安全法 第21条(三): network logs are kept at least six months.
MIN_RETENTION_DAYS = 180

_ID_NUMBER_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


class _RequestUser:
    """Marker: the actor is whoever is signed in on the request being served."""

    def __repr__(self) -> str:
        return "REQUEST_USER"


REQUEST_USER: Any = _RequestUser()


def actor_describe(actor: Any) -> tuple[int | None, str, str]:
    """(actor_id, actor_label, role) of a user object, `None` (the system) or an anonymous user.

    Staff are named by username; citizens and companies by kind and id ("citizen #12"), so the
    log holds no name, ID number or mobile. The role is the staff groups (or the account kind).
    """
    if actor is None:
        return None, "system", "system"
    if not getattr(actor, "is_authenticated", False) or actor.pk is None:
        return None, "anonymous", "anonymous"
    kind = str(getattr(actor, "kind", "") or "").lower()
    staff = kind == "staff" or bool(actor.is_staff) or bool(actor.is_superuser)
    label = str(actor.get_username()) if staff else f"{kind or 'user'} #{actor.pk}"
    role = actor.__dict__.get("_audit_role")
    if role is None:
        parts = ["superuser"] if actor.is_superuser else []
        if staff:
            parts += sorted(actor.groups.values_list("name", flat=True))
        role = ",".join(parts) or (kind or "user")
        actor.__dict__["_audit_role"] = role
    return int(actor.pk), label[:150], str(role)[:200]


def mask_identifier(value: object) -> dict[str, str]:
    """What a sign-in form's account field may be stored as: its kind and a masked form.

    An ID number or a mobile keeps its first and last digits only (as pages show them); a
    username keeps its first two characters, since people type passwords there by mistake.
    """
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"[\s\-]", "", _CONTROL_RE.sub("", text))[:64]
    if not text:
        return {"identifier_kind": "none", "identifier": ""}
    if re.fullmatch(r"\d{17}[\dXx]", text):
        return {"identifier_kind": "id_number", "identifier": mask_resident_id(text)}
    if re.fullmatch(r"(\+86)?1[3-9]\d{9}", text):
        number = text.removeprefix("+86")
        return {"identifier_kind": "mobile", "identifier": mask_mobile(number)}
    if text.isdigit():
        return {"identifier_kind": "number", "identifier": text[:2] + "*" * (len(text) - 2)}
    return {"identifier_kind": "username", "identifier": text[:2] + "*" * min(len(text) - 2, 8)}


def _scrub(value: Any) -> Any:
    """Plain JSON with any ID number or mobile inside a string masked (defence in depth)."""
    if isinstance(value, dict):
        return {str(key): _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    if isinstance(value, str):
        text = _CONTROL_RE.sub(" ", value)[:500]
        text = _ID_NUMBER_RE.sub(lambda m: mask_resident_id(m.group()), text)
        return _MOBILE_RE.sub(lambda m: mask_mobile(m.group()), text)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return str(value)  # a float's JSON text may change in the database; a string will not
    return _scrub(str(value))


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def _head() -> tuple[int, str]:
    row = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def _request_user(request: HttpRequest | None) -> Any:
    return getattr(request, "user", None) if request is not None else None


def _append(
    *,
    head: tuple[int, str],
    action: str,
    actor: Any,
    object_type: str,
    object_id: str,
    result: str,
    source_ip: str,
    request_id: str,
    detail: dict[str, Any],
    now: datetime,
) -> AuditEvent:
    """Insert the row after `head` (the caller holds the lock)."""
    actor_id, actor_label, role = actor_describe(actor)
    event = AuditEvent(
        seq=head[0] + 1,
        ts=now,
        actor_id=actor_id,
        actor_label=actor_label,
        role=role,
        action=action,
        object_type=object_type[:64],
        object_id=object_id[:64],
        result=result,
        source_ip=source_ip[:45],
        request_id=request_id[:64],
        detail=detail,
        prev_hash=head[1],
    )
    event.hash = row_hash({name: getattr(event, name) for name in HASHED_FIELDS})
    event.save(force_insert=True)
    return event


def audit_record(
    *,
    action: AuditAction | str,
    actor: Any = None,
    object_type: str = "",
    object_id: object = "",
    result: AuditResult | str = AuditResult.OK,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    `actor`: a user, `None` for the system, or `REQUEST_USER` for whoever is signed in on the
    request being served. The request's id and address come from `request`, or else from the
    request being served (audit.middleware). `detail` must hold no personal data; ID numbers and
    mobiles found in it are masked anyway.
    """
    context = context_get()
    if actor is REQUEST_USER:
        actor = _request_user(request or (context.request if context else None))
    if request is not None:
        request_id = str(getattr(request, "request_id", "") or "")
        source_ip = client_ip(request) or ""
    elif context is not None:
        request_id, source_ip = context.request_id, context.source_ip
    else:
        request_id = source_ip = ""
    clean = json.loads(canonical_json(_scrub(detail or {})))
    with transaction.atomic(savepoint=False):
        _lock()
        event = _append(
            head=_head(),
            action=str(action),
            actor=actor,
            object_type=object_type,
            object_id=str(object_id if object_id is not None else ""),
            result=str(result),
            source_ip=source_ip,
            request_id=request_id,
            detail=clean,
            now=timezone.now(),
        )
    if context is not None:
        context.recorded += 1
    return event


def audit_denied(*, actor: Any, object_type: str, object_id: object, reason: str = "") -> None:
    """Record that an access function refused `actor` the object.

    The refusal usually unwinds the caller's transaction, so while a request is served it is
    written when the response is ready (`audit_request_finish`); otherwise at once.
    """
    context = context_get()
    denial = Denial(actor=actor, object_type=object_type, object_id=str(object_id), reason=reason)
    if context is None:
        _denial_write(denial, request=None)
    elif all(
        (d.object_type, d.object_id) != (denial.object_type, denial.object_id)
        for d in context.denials
    ):
        context.denials.append(denial)


def _denial_write(denial: Denial, *, request: HttpRequest | None) -> AuditEvent:
    return audit_record(
        action=AuditAction.ACCESS_DENIED,
        actor=denial.actor,
        object_type=denial.object_type,
        object_id=denial.object_id,
        result=AuditResult.DENIED,
        request=request,
        detail={"reason": denial.reason} if denial.reason else {},
    )


def audit_request_finish(*, request: HttpRequest, status: int) -> None:
    """After a response: write the refusals of the access functions, or for a 403 that none
    explained, one refusal of the path."""
    context = context_get()
    if context is None:
        return
    denials, context.denials = context.denials, []
    for denial in denials:
        _denial_write(denial, request=request)
    if status == 403 and not denials:
        audit_record(
            action=AuditAction.ACCESS_DENIED,
            actor=_request_user(request),
            object_type="url",
            object_id=request.path[:64],
            result=AuditResult.DENIED,
            request=request,
            detail={"method": request.method or "", "path": request.path[:200]},
        )


def audit_retention_days() -> int:
    """settings.AUDIT_RETENTION_DAYS, refused below 180 days.

    :raises ImproperlyConfigured: for a shorter retention.
    """
    days = int(settings.AUDIT_RETENTION_DAYS)
    if days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"AUDIT_RETENTION_DAYS={days}: audit events are kept at least "
            f"{MIN_RETENTION_DAYS} days (网络安全法 第21条)."
        )
    return days


def _delete_through(seq: int, days: int) -> int:
    """Delete the events up to `seq`. On PostgreSQL through `audit_purge_through` (migration 0003),
    which runs with the owner's rights and checks by the database clock that each is older than
    `days` (≥ 180): the run-time role has no DELETE on the table (`manage.py grant_app_role`)."""
    if connection.vendor != "postgresql":
        with pgtrigger.ignore("audit.AuditEvent:protect_deletes"):
            deleted, _by_model = AuditEvent.objects.filter(seq__lte=seq).delete()
        return int(deleted)
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_purge_through(%s, %s)", [seq, days])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


@transaction.atomic
def audit_purge(*, now: datetime) -> int:
    """Delete the events older than the retention, oldest first, and record the purge with the
    last deleted row's seq and hash, where verification then starts. Returns the count deleted.

    :raises ImproperlyConfigured: if the retention is under 180 days (nothing deleted).
    """
    days = audit_retention_days()
    cutoff = now - timedelta(days=days)
    _lock()
    head = _head()
    first_kept = (
        AuditEvent.objects.filter(ts__gte=cutoff).order_by("seq").values_list("seq", flat=True)
    ).first()
    old = AuditEvent.objects.filter(seq__lt=first_kept if first_kept is not None else head[0] + 1)
    last = old.order_by("-seq").values_list("seq", "hash").first()
    if last is None:
        return 0
    deleted = _delete_through(int(last[0]), days)
    _append(
        head=head,
        action=AuditAction.AUDIT_PURGE,
        actor=None,
        object_type="audit_event",
        object_id="",
        result=AuditResult.OK,
        source_ip="",
        request_id="",
        detail={
            "through_seq": int(last[0]),
            "through_hash": str(last[1]),
            "deleted": deleted,
            "retention_days": days,
        },
        now=now,
    )
    return deleted


def audit_anchor_write(*, now: datetime) -> Anchor:
    """Append the chain's head, signed with AUDIT_ANCHOR_KEY, to AUDIT_ANCHOR_PATH (off the
    database: a mounted remote disk or a file shipped off the box).

    :raises ImproperlyConfigured: if no key is configured.
    """
    key = str(settings.AUDIT_ANCHOR_KEY or "")
    if not key:
        raise ImproperlyConfigured("AUDIT_ANCHOR_KEY is not set: anchors must be signed.")
    seq, head_hash = _head()
    stamp = ts_text(now)
    body: dict[str, Any] = {"seq": seq, "hash": head_hash, "ts": stamp}
    line = canonical_json({**body, "mac": anchor_mac(key=key, body=body)})
    path = Path(settings.AUDIT_ANCHOR_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    audit_record(
        action=AuditAction.AUDIT_ANCHOR,
        actor=None,
        object_type="audit_event",
        object_id=str(seq),
        detail={"anchored_seq": seq},
    )
    return Anchor(seq=seq, hash=head_hash, ts=stamp)
