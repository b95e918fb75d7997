"""SEC-LOG-03: every listed security event writes exactly one audit row carrying ts (UTC), actor,
role, action, object, result, source address and request id. Table-driven: one row per event
type, each caused the way a user or operator causes it (a page, the admin, a command)."""

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import Role
from accounts.models import PersonalDataAccess, User
from accounts.services import staff_create
from applications import services
from applications.models import Application
from audit.bulk_access import bulk_access_note, bulk_access_reset
from audit.choices import AuditAction, AuditResult
from audit.middleware import RequestIdMiddleware
from audit.models import AuditEvent
from certificates.models import Certificate
from certificates.views.public import certificate_file_response
from matters.models import Department, Matter
from tests.accounts.test_admin_personal_data import post_change
from tests.applications.conftest import (  # noqa: F401 -- fixtures, used by name
    applicant,
    clerk,
    draft_ready,
    market,
    other_citizen,
    workflow_catalogue,
)
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

IP = "203.0.113.9"


@dataclass
class World:
    citizen: User
    other: User
    clerk: User
    root: User
    matter: Matter
    department: Department
    application: Application

    def client(self, request_id: str, user: User | None = None) -> Client:
        client = Client(REMOTE_ADDR=IP, HTTP_X_REQUEST_ID=request_id)
        if user is not None:
            sign_in(client, user)
        return client


@dataclass
class Expect:
    actor: User | None  # None: anonymous or the system
    object_type: str
    object_id: object
    result: str = AuditResult.OK
    web: bool = True  # caused by a request: has its address and request id
    role: str = ""
    detail: dict[str, Any] = field(default_factory=dict)  # one row among several of a request


@pytest.fixture
def world(
    applicant: User,  # noqa: F811
    other_citizen: User,  # noqa: F811
    clerk: User,  # noqa: F811
    market: Department,  # noqa: F811
    workflow_catalogue: dict[str, Matter],  # noqa: F811
) -> World:
    now = timezone.now()
    draft = draft_ready(applicant, workflow_catalogue["food"], now=now)
    application = services.application_submit(user=applicant, application_id=draft.pk, now=now)
    root = staff_create(
        username="root", password="pw-root-0001", real_name="Root", roles=[], is_superuser=True
    )
    return World(
        citizen=applicant,
        other=other_citizen,
        clerk=clerk,
        root=root,
        matter=workflow_catalogue["food"],
        department=market,
        application=application,
    )


def sign_in_post(w: World, rid: str, password: str) -> Any:
    return w.client(rid).post(
        reverse("sign-in"), {"account": w.citizen.id_number, "password": password}
    )


def login_ok(w: World, rid: str) -> Expect:
    assert sign_in_post(w, rid, "pw-citizen-1").status_code == 302
    return Expect(w.citizen, "user", w.citizen.pk, role="citizen")


def login_failed(w: World, rid: str) -> Expect:
    sign_in_post(w, rid, "wrong-password")
    return Expect(None, "", "", AuditResult.FAILED, role="anonymous")


def lockout(w: World, rid: str) -> Expect:
    for attempt in range(4):
        sign_in_post(w, f"{rid}-{attempt}", "wrong-password")
    assert sign_in_post(w, rid, "wrong-password").status_code == 429
    return Expect(None, "", "", AuditResult.DENIED, role="anonymous")


def logout(w: World, rid: str) -> Expect:
    client = w.client(rid, w.citizen)
    client.post(reverse("sign-out"))
    return Expect(w.citizen, "user", w.citizen.pk)


def mfa_enrol(w: World, rid: str) -> Expect:
    client = w.client(rid)
    client.force_login(w.clerk)
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=w.clerk, confirmed=False)
    code = f"{TOTP(device.bin_key).token():06d}"
    assert client.post("/accounts/two-factor/setup/", {"code": code}).status_code == 302
    return Expect(w.clerk, "otp_device", device.pk, role=str(Role.WINDOW_CLERK.label))


def mfa_remove(w: World, rid: str) -> Expect:
    TOTPDevice.objects.create(user=w.clerk, name="phone", confirmed=True)
    response = w.client(rid, w.root).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [w.clerk.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=w.clerk).exists()
    return Expect(w.root, "user", w.clerk.pk, role="superuser")


def denied_object(w: World, rid: str) -> Expect:
    page = w.client(rid, w.other).get(reverse("application-detail", args=[w.application.pk]))
    assert page.status_code == 404  # a guessed id reveals nothing, but it is recorded
    return Expect(w.other, "application", w.application.pk, AuditResult.DENIED)


def denied_403(w: World, rid: str) -> Expect:
    url = reverse("workbench-case-action", args=[w.application.pk, "approve"])
    assert w.client(rid, w.clerk).post(url).status_code == 403
    return Expect(w.clerk, "url", url, AuditResult.DENIED)


