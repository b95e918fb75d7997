"""Cases for the guards: many of one applicant in mixed states, and a case whose trail grows."""

import datetime as dt
from itertools import cycle, islice
from typing import Any

from applications import services
from applications.models import Application
from tests.applications.conftest import NOW, case_in

# The states a list shows side by side; each takes another branch of the row's presentation.
MIXED = ("received", "in_review", "supplement_required", "suspended", "approved", "completed")


def cases_of(world: dict[str, Any], count: int, *, first: int = 0) -> list[Application]:
    """`count` submitted food-licence cases of world["applicant"] in mixed states, a minute apart
    from minute `first` on (so two calls make distinct cases)."""
    return [
        case_in(state, world, now=NOW.replace(minute=first + index))
        for index, state in enumerate(islice(cycle(MIXED), count))
    ]


def longer_trail(world: dict[str, Any], application: Application, *, times: int) -> None:
    """Suspend and resume an in-review case `times` times: two more trail entries and one more
    special procedure each, the case back where it was."""
    start = (application.accepted_at or NOW) + dt.timedelta(hours=2)
    for index in range(times):
        at = start + dt.timedelta(minutes=10 * index)
        services.application_suspend(
            user=world["reviewer"],
            application_id=application.pk,
            now=at,
            kind="SITE_CHECK",
            reason=f"需现场核查经营场所（{index + 1}）。",
            expected_days=3,
        )
        services.application_resume(
            user=world["reviewer"],
            application_id=application.pk,
            now=at + dt.timedelta(minutes=5),
            result=f"现场核查完毕（{index + 1}）。",
        )
