"""The figures of 电子监察 and 好差评 (DOMAIN §4.9, §5.3): one `DailyStat` row per matter and day,
rewritten by a beat job, summed by the dashboards.

What a day's row counts (days are local dates, Asia/Shanghai):

    received          cases whose (latest) receipt fell on the day; received_online of them online
    accepted          cases accepted on the day (deemed acceptance included)
    not_accepted      cases refused at intake (不予受理) on the day
    decided           decisions (准予 or 不予许可) taken on the day; approved of them 准予;
                      decided_on_time of them by the promised deadline
    actual_days       working days from acceptance to decision, paused days left out, summed
    promised_days     working days from acceptance to the promised deadline, paused days left out
    completed         cases completed (办结, result delivered) on the day; completed_zero_visit of
                      them filed online with an electronic or mailed result (零跑动)
    yellow/red_cards  cards raised on the day (supervision.alerts)
    ratings           ratings given on the day and not voided on appeal; ratings_good of them
                      非常满意/满意/基本满意, ratings_bad 不满意/非常不满意; rating_level_sum of codes

A refresh reads only the cases changed since the first day it rewrites (`updated_at`, indexed;
every service saves it), so refreshing today and yesterday every quarter hour is cheap, and one
call can also rebuild a whole year.
"""

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum

from redis.exceptions import RedisError

from accounts.choices import Role
from accounts.models import User
from applications.choices import Channel, DeliveryMethod, Status
from applications.models import Application
from core.caching import cache_get, cache_set
from core.calendar import local_date, start_of_day, working_days_between
from matters.choices import MatterStatus, OnlineDepth
from matters.models import Department, DepartmentMembership, Matter, Region
from supervision.choices import AlertColor, Level
from supervision.models import Alert, DailyStat, DepartmentDailyStat, Evaluation

logger = logging.getLogger(__name__)
# Changes whenever the daily figures are rewritten: what is computed from them (the dashboard's
# figures and charts) is cached under it. In the cache, so every process sees the same one.
GENERATION_KEY = "supervision:statistics-generation"

ZERO_VISIT_DELIVERY = (DeliveryMethod.ELECTRONIC, DeliveryMethod.MAIL)
# Department heads see their own department's figures: the roles that make one a head there.
HEAD_ROLES = (Role.DEPARTMENT_ADMIN, Role.SUPERVISOR)
COUNTERS = (
    "received", "received_online", "accepted", "not_accepted", "decided", "approved",
    "decided_on_time", "actual_days", "promised_days", "completed", "completed_zero_visit",
    "yellow_cards", "red_cards", "ratings", "ratings_good", "ratings_bad", "rating_level_sum",
)  # fmt: skip


# --- writing the rows ---------------------------------------------------------------------------


def _in(moment: dt.datetime | None, start: dt.datetime, end: dt.datetime) -> dt.date | None:
    """The local day of `moment` when it falls in [start, end), else None."""
    if moment is None or not start <= moment < end:
        return None
    return local_date(moment)


_COLUMNS = (
    "matter_id", "status", "channel", "delivery_method", "outcome", "received_at", "accepted_at",
    "decided_at", "completed_at", "closed_at", "promise_deadline", "paused_working_days",
)  # fmt: skip


def _count_cases(
    counts: dict[tuple[dt.date, int], dict[str, int]], start: dt.datetime, end: dt.datetime
) -> None:
    in_range = (
        Q(received_at__gte=start, received_at__lt=end)
        | Q(accepted_at__gte=start, accepted_at__lt=end)
        | Q(decided_at__gte=start, decided_at__lt=end)
        | Q(completed_at__gte=start, completed_at__lt=end)
        | Q(status=Status.NOT_ACCEPTED, closed_at__gte=start, closed_at__lt=end)
    )
    rows = Application.objects.filter(updated_at__gte=start).filter(in_range).values_list(*_COLUMNS)
    for (
        matter_id, status, channel, delivery, outcome, received_at, accepted_at, decided_at,
        completed_at, closed_at, promise_deadline, paused,
    ) in rows.iterator(chunk_size=5000):  # fmt: skip
        if day := _in(received_at, start, end):
            row = counts[day, matter_id]
            row["received"] += 1
            row["received_online"] += channel == Channel.ONLINE
        if day := _in(accepted_at, start, end):
            counts[day, matter_id]["accepted"] += 1
        if status == Status.NOT_ACCEPTED and (day := _in(closed_at, start, end)):
            counts[day, matter_id]["not_accepted"] += 1
        if decided_at is not None and (day := _in(decided_at, start, end)):
            row = counts[day, matter_id]
            row["decided"] += 1
            row["approved"] += outcome == Status.APPROVED
            if accepted_at is not None and promise_deadline is not None:
                accepted_on = local_date(accepted_at)
                row["decided_on_time"] += decided_at <= promise_deadline
                actual = working_days_between(accepted_on, day) - paused
                promised = working_days_between(accepted_on, local_date(promise_deadline)) - paused
                row["actual_days"] += max(actual, 0)
                row["promised_days"] += max(promised, 0)
        if day := _in(completed_at, start, end):
            row = counts[day, matter_id]
            row["completed"] += 1
            row["completed_zero_visit"] += (
                channel == Channel.ONLINE and delivery in ZERO_VISIT_DELIVERY
            )


