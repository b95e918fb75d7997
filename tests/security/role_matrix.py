"""SEC-AC-02: the documented role/function matrix, one row per action or area, one column per
role. `Y` = allowed, `.` = refused. tests/security/test_roles.py checks every cell.

Roles (accounts.choices.Role; what each group holds is accounts/roles.py):
  CIT  a citizen (the case's own applicant, citizen A)
  CLK  窗口人员 WINDOW_CLERK of the case's department (market)
  REV  审查人员 REVIEWER of the department
  APR  审批人员 APPROVER of the department
  SUP  监察人员 SUPERVISOR of the department
  DEP  部门管理员 DEPARTMENT_ADMIN of the department
  CAT  事项目录管理员 CATALOGUE_ADMIN (no department)
  AUD  审计管理员 AUDITOR (no department): reads the audit log, writes nothing

Workflow rows are service calls on a fresh case in the state named (cases.py); the department
check comes first (a role outside it is refused as "not found"), then the role of the case's
current step (审查 → REV, 决定 → APR, intake and delivery → CLK). Area rows are GET requests
(`write` rows: the admin's add form) by a signed-in member with the second factor passed; `Y` =
200, `.` = 302 to the admin sign-in, 403 or 404.

Read-only cells worth knowing: every case handler (CLK, REV, APR, SUP) may *view* the matters in
the admin (`matters.view_matter`, part of CASE_VIEW: the guide a case was filed under), but the
`write` row shows none of them may add or change one; SUP views departments (the dashboard's
filter). The workbench is every staff member's home page: CAT and AUD, members of no department,
get an empty queue (test_roles checks it holds none of A's cases). The catalogue's configuration
(working-day calendar, certificate types) is CAT's alone; users and groups only the superuser's.

Segregation of duties (review vs decision on one case): the product separates them by role, not
by person. The 审查 step needs REV and the 决定 step APR, and neither role's holder can act on
the other's step (cells below). A person given BOTH roles in one department can review and then
decide the same case: no person-level four-eyes rule exists (test_roles documents this).
"""

ROLES = ("CIT", "CLK", "REV", "APR", "SUP", "DEP", "CAT", "AUD")

#                                                          CIT CLK REV APR SUP DEP CAT AUD
_TABLE = """
workflow  accept                      RECEIVED              .   Y   .   .   .   .   .   .
workflow  not_accept                  RECEIVED              .   Y   .   .   .   .   .   .
workflow  supplement_request          RECEIVED              .   Y   .   .   .   .   .   .
workflow  claim_intake                RECEIVED              .   Y   .   .   .   .   .   .
workflow  claim_review                REVIEW                .   .   Y   .   .   .   .   .
workflow  pass_review                 REVIEW                .   .   Y   .   .   .   .   .
workflow  suspend_review              REVIEW                .   .   Y   .   .   .   .   .
workflow  assign_review               REVIEW                .   .   .   Y   .   Y   .   .
workflow  approve                     DECISION              .   .   .   Y   .   .   .   .
workflow  reject                      DECISION              .   .   .   Y   .   .   .   .
workflow  send_back                   DECISION              .   .   .   Y   .   .   .   .
workflow  extend                      DECISION              .   .   .   Y   .   .   .   .
workflow  deliver                     APPROVED              .   Y   .   .   .   .   .   .
workflow  void                        RECEIVED              .   .   .   .   Y   .   .   .
workflow  withdraw                    RECEIVED              Y   .   .   .   .   .   .   .
area      workbench-queue             -                     .   Y   Y   Y   Y   Y   Y   Y
area      supervision-dashboard       -                     .   .   .   .   Y   Y   .   .
area      followup-list               -                     .   .   .   .   Y   Y   .   .
area      followup-appeals            -                     .   .   .   .   Y   .   .   .
area      admin:index                 -                     .   Y   Y   Y   Y   Y   Y   Y
area      admin:matters_matter        -                     .   Y   Y   Y   Y   Y   Y   .
area      admin:core_workdayoverride  -                     .   .   .   .   .   .   Y   .
area      admin:certificates_certificatetype -              .   .   .   .   .   .   Y   .
area      admin:matters_department    -                     .   .   .   .   Y   Y   Y   .
area      admin:accounts_user         -                     .   .   .   .   .   .   .   .
area      admin:auth_group            -                     .   .   .   .   .   .   .   .
area      admin:audit_auditevent      -                     .   .   .   .   .   .   .   Y
write     admin:matters_matter        -                     .   .   .   .   .   Y   Y   .
write     admin:core_workdayoverride  -                     .   .   .   .   .   .   Y   .
write     admin:audit_auditevent      -                     .   .   .   .   .   .   .   .
write     admin:notifications_notificationtemplate -        .   .   .   .   .   .   .   .
"""


def _parse() -> dict[tuple[str, str], tuple[str, dict[str, bool]]]:
    rows: dict[tuple[str, str], tuple[str, dict[str, bool]]] = {}
    for line in _TABLE.strip().splitlines():
        kind, name, state, *cells = line.split()
        assert len(cells) == len(ROLES), line
        rows[(kind, name)] = (state, {r: c == "Y" for r, c in zip(ROLES, cells, strict=True)})
    return rows


# (kind, action or area) → (the case state it acts on, role → allowed)
MATRIX = _parse()
