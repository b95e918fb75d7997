"""Forms of the companies and proxies pages."""

from django import forms
from django.utils.translation import gettext_lazy


class CompanyRegisterForm(forms.Form):
    uscc = forms.CharField(
        label=gettext_lazy("统一社会信用代码"),
        max_length=30,
        help_text=gettext_lazy("营业执照上的18位代码。"),
        error_messages={"required": gettext_lazy("请输入统一社会信用代码。")},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=gettext_lazy("单位名称"),
        max_length=64,
        error_messages={"required": gettext_lazy("请输入单位名称，与营业执照一致。")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    declaration = forms.BooleanField(
        label=gettext_lazy("本人是该单位的法定代表人，所填信息真实有效"),
        error_messages={"required": gettext_lazy("请确认您是该单位的法定代表人。")},
    )


class AgentForm(forms.Form):
    """The person being authorised, as on their ID card, and the scope."""

    name = forms.CharField(
        label=gettext_lazy("姓名"),
        max_length=30,
        error_messages={"required": gettext_lazy("请输入被授权人的姓名。")},
    )
    id_number = forms.CharField(
        label=gettext_lazy("公民身份号码"),
        max_length=30,
        error_messages={"required": gettext_lazy("请输入被授权人的公民身份号码。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    matter_codes = forms.CharField(
        label=gettext_lazy("授权事项（选填）"),
        required=False,
        help_text=gettext_lazy("留空表示全部事项；只授权部分事项时，填写事项实施编码，每行一个。"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy("我已阅读并确认上述授权声明"),
        required=False,
    )

    def codes(self) -> list[str]:
        raw = self.cleaned_data.get("matter_codes", "")
        return [
            line.strip().upper() for line in raw.replace(",", "\n").splitlines() if line.strip()
        ]
