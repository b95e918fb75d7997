"""Seed the supervision benchmark (benchmarks/supervision.py) on top of the applications seed
(benchmarks/seed_applications.py: a million 办件): 好差评 ratings, the yellow and red cards of
电子监察, the daily figures (`supervision.statistics.statistics_refresh` over the whole history) and
the two staff accounts the benchmark signs in as.

- **Ratings** (`Evaluation`, written with COPY): `--ratings` (200,000) completed cases drawn at random,
  one rating each, object type CASE, rated by the case's applicant (NULL for a walk-in without an
  account: the window's rating device), on the web or by SMS for online cases, at the window device
  or by SMS for window cases, a little after completion (exponential, mean 1 day, at least
  5 minutes, never after now). Levels: 1 非常满意 / 2 满意 / 3 基本满意 / 4 不满意 / 5 非常不满意
  ≈ 63 / 23.5 / 9.7 / 2.3 / 1.5 % before 差评 are made more likely after a refusal (×5) or a late
  decision (×3), so that ≈ 85 % are 非常满意 or 满意 and ≈ 5 % 差评;
  tags and a short comment as the rating page offers them; 8 % of 差评 voided on appeal (kept,
  not counted). Department and implementation code copied from the case, as the service does.
  Follow-ups of 差评 are not seeded (the dashboard does not read them).
- **Cards** (`Alert`, COPY): what `supervision.alerts` would have raised over the history, its beat
  job running every 15 minutes: for every accepted, non-immediate case, CASE_DUE_SOON (yellow, from
  the working day before the promised day), CASE_OVERDUE and LEGAL_OVERDUE (red, once past the
  promised or statutory deadline) while its clock ran (from acceptance to the decision, the
  withdrawal, the 特别程序 or now); DELIVERY_LATE (red) for decisions not delivered within their 10
  working days; and the step rules STEP_DUE_SOON / STEP_OVERDUE of the current step of the cases in
  review (the case seed keeps no step history, so past steps raise none). Each card is resolved
  when its clock stopped; 60 % of the red cards of finished clocks were answered by the
  department. Unique per (case, rule, step).
- **Figures**: `statistics_refresh(start=<first day of the history>, end=today)`, timed, then the
  beat job's `statistics_refresh_recent` (today and yesterday), timed.

Only for the benchmark database: it writes rows without going through the services.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from accounts.services import roles_sync, staff_create
from applications.choices import Channel, Status
from applications.workflow import ChainStep, review_chain
from benchmarks.seed import Table, copy_rows
from benchmarks.seed_applications import (
    DEPARTMENTS,
    PASSWORD,
    SecondaryIndexes,
    department_code,
    staff_device,
)
from core.calendar import add_working_days, end_of_day, is_working_day, local_date, start_of_day
from matters.models import DepartmentMembership, Matter, MatterVersion
from supervision.choices import RULE_COLOR, AlertColor, AlertRule, BadTag, GoodTag, Level
from supervision.models import Alert, DailyStat, Evaluation, Followup

SUPERVISOR_USERNAME = "bench-supervisor"  # Role.SUPERVISOR: every department's figures
HEAD_USERNAME = "bench-head"  # Role.DEPARTMENT_ADMIN of HEAD_DEPARTMENT: its figures only
HEAD_DEPARTMENT = 2  # index in seed_applications.DEPARTMENTS: 深圳市人力资源和社会保障局 (18 %)

BEAT = dt.timedelta(minutes=15)  # the cards' beat job runs every quarter hour
LEVEL_WEIGHTS = (
    0.63,
    0.235,
    0.097,
    0.023,
    0.015,
)  # 1 非常满意 … 5 非常不满意 (before the factors below)
BAD_IF_REJECTED, BAD_IF_LATE = 5.0, 3.0  # 差评 more likely after a refusal or a late decision
VOIDED_SHARE = 0.08  # of 差评: the appeal was upheld (恶意差评)
ANSWERED_SHARE = 0.6  # of the red cards whose clock stopped
GOOD_COMMENTS = (
    "办理很快，点赞！",
    "工作人员很耐心。",
    "网上就办好了，不用跑。",
    "指南写得很清楚。",
)
BAD_COMMENTS = ("材料要求前后不一致，来回补了两次。", "等了很久没有进度。", "电话一直打不通。",
                "系统上传材料总是失败。", "窗口人员态度不好。")  # fmt: skip


@dataclass
class SeedReport:
    rows: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    levels: dict[int, int] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)
    first_day: dt.date | None = None
    refresh_full_seconds: float = 0.0
    refresh_full_rows: int = 0
    refresh_recent_seconds: list[float] = field(default_factory=list)
    refresh_recent_rows: int = 0
    seconds: float = 0.0

    @property
    def refresh_recent_median(self) -> float:
        return (
            statistics.median(self.refresh_recent_seconds)
            if self.refresh_recent_seconds
            else math.nan
        )


# --------------------------------------------------------------------------------------------
# The staff the benchmark signs in as
# --------------------------------------------------------------------------------------------


def head_department_pk() -> int:
    serial, _name, _short, region, _share = DEPARTMENTS[HEAD_DEPARTMENT]
    from matters.models import Department

    return int(Department.objects.get(uscc=department_code(region, serial)).pk)


def bench_staff_ensure() -> dict[str, int]:
    """The supervisor (Role.SUPERVISOR, `view_all_statistics`) and a department head
    (Role.DEPARTMENT_ADMIN with a membership of HEAD_DEPARTMENT), created with
    `accounts.services.staff_create` when missing, each with a confirmed authenticator.
    Returns username → pk."""
    roles_sync()
    out = {}
    for username, name, role in ((SUPERVISOR_USERNAME, "监察李四", Role.SUPERVISOR),
                                 (HEAD_USERNAME, "局长王五", Role.DEPARTMENT_ADMIN)):  # fmt: skip
        user = User.objects.filter(username=username).first()
        if user is None:
            user = staff_create(username=username, password=PASSWORD, real_name=name, roles=[role])
        if role == Role.DEPARTMENT_ADMIN:
            DepartmentMembership.objects.get_or_create(
                user=user, department_id=head_department_pk(), role=role
            )
        staff_device(user)
        out[username] = user.pk
    return out


# --------------------------------------------------------------------------------------------
# Ratings and cards
# --------------------------------------------------------------------------------------------


@cache
def _prev_working_day(day: dt.date) -> dt.date:
    """The working day before `day`: from then on `yellow_due` holds for a deadline on `day`
    (at most one working day left)."""
    probe = day - dt.timedelta(days=1)
    while not is_working_day(probe):
        probe -= dt.timedelta(days=1)
    return probe


@cache
def _yellow_from(deadline_day: dt.date) -> dt.datetime:
    return start_of_day(_prev_working_day(deadline_day))


@cache
def _step_due(started_on: dt.date, limit: int) -> dt.datetime:
    return end_of_day(add_working_days(started_on, limit))


_CASE_COLUMNS = (
    "id", "applicant_id", "channel", "department_id", "matter_id", "version_id", "status",
    "outcome", "accepted_at", "decided_at", "completed_at", "closed_at", "updated_at",
    "promise_deadline", "legal_deadline", "delivery_deadline", "step_index", "step_started_at",
)  # fmt: skip


@dataclass(slots=True)
class _Case:
    id: int
    applicant_id: int | None
    channel: str
    department_id: int
    matter_id: int
    version_id: int
    status: str
    outcome: str
    accepted_at: dt.datetime | None
    decided_at: dt.datetime | None
    completed_at: dt.datetime | None
    closed_at: dt.datetime | None
    updated_at: dt.datetime
    promise_deadline: dt.datetime | None
    legal_deadline: dt.datetime | None
    delivery_deadline: dt.datetime | None
    step_index: int
    step_started_at: dt.datetime | None


class CardMaker:
    """The cards `supervision.alerts` would have raised on one case over its life."""

    def __init__(
        self,
        rng: random.Random,
        now: dt.datetime,
        codes: dict[int, str],
        chains: dict[int, list[ChainStep]],
        responders: dict[int, list[int]],
    ) -> None:
        self.rng, self.now, self.codes, self.chains = rng, now, codes, chains
        self.responders = responders
        self.rules: Counter[str] = Counter()

    def _raised(self, at: dt.datetime) -> dt.datetime:
        return at + dt.timedelta(seconds=self.rng.uniform(1, BEAT.total_seconds()))

    def _row(
        self, case: _Case, rule: str, deadline: dt.datetime, raised: dt.datetime,
        resolved: dt.datetime | None, step_index: int = -1, step_name: str = "",
    ) -> dict[str, Any]:  # fmt: skip
        color = RULE_COLOR[rule]
        row: dict[str, Any] = {
            "application_id": case.id, "rule": rule, "color": color, "step_index": step_index,
            "step_name": step_name, "deadline": deadline, "raised_at": raised,
            "resolved_at": resolved, "department_id": case.department_id,
            "matter_code": self.codes[case.matter_id], "response": "", "responded_at": None,
            "responded_by_id": None,
        }  # fmt: skip
        if color == AlertColor.RED and resolved is not None and self.rng.random() < ANSWERED_SHARE:
            answered = raised + dt.timedelta(days=self.rng.uniform(0.2, 5))
            if answered <= self.now:
                row.update(response="已督促经办人加快办理，并完善内部流转时限管理。", responded_at=answered,
                           responded_by_id=self.rng.choice(self.responders.get(case.department_id) or [None]))  # fmt: skip
        self.rules[rule] += 1
        return row

    def cards(self, case: _Case) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        now = self.now
        chain = self.chains[case.version_id]
        immediate = chain[0].time_limit == 0 and len(chain) == 1
        if case.accepted_at is None or case.promise_deadline is None or immediate:
            return out
        # When the review clock stopped (None: still running).
        if case.decided_at is not None:
            stopped: dt.datetime | None = case.decided_at
        elif case.status == Status.SUSPENDED:
            stopped = case.updated_at  # the 特别程序 began: the clock stands still
        elif case.status == Status.IN_REVIEW:
            stopped = None
        else:  # withdrawn or voided in review
            stopped = case.closed_at or case.updated_at
        end = stopped or now
        resolved = stopped if case.status != Status.SUSPENDED else None
        accepted, promise = case.accepted_at, case.promise_deadline
        yellow = max(accepted, _yellow_from(local_date(promise)))
        if yellow < min(end, promise):
            raised = self._raised(yellow)
            if raised < end:
                out.append(self._row(case, AlertRule.CASE_DUE_SOON, promise, raised, resolved))
        for rule, deadline in ((AlertRule.CASE_OVERDUE, promise),
                               (AlertRule.LEGAL_OVERDUE, case.legal_deadline)):  # fmt: skip
            if deadline is not None and deadline < end:
                raised = self._raised(deadline)
                if raised < end:
                    out.append(self._row(case, rule, deadline, raised, resolved))
        if case.status == Status.IN_REVIEW:  # the current step's own limit
            step = chain[min(case.step_index, len(chain) - 1)]
            started = case.step_started_at or accepted
            if step.time_limit > 0:
                due = _step_due(local_date(started), step.time_limit)
                yellow = max(started, _yellow_from(local_date(due)))
                if yellow < min(now, due):
                    raised = min(self._raised(yellow), now)
                    out.append(self._row(case, AlertRule.STEP_DUE_SOON, due, raised, None,
                                         case.step_index, step.name))  # fmt: skip
                if due < now:
                    raised = min(self._raised(due), now)
                    out.append(self._row(case, AlertRule.STEP_OVERDUE, due, raised, None,
                                         case.step_index, step.name))  # fmt: skip
        if case.decided_at is not None and case.delivery_deadline is not None:
            delivered = case.completed_at
            if case.delivery_deadline < (delivered or now):
                raised = self._raised(case.delivery_deadline)
                if raised < (delivered or now):
                    out.append(self._row(case, AlertRule.DELIVERY_LATE, case.delivery_deadline,
                                         raised, delivered))  # fmt: skip
        return out


class RatingMaker:
    def __init__(self, rng: random.Random, now: dt.datetime, codes: dict[int, str]) -> None:
        self.rng, self.now, self.codes = rng, now, codes
        self.levels: Counter[int] = Counter()
        self.channels: Counter[str] = Counter()

    def level(self, case: _Case) -> int:
        weights = list(LEVEL_WEIGHTS)
        bad = 1.0
        if case.outcome == Status.REJECTED:
            bad *= BAD_IF_REJECTED
        if case.decided_at and case.promise_deadline and case.decided_at > case.promise_deadline:
            bad *= BAD_IF_LATE
        weights[3] *= bad
        weights[4] *= bad
        return self.rng.choices(range(1, 6), weights=weights)[0]

    def rating(self, case: _Case, created: dt.datetime) -> dict[str, Any]:
        rng = self.rng
        level = self.level(case)
        if case.channel == Channel.ONLINE:
            channel = "WEB" if rng.random() < 0.8 else "SMS"
        else:
            channel = "WINDOW" if rng.random() < 0.7 else "SMS"
        if level >= Level.DISSATISFIED:
            tags = rng.sample(BadTag.values, rng.choice((1, 1, 2)))
            comment = rng.choice(BAD_COMMENTS) if rng.random() < 0.7 else ""
        elif level == Level.FAIR:
            tags = rng.sample(BadTag.values, 1) if rng.random() < 0.3 else []
            comment = ""
        else:
            tags = rng.sample(GoodTag.values, rng.choice((0, 1, 1, 2)))
            comment = rng.choice(GOOD_COMMENTS) if rng.random() < 0.1 else ""
        self.levels[level] += 1
        self.channels[channel] += 1
        return {
            "application_id": case.id, "evaluator_id": case.applicant_id, "object_type": "CASE",
            "staff_id": None, "channel": channel, "level": level,
            "tags": json.dumps(tags), "comment": comment, "department_id": case.department_id,
            "matter_code": self.codes[case.matter_id], "created_at": created,
            "voided": level >= Level.DISSATISFIED and rng.random() < VOIDED_SHARE,
        }  # fmt: skip

    def delay(self) -> dt.timedelta:
        """From completion to the rating: most within a day, some days later."""
        return dt.timedelta(minutes=5) + dt.timedelta(days=self.rng.expovariate(1.0))


def _cases() -> list[_Case]:
    """Every case past the draft stage, in id order (a server-side cursor: 960k rows)."""
    out: list[_Case] = []
    columns = ", ".join(f'"{c}"' for c in _CASE_COLUMNS)
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM applications_application WHERE status <> %s ORDER BY id",  # noqa: S608
            [Status.DRAFT],
        )
        while rows := cursor.fetchmany(10_000):
            out.extend(_Case(*row) for row in rows)
    return out


def _chains() -> dict[int, list[ChainStep]]:
    versions = MatterVersion.objects.prefetch_related("steps")
    return {v.pk: review_chain(v) for v in versions}


def _responders() -> dict[int, list[int]]:
    """Per department, the staff who answer red cards: its approvers (department heads are not
    seeded)."""
    out: dict[int, list[int]] = {}
    memberships = DepartmentMembership.objects.filter(role=Role.APPROVER).values_list(
        "department_id", "user_id"
    )
    for department_id, user_id in memberships:
        out.setdefault(department_id, []).append(user_id)
    return out


def seed(ratings: int = 200_000, *, now: dt.datetime | None = None, rng_seed: int = 20_261_206) -> SeedReport:  # fmt: skip
    """Write ratings and cards over the seeded cases (after removing any earlier ones), rebuild
    the daily figures and time the beat job's refresh."""
    report = SeedReport()
    started = time.perf_counter()
    now = (now or timezone.now()).replace(microsecond=0)
    rng = random.Random(rng_seed)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        tables = ", ".join(
            f'"{m._meta.db_table}"' for m in (Followup, Evaluation, Alert, DailyStat)
        )
        cursor.execute(f"TRUNCATE {tables}")
    staff = bench_staff_ensure()
    report.rows["bench staff (supervisor, department head)"] = len(staff)
    codes = dict(Matter.objects.values_list("pk", "implementation_code"))
    chains = _chains()
    cases = _cases()
    report.phases["read the cases (Python)"] = time.perf_counter() - t0

    # Ratings: completed cases whose rating moment is already past, 200,000 drawn at random.
    t0 = time.perf_counter()
    rater = RatingMaker(rng, now, codes)
    candidates = []
    for case in cases:
        if case.status == Status.COMPLETED and case.completed_at is not None:
            created = (case.completed_at + rater.delay()).replace(microsecond=0)
            if created <= now:
                candidates.append((case, created))
    if len(candidates) < ratings:
        raise SystemExit(f"only {len(candidates):,} completed cases to rate, {ratings:,} asked")
    chosen = sorted(rng.sample(candidates, ratings), key=lambda pair: (pair[1], pair[0].id))
    evaluation_table = Table(Evaluation)
    evaluation_rows = [
        evaluation_table.row({"id": i, **rater.rating(case, created)})
        for i, (case, created) in enumerate(chosen, 1)
    ]
    report.levels = dict(sorted(rater.levels.items()))
    report.channels = dict(rater.channels.most_common())
    # Cards: every accepted case's clocks.
    maker = CardMaker(rng, now, codes, chains, _responders())
    alert_dicts = [card for case in cases for card in maker.cards(case)]
    alert_dicts.sort(key=lambda row: (row["raised_at"], row["application_id"]))
    alert_table = Table(Alert)
    alert_rows = [alert_table.row({"id": i, **row}) for i, row in enumerate(alert_dicts, 1)]
    report.rules = dict(maker.rules.most_common())
    report.phases["generate ratings and cards (Python)"] = time.perf_counter() - t0
    del cases, candidates, chosen, alert_dicts

    t0 = time.perf_counter()
    indexes = [SecondaryIndexes(m._meta.db_table) for m in (Evaluation, Alert)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers: keys exist
        for index in indexes:
            index.drop()
        report.rows["ratings"] = copy_rows(evaluation_table, evaluation_rows)
        report.rows["cards"] = copy_rows(alert_table, alert_rows)
        report.phases["COPY (PostgreSQL)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for index in indexes:
            index.build()
        report.phases["build the secondary indexes"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Evaluation, Alert]):
            cursor.execute(statement)
        for model in (Evaluation, Alert):
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
    report.phases["sequence reset + VACUUM ANALYZE"] = time.perf_counter() - t0
    del evaluation_rows, alert_rows

    refresh_all(report, now)
    report.seconds = time.perf_counter() - started
    return report


def first_day() -> dt.date:
    """The first local day any case, card or rating counts on."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT least(min(received_at), min(accepted_at), min(decided_at), min(completed_at), "
            "min(closed_at)) FROM applications_application"
        )
        first = cursor.fetchone()[0]
        cursor.execute(
            f'SELECT least(min(created_at), (SELECT min(raised_at) FROM "{Alert._meta.db_table}")) '  # noqa: S608
            f'FROM "{Evaluation._meta.db_table}"'
        )
        other = cursor.fetchone()[0]
    moments = [m for m in (first, other) if m is not None]
    return local_date(min(moments)) if moments else local_date(timezone.now())


def refresh_all(report: SeedReport, now: dt.datetime, *, recent_runs: int = 3) -> None:
    """The full rebuild over the whole history, then the beat job's refresh (today and
    yesterday) `recent_runs` times."""
    from supervision.statistics import statistics_refresh, statistics_refresh_recent

    report.first_day = first_day()
    t0 = time.perf_counter()
    report.refresh_full_rows = statistics_refresh(
        start=report.first_day, end=local_date(now), now=now
    )
    report.refresh_full_seconds = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute(f'VACUUM ANALYZE "{DailyStat._meta.db_table}"')
    report.refresh_recent_seconds = []
    for _ in range(recent_runs):
        t0 = time.perf_counter()
        report.refresh_recent_rows = statistics_refresh_recent(now=timezone.now())
        report.refresh_recent_seconds.append(time.perf_counter() - t0)
