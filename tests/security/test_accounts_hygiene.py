"""SEC-AC-07: no default or shared accounts, and dormant staff accounts are found.

After `load_demo` the only account with a conventional default name is the demo superuser
`admin`, the one the README documents; no root, test or administrator. It cannot be used with
the published demo password alone: every staff account passes a second factor first (an
authenticator enrolled at the first sign-in). Every staff account names a person or a post
(`real_name`): the demo's are named by their post (窗口人员 …), being demo accounts.

`manage.py stale_staff_accounts --days N` lists active staff without a sign-in for N days (default
90); never signed in counts from the account's creation."""

import datetime as dt
import json
import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

import pytest

from accounts.choices import Role
from accounts.models import User
from accounts.services import citizen_create, roles_sync, staff_create
from portal import demo
from tests.matters import documents

pytestmark = pytest.mark.django_db

FORBIDDEN_NAMES = {"root", "test", "administrator", "admin", "sa", "guest", "demo", "user"}
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def demo_loaded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`load_demo` with the small test catalogue in place of the shipped one (as tests/portal)."""
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(documents.document(), ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(demo, "DEMO_CATALOGUE", path)
    monkeypatch.setenv("TONGBAN_DEMO", "1")
    call_command("load_demo", stdout=StringIO())


def _readme_accounts() -> dict[str, str]:
    """The demo accounts the README's table lists: username → role text."""
    rows = re.findall(r"^\| `([a-z]+)` \| (.+?) \|$", README.read_text(encoding="utf-8"), re.M)
    return dict(rows)


def test_no_default_account_names_but_the_documented_demo_admin(demo_loaded: None) -> None:
    names = set(User.objects.values_list("username", flat=True))
    documented = _readme_accounts()

    assert names & FORBIDDEN_NAMES == {"admin"}
    assert documented["admin"] == "superuser"
    assert names == set(documented)  # no account the README does not name
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.real_name


def test_the_demo_admin_needs_its_second_factor_not_just_the_published_password(
    demo_loaded: None,
) -> None:
    client = Client()
    signed_in = client.post(
        "/accounts/sign-in/", {"account": "admin", "password": demo.DEMO_PASSWORD}
    )
    admin_page = client.get("/admin/")

    assert signed_in.status_code == 302  # the password is right: signed in, second factor due
    assert admin_page.status_code == 302
    assert admin_page["Location"].startswith("/accounts/two-factor/")


def test_every_staff_account_names_its_holder(demo_loaded: None) -> None:
    staff = User.objects.filter(is_staff=True)
    assert staff.count() >= 8
    assert [u.username for u in staff if not u.real_name.strip()] == []


def test_load_demo_refuses_to_run_outside_demo_machines(
    monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    monkeypatch.delenv("TONGBAN_DEMO", raising=False)
    settings.DEBUG = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())


def _staff(username: str, *, joined_days: int, login_days: int | None, now: dt.datetime) -> User:
    user = staff_create(
        username=username, password="pw-staff-1", real_name=username, roles=[Role.REVIEWER]
    )
    last_login = None if login_days is None else now - dt.timedelta(days=login_days)
    User.objects.filter(pk=user.pk).update(
        date_joined=now - dt.timedelta(days=joined_days), last_login=last_login
    )
    return user


def test_stale_staff_accounts_flags_exactly_the_dormant_staff() -> None:
    roles_sync()
    now = timezone.now()
    _staff("active", joined_days=400, login_days=3, now=now)
    _staff("dormant", joined_days=400, login_days=120, now=now)
    _staff("edge_89", joined_days=400, login_days=89, now=now)
    _staff("never_new", joined_days=10, login_days=None, now=now)
    _staff("never_old", joined_days=200, login_days=None, now=now)
    gone = _staff("disabled", joined_days=400, login_days=300, now=now)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    citizen = citizen_create(
        username="old_citizen", password="pw-citizen-1", real_name="市民",
        id_number="11010519491231002X", mobile="13800138000",
    )  # fmt: skip
    User.objects.filter(pk=citizen.pk).update(last_login=now - dt.timedelta(days=500))

    out = StringIO()
    call_command("stale_staff_accounts", stdout=out)
    listed = [line.split("\t")[0] for line in out.getvalue().splitlines() if "\t" in line]

    assert listed == ["dormant", "never_old"]
    assert out.getvalue().splitlines()[-1] == "2 staff account(s) without a sign-in for 90 days."

    out = StringIO()
    call_command("stale_staff_accounts", "--days", "30", stdout=out)
    listed = [line.split("\t")[0] for line in out.getvalue().splitlines() if "\t" in line]
    assert listed == ["dormant", "edge_89", "never_old"]


def test_stale_staff_accounts_refuses_a_meaningless_period() -> None:
    with pytest.raises(CommandError):
        call_command("stale_staff_accounts", "--days", "0", stdout=StringIO())
