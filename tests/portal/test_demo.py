"""`load_demo`: the demo catalogue and one account per role, loaded any number of times."""

import base64
import json
import re
from io import StringIO
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

import pytest
from django_otp.oath import TOTP

from accounts.choices import Role
from accounts.models import User
from matters.bundles import bundle_guide, bundle_problems
from matters.models import Bundle, DepartmentMembership, Matter
from portal import demo
from tests.matters import documents


def account_summary() -> list[tuple[str, bool, list[str], list[str]]]:
    """(username, is superuser, groups, departments) of every account."""
    return [
        (
            user.username,
            user.is_superuser,
            sorted(g.name for g in user.groups.all()),
            sorted(m.department.name for m in DepartmentMembership.objects.filter(user=user)),
        )
        for user in User.objects.order_by("username")
    ]


@pytest.fixture(autouse=True)
def _demo_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """load_demo runs only where DEBUG or TONGBAN_DEMO=1 says this is a demo machine."""
    monkeypatch.setenv("TONGBAN_DEMO", "1")


@pytest.fixture
def small_demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Load the small test catalogue in place of the shipped demo catalogue."""
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(documents.document(), ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(demo, "DEMO_CATALOGUE", path)


def test_load_demo_creates_one_account_per_role_with_its_group(db: None, small_demo: None) -> None:
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert out.getvalue().splitlines()[:3] == [
        "Demo catalogue: 3 matters, 2 departments.",
        f"Demo logins (password for all: {demo.DEMO_PASSWORD}):",
        "  admin       超级管理员（后台全部权限）",
    ]

    market = "深圳市市场监督管理局"
    assert account_summary() == [
        ("admin", True, [], []),
        ("approver", False, [str(Role.APPROVER.label)], [market]),
        ("auditor", False, [str(Role.AUDITOR.label)], []),
        ("catalogue", False, [str(Role.CATALOGUE_ADMIN.label)], []),
        ("clerk", False, [str(Role.WINDOW_CLERK.label)], [market]),
        ("deptadmin", False, [str(Role.DEPARTMENT_ADMIN.label)], [market]),
        ("mzadmin", False, [str(Role.DEPARTMENT_ADMIN.label)], []),  # no 南山区民政局 here
        ("reviewer", False, [str(Role.REVIEWER.label)], [market]),
        ("supervisor", False, [str(Role.SUPERVISOR.label)], [market]),
        ("zhangsan", False, [], []),
    ]
    zhangsan = User.objects.get(username="zhangsan")
    assert zhangsan.masked_id_number == "110105********002X"
    assert zhangsan.check_password(demo.DEMO_PASSWORD)


def test_load_demo_twice_changes_nothing(db: None, small_demo: None) -> None:
    call_command("load_demo", stdout=StringIO())
    counts, accounts = documents.row_counts(), account_summary()
    groups = Group.objects.count()
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert documents.row_counts() == counts
    assert account_summary() == accounts
    assert Group.objects.count() == groups == len(Role)
    assert out.getvalue().startswith("Demo catalogue already loaded (3 matters).\n")


def test_the_demo_department_admin_signs_in_and_sees_the_market_regulators_matters(
    db: None, small_demo: None, client: Client
) -> None:
    call_command("load_demo", stdout=StringIO())

    signed_in = (
        client.post(
            "/accounts/sign-in/", {"account": "deptadmin", "password": demo.DEMO_PASSWORD}
        ).status_code
        == 302
    )
    # Staff enrol an authenticator at the first sign-in: the page shows the key, the app its code.
    setup = client.get("/accounts/two-factor/setup/").content.decode()
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', setup)
    assert secret is not None
    text = secret.group(1).replace(" ", "")
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    code = f"{TOTP(key).token():06d}"
    client.post("/accounts/two-factor/setup/", {"code": code})
    page = client.get("/admin/matters/matter/").content.decode()
    assert signed_in
    assert '<td class="field-current_name">老年人优待证办理</td>' in page
    assert '<td class="field-current_name">食品经营许可</td>' in page
    assert "放射诊疗许可" not in page


@pytest.mark.skipif(
    not demo.DEMO_CATALOGUE.exists(), reason="matters/demo/catalogue.json not built yet"
)
def test_load_demo_of_the_shipped_catalogue_twice_gives_the_same_counts(db: None) -> None:
    call_command("load_demo", stdout=StringIO())
    counts, accounts = documents.row_counts(), account_summary()

    call_command("load_demo", stdout=StringIO())

    assert documents.row_counts() == counts
    assert account_summary() == accounts
    assert counts["Matter"] > 0


@pytest.mark.skipif(
    not demo.DEMO_CATALOGUE.exists(), reason="matters/demo/catalogue.json not built yet"
)
def test_the_demo_offers_three_bundles_that_can_be_applied_for(db: None) -> None:
    demo.demo_load()

    bundles = Bundle.objects.filter(is_published=True)
    assert bundles.count() >= 3
    for bundle in bundles:
        assert bundle_problems(bundle) == [], bundle.name
        guide = bundle_guide(bundle)
        assert len({m.version.matter.department_id for m in guide.members}) >= 2, bundle.name
        # The demo staff can process every department of every bundle.
        clerk = User.objects.get(username="clerk")
        handled = set(
            DepartmentMembership.objects.filter(user=clerk).values_list("department", flat=True)
        )
        assert {m.version.matter.department_id for m in guide.members} <= handled


@pytest.mark.skipif(
    not demo.DEMO_CATALOGUE.exists(), reason="matters/demo/catalogue.json not built yet"
)
def test_the_elder_cards_department_has_a_demo_head_for_its_bad_ratings(db: None) -> None:
    demo.demo_load()
    elder = Matter.objects.get(current_version__name="老年人优待证办理")

    heads = DepartmentMembership.objects.filter(
        department=elder.department, role=Role.DEPARTMENT_ADMIN
    ).values_list("user__username", flat=True)

    assert list(heads) == ["mzadmin"]
