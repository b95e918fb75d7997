from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ("username", "real_name", "kind", "masked_mobile", "is_staff", "is_active")
    list_filter = ("kind", "is_staff", "is_active", "groups")
    search_fields = ("username", "real_name")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("实名信息"), {"fields": ("kind", "real_name", "id_number", "mobile")}),
    )

    @admin.display(description=_("手机号码"))
    def masked_mobile(self, obj: User) -> str:
        return obj.masked_mobile