def transition(w: World, rid: str) -> Expect:
    url = reverse("workbench-case-action", args=[w.application.pk, "accept"])
    assert w.client(rid, w.clerk).post(url).status_code == 302
    return Expect(w.clerk, "application", w.application.pk, role=str(Role.WINDOW_CLERK.label))


def unmask(w: World, rid: str) -> Expect:
    url = reverse("workbench-case-reveal", args=[w.application.pk])
    w.client(rid, w.clerk).post(url, {"reason": "窗口核对申请人身份证件"})
    # One row per field shown in full, as PersonalDataAccess records them (ID number, mobile).
    reveals = AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_REVEAL)
    assert reveals.count() == PersonalDataAccess.objects.count() == 2
    return Expect(
        w.clerk,
        "applications.application",
        w.application.pk,
        detail={"field": "applicant_id_number"},
    )


def export(w: World, rid: str) -> Expect:
    response = w.client(rid, w.root).post(
        reverse("admin:matters_matter_changelist"),
        {"action": "action_export", "_selected_action": [w.matter.pk]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="catalogue.json"'
    return Expect(w.root, "matters.catalogue", "")


def material_download(w: World, rid: str) -> Expect:
    material = w.application.materials.exclude(file="").order_by("pk").first()
    assert material is not None
    url = reverse("application-material-download", args=[w.application.pk, material.pk])
    assert w.client(rid, w.citizen).get(url).status_code == 200
    return Expect(w.citizen, "application_material", material.pk)


def certificate_download(w: World, rid: str) -> Expect:
    """The one function every certificate download goes through, behind the middleware."""
    certificate = Certificate(pk=987, number="SP-1")
    certificate.file.name = default_storage.save("audit-test.pdf", ContentFile(b"%PDF-1.7\n"))
    request = RequestFactory().get("/", REMOTE_ADDR=IP, HTTP_X_REQUEST_ID=rid)
    request.user = w.citizen

    def view(req: HttpRequest) -> HttpResponse:
        return certificate_file_response(certificate)  # type: ignore[return-value]

    assert RequestIdMiddleware(view)(request).status_code == 200
    return Expect(w.citizen, "certificate", 987)


def role_change(w: World, rid: str) -> Expect:
    """A service run while the administrator's request is served (as the admin pages do)."""
    request = RequestFactory().post("/", REMOTE_ADDR=IP, HTTP_X_REQUEST_ID=rid)
    request.user = w.root
    made: list[User] = []

    def view(req: HttpRequest) -> HttpResponse:
        made.append(
            staff_create(
                username="auditor", password="pw-auditor-1", real_name="A", roles=[Role.AUDITOR]
            )
        )
        return HttpResponse()

    RequestIdMiddleware(view)(request)
    return Expect(w.root, "user", made[0].pk, role="superuser")


def permission_change(w: World, rid: str) -> Expect:
    group = Group.objects.get(name=Role.AUDITOR.label)
    permission = Permission.objects.get(codename="view_workdayoverride")
    response = w.client(rid, w.root).post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {
            "name": group.name,
            "permissions": [*group.permissions.values_list("pk", flat=True), permission.pk],
        },
    )
    assert response.status_code == 302
    return Expect(w.root, "auth.group", group.pk, role="superuser")


def membership_change(w: World, rid: str) -> Expect:
    response = w.client(rid, w.root).post(
        reverse("admin:matters_departmentmembership_add"),
        {"user": w.clerk.pk, "department": w.department.pk, "role": Role.REVIEWER},
    )
    assert response.status_code == 302
    return Expect(w.root, "matters.departmentmembership", "", role="superuser")


def config_change(w: World, rid: str) -> Expect:
    response = w.client(rid, w.root).post(
        reverse("admin:core_workdayoverride_add"),
        {"day": "2031-01-04", "is_working_day": "on", "note": "调休"},
    )
    assert response.status_code == 302
    return Expect(w.root, "core.workdayoverride", "", role="superuser")


def password_change(w: World, rid: str) -> Expect:
    response = w.client(rid, w.citizen).post(
        reverse("password-change"),
        {
            "current_password": "pw-citizen-1",
            "password": "a-new-Passw0rd-2031",
            "password_confirm": "a-new-Passw0rd-2031",
        },
    )
    assert response.status_code == 302
    return Expect(w.citizen, "user", w.citizen.pk)


def mobile_change(w: World, rid: str) -> Expect:
    response = post_change(w.client(rid, w.root), w.citizen, mobile="13912345678")
    assert response.status_code == 302
    return Expect(w.root, "user", w.citizen.pk, role="superuser")


def bulk_access_alert(w: World, rid: str) -> Expect:
    bulk_access_reset()
    with override_settings(BULK_ACCESS_LIMIT=0), TestCase.captureOnCommitCallbacks(execute=True):
        bulk_access_note(user=w.clerk, object_type="application", object_id=w.application.pk)
    return Expect(w.clerk, "user", w.clerk.pk, web=False, role=str(Role.WINDOW_CLERK.label))


def backup(w: World, rid: str) -> Expect:
    call_command("audit_system_event", "backup", "--target", "tongban", stdout=io.StringIO())
    return Expect(None, "database", "tongban", web=False, role="system")


CASES: list[tuple[str, Callable[[World, str], Expect]]] = [
    (AuditAction.LOGIN, login_ok),
    (AuditAction.LOGIN_FAILED, login_failed),
    (AuditAction.LOCKOUT, lockout),
    (AuditAction.LOGOUT, logout),
    (AuditAction.MFA_ENROL, mfa_enrol),
    (AuditAction.MFA_REMOVE, mfa_remove),
    (AuditAction.ACCESS_DENIED, denied_object),
    (AuditAction.ACCESS_DENIED, denied_403),
    (AuditAction.CASE_TRANSITION, transition),
    (AuditAction.PERSONAL_DATA_REVEAL, unmask),
    (AuditAction.EXPORT, export),
    (AuditAction.MATERIAL_DOWNLOAD, material_download),
    (AuditAction.CERTIFICATE_DOWNLOAD, certificate_download),
    (AuditAction.ROLE_CHANGE, role_change),
    (AuditAction.PERMISSION_CHANGE, permission_change),
    (AuditAction.MEMBERSHIP_CHANGE, membership_change),
    (AuditAction.CONFIG_CHANGE, config_change),
    (AuditAction.PASSWORD_CHANGE, password_change),
    (AuditAction.MOBILE_CHANGE, mobile_change),
    (AuditAction.BULK_ACCESS_ALERT, bulk_access_alert),
    (AuditAction.BACKUP, backup),
]


@pytest.mark.parametrize(("action", "cause"), CASES, ids=[c.__name__ for _a, c in CASES])
def test_each_event_writes_exactly_one_complete_row(
    world: World, action: str, cause: Callable[[World, str], Expect]
) -> None:
    rid = f"req-{cause.__name__.replace('_', '-')}"
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    expect = cause(world, rid)

    rows = list(AuditEvent.objects.filter(seq__gt=before, action=action))
    if expect.web:
        rows = [row for row in rows if row.request_id == rid]
    rows = [row for row in rows if expect.detail.items() <= row.detail.items()]
    assert len(rows) == 1, [(r.action, r.request_id, r.object_id) for r in rows]
    row = rows[0]
    assert row.ts.utcoffset() == dt.timedelta(0)
    assert abs((timezone.now() - row.ts).total_seconds()) < 60
    if expect.actor is None:
        assert row.actor_id is None
    else:
        assert row.actor_id == expect.actor.pk
        assert row.actor_label
    assert row.role
    if expect.role:
        assert expect.role in row.role
    assert row.object_type == expect.object_type
    assert row.object_id == str(expect.object_id)
    assert row.result == expect.result
    assert (row.source_ip, row.request_id) == ((IP, rid) if expect.web else ("", ""))
    assert world.citizen.id_number not in json.dumps(row.detail)  # never PII in the detail
    assert world.citizen.mobile not in json.dumps(row.detail)


def test_every_action_but_the_audit_jobs_own_is_covered_by_the_table() -> None:
    covered = {action for action, _cause in CASES}
    own = {AuditAction.AUDIT_ANCHOR, AuditAction.AUDIT_PURGE, AuditAction.RESTORE}
    assert set(AuditAction) - own == covered


def test_a_citizen_is_named_by_kind_and_id_never_by_name_or_number(world: World) -> None:
    login_ok(world, "req-x")
    row = AuditEvent.objects.get(action=AuditAction.LOGIN)

    assert row.actor_label == f"citizen #{world.citizen.pk}"
    assert world.citizen.real_name not in row.actor_label


def test_a_failed_sign_in_stores_the_typed_id_number_masked(world: World) -> None:
    login_failed(world, "req-y")
    row = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    number = world.citizen.id_number

    assert row.detail == {
        "identifier_kind": "id_number",
        "identifier": f"{number[:6]}********{number[-4:]}",
    }


def test_each_transition_of_a_case_has_its_audit_row(world: World) -> None:
    transition(world, "req-z")
    events = world.application.events.count()

    rows = AuditEvent.objects.filter(
        action=AuditAction.CASE_TRANSITION, object_id=str(world.application.pk)
    )
    assert rows.count() == events == 2  # submitted, accepted
