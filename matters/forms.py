"""Plain forms that parse the public catalogue's query strings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matters.choices import Audience
from matters.search import SearchFilters


class MatterFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)
    audience = forms.ChoiceField(
        label=_("服务对象"), required=False, choices=[("", _("全部")), *Audience.choices]
    )
    topic = forms.IntegerField(label=_("主题"), required=False, min_value=1)
    life_event = forms.IntegerField(label=_("人生事件"), required=False, min_value=1)
    department = forms.IntegerField(label=_("部门"), required=False, min_value=1)
    region = forms.IntegerField(label=_("区划"), required=False, min_value=1)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def filters(self) -> SearchFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return SearchFilters(
            topic_id=data.get("topic"),
            life_event_id=data.get("life_event"),
            department_id=data.get("department"),
            region_id=data.get("region"),
            audience=data.get("audience") or None,
        )

    def query(self) -> str:
        return str(self.cleaned_data.get("q") or "") if self.is_valid() else ""

    def page_number(self) -> int:
        return int(self.cleaned_data.get("page") or 1) if self.is_valid() else 1
