"""What the audit log knows about the request being served: its id, address and user.

`audit.middleware.RequestIdMiddleware` sets it for each request; services deep below the view
(the case trail, a reveal of personal data) then record the request's id and address without
passing the request down. Logs may read `request_id_get()` too.
"""

from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Denial:
    """An access function's refusal, written once the response is known (after any rollback)."""

    actor: Any
    object_type: str
    object_id: str
    reason: str


@dataclass
class RequestContext:
    request: HttpRequest
    request_id: str
    source_ip: str
    denials: list[Denial] = field(default_factory=list)
    recorded: int = 0  # audit rows written while serving the request


_current: ContextVar[RequestContext | None] = ContextVar("audit_request", default=None)


def context_get() -> RequestContext | None:
    return _current.get()


def context_set(context: RequestContext | None) -> Token[RequestContext | None]:
    return _current.set(context)


def context_reset(token: Token[RequestContext | None]) -> None:
    _current.reset(token)


def request_id_get() -> str:
    """The id of the request being served ("" outside a request): for log lines and 500 pages."""
    context = _current.get()
    return context.request_id if context else ""
