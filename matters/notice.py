"""情形引导 and the 一次性告知书: which materials and conditions apply to an applicant's situation.

A material named by some situation option applies only when one of those options is chosen; a
material named by no option always applies. `notice_build` works on a version whose situations,
options and materials are prefetched, and returns plain data for the page and the PDF.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext, ngettext

from core.errors import DomainError
from matters.choices import MaterialForm, MaterialSource, MaterialType, Necessity
from matters.models import Material, MatterVersion, SituationOption, SituationQuestion


class AnswersIncompleteError(DomainError):
    """Some situation questions were not answered, or answered with an unknown option."""


@dataclass(frozen=True)
class NoticeMaterial:
    key: str
    name: str
    necessity: str
    necessity_label: str
    type_label: str
    form_label: str
    copies: str
    source_label: str
    source_explain: str
    acceptance_standard: str
    optional_case: str
    situation_labels: tuple[str, ...]  # the options this material depends on; empty = always
    blank_form_url: str
    sample_url: str
    certificate_type: str


@dataclass(frozen=True)
class NoticeAnswer:
    question: str
    answer: str


@dataclass(frozen=True)
class OneTimeNotice:
    """Everything an applicant in one situation must know and bring (一次性告知)."""

    matter_name: str
    implementation_code: str
    version_number: int
    department_name: str
    answers: tuple[NoticeAnswer, ...]
    conditions: tuple[str, ...]
    materials: tuple[NoticeMaterial, ...]
    promised: str
    statutory: str
    visits_required: int | None
    is_fee: bool
    fees: tuple[tuple[str, str], ...]
    address: str
    office_hours: str
    consult_phone: str
    complaint_phone: str
    issued_on: date


def _copies(material: Material) -> str:
    parts = []
    if material.original_copies:
        n = material.original_copies
        parts.append(ngettext("原件%(n)d份", "原件%(n)d份", n) % {"n": n})
    if material.copy_copies:
        n = material.copy_copies
        parts.append(ngettext("复印件%(n)d份", "复印件%(n)d份", n) % {"n": n})
    return gettext("，").join(parts)


def situation_options_by_material(version: MatterVersion) -> dict[int, list[SituationOption]]:
    """The options that name each material, read from the version's prefetched situations (so the
    materials need no query of their own)."""
    found: dict[int, list[SituationOption]] = {}
    for question in version.situations.all():
        for option in question.options.all():
            for material in option.materials.all():
                found.setdefault(material.pk, []).append(option)
    return found


def notice_material(material: Material, options: list[SituationOption]) -> NoticeMaterial:
    """Plain data of one material for the guide page, the notice and the API; `options` are the
    situation options that name it (see `situation_options_by_material`)."""
    return NoticeMaterial(
        key=material.key,
        name=material.name,
        necessity=material.necessity,
        necessity_label=str(Necessity(material.necessity).label),
        type_label=str(MaterialType(material.material_type).label),
        form_label=str(MaterialForm(material.material_form).label),
        copies=_copies(material),
        source_label=str(MaterialSource(material.source).label),
        source_explain=material.source_explain,
        acceptance_standard=material.acceptance_standard,
        optional_case=material.optional_case,
        situation_labels=tuple(o.label for o in options),
        blank_form_url=material.blank_form.url if material.blank_form else "",
        sample_url=material.sample.url if material.sample else "",
        certificate_type=material.certificate_type,
    )


def answers_parse(version: MatterVersion, raw: Mapping[str, str]) -> dict[str, SituationOption]:
    """Map each question key to the chosen option.

    :raises AnswersIncompleteError: naming each question left unanswered or answered with an unknown option.
    """
    chosen: dict[str, SituationOption] = {}
    errors: dict[str, list[str]] = {}
    questions: list[SituationQuestion] = sorted(
        version.situations.all(), key=lambda q: (q.order, q.pk)
    )
    for question in questions:
        value = (raw.get(question.key) or "").strip()
        options = {o.key: o for o in question.options.all()}
        if not value:
            errors[question.key] = [gettext("请回答：%(question)s") % {"question": question.text}]
        elif value not in options:
            errors[question.key] = [
                gettext("“%(question)s”的选项无效，请重新选择。") % {"question": question.text}
            ]
        else:
            chosen[question.key] = options[value]
    if errors:
        raise AnswersIncompleteError(gettext("请先回答所有情形问题。"), errors=errors)
    return chosen


def applicable_materials(
    version: MatterVersion, chosen: Mapping[str, SituationOption] | None
) -> list[Material]:
    """Materials that apply; with `chosen=None`, every material (the full guide)."""
    materials = sorted(version.materials.all(), key=lambda m: (m.order, m.pk))
    if chosen is None:
        return materials
    chosen_ids = {option.pk for option in chosen.values()}
    by_material = situation_options_by_material(version)
    return [
        material
        for material in materials
        if not (options := [o.pk for o in by_material.get(material.pk, [])])
        or chosen_ids.intersection(options)
    ]


def limit_text(value: int | None, unit: str) -> str:
    """Human text of a time limit: "20个工作日", "即办（当场办结）"."""
    if value is None:
        return ""
    if value == 0:
        return gettext("即办（当场办结）")
    if unit == "WD":
        return ngettext("%(n)d个工作日", "%(n)d个工作日", value) % {"n": value}
    return ngettext("%(n)d个自然日", "%(n)d个自然日", value) % {"n": value}


def notice_build(
    version: MatterVersion, chosen: Mapping[str, SituationOption], *, today: date
) -> OneTimeNotice:
    """Build the one-time notice for the situation described by `chosen`."""
    conditions = [version.conditions] if version.conditions else []
    conditions += [option.conditions for option in chosen.values() if option.conditions]
    questions = {q.key: q for q in version.situations.all()}
    answers = tuple(
        NoticeAnswer(question=questions[key].text, answer=option.label)
        for key, option in chosen.items()
    )
    by_material = situation_options_by_material(version)
    return OneTimeNotice(
        matter_name=version.name,
        implementation_code=version.matter.implementation_code,
        version_number=version.number,
        department_name=version.matter.department.name,
        answers=answers,
        conditions=tuple(conditions),
        materials=tuple(
            notice_material(m, by_material.get(m.pk, []))
            for m in applicable_materials(version, chosen)
        ),
        promised=limit_text(version.promised_limit, version.promised_unit),
        statutory=limit_text(version.statutory_limit, version.statutory_unit),
        visits_required=version.visits_required,
        is_fee=version.is_fee,
        fees=tuple(
            (f.name, f.standard) for f in sorted(version.fees.all(), key=lambda f: (f.order, f.pk))
        ),
        address=version.address,
        office_hours=version.office_hours,
        consult_phone=version.consult_phone,
        complaint_phone=version.complaint_phone,
        issued_on=today,
    )
