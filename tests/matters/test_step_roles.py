"""Which role a 办理环节 may name: only those that act on cases in the review chain. The auditor
(审计管理员) and the other non-workflow roles would leave the case with nobody able to act."""

from typing import Any

import pytest

from accounts.choices import Role
from matters.services import CatalogueImportError, catalogue_import
from tests.matters import documents


def with_review_role(role: str) -> dict[str, Any]:
    document = documents.document()
    document["matters"][0]["versions"][0]["steps"][1]["role"] = role
    return document


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.SUPERVISOR, Role.CATALOGUE_ADMIN, Role.DEPARTMENT_ADMIN]
)
def test_a_review_step_for_a_role_that_handles_no_cases_is_refused(db: None, role: str) -> None:
    with pytest.raises(CatalogueImportError) as refused:
        catalogue_import(document=with_review_role(role))

    assert refused.value.errors == {
        "matters[0].versions[0].steps[1].role": [
            f"取值“{role}”无效，应为：WINDOW_CLERK、REVIEWER、APPROVER。"
        ]
    }


@pytest.mark.parametrize("role", [Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, ""])
def test_a_review_step_for_a_workflow_role_or_the_default_is_accepted(db: None, role: str) -> None:
    report = catalogue_import(document=with_review_role(role))

    assert report.matters == 3
