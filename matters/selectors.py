"""Read use cases of the catalogue: what citizens and the API may see."""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.models import Count, FilteredRelation, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from matters import search
from matters.choices import Audience, MatterStatus, VersionStatus
from matters.models import (
    Department,
    Faq,
    Fee,
    FormField,
    LifeEvent,
    Material,
    Matter,
    MatterVersion,
    ProcessStep,
    Region,
    SituationOption,
    SituationQuestion,
    Topic,
)

GUIDE_PREFETCH = (
    Prefetch(
        "materials",
        queryset=Material.objects.order_by("order", "pk"),
    ),
    Prefetch("fees", queryset=Fee.objects.order_by("order", "pk")),
    Prefetch("steps", queryset=ProcessStep.objects.order_by("order", "pk")),
    Prefetch("faqs", queryset=Faq.objects.order_by("order", "pk")),
    Prefetch("form_fields", queryset=FormField.objects.order_by("order", "pk")),
    Prefetch(
        "situations",
        queryset=SituationQuestion.objects.order_by("order", "pk").prefetch_related(
            Prefetch(
                "options",
                queryset=SituationOption.objects.order_by("order", "pk").prefetch_related(
                    "materials"
                ),
            )
        ),
    ),
)


def matter_guide_for_public(
    *, implementation_code: str, with_groupings: bool = False
) -> MatterVersion:
    """The current guide of a visible matter, with everything the guide page shows prefetched
    (and its topics and life events, which the page does not show, with `with_groupings`).

    :raises Http404: if there is no such matter, or it is retired or not yet published.
    """
    # Two simple indexed lookups plan faster than one join on matter.current_version = version.id.
    version_id, _name = matter_current_version(implementation_code=implementation_code)
    return matter_guide_for_version(version_id=version_id, with_groupings=with_groupings)


def matter_current_version(*, implementation_code: str) -> tuple[int, str]:
    """(id, name) of the version citizens see for a matter code, from one indexed lookup.

    :raises Http404: if there is no such matter, or it is retired or not yet published.
    """
    row = (
        Matter.objects.filter(
            implementation_code=implementation_code.upper(), status=MatterStatus.IN_USE
        )
        .values_list("current_version_id", "current_version__name")
        .order_by()[:1]
    )
    for version_id, name in row:
        if version_id is not None:
            return int(version_id), str(name)
    raise Http404(gettext("没有找到该事项，或该事项已停用。"))


@dataclass(frozen=True)
class GuideHead:
    """What the guide page needs besides the version's own rows, from one query."""

    version_id: int
    name: str
    department_id: int
    department_name: str
    snapshot_fingerprint: str | None  # None: no body stored for the language yet
    snapshot_body: str | None


_CODE = "\x00implementation_code"  # placeholders, replaced by the values of each lookup
_LANGUAGE = "\x00language"


@cache
def _guide_head_sql(alias: str) -> tuple[str, tuple[Any, ...]]:
    """The guide page's lookup as SQL and its parameters (with placeholders), built by the ORM once
    per process and database: building and compiling it took 0.5 of the 0.9 ms it cost."""
    snapshot = FilteredRelation(
        "current_version__guide_snapshots",
        condition=Q(current_version__guide_snapshots__language=_LANGUAGE),
    )
    query = (
        Matter.objects.filter(implementation_code=_CODE, status=MatterStatus.IN_USE)
        .annotate(snapshot=snapshot)
        .values_list(
            "current_version_id", "current_version__name", "department_id", "department__name",
            "snapshot__fingerprint", "snapshot__body",
        )
        .order_by()[:1]
        .query
    )  # fmt: skip
    sql, params = query.get_compiler(alias).as_sql()
    return sql, tuple(params)


def matter_guide_head(*, implementation_code: str, language: str) -> GuideHead:
    """The current version of a visible matter, its department and its stored guide body in
    `language`, if any: one indexed query.

    :raises Http404: if there is no such matter, or it is retired or not yet published.
    """
    alias = router.db_for_read(Matter)
    sql, template = _guide_head_sql(alias)
    values = {_CODE: implementation_code.upper(), _LANGUAGE: language}
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [values.get(p, p) if isinstance(p, str) else p for p in template])
        row = cursor.fetchone()
    if row is None or row[0] is None:
        raise Http404(gettext("没有找到该事项，或该事项已停用。"))
    version_id, name, department_id, department_name, fingerprint, body = row
    return GuideHead(
        int(version_id), str(name), int(department_id), str(department_name), fingerprint, body
    )


def matter_guides_for_snapshot(*, version_ids: list[int]) -> list[MatterVersion]:
    """Versions with everything the guide page shows, read fresh from the database (a body stored
    from them must show the department as it is now, not as a per-process cache remembers it)."""
    return list(
        MatterVersion.objects.filter(pk__in=version_ids)
        .select_related("matter__department", "matter__region")
        .prefetch_related(*GUIDE_PREFETCH)
        .order_by("pk")
    )


# Published versions never change, so each process keeps the last few it read, fully prefetched
# (the application form reads one on every save and submission). Entries are dropped after a
# while anyway, since the matter and department rows joined to them may still be edited.
GUIDE_CACHE_SIZE = 512
GUIDE_CACHE_SECONDS = 300.0
_guides: "OrderedDict[int, tuple[float, MatterVersion]]" = OrderedDict()
_guides_lock = threading.Lock()


