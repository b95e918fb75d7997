"""Forms of the clerk workbench: one small form per case action, and the 一窗受理 form.

They parse what was posted into the keyword arguments of one service, and put the service's
refusals (`DomainError.errors`) back at the fields they concern. Whether a reason is required, a
period is within its limit or an option is allowed is the service's to say, not the form's.
"""

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from django_stubs_ext import StrOrPromise

from applications.choices import DeliveryMethod, NotAcceptedKind, SpecialKind
from applications.deadlines import MAX_EXTENSION_DAYS
from applications.selectors.staff import Choice, FilingSpec, MaterialSpec, SupplementTarget
from applications.services import WalkIn
from applications.services.intake import SUPPLEMENT_DEFAULT_WORKING_DAYS
from core.errors import DomainError
from matters.choices import FieldType, Prefill


def _text(label: StrOrPromise, *, rows: int = 3, max_length: int = 2000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _with_empty(
    label: StrOrPromise, choices: Sequence[tuple[str, StrOrPromise]]
) -> list[tuple[str, StrOrPromise]]:
    return [("", label), *choices]


class ActionForm(forms.Form):
    """One case action. `arguments()` are the keyword arguments of its service."""

    title: ClassVar[StrOrPromise] = ""
    submit_label: ClassVar[StrOrPromise] = ""
    success_message: ClassVar[StrOrPromise] = ""
    is_danger: ClassVar[bool] = False  # ends or refuses the case: shown apart, in red

    def __init__(
        self,
        *args: Any,
        targets: Sequence[SupplementTarget] = (),
        colleagues: Sequence[Choice] = (),
        delivery_method: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)

    def arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def field_for_error(self, key: str) -> str | None:
        """The form field a service error key concerns (None: the whole form)."""
        return key if key in self.fields else None

    def add_domain_error(self, error: DomainError) -> None:
        """Put a service refusal at its fields, and its sentence at the top of the summary."""
        self.add_error(None, error.message)
        for key, messages in error.errors.items():
            field = self.field_for_error(key)
            for message in messages:
                if field is not None or message != error.message:
                    self.add_error(field, message)


class ClaimForm(ActionForm):
    title = _("认领")
    submit_label = _("认领办件")
    success_message = _("已认领该办件。")


class AcceptForm(ActionForm):
    title = _("受理")
    submit_label = _("受理")
    success_message = _("已受理，办件进入审查环节。")

    opinion = _text(_("受理意见（可不填）"), rows=2)


class NotAcceptForm(ActionForm):
    title = _("不予受理")
    submit_label = _("作出不予受理决定")
    success_message = _("已作出不予受理决定。")
    is_danger = True

    kind = forms.ChoiceField(
        label=_("不予受理情形"),
        required=False,
        choices=_with_empty(_("请选择"), NotAcceptedKind.choices),
    )
    reason = _text(_("理由"))
    competent_authority = forms.CharField(
        label=_("有权受理的机关"),
        required=False,
        max_length=200,
        help_text=_("不属于本机关职权范围的，告知申请人向哪个机关申请。"),
    )


class SupplementForm(ActionForm):
    """一次性告知: every material and form field of the version, each with a reason box."""

    title = _("一次性告知补正")
    submit_label = _("出具补正告知书")
    success_message = _("已一次性告知需要补正的全部内容。")

    respond_within = forms.IntegerField(
        label=_("补正期限（工作日）"), initial=SUPPLEMENT_DEFAULT_WORKING_DAYS
    )

    def __init__(self, *args: Any, targets: Sequence[SupplementTarget] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for target in self.targets:
            name = self._name(target)
            self.fields[name] = forms.BooleanField(label=target.name, required=False)
            self.fields[f"{name}__reason"] = _text(
                _("“%(name)s”需要补正的原因") % {"name": target.name}, rows=2, max_length=500
            )
        self._chosen: list[SupplementTarget] = []

    @staticmethod
    def _name(target: SupplementTarget) -> str:
        return f"{target.kind}_{target.key}"

    def item_fields(self) -> list[tuple[forms.BoundField, forms.BoundField, str]]:
        """(checkbox, reason, kind) for the template, materials first."""
        return [
            (self[self._name(t)], self[f"{self._name(t)}__reason"], t.kind) for t in self.targets
        ]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        self._chosen = [t for t in self.targets if data.get(self._name(t))]
        return {
            "items": [
                {
                    "kind": t.kind,
                    "key": t.key,
                    "reason": data.get(f"{self._name(t)}__reason", ""),
                }
                for t in self._chosen
            ],
            "respond_within": data["respond_within"],
        }

    def field_for_error(self, key: str) -> str | None:
        # The service numbers the items it was given: items[2].reason is the third one chosen.
        if key.startswith("items[") and "]" in key:
            index = int(key[len("items[") : key.index("]")])
            if index < len(self._chosen):
                name = self._name(self._chosen[index])
                return f"{name}__reason" if key.endswith(".reason") else name
        return super().field_for_error(key)


class PassForm(ActionForm):
    title = _("本环节办理完毕")
    submit_label = _("提交意见，转下一环节")
    success_message = _("已提交本环节意见，办件转入下一环节。")

    opinion = _text(_("办理意见"))


class SendBackForm(ActionForm):
    title = _("退回上一环节")
    submit_label = _("退回")
    success_message = _("已退回上一环节。")

    reason = _text(_("退回理由"), rows=2)


class ApproveForm(ActionForm):
    title = _("准予许可")
    submit_label = _("作出准予许可决定")
    success_message = _("已作出准予许可的决定。")

    opinion = _text(_("决定意见（可不填）"), rows=2)


class RejectForm(ActionForm):
    title = _("不予许可")
    submit_label = _("作出不予许可决定")
    success_message = _("已作出不予许可的决定。")
    is_danger = True

    reason = _text(_("不予许可的理由"))


class SuspendForm(ActionForm):
    title = _("特别程序")
    submit_label = _("开始特别程序")
    success_message = _("特别程序已开始，所需时间不计入办理期限。")

    kind = forms.ChoiceField(
        label=_("种类"), required=False, choices=_with_empty(_("请选择"), SpecialKind.choices)
    )
    reason = _text(_("理由和依据"), rows=2)
    expected_days = forms.IntegerField(label=_("预计所需工作日"))


class ResumeForm(ActionForm):
    title = _("结束特别程序")
    submit_label = _("结束特别程序，继续审查")
    success_message = _("特别程序已结束，继续审查。")

    result = _text(_("特别程序的结果"), rows=2)


class ExtendForm(ActionForm):
    title = _("延长办理期限")
    submit_label = _("批准延长")
    success_message = _("办理期限已延长。")

    days = forms.IntegerField(
        label=_("延长工作日"),
        help_text=_("行政许可法第四十二条：经本机关负责人批准，可以延长十日，只能延长一次。"),
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_EXTENSION_DAYS}),
    )
    reason = _text(_("延长理由"), rows=2)


