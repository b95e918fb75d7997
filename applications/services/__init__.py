"""Every write use case of applications, one function each (STYLE R2); re-exported here."""

from applications.services.decision import (
    application_approve,
    application_deliver,
    application_reject,
    application_void,
    application_withdraw,
)
from applications.services.intake import (
    application_accept,
    application_deem_accepted,
    application_not_accept,
    application_return_unanswered,
    application_supplement_answer,
    application_supplement_request,
    intake_overdue_ids,
    supplement_expired_ids,
)
from applications.services.reminders import reminders_case_due, reminders_supplement_due
from applications.services.results import application_certificate_issued, result_certificate_request
from applications.services.review import (
    application_assign,
    application_claim,
    application_extend,
    application_resume,
    application_send_back,
    application_step_pass,
    application_suspend,
)
from applications.services.submission import (
    SubmissionIncompleteError,
    WalkIn,
    application_draft_create,
    application_draft_discard,
    application_draft_update,
    application_file_at_window,
    application_material_choose,
    application_material_upload,
    application_material_use_certificate,
    application_submit,
)

__all__ = [
    "SubmissionIncompleteError",
    "WalkIn",
    "application_accept",
    "application_approve",
    "application_assign",
    "application_certificate_issued",
    "application_claim",
    "application_deem_accepted",
    "application_deliver",
    "application_draft_create",
    "application_draft_discard",
    "application_draft_update",
    "application_extend",
    "application_file_at_window",
    "application_material_choose",
    "application_material_upload",
    "application_material_use_certificate",
    "application_not_accept",
    "application_reject",
    "application_resume",
    "application_return_unanswered",
    "application_send_back",
    "application_step_pass",
    "application_submit",
    "application_supplement_answer",
    "application_supplement_request",
    "application_suspend",
    "application_void",
    "application_withdraw",
    "intake_overdue_ids",
    "reminders_case_due",
    "reminders_supplement_due",
    "result_certificate_request",
    "supplement_expired_ids",
]