def guide_cache_clear() -> None:
    """Forget the published versions this process keeps (on catalogue changes, and in tests)."""
    with _guides_lock:
        _guides.clear()


def matter_guide_for_version(*, version_id: int, with_groupings: bool = False) -> MatterVersion:
    """A version with everything its guide page shows prefetched (the caller checked it is visible).

    Published versions come from a small per-process cache; treat the result as read-only.
    """
    if not with_groupings:
        with _guides_lock:
            entry = _guides.get(version_id)
            if entry is not None and time.monotonic() - entry[0] < GUIDE_CACHE_SECONDS:
                _guides.move_to_end(version_id)
                return entry[1]
    version = (
        MatterVersion.objects.select_related("matter__department", "matter__region")
        .prefetch_related(*GUIDE_PREFETCH, *(("topics", "life_events") if with_groupings else ()))
        .get(pk=version_id)
    )
    if not with_groupings and version.status == VersionStatus.PUBLISHED:
        with _guides_lock:
            _guides[version_id] = (time.monotonic(), version)
            while len(_guides) > GUIDE_CACHE_SIZE:
                _guides.popitem(last=False)
    return version


def matter_version_for_staff(*, version_id: int) -> MatterVersion:
    """Any version (draft, published, of a retired matter), for previews in the admin."""
    return (
        MatterVersion.objects.select_related("matter__department__region", "matter__region")
        .prefetch_related(*GUIDE_PREFETCH)
        .get(pk=version_id)
    )


@dataclass(frozen=True)
class MatterPage:
    cards: list[search.MatterCard]
    total: int
    total_is_estimate: bool = False


def matter_card(version: MatterVersion) -> search.MatterCard:
    """The result-list card of a version (with `matter__department` selected)."""
    return search.MatterCard(
        implementation_code=version.matter.implementation_code,
        name=version.name,
        version=version.number,
        summary=version.summary,
        department_name=version.matter.department.name,
        matter_type=version.matter_type,
        is_online=version.is_online,
        visits_required=version.visits_required,
        promised_limit=version.promised_limit,
        promised_unit=version.promised_unit,
    )


def matter_list_for_public(
    *,
    query: str = "",
    filters: search.SearchFilters | None = None,
    offset: int = 0,
    limit: int = 20,
) -> MatterPage:
    """A page of visible matters: ranked by relevance when `query` is given, else by popularity.

    Search results come from the search index alone (no query); browsing reads the database.
    """
    filters = filters or search.SearchFilters()
    if query.strip():
        result = search.search(query, filters=filters, offset=offset, limit=limit)
        return MatterPage(
            cards=result.cards, total=result.total, total_is_estimate=result.total_is_estimate
        )
    qs = MatterVersion.objects.current()
    if filters.topic_id is not None:
        qs = qs.filter(topics=filters.topic_id)
    if filters.life_event_id is not None:
        qs = qs.filter(life_events=filters.life_event_id)
    if filters.department_id is not None:
        qs = qs.filter(matter__department_id=filters.department_id)
    if filters.region_id is not None:
        qs = qs.filter(matter__region_id=filters.region_id)
    if filters.audience == Audience.PERSON:
        qs = qs.filter(for_person=True)
    elif filters.audience == Audience.LEGAL:
        qs = qs.filter(for_legal=True)
    total = qs.count()
    versions = qs.select_related("matter__department").order_by("-matter__popularity", "name", "pk")
    return MatterPage(
        cards=[matter_card(v) for v in versions[offset : offset + limit]], total=total
    )


def filter_labels(*, filters: search.SearchFilters) -> list[str]:
    """What a filtered list shows, for its heading: topic, life event, department, audience."""
    labels: list[str] = []
    for model, value in (
        (Topic, filters.topic_id),
        (LifeEvent, filters.life_event_id),
        (Department, filters.department_id),
    ):
        if value is not None:
            labels.extend(model.objects.filter(pk=value).values_list("name", flat=True))
    if filters.audience == Audience.PERSON:
        labels.append(gettext("个人办事"))
    elif filters.audience == Audience.LEGAL:
        labels.append(gettext("法人办事"))
    return labels


def topic_list_for_public(*, audience: str | None = None) -> QuerySet[Topic]:
    """Topics with the number of visible matters in each."""
    qs = Topic.objects.annotate(
        matter_count=Count(
            "versions", filter=Q(versions__in=MatterVersion.objects.current()), distinct=True
        )
    )
    if audience:
        qs = qs.filter(audience=audience)
    return qs.order_by("audience", "order", "code")


def life_event_list_for_public(*, audience: str | None = None) -> QuerySet[LifeEvent]:
    qs = LifeEvent.objects.annotate(
        matter_count=Count(
            "versions", filter=Q(versions__in=MatterVersion.objects.current()), distinct=True
        )
    )
    if audience:
        qs = qs.filter(audience=audience)
    return qs.order_by("audience", "order", "code")


def department_list_for_public() -> QuerySet[Department]:
    """Departments that implement at least one visible matter, with the count."""
    return (
        Department.objects.annotate(
            matter_count=Count(
                "matters",
                filter=Q(
                    matters__status=MatterStatus.IN_USE, matters__current_version__isnull=False
                ),
                distinct=True,
            )
        )
        .filter(matter_count__gt=0)
        .select_related("region")
        .order_by("region__code", "name")
    )


def region_list() -> QuerySet[Region]:
    return Region.objects.select_related("parent").order_by("code")