class DeliverForm(ActionForm):
    title = _("送达")
    submit_label = _("已送达，办结")
    success_message = _("已送达办理结果，办件办结。")

    method = forms.ChoiceField(label=_("送达方式"), required=False, choices=DeliveryMethod.choices)

    def __init__(self, *args: Any, delivery_method: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].initial = delivery_method or DeliveryMethod.ELECTRONIC


class AssignForm(ActionForm):
    title = _("分派")
    submit_label = _("分派")
    success_message = _("已分派办件。")

    assignee = forms.IntegerField(label=_("分派给"), widget=forms.Select)

    def __init__(self, *args: Any, colleagues: Sequence[Choice] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(c.value, c.label) for c in colleagues]
        self.fields["assignee"].widget.choices = _with_empty(str(_("请选择")), choices)

    def arguments(self) -> dict[str, Any]:
        return {"assignee_id": self.cleaned_data["assignee"]}


class VoidForm(ActionForm):
    title = _("作废")
    submit_label = _("作废办件")
    success_message = _("办件已作废。")
    is_danger = True

    reason = _text(_("作废理由"), rows=2)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "claim": ClaimForm,
    "accept": AcceptForm,
    "supplement": SupplementForm,
    "not_accept": NotAcceptForm,
    "pass": PassForm,
    "send_back": SendBackForm,
    "approve": ApproveForm,
    "reject": RejectForm,
    "suspend": SuspendForm,
    "resume": ResumeForm,
    "extend": ExtendForm,
    "deliver": DeliverForm,
    "assign": AssignForm,
    "void": VoidForm,
}


def action_form(
    action: str,
    *,
    data: Any = None,
    targets: Sequence[SupplementTarget] = (),
    colleagues: Sequence[Choice] = (),
    delivery_method: str = "",
) -> ActionForm:
    """The form of `action`, prefixed with its name so several share one page.

    :raises KeyError: for an unknown action.
    """
    return ACTION_FORMS[action](
        data=data,
        prefix=action,
        targets=targets,
        colleagues=colleagues,
        delivery_method=delivery_method,
    )


# --- 一窗受理 --------------------------------------------------------------------------------

# Form fields the portal fills from the applicant's identity, and where their errors are shown.
PREFILL_SOURCES = {
    Prefill.NAME: "applicant_name",
    Prefill.ID_NUMBER: "applicant_id_number",
    Prefill.MOBILE: "applicant_mobile",
}


