"""The catalogue as a document (docs/catalogue-format.md): model rows → dicts and dicts → rows.

`catalogue_to_document` and `catalogue_from_document` are exact inverses, which is what makes the
export/import round trip lossless. Writing happens only after `matters.validation` found nothing.
"""

import base64
import datetime as dt
import hashlib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from matters.choices import StepKind
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
    Synonym,
    Topic,
)

FORMAT = "tongban-catalogue"
FORMAT_VERSION = 1

# Scalar guide elements of a version, in document order (everything but the nested lists).
VERSION_FIELDS = (
    "name", "short_name", "aliases", "summary", "matter_type", "exercise_level", "power_source",
    "service_objects", "handling_forms", "case_type", "joint_mode",
    "statutory_limit", "statutory_unit", "statutory_explain",
    "promised_limit", "promised_unit", "promised_explain",
    "special_procedure", "visits_required", "visits_explain",
    "is_online", "online_depth", "supports_express", "supports_appointment", "appointment_rule",
    "supports_self_service", "handle_area", "legal_basis", "conditions", "quantity_limit",
    "process_description", "is_fee", "fee_basis", "pay_online",
    "result_type", "result_name", "result_is_electronic", "result_certificate_type", "result_delivery",
    "address", "office_hours", "consult_phone", "consult_ways", "complaint_phone", "complaint_ways",
    "review_authority", "review_phone", "litigation_court", "rights_and_duties",
    "auto_approve_rules",
)  # fmt: skip
MATERIAL_FIELDS = (
    "key", "order", "name", "material_type", "material_form", "necessity", "optional_case",
    "original_copies", "copy_copies", "paper_format", "source", "source_explain", "issuer",
    "fill_explain", "acceptance_standard", "legal_basis", "certificate_type", "commitment_allowed",
)  # fmt: skip
FEE_FIELDS = ("order", "name", "standard", "basis", "reducible", "reduction_basis")
STEP_FIELDS = (
    "order", "name", "kind", "role", "handler", "time_limit", "unit", "has_special", "special_explain",
)  # fmt: skip
FORM_FIELD_FIELDS = (
    "key", "order", "label", "field_type", "required", "help_text", "choices", "min_length",
    "max_length", "min_value", "max_value", "pattern", "pattern_message", "prefill", "visible_when",
)  # fmt: skip
FORM_FIELD_DEFAULTS: dict[str, Any] = {
    "order": 0, "field_type": "TEXT", "required": True, "choices": [], "min_length": None,
    "max_length": None, "min_value": None, "max_value": None, "prefill": "",
}  # fmt: skip
FAQ_FIELDS = ("order", "question", "answer")
REGION_FIELDS = ("code", "name", "level")
DEPARTMENT_FIELDS = (
    "uscc",
    "name",
    "short_name",
    "kind",
    "address",
    "phone",
    "office_hours",
    "website",
)
GROUPING_FIELDS = ("code", "name", "audience", "order", "description")

# The defaults a document may leave out (empty text for text, as the models have).
VERSION_DEFAULTS: dict[str, Any] = {
    "aliases": [], "service_objects": [], "handling_forms": [], "case_type": "2", "joint_mode": "NONE",
    "statutory_unit": "WD", "promised_unit": "WD", "statutory_limit": None, "promised_limit": None,
    "visits_required": None, "is_online": False, "supports_express": False, "supports_appointment": False,
    "supports_self_service": False, "is_fee": False, "pay_online": False, "result_is_electronic": False,
    "auto_approve_rules": [],
}  # fmt: skip
MATERIAL_DEFAULTS: dict[str, Any] = {
    "order": 0, "material_type": "1", "material_form": "2", "necessity": "1", "source": "10",
    "original_copies": 0, "copy_copies": 0, "commitment_allowed": False,
}  # fmt: skip


def step_kind_for(name: str) -> str:
    """Guess a step's workflow kind from its name, for documents written before steps had kinds."""
    if "受理" in name:
        return StepKind.INTAKE
    if "送达" in name or "发放" in name or name == "办结":
        return StepKind.DELIVERY
    if any(word in name for word in ("决定", "审批", "批准", "办结", "发给")):
        return StepKind.DECISION
    return StepKind.REVIEW


