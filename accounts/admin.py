from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import UserKind
from accounts.models import Mandate, PersonalDataAccess, User
from accounts.services import (
    normalise_citizen_id,
    normalise_mobile,
    user_mobile_changed,
    user_password_set,
)
from accounts.two_factor import (
    second_factor_device_delete,
    second_factor_device_saved,
    second_factor_reset,
)
from audit.services import REQUEST_USER
from core.admin import ReadOnly
from core.crypto import blind_index


class UserAdminForm(UserChangeForm[User]):
    """The change form: ID number and mobile checked and normalised as at sign-up, and refused
    when another account holds them. Uniqueness lives on the blind indexes, which are not form
    fields, so without this a duplicate would reach the database as an IntegrityError."""

    def clean_id_number(self) -> str | None:
        value = self.cleaned_data.get("id_number")
        if not value:
            return None  # NULL: accounts without an ID number do not collide
        try:
            number = normalise_citizen_id(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        others = User.objects.exclude(pk=self.instance.pk)
        if others.filter(id_number_index=blind_index(number, kind="id_number")).exists():
            raise forms.ValidationError(_("该公民身份号码已被其他账户使用。"))
        return number

    def clean_mobile(self) -> str:
        value = self.cleaned_data.get("mobile") or ""
        if not value:
            return ""
        try:
            return normalise_mobile(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        mobile = cleaned.get("mobile")
        kind = cleaned.get("kind", self.instance.kind)
        # A citizen's mobile is theirs alone (SMS sign-in and password reset find the account by
        # it), as sign-up and change of mobile require; staff accounts may share one.
        if mobile and kind == UserKind.CITIZEN:
            others = User.objects.exclude(pk=self.instance.pk)
            if others.filter(mobile_index=blind_index(mobile, kind="mobile")).exists():
                self.add_error("mobile", _("该手机号码已被其他账号使用。"))
        return cleaned


# Generic in django-stubs only; not subscriptable at run time.
if TYPE_CHECKING:
    _PasswordForm = AdminPasswordChangeForm[User]
else:
    _PasswordForm = AdminPasswordChangeForm


class StaffSetPasswordForm(_PasswordForm):
    """The admin's "change password" form, saved by the service, so the holder is told
    (SEC-AUTH-04) and the admin who set it is the actor on record."""

    def save(self, commit: bool = True) -> Any:
        if not commit or not self.cleaned_data.get("set_usable_password", True):
            return super().save(commit=commit)  # password sign-in switched off: Django's way
        return user_password_set(
            user=self.user, password=self.cleaned_data["password1"], by=REQUEST_USER
        )


# ID number and mobile in the admin (DOMAIN §9.1): masked in the list for everyone; in full, and
# editable, on the change form for superusers only, who are the ones correcting a mistyped
# identity. Anyone else given `accounts.change_user` sees them masked and read-only there too;
# a reveal with a reason (accounts.personal_data) is the way for staff to see a whole value.
MASKED_FIELDS = {"id_number": "masked_id_number", "mobile": "masked_mobile"}


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    form = UserAdminForm
    change_password_form = StaffSetPasswordForm
    list_display = (
        "username",
        "real_name",
        "kind",
        "masked_id_number",
        "masked_mobile",
        "is_staff",
        "is_active",
    )
    list_filter = ("kind", "is_staff", "is_active", "groups")
    search_fields = ("username", "real_name")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("实名信息"), {"fields": ("kind", "real_name", "id_number", "mobile", "language")}),
        (_("法人"), {"fields": ("uscc", "legal_representative")}),
    )
    raw_id_fields = ("legal_representative",)
    actions = ["reset_second_factor"]

    def save_model(self, request: HttpRequest, obj: User, form: forms.Form, change: bool) -> None:
        """Save; a changed mobile is recorded and the old one told (SEC-AC-09: whoever holds
        the new number can reset the password by SMS from now on)."""
        old_mobile = None
        if change and "mobile" in form.changed_data:
            old_mobile = User.objects.filter(pk=obj.pk).values_list("mobile", flat=True).get()
        super().save_model(request, obj, form, change)
        if old_mobile is not None and old_mobile != obj.mobile:
            user_mobile_changed(user=obj, old_mobile=old_mobile or "", by=request.user)

    @admin.display(description=_("公民身份号码"))
    def masked_id_number(self, obj: User) -> str:
        return obj.masked_id_number

    @admin.display(description=_("手机号码"))
    def masked_mobile(self, obj: User) -> str:
        return obj.masked_mobile

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        masked = []
        for name, options in fieldsets:
            fields = [
                MASKED_FIELDS.get(f, f) if isinstance(f, str) else f for f in options["fields"]
            ]
            masked.append((name, {**options, "fields": fields}))
        return masked

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is None or request.user.is_superuser:
            return readonly
        return (*readonly, *MASKED_FIELDS.values())

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[User], search_term: str
    ) -> tuple[QuerySet[User], bool]:
        """Also find an account by its whole ID number or mobile (exact, via the blind index:
        the columns themselves are encrypted)."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            number = normalise_citizen_id(search_term)
        except ValueError:
            pass
        else:
            found |= queryset.filter(id_number_index=blind_index(number, kind="id_number"))
        try:
            mobile = normalise_mobile(search_term)
        except ValueError:
            pass
        else:
            found |= queryset.filter(mobile_index=blind_index(mobile, kind="mobile"))
        return found, may_have_duplicates

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


# django-otp's device admin, with adding, confirming and deleting a device going through the
# services, so the member is told (SEC-AUTH-04). Importing its module above registered it.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class StaffTOTPDeviceAdmin(TOTPDeviceAdmin):  # type: ignore[misc]  # django-otp is untyped
    def save_model(self, request: HttpRequest, obj: Any, form: forms.Form, change: bool) -> None:
        was_confirmed = TOTPDevice.objects.filter(pk=obj.pk, confirmed=True).exists()
        super().save_model(request, obj, form, change)
        second_factor_device_saved(device=obj, was_confirmed=bool(change and was_confirmed))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        second_factor_device_delete(device=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for device in queryset.order_by("pk"):
            second_factor_device_delete(device=device)
