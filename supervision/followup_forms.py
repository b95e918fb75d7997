"""The forms of a 差评 follow-up: one per action of the department's head and the supervisor, and
the rater's rating of the outcome. Each knows its title and the arguments of its service."""

from typing import Any, ClassVar

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from django_stubs_ext import StrOrPromise

from supervision.choices import FollowupStatus, Level
from supervision.followups import TEXT_MAX


def _text(
    label: StrOrPromise, required: StrOrPromise, help_text: StrOrPromise = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required,
            "max_length": _("内容不能超过2000个字。"),
        },
    )


class FollowupActionForm(forms.Form):
    """An action of the follow-up page; the prefix (the action's name) keeps ids apart."""

    action: ClassVar[str]
    title: ClassVar[StrOrPromise]
    submit_label: ClassVar[StrOrPromise]
    success_message: ClassVar[StrOrPromise]
    is_danger: ClassVar[bool] = False

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data, prefix=self.action, **kwargs)

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of the action's service."""
        return dict(self.cleaned_data)


class ContactForm(FollowupActionForm):
    action = "contact"
    title = _("登记回访")
    submit_label = _("保存回访记录")
    success_message = _("已登记回访。请在整改反馈期限前反馈处理结果。")

    note = _text(
        _("回访记录"),
        _("请填写回访记录。"),
        _("回访方式、时间和评价人反映的问题，核实的情况。"),
    )


class ResolveForm(FollowupActionForm):
    action = "resolve"
    title = _("反馈处理结果")
    submit_label = _("反馈给评价人")
    success_message = _("已反馈处理结果，评价人会收到通知。")

    kind = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (FollowupStatus.RECTIFIED.value, _("已整改（立行立改或限期整改到位）")),
            (FollowupStatus.EXPLAINED.value, _("解释说明（诉求无法律依据或不属实）")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择处理结果：已整改或已解释说明。")},
    )
    text = _text(
        _("整改情况或解释说明"),
        _("请填写整改情况或解释说明。"),
        _("将发送给评价人，请使用评价人能看懂的语言。"),
    )


class AppealForm(FollowupActionForm):
    action = "appeal"
    title = _("申诉（恶意或错误差评）")
    submit_label = _("提交申诉")
    success_message = _("已提交申诉，等待监察人员复核。")
    is_danger = True

    reason = _text(
        _("申诉理由"),
        _("请填写申诉理由。"),
        _("说明差评为何属于恶意或错误评价，并列明依据。每条差评只能申诉一次。"),
    )


class DecideForm(FollowupActionForm):
    action = "decide"
    title = _("复核申诉")
    submit_label = _("提交复核意见")
    success_message = _("已复核申诉。")

    upheld = forms.TypedChoiceField(
        label=_("复核结论"),
        choices=[
            ("yes", _("申诉成立：该评价作废，不再计入统计")),
            ("no", _("申诉不成立：继续回访整改")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择复核结论。")},
    )
    note = _text(_("复核意见"), _("请填写复核意见。"))

    def __init__(self, data: QueryDict | None = None, *, followup_id: int = 0) -> None:
        super().__init__(data, auto_id=f"decide{followup_id}_%s" if followup_id else "id_%s")


FOLLOWUP_FORMS: dict[str, type[FollowupActionForm]] = {
    form.action: form for form in (ContactForm, ResolveForm, AppealForm, DecideForm)
}


class OutcomeForm(forms.Form):
    """The rater: how satisfied are you with what the department did?"""

    level = forms.TypedChoiceField(
        label=_("您对处理结果是否满意？"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意程度。")},
    )
