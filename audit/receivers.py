"""Sign-in events from django.contrib.auth and django-axes, written to the audit log.

Connected in AuditConfig.ready(). A failed sign-in stores only the kind and a masked form of
what was typed in the account field: it may be an ID number, a mobile, or a password typed in
the wrong box.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from axes.signals import user_locked_out

from audit.choices import AuditAction, AuditResult
from audit.services import audit_record, mask_identifier


@receiver(user_logged_in, dispatch_uid="audit_logged_in")
def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(
        action=AuditAction.LOGIN, actor=user, object_type="user", object_id=user.pk, request=request
    )


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    typed = credentials.get("username") or credentials.get("account")
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        actor=AnonymousUser(),
        result=AuditResult.FAILED,
        request=request,
        detail=mask_identifier(typed),
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def on_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    audit_record(
        action=AuditAction.LOCKOUT,
        actor=AnonymousUser(),
        result=AuditResult.DENIED,
        request=request,
        detail=mask_identifier(username),
    )


@receiver(user_logged_out, dispatch_uid="audit_logged_out")
def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return  # nobody was signed in
    audit_record(
        action=AuditAction.LOGOUT,
        actor=user,
        object_type="user",
        object_id=user.pk,
        request=request,
    )
