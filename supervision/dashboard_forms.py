"""The filters of the 电子监察 dashboard and the card list, and the answer to a card.

Every choice is limited to the user's scope (`supervision.statistics.Scope`): a department, region
or matter outside it is a form error, worded so that it does not tell whether the thing exists.
"""

import datetime as dt
from collections import defaultdict
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matters.models import Matter, Region
from supervision.alert_responses import RESPONSE_MAX
from supervision.choices import AlertColor
from supervision.statistics import Filters, Scope, departments_in_scope, region_and_below

DEFAULT_DAYS = 30
MAX_YEARS = 3


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class _ScopedChoices:
    """The departments of a scope and the regions that contain them, read once per form."""

    def __init__(self, scope: Scope) -> None:
        self.departments: list[tuple[int, str, int]] = list(
            departments_in_scope(scope).values_list("pk", "name", "region_id")
        )
        regions = {
            pk: (name, parent_id)
            for pk, name, parent_id in Region.objects.order_by("code").values_list(
                "pk", "name", "parent_id"
            )
        }
        self.children: dict[int | None, list[int]] = defaultdict(list)
        for pk, (_name, parent_id) in regions.items():
            self.children[parent_id].append(pk)
        wanted: set[int] = set()
        for region_id in {region for _pk, _name, region in self.departments}:
            ancestor: int | None = region_id
            while ancestor is not None and ancestor not in wanted:
                wanted.add(ancestor)
                ancestor = regions[ancestor][1]
        self.regions: list[tuple[int, str]] = []

        def walk(parent: int | None, depth: int) -> None:
            for pk in self.children[parent]:
                if pk in wanted:
                    self.regions.append((pk, "— " * depth + regions[pk][0]))
                    walk(pk, depth + 1)

        walk(None, 0)

    def region_and_below(self, region_id: int) -> set[int]:
        return region_and_below(region_id, self.children)

    def department_choices(self) -> list[tuple[str | int, str]]:
        return [("", _("全部部门")), *((pk, name) for pk, name, _region in self.departments)]

    def region_choices(self) -> list[tuple[str | int, str]]:
        return [("", _("全部地区")), *self.regions]


