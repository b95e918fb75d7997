"""The review chain of a matter version: which steps a case passes after acceptance, and by whom.

A version's 办理环节 of kind REVIEW or DECISION form the chain, in order; the last one decides.
The intake step (受理) is the RECEIVED state itself; delivery (送达) is the APPROVED/REJECTED state.
A version that declares no review step gets 审查 (reviewer) → 决定 (approver); a 即办件 (decided on
the spot, 行政许可法第34条) is decided by the window clerk who accepts it.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from accounts.choices import Role
from matters.choices import CaseType, StepKind
from matters.models import MatterVersion, ProcessStep

if TYPE_CHECKING:  # the model module does not need this one; avoid a cycle at import time
    from applications.models import Application

DEFAULT_ROLE = {
    StepKind.INTAKE: Role.WINDOW_CLERK,
    StepKind.REVIEW: Role.REVIEWER,
    StepKind.DECISION: Role.APPROVER,
    StepKind.DELIVERY: Role.WINDOW_CLERK,
}


@dataclass(frozen=True)
class ChainStep:
    name: str
    role: str  # an accounts.choices.Role value
    time_limit: int  # working days; 0 = no step limit

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def step_role(step: ProcessStep) -> str:
    """The role that handles `step`: its own, or the default for its kind."""
    return step.role or DEFAULT_ROLE[StepKind(step.kind)]


def review_chain(version: MatterVersion) -> list[ChainStep]:
    """The steps a case of `version` passes after acceptance; never empty."""
    if version.case_type == CaseType.IMMEDIATE:
        return [ChainStep(name=_("当场办结"), role=Role.WINDOW_CLERK, time_limit=0)]
    steps = sorted(version.steps.all(), key=lambda s: (s.order, s.pk))
    chain = [
        ChainStep(name=s.name, role=step_role(s), time_limit=s.time_limit)
        for s in steps
        if s.kind in (StepKind.REVIEW, StepKind.DECISION)
    ]
    if not chain:
        chain = [ChainStep(name=_("审查"), role=Role.REVIEWER, time_limit=0)]
    if not any(s.kind == StepKind.DECISION for s in steps):
        # Someone must be able to decide: a version without a decision step ends with 决定.
        chain.append(ChainStep(name=_("决定"), role=Role.APPROVER, time_limit=0))
    return chain


def current_step(application: "Application") -> ChainStep:
    """The step of the chain the case is at (the last one once decided)."""
    chain = review_chain(application.version)
    return chain[min(application.step_index, len(chain) - 1)]


def stage_role(application: "Application") -> str:
    """Who handles the case now: the window before review and after the decision, else the
    role of its current review step."""
    if application.status in ("IN_REVIEW", "SUSPENDED"):
        return current_step(application).role
    return Role.WINDOW_CLERK
