"""Write use cases of the catalogue: import, publish, new draft, retire.

Every function here is the one place its rule lives; the admin, the API and the management commands
call these.
"""

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from core.errors import ConflictError, DomainError
from matters import caching, serialization, snapshots
from matters.choices import MatterStatus, VersionStatus
from matters.models import Department, LifeEvent, Matter, MatterVersion, Region, Topic
from matters.validation import KnownCodes, Problems, check_catalogue, check_version

logger = logging.getLogger(__name__)


class CatalogueImportError(DomainError):
    """The document has problems; nothing was imported. `errors` maps JSON paths to messages."""


class PublishError(DomainError):
    """The version lacks elements a published guide must have; `errors` names each of them."""


@dataclass(frozen=True)
class ImportReport:
    regions: int
    departments: int
    matters: int
    versions_created: int
    versions_unchanged: int


def _known_codes() -> KnownCodes:
    return KnownCodes(
        regions=frozenset(Region.objects.values_list("code", flat=True)),
        departments=frozenset(Department.objects.values_list("uscc", flat=True)),
        topics=frozenset(Topic.objects.values_list("code", flat=True)),
        life_events=frozenset(LifeEvent.objects.values_list("code", flat=True)),
        published_versions=_published_numbers(),
    )


def _published_numbers() -> dict[str, frozenset[int]]:
    numbers: dict[str, set[int]] = {}
    rows = MatterVersion.objects.filter(status=VersionStatus.PUBLISHED).values_list(
        "matter__implementation_code", "number"
    )
    for code, number in rows:
        numbers.setdefault(code, set()).add(number)
    return {code: frozenset(found) for code, found in numbers.items()}


def _comparable(data: Mapping[str, Any]) -> str:
    """A canonical text of a version dict, so an imported version can be compared with a stored one."""
    values = {k: v for k, v in data.items() if k not in ("status", "published_at")}
    for name, default in serialization.VERSION_DEFAULTS.items():
        values.setdefault(name, default)
    for name in serialization.VERSION_FIELDS:
        if values.get(name) is None and name not in serialization.VERSION_DEFAULTS:
            values[name] = ""
    values["topics"] = sorted(values.get("topics") or [])
    values["life_events"] = sorted(values.get("life_events") or [])
    for key in ("materials", "fees", "steps", "faqs", "situations", "form_fields"):
        values[key] = values.get(key) or []
    # Elements added to the format later compare equal to their defaults.
    values["materials"] = [
        {"commitment_allowed": False, **m} if isinstance(m, Mapping) else m
        for m in values["materials"]
    ]
    values["steps"] = [
        {"kind": serialization.step_kind_for(str(s.get("name") or "")), "role": "", **s}
        if isinstance(s, Mapping)
        else s
        for s in values["steps"]
    ]
    return json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)


def _check_published_unchanged(document: Mapping[str, Any], problems: Problems) -> None:
    """A version already published here may be imported again only unchanged (it is immutable)."""
    incoming = {
        (str(m.get("implementation_code") or "").upper(), v.get("number")): (
            f"matters[{i}].versions[{j}]",
            v,
        )
        for i, m in enumerate(document.get("matters") or [])
        for j, v in enumerate(m.get("versions") or [])
    }
    codes = {code for code, _number in incoming}
    stored = (
        MatterVersion.objects.filter(
            matter__implementation_code__in=codes, status=VersionStatus.PUBLISHED
        )
        .select_related("matter")
        .prefetch_related(
            "topics",
            "life_events",
            "materials",
            "fees",
            "steps",
            "faqs",
            "form_fields",
            "situations__options__materials",
        )
    )
    for version in stored:
        key = (version.matter.implementation_code, version.number)
        if key not in incoming:
            continue
        path, data = incoming[key]
        if data.get("status") != VersionStatus.PUBLISHED:
            problems.add(f"{path}.status", f"第{version.number}版已发布，不能改回草稿。")
        elif _comparable(serialization.version_to_dict(version)) != _comparable(data):
            problems.add(
                path,
                f"第{version.number}版已发布，发布后的版本不可修改；请以新的版本号导入修改内容。",
            )