def _count_by_code(
    counts: dict[tuple[dt.date, int], dict[str, int]],
    matter_ids: dict[str, int],
    rows: Iterable[tuple[Any, ...]],
) -> None:
    for code, moment, *values in rows:
        matter_id = matter_ids.get(code)
        if matter_id is None:
            continue
        row = counts[local_date(moment), matter_id]
        for name, value in values:
            row[name] += value


def statistics_refresh(*, start: dt.date, end: dt.date, now: dt.datetime) -> int:
    """Rewrite the `DailyStat` rows of the days `start`..`end` (inclusive) from the cases, cards
    and ratings; return the number of rows written. Idempotent; one transaction."""
    since, until = start_of_day(start), start_of_day(end + dt.timedelta(days=1))
    counts: dict[tuple[dt.date, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    _count_cases(counts, since, until)
    matter_ids = dict(Matter.objects.values_list("implementation_code", "pk"))
    alerts = Alert.objects.filter(raised_at__gte=since, raised_at__lt=until).values_list(
        "matter_code", "raised_at", "color"
    )
    _count_by_code(
        counts,
        matter_ids,
        (
            (code, at, ("red_cards" if color == AlertColor.RED else "yellow_cards", 1))
            for code, at, color in alerts.iterator(chunk_size=5000)
        ),
    )
    ratings = Evaluation.objects.filter(
        created_at__gte=since, created_at__lt=until, voided=False
    ).values_list("matter_code", "created_at", "level")
    _count_by_code(
        counts,
        matter_ids,
        (
            (
                code,
                at,
                ("ratings", 1),
                ("ratings_good", int(level < Level.DISSATISFIED)),
                ("ratings_bad", int(level >= Level.DISSATISFIED)),
                ("rating_level_sum", level),
            )
            for code, at, level in ratings.iterator(chunk_size=5000)
        ),
    )
    departments = dict(
        Matter.objects.filter(pk__in={m for _d, m in counts}).values_list("pk", "department_id")
    )
    rows = [
        DailyStat(day=day, matter_id=matter_id, department_id=departments[matter_id],
                  refreshed_at=now, **values)
        for (day, matter_id), values in counts.items()
    ]  # fmt: skip
    per_department: dict[tuple[dt.date, int], dict[str, int]] = defaultdict(
        lambda: defaultdict(int)
    )
    for row in rows:
        summed = per_department[row.day, row.department_id]
        for name in COUNTERS:
            summed[name] += getattr(row, name)
    department_rows = [
        DepartmentDailyStat(day=day, department_id=department_id, refreshed_at=now, **values)
        for (day, department_id), values in per_department.items()
    ]
    with transaction.atomic():
        DailyStat.objects.filter(day__gte=start, day__lte=end).delete()
        DepartmentDailyStat.objects.filter(day__gte=start, day__lte=end).delete()
        DailyStat.objects.bulk_create(rows, batch_size=2000)
        DepartmentDailyStat.objects.bulk_create(department_rows, batch_size=2000)
        transaction.on_commit(_generation_bump)
    return len(rows)


def _generation_bump() -> None:
    cache_set(GENERATION_KEY, uuid.uuid4().hex, None)


def statistics_generation() -> str:
    """The current generation of the daily figures ("" when the cache cannot be reached)."""
    value = cache_get(GENERATION_KEY)
    if value is None:
        try:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        except RedisError:  # the cache is only a shortcut: readers compute the figures
            logger.warning("Cache unavailable, no generation of the daily figures")
            return ""
        value = cache_get(GENERATION_KEY)
    return str(value or "")


def statistics_refresh_recent(*, now: dt.datetime) -> int:
    """The beat job: today so far, and yesterday (late changes near midnight)."""
    today = local_date(now)
    return statistics_refresh(start=today - dt.timedelta(days=1), end=today, now=now)


# --- reading them -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose figures a user may see: `None` is every department."""

    department_ids: frozenset[int] | None

    def allows(self, department_id: int) -> bool:
        return self.department_ids is None or department_id in self.department_ids


def statistics_scope_for(user: User) -> Scope:
    """The departments whose figures `user` may read: all with `view_all_statistics` (the
    supervision office), else those where they are a department head or supervisor.

    :raises PermissionDenied: without `view_statistics`, or a head of no department.
    """
    if not user.is_active or not user.has_perm("supervision.view_statistics"):
        raise PermissionDenied
    if user.is_superuser or user.has_perm("supervision.view_all_statistics"):
        return Scope(department_ids=None)
    ids = frozenset(
        DepartmentMembership.objects.filter(user=user, role__in=HEAD_ROLES).values_list(
            "department_id", flat=True
        )
    )
    if not ids:
        raise PermissionDenied
    return Scope(department_ids=ids)


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date  # inclusive
    region_id: int | None = None
    department_id: int | None = None
    matter_id: int | None = None


@dataclass(frozen=True)
class Figures:
    received: int = 0
    received_online: int = 0
    accepted: int = 0
    not_accepted: int = 0
    decided: int = 0
    approved: int = 0
    decided_on_time: int = 0
    actual_days: int = 0
    promised_days: int = 0
    completed: int = 0
    completed_zero_visit: int = 0
    yellow_cards: int = 0
    red_cards: int = 0
    ratings: int = 0
    ratings_good: int = 0
    ratings_bad: int = 0
    rating_level_sum: int = 0

    @staticmethod
    def _ratio(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def on_time_rate(self) -> float | None:
        """按时办结率: decisions by the promised deadline among decisions."""
        return self._ratio(self.decided_on_time, self.decided)

    @property
    def zero_visit_rate(self) -> float | None:
        """零跑动率: completed cases that needed no visit among completed cases."""
        return self._ratio(self.completed_zero_visit, self.completed)

    @property
    def good_rate(self) -> float | None:
        """好评率: 非常满意, 满意 and 基本满意 among ratings (DOMAIN §5.3)."""
        return self._ratio(self.ratings_good, self.ratings)

    @property
    def average_actual_days(self) -> float | None:
        return self._ratio(self.actual_days, self.decided)

    @property
    def average_promised_days(self) -> float | None:
        return self._ratio(self.promised_days, self.decided)

    @property
    def average_level(self) -> float | None:
        """The mean 满意度代码 (1 best, 5 worst)."""
        return self._ratio(self.rating_level_sum, self.ratings)


@dataclass(frozen=True)
class Row:
    key: int | dt.date
    label: str
    figures: Figures


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    totals: Figures
    matters_in_use: int
    matters_fully_online: int
    by_day: list[Row] = field(default_factory=list)
    by_department: list[Row] = field(default_factory=list)
    by_matter: list[Row] = field(default_factory=list)
    refreshed_at: dt.datetime | None = None

    @property
    def online_rate(self) -> float | None:
        """网上可办率: matters in use that can be done fully online (全程网办) among all."""
        return Figures._ratio(self.matters_fully_online, self.matters_in_use)


def region_and_below(
    region_id: int, children: Mapping[int | None, list[int]] | None = None
) -> set[int]:
    """The region and every region under it (a small table, walked in memory); `children`
    (parent id → child ids) when the caller has read the regions already."""
    if children is None:
        children = defaultdict(list)
        for pk, parent_id in Region.objects.values_list("pk", "parent_id"):
            children[parent_id].append(pk)
    found, todo = set(), [region_id]
    while todo:
        pk = todo.pop()
        found.add(pk)
        todo.extend(children.get(pk, ()))
    return found


def departments_in_scope(scope: Scope, filters: Filters | None = None) -> QuerySet[Department]:
    """The departments a user may pick in the dashboard's filter (after the region filter)."""
    departments = Department.objects.all()
    if scope.department_ids is not None:
        departments = departments.filter(pk__in=scope.department_ids)
    if filters is not None and filters.region_id is not None:
        departments = departments.filter(region_id__in=region_and_below(filters.region_id))
    return departments.order_by("name")


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in COUNTERS}


def _figures(values: Mapping[str, Any]) -> Figures:
    return Figures(**{f.name: values.get(f.name) or 0 for f in fields(Figures)})


def _departments_filtered(scope: Scope, filters: Filters) -> set[int] | None:
    """The departments whose rows count (None: every department): the scope, narrowed by the
    region and department filters. Resolved to ids first, so the big aggregates join nothing."""
    ids = set(scope.department_ids) if scope.department_ids is not None else None
    if filters.department_id is not None:
        ids = {filters.department_id} & ids if ids is not None else {filters.department_id}
    if filters.region_id is not None:
        in_region = set(
            Department.objects.filter(
                region_id__in=region_and_below(filters.region_id)
            ).values_list("pk", flat=True)
        )
        ids = in_region & ids if ids is not None else in_region
    return ids


def _total(rows: list[Row]) -> Figures:
    return Figures(**{name: sum(getattr(r.figures, name) for r in rows) for name in COUNTERS})


def dashboard(*, scope: Scope, filters: Filters, matter_rows: int = 20) -> Dashboard:
    """The figures of `filters` that `scope` may see: totals, a line per day, per department and
    for the `matter_rows` busiest matters.

    Three aggregates by id only (days and departments over the department rollup unless a matter
    is chosen, the busiest matters over the matter rows; the totals are the sum of the days), and
    small lookups for the labels and the catalogue (docs/performance.md has the figures)."""
    period = Q(day__gte=filters.start, day__lte=filters.end)
    rows = DailyStat.objects.filter(period)
    # Without a matter filter, the lines per day and per department come from the rollup.
    summed: QuerySet[Any] = DepartmentDailyStat.objects.filter(period)
    matters = Matter.objects.filter(status=MatterStatus.IN_USE)
    departments = _departments_filtered(scope, filters)
    if departments is not None:
        rows = rows.filter(department_id__in=departments)
        summed = summed.filter(department_id__in=departments)
        matters = matters.filter(department_id__in=departments)
    if filters.matter_id is not None:
        rows = rows.filter(matter_id=filters.matter_id)
        summed = rows
        matters = matters.filter(pk=filters.matter_id)
    days = list(
        summed.values("day").annotate(**_sums(), refreshed=Max("refreshed_at")).order_by("day")
    )
    by_day = [Row(key=v["day"], label=v["day"].isoformat(), figures=_figures(v)) for v in days]
    per_department = list(summed.values("department_id").annotate(**_sums()))
    names = dict(
        Department.objects.filter(pk__in=[v["department_id"] for v in per_department]).values_list(
            "pk", "name"
        )
    )
    by_department = sorted(
        (
            Row(
                key=v["department_id"], label=names.get(v["department_id"], ""), figures=_figures(v)
            )
            for v in per_department
        ),
        key=lambda row: (-row.figures.received, row.label),
    )
    per_matter = list(
        rows.values("matter_id")
        .annotate(**_sums())
        .order_by("-received", "matter_id")[:matter_rows]
    )
    labels = {
        pk: name or code
        for pk, code, name in Matter.objects.filter(
            pk__in=[v["matter_id"] for v in per_matter]
        ).values_list("pk", "implementation_code", "current_version__name")
    }
    by_matter = [
        Row(key=v["matter_id"], label=labels.get(v["matter_id"], ""), figures=_figures(v))
        for v in per_matter
    ]
    catalogue = matters.aggregate(
        in_use=Count("pk"),
        fully_online=Count("pk", filter=Q(current_version__online_depth=OnlineDepth.FULLY_ONLINE)),
    )
    return Dashboard(
        filters=filters,
        totals=_total(by_day),
        matters_in_use=catalogue["in_use"],
        matters_fully_online=catalogue["fully_online"],
        by_day=by_day,
        by_department=by_department,
        by_matter=by_matter,
        refreshed_at=max((v["refreshed"] for v in days), default=None),
    )
