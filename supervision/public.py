"""好差评公示 (DOMAIN §5.1 "评价结果及整改情况向社会公开"): the figures of a period by department
and by matter, for everyone.

    好评率     = ratings of levels 1–3 / ratings
    差评数     = ratings of levels 4–5
    差评回访率 = follow-ups whose rater was contacted / follow-ups
    整改率     = follow-ups rectified or explained / follow-ups not voided

Voided ratings (an appeal upheld) are left out, with their follow-ups. Two queries whatever the
size: one GROUP BY (department, matter) over the ratings joined to their follow-ups, whose rows
also add up to the departments' figures, and one for the matters' names.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q

from core.calendar import end_of_day
from matters.models import Matter
from supervision.choices import FollowupStatus, Level
from supervision.models import Evaluation

DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366  # a period of at most three years keeps the query bounded
LEVELS = tuple(int(level) for level in Level.values)


@dataclass
class Figures:
    """The counts of one group (a department, a matter, or all), and the rates made from them."""

    total: int = 0
    by_level: list[int] = field(default_factory=lambda: [0] * len(LEVELS))
    followups: int = 0
    contacted: int = 0
    resolved: int = 0

    @property
    def levels(self) -> list[tuple[str, int]]:
        """(level name, count) from 非常满意 to 非常不满意."""
        return [
            (str(Level(n).label), count) for n, count in zip(LEVELS, self.by_level, strict=True)
        ]

    @property
    def good(self) -> int:
        return sum(self.by_level[:3])

    @property
    def bad(self) -> int:
        return sum(self.by_level[3:])

    @property
    def good_rate(self) -> Decimal | None:
        return _rate(self.good, self.total)

    @property
    def contact_rate(self) -> Decimal | None:
        return _rate(self.contacted, self.followups)

    @property
    def resolve_rate(self) -> Decimal | None:
        return _rate(self.resolved, self.followups)

    def add(self, other: "Figures") -> None:
        self.total += other.total
        self.by_level = [a + b for a, b in zip(self.by_level, other.by_level, strict=True)]
        self.followups += other.followups
        self.contacted += other.contacted
        self.resolved += other.resolved


def _rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, or None where there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class MatterFigures:
    code: str
    name: str
    figures: Figures


@dataclass
class DepartmentFigures:
    department_id: int
    name: str
    figures: Figures
    matters: list[MatterFigures]


@dataclass(frozen=True)
class Publication:
    start_on: dt.date
    end_on: dt.date
    overall: Figures
    departments: list[DepartmentFigures]


def ratings_published(*, start_on: dt.date, end_on: dt.date) -> Publication:
    """The public figures of the ratings made from `start_on` to `end_on` (both included, in the
    portal's time zone), by department and by matter, departments and matters in name order."""
    start = end_of_day(start_on - dt.timedelta(days=1))
    end = end_of_day(end_on)
    not_voided = ~Q(followup__status=FollowupStatus.VOIDED)
    level_counts = {f"level_{n}": Count("pk", filter=Q(level=n)) for n in LEVELS}
    grouped = (
        Evaluation.objects.filter(voided=False, created_at__gt=start, created_at__lte=end)
        .values("department_id", "department__name", "matter_code")
        .annotate(
            total=Count("pk"),
            **level_counts,
            followups=Count("followup", filter=not_voided),
            contacted=Count(
                "followup", filter=not_voided & Q(followup__contacted_at__isnull=False)
            ),
            resolved=Count(
                "followup",
                filter=Q(followup__status__in=[FollowupStatus.RECTIFIED, FollowupStatus.EXPLAINED]),
            ),
        )
        .order_by()
    )
    rows: list[dict[str, Any]] = [dict(row) for row in grouped]
    names = dict(
        Matter.objects.filter(implementation_code__in={row["matter_code"] for row in rows})
        .values_list("implementation_code", "current_version__name")
        .order_by()
    )
    overall = Figures()
    departments: dict[int, DepartmentFigures] = {}
    for row in rows:
        figures = Figures(
            total=row["total"],
            by_level=[row[f"level_{n}"] for n in LEVELS],
            followups=row["followups"],
            contacted=row["contacted"],
            resolved=row["resolved"],
        )
        department = departments.setdefault(
            row["department_id"],
            DepartmentFigures(row["department_id"], row["department__name"], Figures(), []),
        )
        code = row["matter_code"]
        department.matters.append(MatterFigures(code, names.get(code) or code, figures))
        department.figures.add(figures)
        overall.add(figures)
    ordered = sorted(departments.values(), key=lambda d: (d.name, d.department_id))
    for department in ordered:
        department.matters.sort(key=lambda m: (m.name, m.code))
    return Publication(start_on=start_on, end_on=end_on, overall=overall, departments=ordered)


def period_parse(
    start: str | None, end: str | None, *, today: dt.date
) -> tuple[dt.date, dt.date, bool]:
    """The period a visitor asked for, as (start_on, end_on, was_valid): the last 90 days up to
    `today` when nothing or nonsense is asked; never in the future, at most MAX_DAYS long."""
    default = (today - dt.timedelta(days=DEFAULT_DAYS - 1), today)
    if not start and not end:
        return (*default, True)
    try:
        start_on = dt.date.fromisoformat(start) if start else default[0]
        end_on = dt.date.fromisoformat(end) if end else today
    except ValueError:
        return (*default, False)
    end_on = min(end_on, today)
    if start_on > end_on or (end_on - start_on).days >= MAX_DAYS:
        return (*default, False)
    return start_on, end_on, True
