from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Mandate, PersonalDataAccess, User
from accounts.two_factor import second_factor_reset
from core.admin import ReadOnly


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ("username", "real_name", "kind", "masked_mobile", "is_staff", "is_active")
    list_filter = ("kind", "is_staff", "is_active", "groups")
    search_fields = ("username", "real_name")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("实名信息"), {"fields": ("kind", "real_name", "id_number", "mobile", "language")}),
        (_("法人"), {"fields": ("uscc", "legal_representative")}),
    )
    raw_id_fields = ("legal_representative",)
    actions = ["reset_second_factor"]

    @admin.display(description=_("手机号码"))
    def masked_mobile(self, obj: User) -> str:
        return obj.masked_mobile

    @admin.action(description=_("重置双因素认证（下次登录重新绑定认证器）"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            second_factor_reset(user=user)
        self.message_user(
            request,
            _("已重置 %(count)d 个账户的双因素认证。") % {"count": queryset.count()},
            messages.SUCCESS,
        )


@admin.register(Mandate)
class MandateAdmin(ReadOnly, admin.ModelAdmin[Mandate]):
    list_display = ("principal", "agent", "kind", "all_matters", "granted_at", "revoked_at")
    list_filter = ("kind",)
    raw_id_fields = ("principal", "agent", "granted_by", "revoked_by")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnly, admin.ModelAdmin[PersonalDataAccess]):
    list_display = ("accessed_at", "user", "object_type", "object_id", "field", "reason")
    list_filter = ("object_type", "field")
    date_hierarchy = "accessed_at"
