"""Accounts: real-name citizens, staff with roles, the role groups."""

from django.contrib.auth.models import Group

import pytest

from accounts.choices import Role, UserKind
from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS
from accounts.services import citizen_create, roles_sync, staff_create
from core.errors import DomainError


def test_a_citizen_is_created_with_the_normalised_id_number(db: None) -> None:
    user = citizen_create(
        username="lisi", password="pw-citizen-2", real_name="李四",
        id_number="11010519491231002x", mobile="13912345678",
    )  # fmt: skip

    assert (user.kind, user.id_number, user.is_staff) == (
        UserKind.CITIZEN,
        "11010519491231002X",
        False,
    )


def test_a_citizen_sees_their_id_number_and_mobile_masked(citizen: User) -> None:
    assert (citizen.masked_id_number, citizen.masked_mobile, str(citizen)) == (
        "110105********002X",
        "138****8000",
        "zhangsan（张三）",
    )


def test_a_citizen_with_an_invalid_id_number_is_refused_and_not_created(db: None) -> None:
    with pytest.raises(DomainError) as refused:
        citizen_create(
            username="lisi", password="pw-citizen-2", real_name="李四",
            id_number="110105194912310021", mobile="13912345678",
        )  # fmt: skip

    assert refused.value.errors == {"id_number": ["公民身份号码无效：出生日期或校验位不正确。"]}
    assert not User.objects.filter(username="lisi").exists()


def test_an_id_number_can_be_registered_only_once(citizen: User) -> None:
    with pytest.raises(DomainError) as refused:
        citizen_create(
            username="zhangsan2", password="pw-citizen-2", real_name="张三",
            id_number="11010519491231002X", mobile="13912345678",
        )  # fmt: skip

    assert refused.value.message == "该公民身份号码已注册。"
    assert [user.id_number for user in User.objects.all()] == ["11010519491231002X"]


def test_a_staff_member_holds_the_permissions_of_their_role(groups: None) -> None:
    user = staff_create(
        username="dept", password="pw-staff-1", real_name="部门管理员",
        roles=[Role.DEPARTMENT_ADMIN],
    )  # fmt: skip

    assert (user.kind, user.is_staff) == (UserKind.STAFF, True)
    assert user.has_perm("matters.publish_matterversion")
    assert not user.has_perm("matters.import_catalogue")


def test_syncing_the_roles_twice_gives_one_group_per_role_with_exactly_its_permissions(
    db: None,
) -> None:
    roles_sync()

    roles_sync()

    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(
        str(role.label) for role in Role
    )
    department_admin = Group.objects.get(name=Role.DEPARTMENT_ADMIN.label)
    assert sorted(
        f"{p.content_type.app_label}.{p.codename}" for p in department_admin.permissions.all()
    ) == sorted(ROLE_PERMISSIONS[Role.DEPARTMENT_ADMIN])
