"""The permissions each staff role's group carries (codenames as `app_label.codename`)."""

from accounts.choices import Role

CATALOGUE_PERMISSIONS = (
    "matters.view_region", "matters.add_region", "matters.change_region",
    "matters.view_department", "matters.add_department", "matters.change_department",
    "matters.view_topic", "matters.add_topic", "matters.change_topic", "matters.delete_topic",
    "matters.view_lifeevent", "matters.add_lifeevent", "matters.change_lifeevent", "matters.delete_lifeevent",
    "matters.view_synonym", "matters.add_synonym", "matters.change_synonym", "matters.delete_synonym",
    "matters.view_matter", "matters.add_matter", "matters.change_matter",
    "matters.view_matterversion", "matters.add_matterversion", "matters.change_matterversion",
    "matters.delete_matterversion", "matters.publish_matterversion", "matters.retire_matter",
    "matters.import_catalogue", "matters.export_catalogue",
    "matters.view_bundle", "matters.add_bundle", "matters.change_bundle", "matters.delete_bundle",
    "matters.view_bundleitem", "matters.add_bundleitem", "matters.change_bundleitem",
    "matters.delete_bundleitem",
    "matters.view_departmentmembership", "matters.add_departmentmembership",
    "matters.change_departmentmembership", "matters.delete_departmentmembership",
)  # fmt: skip

DEPARTMENT_ADMIN_PERMISSIONS = (
    "matters.view_department", "matters.view_region", "matters.view_topic", "matters.view_lifeevent",
    "matters.view_matter", "matters.add_matter", "matters.change_matter",
    "matters.view_matterversion", "matters.add_matterversion", "matters.change_matterversion",
    "matters.delete_matterversion", "matters.publish_matterversion", "matters.retire_matter",
    "matters.view_departmentmembership",
)  # fmt: skip

# The rows a guide is made of (edited as inlines of a draft version).
GUIDE_ROWS = (
    "material", "fee", "processstep", "faq", "situationquestion", "situationoption", "formfield",
)  # fmt: skip
GUIDE_ROW_PERMISSIONS = tuple(
    f"matters.{action}_{model}"
    for model in GUIDE_ROWS
    for action in ("view", "add", "change", "delete")
)

CALENDAR_PERMISSIONS = tuple(
    f"core.{action}_workdayoverride" for action in ("view", "add", "change", "delete")
)
CERTIFICATE_TYPE_PERMISSIONS = (
    "certificates.view_certificatetype", "certificates.add_certificatetype",
    "certificates.change_certificatetype", "certificates.preview_certificatetype",
)  # fmt: skip
CASE_VIEW = ("matters.view_matter", "matters.view_matterversion", "applications.view_application")
# Seeing an ID number or mobile in full, with a recorded reason (accounts.personal_data): window
# clerks check the person at the counter, approvers sign decisions naming them.
UNMASK = "accounts.unmask_personal_data"

# Which case actions each role may take; the department a case belongs to is checked separately
# (applications.permissions), against the user's memberships.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.CATALOGUE_ADMIN: (
        *CATALOGUE_PERMISSIONS,
        *GUIDE_ROW_PERMISSIONS,
        *CALENDAR_PERMISSIONS,
        *CERTIFICATE_TYPE_PERMISSIONS,
    ),
    Role.DEPARTMENT_ADMIN: (
        *DEPARTMENT_ADMIN_PERMISSIONS,
        *GUIDE_ROW_PERMISSIONS,
        "applications.view_application",
        "applications.assign_application",
        "certificates.view_certificate",
        "certificates.retry_certificate",
        # The department head's view of 电子监察 and 好差评: their own department only.
        "supervision.view_statistics",
        "supervision.export_statistics",
        "supervision.view_alert",
        "supervision.respond_alert",
        "supervision.view_followup",
        "supervision.handle_followup",
    ),
    Role.WINDOW_CLERK: (
        *CASE_VIEW,
        "applications.file_application",
        "applications.receive_application",
        "applications.deliver_application",
        "certificates.view_certificate",
        UNMASK,
    ),
    Role.REVIEWER: (*CASE_VIEW, "applications.review_application"),
    Role.APPROVER: (
        *CASE_VIEW,
        "applications.review_application",
        "applications.decide_application",
        "applications.extend_application",
        "applications.assign_application",
        "certificates.view_certificate",
        "certificates.revoke_certificate",
        "certificates.retry_certificate",
        UNMASK,
    ),
    Role.SUPERVISOR: (
        *CASE_VIEW,
        "matters.view_department",
        "applications.void_application",
        "certificates.view_certificate",
        "certificates.view_verificationlog",
        "supervision.view_statistics",
        "supervision.view_all_statistics",
        "supervision.export_statistics",
        "supervision.view_alert",
        "supervision.view_followup",
        "supervision.decide_appeal",
    ),
    # 审计管理员: the audit log, read-only (nobody may add, change or delete an audit event).
    Role.AUDITOR: ("audit.view_auditevent",),
}