def _answer_field(label: str, field_type: str, choices: Sequence[str], help_text: str) -> Any:
    """A form field for one question of the application form; answers stay text (checked by the
    service at submission)."""
    common: dict[str, Any] = {"label": label, "required": False, "help_text": help_text}
    if field_type == FieldType.CHOICE:
        options = [(c, c) for c in choices]
        return forms.ChoiceField(choices=_with_empty(str(_("请选择")), options), **common)
    if field_type == FieldType.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if field_type == FieldType.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if field_type == FieldType.MOBILE:
        return forms.CharField(widget=forms.TextInput(attrs={"type": "tel"}), **common)
    if field_type == FieldType.ADDRESS:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
    return forms.CharField(**common)


class WindowFilingForm(forms.Form):
    """The walk-in applicant, the situation, the application form, the materials and delivery."""

    applicant_name = forms.CharField(label=_("申请人姓名"), required=False, max_length=64)
    applicant_id_number = forms.CharField(
        label=_("公民身份号码"),
        required=False,
        max_length=30,
        help_text=_("请与居民身份证原件核对。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    applicant_mobile = forms.CharField(
        label=_("手机号码"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    delivery_method = forms.ChoiceField(
        label=_("结果送达方式"),
        required=False,
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
    )
    delivery_address = forms.CharField(
        label=_("邮寄地址"),
        required=False,
        max_length=200,
        help_text=_("选择邮寄送达时填写。"),
    )
    # An idempotency key made when the form is shown: a double submit files one case.
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, spec: FilingSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.fields["delivery_method"].initial = spec.default_delivery
        for question in spec.questions:
            self.fields[f"situation__{question.key}"] = forms.ChoiceField(
                label=question.text,
                required=False,
                help_text=question.help,
                choices=[(o.value, o.label) for o in question.options],
                widget=forms.RadioSelect,
            )
        self.prefilled = {f.key: f.prefill for f in spec.fields if f.prefill}
        for field in spec.fields:
            if field.prefill:
                continue  # filled from the applicant's identity above
            help_text = "　".join(t for t in (field.condition, field.help_text) if t)
            self.fields[f"answers__{field.key}"] = _answer_field(
                field.label, field.field_type, field.choices, help_text
            )
        for material in spec.materials:
            self.fields[f"materials__{material.key}"] = forms.FileField(
                label=_("扫描件"), required=False
            )
            self.fields[f"paper__{material.key}"] = forms.BooleanField(
                label=_("已收取纸质原件"), required=False
            )

    # Groups of bound fields, for the template.
    def applicant_fields(self) -> list[forms.BoundField]:
        return [self["applicant_name"], self["applicant_id_number"], self["applicant_mobile"]]

    def situation_fields(self) -> list[forms.BoundField]:
        return [self[f"situation__{q.key}"] for q in self.spec.questions]

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[f"answers__{f.key}"] for f in self.spec.fields if not f.prefill]

    def material_rows(self) -> list[tuple[MaterialSpec, forms.BoundField, forms.BoundField]]:
        return [
            (m, self[f"materials__{m.key}"], self[f"paper__{m.key}"]) for m in self.spec.materials
        ]

    # What the service takes.
    def walk_in(self) -> WalkIn:
        data = self.cleaned_data
        return WalkIn(
            name=data["applicant_name"].strip(),
            id_number=data["applicant_id_number"].replace(" ", ""),
            mobile=data["applicant_mobile"].strip(),
        )

    def situation(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            q.key: data[f"situation__{q.key}"]
            for q in self.spec.questions
            if data.get(f"situation__{q.key}")
        }

    def answers(self) -> dict[str, str]:
        data = self.cleaned_data
        walk_in = self.walk_in()
        known = {
            Prefill.NAME: walk_in.name,
            Prefill.ID_NUMBER: walk_in.id_number,
            Prefill.MOBILE: walk_in.mobile,
        }
        answers = {key: known[Prefill(prefill)] for key, prefill in self.prefilled.items()}
        for field in self.spec.fields:
            if not field.prefill and data.get(f"answers__{field.key}"):
                answers[field.key] = data[f"answers__{field.key}"]
        return answers

    def uploads(self) -> dict[str, UploadedFile[bytes]]:
        data = self.cleaned_data
        return {
            m.key: data[f"materials__{m.key}"]
            for m in self.spec.materials
            if data.get(f"materials__{m.key}")
        }

    def paper(self) -> list[str]:
        return [m.key for m in self.spec.materials if self.cleaned_data.get(f"paper__{m.key}")]

    def add_domain_error(self, error: DomainError) -> None:
        """Put each refusal at its field (`answers.shop_name` → that question) and keep the
        service's summary sentence as a form error."""
        self.add_error(None, error.message)
        for key, messages in error.errors.items():
            field = self._field_for(key)
            for message in messages:
                if field is not None or message != error.message:
                    self.add_error(field, message)

    def _field_for(self, key: str) -> str | None:
        group, _dot, name = key.partition(".")
        if group == "answers" and name in self.prefilled:
            return PREFILL_SOURCES[Prefill(self.prefilled[name])]
        candidate = f"{group}__{name}" if name else group
        if candidate in self.fields:
            return candidate
        return None
