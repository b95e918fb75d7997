"""Applications in the admin: read-only. Cases change only through the workflow services (the
workbench and the API); the admin is for looking things up."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import User
from applications.models import Application, ApplicationEvent
from core.admin import ReadOnly
from matters.permissions import departments_of_staff


class EventInline(ReadOnly, admin.TabularInline[ApplicationEvent, Application]):
    model = ApplicationEvent
    fields = ("at", "kind", "actor", "actor_role", "from_status", "to_status", "step_name", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(ReadOnly, admin.ModelAdmin[Application]):
    list_display = ("reference", "version", "department", "status", "channel", "received_at")
    list_filter = ("status", "channel", "department")
    search_fields = ("reference", "query_no")
    exclude = ("applicant_id_number", "applicant_mobile", "answers")  # personal data stays masked
    readonly_fields = ("masked_id_number", "masked_mobile")
    inlines = (EventInline,)
    show_full_result_count = False  # no COUNT(*) over millions of cases

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        user = request.user
        assert isinstance(user, User)
        return (
            super()
            .get_queryset(request)
            .filter(department__in=departments_of_staff(user))
            .select_related("version", "department")
        )