def _pick(obj: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _attachment(file: FieldFile) -> dict[str, str] | None:
    if not file:
        return None
    with file.open("rb") as handle:
        content = handle.read()
    return {
        "name": PurePath(file.name or "").name,
        "content_base64": base64.b64encode(content).decode(),
    }


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _timestamp(value: dt.datetime | None) -> str | None:
    """ISO 8601 in the portal's time zone (+08:00), as the catalogue format shows times."""
    return timezone.localtime(value).isoformat() if value else None


def version_to_dict(version: MatterVersion, *, with_files: bool = True) -> dict[str, Any]:
    """Serialise one version with its materials, fees, steps, FAQs and situations; without
    `with_files`, attachments are left out (null) and no file is read."""
    data: dict[str, Any] = {
        "number": version.number,
        "status": version.status,
        "published_at": _timestamp(version.published_at),
        **_pick(version, VERSION_FIELDS),
        "topics": sorted(t.code for t in version.topics.all()),
        "life_events": sorted(e.code for e in version.life_events.all()),
    }
    materials = sorted(version.materials.all(), key=lambda m: (m.order, m.pk))
    data["materials"] = [
        {
            **_pick(m, MATERIAL_FIELDS),
            "blank_form": _attachment(m.blank_form) if with_files else None,
            "sample": _attachment(m.sample) if with_files else None,
        }
        for m in materials
    ]
    data["fees"] = [
        _pick(f, FEE_FIELDS) for f in sorted(version.fees.all(), key=lambda f: (f.order, f.pk))
    ]
    data["steps"] = [
        _pick(s, STEP_FIELDS) for s in sorted(version.steps.all(), key=lambda s: (s.order, s.pk))
    ]
    data["form_fields"] = [
        {
            **_pick(f, FORM_FIELD_FIELDS),
            "min_value": _number(f.min_value),
            "max_value": _number(f.max_value),
        }
        for f in sorted(version.form_fields.all(), key=lambda f: (f.order, f.pk))
    ]
    data["faqs"] = [
        _pick(f, FAQ_FIELDS) for f in sorted(version.faqs.all(), key=lambda f: (f.order, f.pk))
    ]
    data["situations"] = [
        {
            "key": q.key, "order": q.order, "text": q.text, "help": q.help,
            "options": [
                {
                    "key": o.key, "order": o.order, "label": o.label,
                    "materials": sorted(m.key for m in o.materials.all()), "conditions": o.conditions,
                }
                for o in sorted(q.options.all(), key=lambda o: (o.order, o.pk))
            ],
        }
        for q in sorted(version.situations.all(), key=lambda q: (q.order, q.pk))
    ]  # fmt: skip
    return data


def matter_to_dict(matter: Matter) -> dict[str, Any]:
    return {
        "implementation_code": matter.implementation_code,
        "catalog_code": matter.catalog_code,
        "local_catalog_code": matter.local_catalog_code,
        "local_implementation_code": matter.local_implementation_code,
        "department": matter.department.uscc,
        "region": matter.region.code,
        "status": matter.status,
        "retired_at": _timestamp(matter.retired_at),
        "retired_reason": matter.retired_reason,
        "versions": [version_to_dict(v) for v in matter.versions.all()],
    }


def catalogue_to_document() -> dict[str, Any]:
    """Serialise the whole catalogue (every matter and every version)."""
    regions = Region.objects.select_related("parent").order_by("code")
    regions_sorted = sorted(regions, key=lambda r: (len(r.code), r.code))  # parents first
    matters = (
        Matter.objects.select_related("department", "region")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=MatterVersion.objects.order_by("number").prefetch_related(
                    "topics",
                    "life_events",
                    "materials",
                    "fees",
                    "steps",
                    "faqs",
                    "form_fields",
                    "situations__options__materials",
                ),
            )
        )
        .order_by("implementation_code")
    )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "regions": [
            {**_pick(r, REGION_FIELDS), "parent": r.parent.code if r.parent else None}
            for r in regions_sorted
        ],
        "departments": [
            {**_pick(d, DEPARTMENT_FIELDS), "region": d.region.code}
            for d in Department.objects.select_related("region").order_by("uscc")
        ],
        "topics": [_pick(t, GROUPING_FIELDS) for t in Topic.objects.order_by("code")],
        "life_events": [_pick(e, GROUPING_FIELDS) for e in LifeEvent.objects.order_by("code")],
        "synonyms": [
            {"term": s.term, "expansions": s.expansions} for s in Synonym.objects.order_by("term")
        ],
        "matters": [matter_to_dict(m) for m in matters],
    }


# --- writing (callers validate first and hold a transaction) ---------------------------------------


