"""Demo data for `make run`: the shipped catalogue, the staff roles and one account per role."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from accounts.services import citizen_create, roles_sync, staff_create
from certificates.demo import demo_certificates_load
from matters.demo.bundles import demo_bundles_load
from matters.models import Department, DepartmentMembership, Matter
from matters.services import ImportReport, catalogue_import

DEMO_CATALOGUE = Path(__file__).resolve().parent.parent / "matters" / "demo" / "catalogue.json"
DEMO_PASSWORD = "tongban-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    real_name: str
    role: Role | None  # None: a citizen
    description: str
    department: str = ""  # a department head's department (by name)


DEMO_ACCOUNTS = (
    DemoAccount("admin", "系统管理员", None, "超级管理员（后台全部权限）"),
    DemoAccount(
        "catalogue",
        "目录管理员",
        Role.CATALOGUE_ADMIN,
        "事项目录管理员：编辑、发布、导入导出全部事项",
    ),
    DemoAccount(
        "deptadmin",
        "部门管理员",
        Role.DEPARTMENT_ADMIN,
        "部门管理员：只管理本部门（市场监管局）的事项、统计和差评整改",
        "市场监督管理局",
    ),
    DemoAccount(
        "mzadmin",
        "民政部门管理员",
        Role.DEPARTMENT_ADMIN,
        "部门管理员：南山区民政局（老年人优待证）的事项、统计和差评整改",
        "南山区民政局",
    ),
    DemoAccount("clerk", "窗口人员", Role.WINDOW_CLERK, "窗口人员：市场监管、民政部门的收件和受理"),
    DemoAccount("reviewer", "审查人员", Role.REVIEWER, "审查人员：市场监管、民政部门的审查环节"),
    DemoAccount("approver", "审批人员", Role.APPROVER, "审批人员：作出许可决定、批准延期"),
    DemoAccount("supervisor", "监察人员", Role.SUPERVISOR, "电子监察人员：可作废办件"),
    DemoAccount(
        "auditor", "审计管理员", Role.AUDITOR, "审计管理员：只读查看安全审计日志（管理后台）"
    ),
    DemoAccount("zhangsan", "张三", None, "市民（实名：110105********002X）"),
)


@transaction.atomic
def demo_load() -> ImportReport | None:
    """Load the demo catalogue and accounts; running it again changes nothing.

    The catalogue is imported only into an empty catalogue, so edits made in a demo database survive
    the next `make run`. Returns the import report, or None when the catalogue was already there.
    """
    report = None
    if not Matter.objects.exists():
        report = catalogue_import(document=json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8")))
    roles_sync()
    # Case handlers work for the market regulators and the civil-affairs bureaus (老年人优待证),
    # so every workflow (incl. 秒批) can be tried; the department admin keeps one department.
    case_departments = list(
        Department.objects.filter(
            Q(name__contains="市场监督管理局") | Q(name__contains="民政局")
        ).order_by("uscc")
    )
    # The demo 一件事 span more departments; the demo staff work for those too.
    for department in demo_bundles_load():
        if department not in case_departments:
            case_departments.append(department)
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        if account.username == "admin":
            staff_create(
                username="admin",
                password=DEMO_PASSWORD,
                real_name=account.real_name,
                roles=[],
                is_superuser=True,
            )
        elif account.role is None:
            citizen_create(
                username=account.username, password=DEMO_PASSWORD, real_name=account.real_name,
                id_number="11010519491231002X", mobile="13800138000",
            )  # fmt: skip
        else:
            user = staff_create(
                username=account.username,
                password=DEMO_PASSWORD,
                real_name=account.real_name,
                roles=[account.role],
            )
            if account.role == Role.DEPARTMENT_ADMIN:
                own = (
                    Department.objects.filter(name__contains=account.department)
                    .order_by("uscc")
                    .first()
                )
                if own is not None:
                    DepartmentMembership.objects.create(
                        user=user, department=own, role=account.role
                    )
            elif account.role not in (Role.CATALOGUE_ADMIN, Role.AUDITOR):  # no department
                DepartmentMembership.objects.bulk_create(
                    DepartmentMembership(user=user, department=department, role=account.role)
                    for department in case_departments
                )
    demo_certificates_load(now=timezone.now())
    return report