@transaction.atomic
def catalogue_import(*, document: Any) -> ImportReport:
    """Import a whole catalogue document: all of it, or nothing.

    :raises CatalogueImportError: with every problem and its JSON path, if anything is wrong.
    """
    problems = check_catalogue(document, existing=_known_codes())
    if not problems:
        _check_published_unchanged(document, problems)
    if problems:
        raise CatalogueImportError(
            f"导入失败：发现{len(problems.lines())}处问题，未导入任何内容。", errors=problems.items
        )
    for data in document.get("regions") or []:
        serialization.region_write(data)
    for data in document.get("departments") or []:
        serialization.department_write(data)
    for data in document.get("topics") or []:
        serialization.grouping_write(Topic, data)
    for data in document.get("life_events") or []:
        serialization.grouping_write(LifeEvent, data)
    for data in document.get("synonyms") or []:
        serialization.synonym_write(data)
    created = unchanged = 0
    departments = {d.uscc: d for d in Department.objects.all()}  # one read, not one per matter
    regions = {r.code: r for r in Region.objects.all()}
    for data in document.get("matters") or []:
        matter, _new = Matter.objects.update_or_create(
            implementation_code=data["implementation_code"].upper(),
            defaults={
                "catalog_code": data["catalog_code"].upper(),
                "local_catalog_code": data.get("local_catalog_code") or "",
                "local_implementation_code": data.get("local_implementation_code") or "",
                "department": departments[data["department"].upper()],
                "region": regions[data["region"]],
            },
        )
        existing = {v.number: v for v in matter.versions.all()}
        for vdata in data.get("versions") or []:
            current = existing.get(vdata["number"])
            if current is not None and current.status == VersionStatus.PUBLISHED:
                unchanged += 1
                continue
            if current is not None:  # a draft is replaced by the imported one
                current.delete()
            serialization.version_create(matter, vdata)
            created += 1
        latest = matter.versions.published().order_by("-number").first()
        matter.current_version = latest
        matter.status = data.get("status") or (
            MatterStatus.IN_USE if latest else MatterStatus.DRAFT
        )
        retired_at = data.get("retired_at")
        matter.retired_at = datetime.fromisoformat(retired_at) if retired_at else None
        matter.retired_reason = data.get("retired_reason") or ""
        matter.save(
            update_fields=[
                "current_version",
                "status",
                "retired_at",
                "retired_reason",
                "updated_at",
            ]
        )
    transaction.on_commit(caching.catalogue_changed)
    return ImportReport(
        regions=len(document.get("regions") or []),
        departments=len(document.get("departments") or []),
        matters=len(document.get("matters") or []),
        versions_created=created,
        versions_unchanged=unchanged,
    )


def version_problems(version: MatterVersion) -> Problems:
    """Everything that keeps `version` from being published, by field path."""
    problems = Problems()
    data = serialization.version_to_dict(version, with_files=False)  # checking needs no file read
    data["status"] = VersionStatus.PUBLISHED
    data["published_at"] = data["published_at"] or timezone.now().isoformat()  # as if published now
    check_version(
        problems, data, "version",
        exercise_level=version.matter.implementation_code[18:19],
        topics=set(Topic.objects.values_list("code", flat=True)),
        life_events=set(LifeEvent.objects.values_list("code", flat=True)),
    )  # fmt: skip
    return problems