def _defaults(
    data: Mapping[str, Any], fields: tuple[str, ...], defaults: Mapping[str, Any]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        value = data.get(name, defaults.get(name, ""))
        if value is None and name not in defaults:
            value = ""  # text fields: null in the document means empty
        values[name] = value
    return values


def region_write(data: Mapping[str, Any]) -> Region:
    parent = Region.objects.get(code=data["parent"]) if data.get("parent") else None
    region, _created = Region.objects.update_or_create(
        code=data["code"], defaults={"name": data["name"], "level": data["level"], "parent": parent}
    )
    return region


def department_write(data: Mapping[str, Any]) -> Department:
    values = _defaults(data, DEPARTMENT_FIELDS, {"kind": "1"})
    values["uscc"] = str(values["uscc"]).upper()
    values["region"] = Region.objects.get(code=data["region"])
    department, _created = Department.objects.update_or_create(
        uscc=values.pop("uscc"), defaults=values
    )
    return department


def grouping_write(model: type[Topic] | type[LifeEvent], data: Mapping[str, Any]) -> None:
    values = _defaults(data, GROUPING_FIELDS, {"order": 0})
    model.objects.update_or_create(code=values.pop("code"), defaults=values)


def synonym_write(data: Mapping[str, Any]) -> None:
    Synonym.objects.update_or_create(
        term=data["term"], defaults={"expansions": list(data["expansions"])}
    )


def _stored_attachment(folder: str, attachment: Mapping[str, Any]) -> str:
    """Store an attachment under a folder named by its content hash and return the stored name.

    The same file imported twice is stored once, and its name comes back unchanged on export, which
    keeps the round trip lossless (the storage would otherwise add a random suffix to a taken name).
    """
    content = base64.b64decode(attachment["content_base64"])
    digest = hashlib.sha256(content).hexdigest()[:16]
    name = f"matters/{folder}/{digest}/{PurePath(str(attachment['name'])).name}"
    if not default_storage.exists(name):
        stored = default_storage.save(name, ContentFile(content))
        assert stored == name
    return name


def version_children_write(version: MatterVersion, data: Mapping[str, Any]) -> None:
    """Create the nested rows of a new version (materials, fees, steps, FAQs, situations)."""
    version.topics.set(Topic.objects.filter(code__in=data.get("topics") or []))
    version.life_events.set(LifeEvent.objects.filter(code__in=data.get("life_events") or []))
    materials: dict[str, Material] = {}
    for item in data.get("materials") or []:
        material = Material(version=version, **_defaults(item, MATERIAL_FIELDS, MATERIAL_DEFAULTS))
        for file_field, folder in (("blank_form", "forms"), ("sample", "samples")):
            attachment = item.get(file_field)
            if attachment:
                getattr(material, file_field).name = _stored_attachment(folder, attachment)
        material.save()
        materials[material.key] = material
    Fee.objects.bulk_create(
        Fee(version=version, **_defaults(f, FEE_FIELDS, {"order": 0, "reducible": False}))
        for f in data.get("fees") or []
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            version=version,
            **_defaults(
                s,
                STEP_FIELDS,
                {
                    "order": 0,
                    "time_limit": 0,
                    "unit": "WD",
                    "has_special": False,
                    "kind": step_kind_for(s.get("name") or ""),
                    "role": "",
                },
            ),
        )
        for s in data.get("steps") or []
    )
    FormField.objects.bulk_create(
        FormField(version=version, **_defaults(f, FORM_FIELD_FIELDS, FORM_FIELD_DEFAULTS))
        for f in data.get("form_fields") or []
    )
    Faq.objects.bulk_create(
        Faq(version=version, **_defaults(f, FAQ_FIELDS, {"order": 0}))
        for f in data.get("faqs") or []
    )
    for qdata in data.get("situations") or []:
        question = SituationQuestion.objects.create(
            version=version, key=qdata["key"], order=qdata.get("order") or 0,
            text=qdata["text"], help=qdata.get("help") or "",
        )  # fmt: skip
        for odata in qdata.get("options") or []:
            option = SituationOption.objects.create(
                question=question, key=odata["key"], order=odata.get("order") or 0,
                label=odata["label"], conditions=odata.get("conditions") or "",
            )  # fmt: skip
            option.materials.set([materials[key] for key in odata.get("materials") or []])


def version_create(matter: Matter, data: Mapping[str, Any]) -> MatterVersion:
    """Create a version row with all its children from a validated dict."""
    values = _defaults(data, VERSION_FIELDS, VERSION_DEFAULTS)
    published_at = data.get("published_at")
    version = MatterVersion(
        matter=matter,
        number=data["number"],
        status=data["status"],
        published_at=dt.datetime.fromisoformat(published_at) if published_at else None,
        **values,
    )
    version.sync_audience()
    version.save()
    version_children_write(version, data)
    return version