class DashboardFilterForm(forms.Form):
    """Period, region, department and matter of the dashboard (a GET form, always bound)."""

    start = forms.DateField(
        label=gettext_lazy("开始日期"),
        required=False,
        widget=_DateInput(),
        error_messages={"invalid": gettext_lazy("请输入正确的日期，例如 2025-06-01。")},
    )
    end = forms.DateField(
        label=gettext_lazy("结束日期"),
        required=False,
        widget=_DateInput(),
        error_messages={"invalid": gettext_lazy("请输入正确的日期，例如 2025-06-30。")},
    )
    region = forms.TypedChoiceField(
        label=gettext_lazy("地区"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("请从列表中选择地区。")},
    )
    department = forms.TypedChoiceField(
        label=gettext_lazy("部门"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("请从列表中选择您可查看的部门。")},
    )
    matter = forms.IntegerField(
        label=gettext_lazy("事项编号"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,  # the largest id the databases store
        help_text=gettext_lazy("选填。点击下方“各事项”表中的事项名称，即按该事项筛选。"),
        error_messages={
            "invalid": gettext_lazy("事项编号应为数字。"),
            "min_value": gettext_lazy("事项编号应为正整数。"),
            "max_value": gettext_lazy("没有该编号的事项，或该事项不属于您可查看的部门。"),
        },
    )

    def __init__(self, data: QueryDict, *, scope: Scope, today: dt.date) -> None:
        data = data.copy()
        # A first visit, or an emptied date field, means the last 30 days up to today.
        if not data.get("end"):
            data["end"] = today.isoformat()
        if not data.get("start"):
            data["start"] = (today - dt.timedelta(days=DEFAULT_DAYS - 1)).isoformat()
        super().__init__(data)
        self.today = today
        self.choices = _ScopedChoices(scope)
        _choice_field(self, "region").choices = self.choices.region_choices()
        _choice_field(self, "department").choices = self.choices.department_choices()
        self.matter_name = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None:
            if end > self.today:
                self.add_error("end", _("结束日期不能晚于今天。"))
            elif end < start:
                self.add_error("end", _("结束日期不能早于开始日期。"))
            elif start < years_before(end, MAX_YEARS):
                message = _("统计期间最长为%(years)d年，请缩短日期范围。") % {"years": MAX_YEARS}
                self.add_error("start", message)
        region_id, department_id = cleaned.get("region"), cleaned.get("department")
        regions = self.choices.region_and_below(region_id) if region_id is not None else None
        if department_id is not None and regions is not None:
            department_region = next(
                region for pk, _name, region in self.choices.departments if pk == department_id
            )
            if department_region not in regions:
                self.add_error("department", _("所选部门不在所选地区内。"))
        if cleaned.get("matter") is not None:
            self._clean_matter(cleaned["matter"], department_id, regions)
        return cleaned

    def _clean_matter(
        self, matter_id: int, department_id: int | None, regions: set[int] | None
    ) -> None:
        found = list(
            Matter.objects.filter(pk=matter_id).values_list(
                "department_id", "department__region_id", "current_version__name"
            )
        )
        allowed = {pk for pk, _name, _region in self.choices.departments}
        # The same words whether the matter is missing or another department's: nothing leaks.
        if not found or found[0][0] not in allowed:
            self.add_error("matter", _("没有该编号的事项，或该事项不属于您可查看的部门。"))
            return
        matter_department, matter_region, name = found[0]
        if department_id is not None and matter_department != department_id:
            self.add_error("matter", _("该事项不属于所选部门。"))
        elif regions is not None and matter_region not in regions:
            self.add_error("matter", _("该事项不属于所选地区。"))
        else:
            self.matter_name = name or ""

    def filters(self) -> Filters:
        """The valid filters as the statistics read them."""
        data = self.cleaned_data
        # A department or matter was checked to lie in the region: the region adds nothing (and
        # would cost the statistics a walk of the region tree).
        narrower = data["department"] is not None or data["matter"] is not None
        return Filters(
            start=data["start"],
            end=data["end"],
            region_id=None if narrower else data["region"],
            department_id=data["department"],
            matter_id=data["matter"],
        )

    def query(self, **changes: int | None) -> dict[str, str]:
        """The valid filters as URL parameters, with `changes` applied (None drops one)."""
        data = self.cleaned_data
        values: dict[str, object] = {
            "start": data["start"],
            "end": data["end"],
            "region": data["region"],
            "department": data["department"],
            "matter": data["matter"],
            **changes,
        }
        return {key: str(value) for key, value in values.items() if value is not None}


class AlertFilterForm(forms.Form):
    """Colour and department of the card list (a GET form)."""

    color = forms.ChoiceField(
        label=gettext_lazy("预警类型"),
        required=False,
        choices=[("", gettext_lazy("全部")), *AlertColor.choices],
        error_messages={"invalid_choice": gettext_lazy("请从列表中选择预警类型。")},
    )
    department = forms.TypedChoiceField(
        label=gettext_lazy("责任部门"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("请从列表中选择您可查看的部门。")},
    )

    def __init__(self, data: QueryDict, *, scope: Scope) -> None:
        super().__init__(data)
        departments = departments_in_scope(scope).values_list("pk", "name")
        _choice_field(self, "department").choices = [("", _("全部部门")), *departments]

    def query(self, **changes: int | str | None) -> dict[str, str]:
        """The valid filters as URL parameters, with `changes` applied."""
        values: dict[str, object] = {**self.cleaned_data, **changes}
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


class AlertResponseForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("整改说明"),
        max_length=RESPONSE_MAX,
        help_text=gettext_lazy("说明超时原因和整改措施，提交后不能修改。"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": gettext_lazy("请填写整改说明。"),
            "max_length": gettext_lazy("整改说明不能超过2000个字。"),
        },
    )
