"""The guide page's presentation data: plain values so templates present and never decide."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matters.choices import (
    CaseType,
    HandlingForm,
    MatterType,
    OnlineDepth,
    ResultType,
    ServiceObject,
)
from matters.models import MatterVersion
from matters.notice import limit_text, notice_material, situation_options_by_material


def _labels(choices: Any, values: list[str]) -> list[str]:
    lookup = dict(choices.choices)
    return [str(lookup.get(v, v)) for v in values]


def guide_context(version: MatterVersion) -> dict[str, Any]:
    """Everything the guide body shows, as plain values (templates present, never decide)."""
    by_material = situation_options_by_material(version)
    materials = [notice_material(m, by_material.get(m.pk, [])) for m in version.materials.all()]
    badges = []
    if version.is_online and version.online_depth == OnlineDepth.FULLY_ONLINE:
        badges.append(("online", _("全程网办")))
    elif version.is_online:
        badges.append(("online", _("可网办")))
    if version.visits_required == 0:
        badges.append(("visits", _("跑动次数 0")))
    elif version.visits_required == 1:
        badges.append(("visits", _("最多跑一次")))
    elif version.visits_required is not None:
        badges.append(
            (
                "visits",
                ngettext("跑动次数 %(n)d", "跑动次数 %(n)d", version.visits_required)
                % {"n": version.visits_required},
            )
        )
    if version.case_type == CaseType.IMMEDIATE:
        badges.append(("immediate", _("即办件")))
    if not version.is_fee:
        badges.append(("free", _("不收费")))
    if version.supports_express:
        badges.append(("express", _("支持快递")))
    if version.supports_appointment:
        badges.append(("appointment", _("可预约")))
    if version.handle_area:
        badges.append(("area", version.get_handle_area_display()))
    return {
        "version": version,
        "matter": version.matter,
        "department": version.matter.department,
        "materials": materials,
        "situations": list(version.situations.all()),
        "badges": badges,
        "matter_type_label": str(MatterType(version.matter_type).label),
        "case_type_label": str(CaseType(version.case_type).label),
        "service_object_labels": _labels(ServiceObject, version.service_objects),
        "handling_form_labels": _labels(HandlingForm, version.handling_forms),
        "result_type_label": str(ResultType(version.result_type).label)
        if version.result_type
        else "",
        "statutory_text": limit_text(version.statutory_limit, version.statutory_unit),
        "promised_text": limit_text(version.promised_limit, version.promised_unit),
        "fees": list(version.fees.all()),
        "steps": list(version.steps.all()),
        "faqs": list(version.faqs.all()),
    }
