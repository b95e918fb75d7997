"""The application form: which questions apply, and checking the answers against the matter's rules.

One rule set for the citizen's form, the window clerk's form and the API. Answers are stored as
text; a draft keeps whatever was typed, and `answers_check` decides at submission.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from core.identifiers import normalise_resident_id
from matters.choices import FieldType, Prefill
from matters.models import FormField, MatterVersion

MOBILE = re.compile(r"^1[3-9]\d{9}$")
MAX_TEXT = 2000


@dataclass(frozen=True)
class Identity:
    """What the portal knows of the applicant, used to prefill the form and by 秒批 rules."""

    name: str
    id_number: str
    mobile: str


def visible_fields(version: MatterVersion, situation: Mapping[str, str]) -> list[FormField]:
    """The form's questions for this situation, in order."""
    fields = sorted(version.form_fields.all(), key=lambda f: (f.order, f.pk))
    chosen = {f"{question}={option}" for question, option in situation.items()}
    return [f for f in fields if not f.visible_when or f.visible_when in chosen]


def prefill(fields: list[FormField], identity: Identity) -> dict[str, str]:
    """Initial answers for the fields the portal can fill from the applicant's identity."""
    known = {
        Prefill.NAME: identity.name,
        Prefill.ID_NUMBER: identity.id_number,
        Prefill.MOBILE: identity.mobile,
    }
    return {f.key: known[Prefill(f.prefill)] for f in fields if f.prefill}


def answers_keep(fields: list[FormField], raw: Mapping[str, Any]) -> dict[str, str]:
    """What a draft stores: the text of each known field, trimmed and capped, unchecked."""
    keys = {f.key for f in fields}
    return {
        key: str(value).strip()[:MAX_TEXT]
        for key, value in raw.items()
        if key in keys and value is not None
    }


def _plain(number: Decimal) -> str:
    """A number as people write it: 10000, 12.5 (never 1E+4)."""
    return format(number.normalize(), "f")


def _check_one(field: FormField, value: str) -> tuple[str, str | None]:
    """Return (normalised value, error message or None) for a non-empty answer."""
    kind = field.field_type
    if kind == FieldType.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value, _("请填写数字。")
        if not number.is_finite():
            return value, _("请填写数字。")
        if field.min_value is not None and number < field.min_value:
            return value, _("不能小于 %(n)s。") % {"n": _plain(field.min_value)}
        if field.max_value is not None and number > field.max_value:
            return value, _("不能大于 %(n)s。") % {"n": _plain(field.max_value)}
        return _plain(number), None
    if kind == FieldType.DATE:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value, _("请按“年-月-日”填写日期，例如 2026-03-01。")
        return day.isoformat(), None
    if kind == FieldType.CHOICE:
        if value not in field.choices:
            return value, _("请从选项中选择一项。")
        return value, None
    if kind == FieldType.ID_NUMBER:
        try:
            return normalise_resident_id(value), None
        except ValueError as exc:
            return value, str(exc)
    if kind == FieldType.MOBILE:
        if not MOBILE.match(value):
            return value, _("手机号码应为以 1 开头的 11 位数字。")
        return value, None
    if field.min_length is not None and len(value) < field.min_length:
        return value, _("至少填写 %(n)d 个字。") % {"n": field.min_length}
    limit = field.max_length or MAX_TEXT
    if len(value) > limit:
        return value, _("最多填写 %(n)d 个字。") % {"n": limit}
    if field.pattern and not re.fullmatch(field.pattern, value):
        return value, field.pattern_message or _("格式不正确。")
    return value, None


def answers_check(
    fields: list[FormField], raw: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Check every visible question; return the normalised answers and field → error messages.

    FILE fields are answered by uploads (the material checks), so they are skipped here.
    """
    clean: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for field in fields:
        if field.field_type == FieldType.FILE:
            continue
        value = str(raw.get(field.key) or "").strip()
        if not value:
            if field.required:
                errors[field.key] = [_("请填写“%(label)s”。") % {"label": field.label}]
            continue
        normalised, problem = _check_one(field, value)
        if problem:
            errors[field.key] = [problem]
        else:
            clean[field.key] = normalised
    return clean, errors


def age_on(id_number: str, day: dt.date) -> int | None:
    """Completed years of age on `day` from a resident ID number's birth date (None if unreadable)."""
    from stdnum.cn import ric

    try:
        born = ric.get_birth_date(id_number)
    except Exception:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
