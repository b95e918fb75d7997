"""The 好差评 forms: five levels, optional tags, an optional comment; online and at the window."""

from django import forms
from django.utils.translation import gettext_lazy

from supervision.choices import BadTag, GoodTag, Level
from supervision.services import COMMENT_MAX


class EvaluationForm(forms.Form):
    level = forms.TypedChoiceField(
        label=gettext_lazy("您对本次办事服务的总体评价"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择满意程度。")},
    )
    good_tags = forms.MultipleChoiceField(
        label=gettext_lazy("满意的方面（可多选）"),
        choices=GoodTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bad_tags = forms.MultipleChoiceField(
        label=gettext_lazy("需要改进的方面（可多选）"),
        choices=BadTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=gettext_lazy("评价内容（选填）"),
        max_length=COMMENT_MAX,
        required=False,
        help_text=gettext_lazy("最多500字。请勿填写身份证号码、手机号码等个人信息。"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": gettext_lazy("评价内容不能超过500个字。")},
    )


class WindowRatingForm(EvaluationForm):
    """The same five levels on the counter tablet, asked about the visit just now (一次一评)."""

    level = forms.TypedChoiceField(
        label=gettext_lazy("您对本次窗口服务满意吗？"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择满意程度。")},
    )
