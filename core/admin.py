"""The working-day overrides in the Django admin; every change refreshes the calendar after commit."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from core.calendar import calendar_changed
from core.models import WorkdayOverride


class ReadOnly:
    """For records that change only through services (cases, certificates): look, never edit."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin[WorkdayOverride]):
    list_display = ("day", "is_working_day", "note")
    list_filter = ("is_working_day",)
    date_hierarchy = "day"
    search_fields = ("note",)

    def save_model(
        self, request: HttpRequest, obj: WorkdayOverride, form: object, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(calendar_changed)

    def delete_model(self, request: HttpRequest, obj: WorkdayOverride) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(calendar_changed)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WorkdayOverride]) -> None:
        super().delete_queryset(request, queryset)  # the "delete selected" action
        transaction.on_commit(calendar_changed)
