"""The audit log in the admin: the 审计管理员 reads it; nobody, superusers included, edits it."""

from django.test import Client
from django.urls import reverse

import pytest

from accounts.choices import Role
from accounts.models import User
from accounts.services import staff_create
from audit.choices import AuditAction
from audit.models import AuditEvent
from audit.services import audit_record
from tests.auth import sign_in

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def event(groups: None) -> AuditEvent:
    return audit_record(action=AuditAction.CONFIG_CHANGE, object_type="test")


def test_the_auditor_reads_the_log_and_can_change_nothing(event: AuditEvent) -> None:
    auditor = staff_create(
        username="auditor", password="pw-auditor-1", real_name="审计", roles=[Role.AUDITOR]
    )
    client = signed_in(auditor)

    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_change", args=[event.seq])).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:audit_auditevent_delete", args=[event.seq])).status_code == 403
    )
    assert auditor.has_perm("audit.view_auditevent")
    assert not auditor.has_perm("matters.view_matter")  # the auditor sees the log only


def test_a_superuser_cannot_add_change_or_delete_events(event: AuditEvent) -> None:
    root = staff_create(
        username="root", password="pw-root-0001", real_name="Root", roles=[], is_superuser=True
    )
    client = signed_in(root)
    change = reverse("admin:audit_auditevent_change", args=[event.seq])

    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(change, {"detail": '{"forged": true}'}).status_code == 403
    assert (
        client.post(reverse("admin:audit_auditevent_delete", args=[event.seq])).status_code == 403
    )
    event.refresh_from_db()
    assert event.detail == {}


def test_other_staff_do_not_see_the_log(event: AuditEvent) -> None:
    clerk = staff_create(
        username="clerk", password="pw-clerk-0001", real_name="C", roles=[Role.WINDOW_CLERK]
    )

    response = signed_in(clerk).get(reverse("admin:audit_auditevent_changelist"))

    assert response.status_code in (302, 403)