@transaction.atomic
def matter_version_publish(*, version_id: int, by: User | None, now: datetime) -> MatterVersion:
    """Publish a draft version: it becomes the matter's current guide and can no longer change.

    :raises PublishError: naming every missing or wrong element, if the guide is incomplete.
    :raises ConflictError: if the version is already published or the matter is retired.
    """
    version = (
        MatterVersion.objects.select_for_update(of=("self",))
        .select_related("matter")
        .get(pk=version_id)
    )
    if version.status != VersionStatus.DRAFT:
        raise ConflictError(f"第{version.number}版已经发布，不能再次发布。")
    matter = Matter.objects.select_for_update().get(pk=version.matter_id)
    if matter.status == MatterStatus.RETIRED:
        raise ConflictError("事项已停用，不能发布新版本；请先恢复事项。")
    problems = version_problems(version)
    if problems:
        labels = "；".join(message for messages in problems.items.values() for message in messages)
        raise PublishError(f"不能发布：{labels}", errors=problems.items)
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    matter.current_version = version
    matter.status = MatterStatus.IN_USE
    matter.save(update_fields=["current_version", "status", "updated_at"])
    # The guide never changes from now on: render it once here rather than on every visit.
    snapshots.guide_snapshots_write(version_ids=[version.pk])
    logger.info("Matter %s version %s published", matter.implementation_code, version.number)
    transaction.on_commit(caching.catalogue_changed)
    return version


@transaction.atomic
def matter_version_draft_create(*, matter_id: int, by: User | None) -> MatterVersion:
    """Start the next version of a matter as a draft copy of its current published guide.

    :raises ConflictError: if the matter already has a draft, or has no published version to copy.
    """
    matter = Matter.objects.select_for_update().get(pk=matter_id)
    if matter.versions.filter(status=VersionStatus.DRAFT).exists():
        raise ConflictError("该事项已有草稿版本，请先编辑或发布该草稿。")
    if matter.current_version is None:
        raise ConflictError("该事项还没有已发布的版本可供复制。")
    source = serialization.version_to_dict(
        MatterVersion.objects.prefetch_related(
            "topics",
            "life_events",
            "materials",
            "fees",
            "steps",
            "faqs",
            "form_fields",
            "situations__options__materials",
        ).get(pk=matter.current_version.pk)
    )
    number = (matter.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    source.update(number=number, status=VersionStatus.DRAFT, published_at=None)
    logger.info(
        "Draft version %s of matter %s started by %s", number, matter.implementation_code, by
    )
    return serialization.version_create(matter, source)


@transaction.atomic
def matter_retire(*, matter_id: int, by: User | None, now: datetime, reason: str) -> Matter:
    """Hide a matter from citizens; cases already filed under it keep their version.

    :raises DomainError: if no reason is given.
    :raises ConflictError: if it is not in use.
    """
    if not reason.strip():
        raise DomainError("请填写停用原因。", errors={"reason": ["请填写停用原因。"]})
    matter = Matter.objects.select_for_update().get(pk=matter_id)
    if matter.status != MatterStatus.IN_USE:
        raise ConflictError("只有在用的事项可以停用。")
    matter.status = MatterStatus.RETIRED
    matter.retired_at = now
    matter.retired_reason = reason.strip()
    matter.save(update_fields=["status", "retired_at", "retired_reason", "updated_at"])
    logger.info("Matter %s retired by %s", matter.implementation_code, by)
    transaction.on_commit(caching.catalogue_changed)
    return matter


@transaction.atomic
def matter_reinstate(*, matter_id: int, by: User | None) -> Matter:
    """Put a retired matter back in use with its last published version.

    :raises ConflictError: if it is not retired.
    """
    matter = Matter.objects.select_for_update().get(pk=matter_id)
    if matter.status != MatterStatus.RETIRED:
        raise ConflictError("只有已停用的事项可以恢复。")
    matter.status = MatterStatus.IN_USE
    matter.retired_at = None
    matter.retired_reason = ""
    matter.save(update_fields=["status", "retired_at", "retired_reason", "updated_at"])
    logger.info("Matter %s reinstated by %s", matter.implementation_code, by)
    transaction.on_commit(caching.catalogue_changed)
    return matter
