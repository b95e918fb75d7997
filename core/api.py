"""One DRF exception handler for the whole API (STYLE R12)."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.utils.translation import gettext as _

from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain exceptions to HTTP answers; everything else goes to DRF's default handler."""
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": exc.message}
        if exc.errors:
            body["errors"] = exc.errors
        return Response(body, status=exc.status_code)
    if isinstance(exc, TransitionNotAllowed | ConcurrentTransition):
        # A service that did not turn it into a ConflictError naming who acted first: still a 409
        # the user can act on, never a 500 (RELIABILITY §2.1). django-fsm's text is for developers.
        detail = _("办件状态已经变化，不能执行该操作，请刷新后查看。")
        return Response({"detail": detail, "code": "conflict"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ObjectDoesNotExist):
        return Response({"detail": "未找到。"}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        detail = str(exc) or "您没有执行该操作的权限。"
        return Response({"detail": detail}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)
