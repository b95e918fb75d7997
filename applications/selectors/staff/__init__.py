"""Read use cases of the clerk workbench: queues, the case page, downloads, 一窗受理 and receipts.

Everything returned is plain data (frozen dataclasses), so templates only present (STYLE R14).
Reads of one case go through `access_application_for_staff_view`: another department's case is
"not found". Which actions a user may take now is computed here, mirroring the access functions
of `applications.permissions`; the services remain the authority and check again.
"""

from applications.selectors.staff.case import (
    CaseDetail,
    Choice,
    SupplementTarget,
    case_actions_for,
    case_detail_for_staff,
    material_for_staff,
    supplement_targets_for,
)
from applications.selectors.staff.common import TABS
from applications.selectors.staff.filing import (
    FilingSpec,
    MaterialSpec,
    Receipt,
    filing_spec_for_window,
    matter_list_for_window_filing,
    receipt_for_staff,
)
from applications.selectors.staff.queues import QueuePage, queue_for_staff

__all__ = [
    "TABS",
    "CaseDetail",
    "Choice",
    "FilingSpec",
    "MaterialSpec",
    "QueuePage",
    "Receipt",
    "SupplementTarget",
    "case_actions_for",
    "case_detail_for_staff",
    "filing_spec_for_window",
    "material_for_staff",
    "matter_list_for_window_filing",
    "queue_for_staff",
    "receipt_for_staff",
    "supplement_targets_for",
]
