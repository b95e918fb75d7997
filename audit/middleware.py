"""Request ids, and the audit entries only the response can tell (refusals, admin changes).

`RequestIdMiddleware` sits right after SecurityMiddleware. It gives every request an id (an
incoming `X-Request-ID` made of at most 64 letters, digits and hyphens, else a new uuid4 hex),
puts it on `request.request_id` and in `audit.context` for log lines and audit rows, and echoes
it as `X-Request-ID` on the response. Once the view has answered it writes the access refusals
(`audit.services.audit_request_finish`) and records successful changes made in the Django
admin (`audit.admin_changes`).
"""

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from audit.admin_changes import admin_change_finish, admin_change_start
from audit.context import RequestContext, context_reset, context_set
from audit.services import audit_request_finish
from core.http import client_ip

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def request_id_for(incoming: str | None) -> str:
    """The caller's id if it is a safe token, else a new one (never a header injection)."""
    if incoming and _SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        context = RequestContext(
            request=request, request_id=request_id, source_ip=client_ip(request) or ""
        )
        token = context_set(context)
        try:
            admin_change = admin_change_start(request)
            response = self.get_response(request)
            if admin_change is not None:
                admin_change_finish(admin_change, request=request, response=response)
            audit_request_finish(request=request, status=response.status_code)
        finally:
            context_reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response
