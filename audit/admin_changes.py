"""Changes made in the Django admin (configuration, roles, memberships), recorded by the request
middleware once the admin has answered a POST with its redirect (a saved form or action).

A change that a service already recorded during the request (a reset second factor, a published
version) is not recorded a second time.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponseBase
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from audit.choices import AuditAction
from audit.context import context_get
from audit.services import audit_record

# Suffixes of the admin's URL names, the longest first ("_password_change" ends in "_change").
_OPS = (
    ("_password_change", "password"),
    ("_changelist", "changelist"),
    ("_delete", "delete"),
    ("_change", "change"),
    ("_add", "add"),
)
_REDIRECTS = (301, 302, 303)


@dataclass
class AdminChange:
    op: str
    model: str  # "app_label.model_name"
    object_id: str
    roles_before: dict[str, Any] | None = field(default=None)


@lru_cache(maxsize=1)
def _admin_prefix() -> str:
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return "\0"  # no admin: matches no path


def _registered() -> dict[str, str]:
    """URL-name prefix ("matters_matter") → model label ("matters.matter") of the admin."""
    return {
        f"{model._meta.app_label}_{model._meta.model_name}": model._meta.label_lower
        for model in admin.site._registry
    }


def _user_label() -> str:
    return str(get_user_model()._meta.label_lower)


def _roles_of(user_id: str) -> dict[str, Any] | None:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id.isdigit() else None
    if user is None:
        return None
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "is_active": user.is_active,
    }


def admin_change_start(request: HttpRequest) -> AdminChange | None:
    """For a POST to an admin page of a model: what it may change (and a user's roles before)."""
    if request.method != "POST" or not request.path_info.startswith(_admin_prefix()):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.namespace != "admin" or not match.url_name:
        return None
    registered = _registered()
    for suffix, op in _OPS:
        if match.url_name.endswith(suffix):
            model = registered.get(match.url_name.removesuffix(suffix))
            if model is None:
                return None
            object_id = str(match.kwargs.get("object_id") or match.kwargs.get("id") or "")
            change = AdminChange(op=op, model=model, object_id=object_id)
            if model == _user_label() and op == "change":
                change.roles_before = _roles_of(object_id)
            return change
    return None


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    detail: dict[str, Any] = {}
    for key in ("groups", "permissions"):
        added = sorted(set(after[key]) - set(before[key]))
        removed = sorted(set(before[key]) - set(after[key]))
        if added:
            detail[f"{key}_added"] = added
        if removed:
            detail[f"{key}_removed"] = removed
    for key in ("is_staff", "is_superuser", "is_active"):
        if before[key] != after[key]:
            detail[key] = after[key]
    return detail


def _action(change: AdminChange, detail: dict[str, Any]) -> AuditAction:
    if change.op == "password":
        return AuditAction.PASSWORD_CHANGE
    if change.model == _user_label() and change.roles_before is not None:
        after = _roles_of(change.object_id)
        roles = _diff(change.roles_before, after) if after else {}
        if roles:
            detail.update(roles)
            return AuditAction.ROLE_CHANGE
    if change.model == "auth.group":
        return AuditAction.PERMISSION_CHANGE
    if change.model == "matters.departmentmembership":
        return AuditAction.MEMBERSHIP_CHANGE
    if change.model == "otp_totp.totpdevice":
        if change.op == "add":
            return AuditAction.MFA_ENROL
        if change.op == "delete" or detail.get("action") == "delete_selected":
            return AuditAction.MFA_REMOVE
    return AuditAction.CONFIG_CHANGE


def admin_change_finish(
    change: AdminChange, *, request: HttpRequest, response: HttpResponseBase
) -> None:
    """Record the change if the admin accepted it (it redirects after a saved form or action)
    and nothing else recorded it during the request."""
    context = context_get()
    if response.status_code not in _REDIRECTS or (context is not None and context.recorded):
        return
    detail: dict[str, Any] = {"op": change.op, "model": change.model}
    if change.op == "changelist":
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        name = request.POST.get("action", "")
        if name and not selected:
            return  # "no items selected": nothing happened
        detail.update(op="action" if name else "bulk_edit", action=name, count=len(selected))
    action = _action(change, detail)
    audit_record(
        action=action,
        actor=getattr(request, "user", None),
        object_type=change.model,
        object_id=change.object_id,
        request=request,
        detail=detail,
    )
