"""The catalogue in the Django admin. Every action calls a service; published versions are read-only."""

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.choices import AuditAction
from audit.services import audit_record
from core.errors import DomainError
from core.identifiers import normalise_uscc
from matters import caching, selectors, serialization, services
from matters.bundles import bundle_problems
from matters.choices import VersionStatus
from matters.models import (
    Bundle,
    BundleItem,
    Department,
    DepartmentMembership,
    Faq,
    Fee,
    FormField,
    LifeEvent,
    Material,
    Matter,
    MatterVersion,
    ProcessStep,
    Region,
    SituationOption,
    SituationQuestion,
    Synonym,
    Topic,
)
from matters.permissions import (
    access_matter_for_management,
    departments_managed_by,
    matters_managed_by,
)
from matters.presentation import guide_context
from matters.validation import Problems, check_matter, check_region


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the admin only lets signed-in staff in
    return request.user


def _report(request: HttpRequest, modeladmin: admin.ModelAdmin[Any], exc: DomainError) -> None:
    modeladmin.message_user(request, exc.message, messages.ERROR)


class ChangesCatalogue:
    """Admin of rows shown on public pages: a saved change refreshes the pages and the search."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        transaction.on_commit(caching.catalogue_changed)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        transaction.on_commit(caching.catalogue_changed)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)

    def get_form(
        self, request: HttpRequest, obj: Region | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)

        class RegionForm(form):  # type: ignore[misc,valid-type]
            def clean(self) -> dict[str, Any]:
                data: dict[str, Any] = super().clean()
                parent = data.get("parent")
                problems = Problems()
                check_region(
                    problems,
                    {"code": data.get("code"), "name": data.get("name"), "level": data.get("level"),
                     "parent": parent.code if parent else None},
                    "region",
                    {parent.code} if parent else set(),
                )  # fmt: skip
                for field_path, errors in problems.items.items():
                    field = field_path.rsplit(".", 1)[-1]
                    for message in errors:
                        self.add_error(field if field in self.fields else None, message)
                return data

        return RegionForm


class DepartmentForm(forms.ModelForm[Department]):
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")

    class Meta:
        model = Department
        fields = (
            "uscc",
            "name",
            "short_name",
            "region",
            "kind",
            "address",
            "phone",
            "office_hours",
            "website",
        )

    def clean_uscc(self) -> str:
        try:
            return normalise_uscc(self.cleaned_data["uscc"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


@admin.register(Department)
class DepartmentAdmin(ChangesCatalogue, admin.ModelAdmin[Department]):
    form = DepartmentForm
    list_display = ("name", "uscc", "region", "kind", "phone")
    list_filter = ("kind", "region__level")
    search_fields = ("name", "short_name", "uscc")
    autocomplete_fields = ("region",)


@admin.register(DepartmentMembership)
class DepartmentMembershipAdmin(admin.ModelAdmin[DepartmentMembership]):
    list_display = ("user", "department", "role")
    list_filter = ("role", "department")
    autocomplete_fields = ("user", "department")


@admin.register(Topic)
class TopicAdmin(ChangesCatalogue, admin.ModelAdmin[Topic]):
    list_display = ("code", "name", "audience", "order")
    list_filter = ("audience",)
    search_fields = ("code", "name")


@admin.register(LifeEvent)
class LifeEventAdmin(ChangesCatalogue, admin.ModelAdmin[LifeEvent]):
    list_display = ("code", "name", "audience", "order")
    list_filter = ("audience",)
    search_fields = ("code", "name")


@admin.register(Synonym)
class SynonymAdmin(ChangesCatalogue, admin.ModelAdmin[Synonym]):
    list_display = ("term", "expansions")
    search_fields = ("term",)


class MatterForm(forms.ModelForm[Matter]):
    class Meta:
        model = Matter
        fields = (
            "implementation_code",
            "catalog_code",
            "local_catalog_code",
            "local_implementation_code",
            "department",
            "region",
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        department, region = data.get("department"), data.get("region")
        problems = Problems()
        check_matter(
            problems,
            {
                "implementation_code": data.get("implementation_code", ""),
                "catalog_code": data.get("catalog_code", ""),
                "department": department.uscc if department else "",
                "region": region.code if region else "",
                "status": self.instance.status,
                "versions": [],
            },
            "matter",
            departments={department.uscc} if department else set(),
            regions={region.code} if region else set(),
            topics=set(), life_events=set(),
        )  # fmt: skip
        for field_path, errors in problems.items.items():
            field = field_path.rsplit(".", 1)[-1]
            if field == "status":
                continue  # a matter created here is a draft until its first version is published
            if field in self.errors:
                continue  # Django already said what is wrong with this field
            for message in errors:
                self.add_error(field if field in self.fields else None, message)
        for key in ("implementation_code", "catalog_code"):
            if data.get(key):
                data[key] = str(data[key]).upper()
        return data


class MatterActionForm(ActionForm):
    reason = forms.CharField(label=_("停用原因"), required=False, max_length=200)


class VersionLinkInline(admin.TabularInline[MatterVersion, Matter]):
    model = MatterVersion
    fields = ("link", "status", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Matter | None = None) -> bool:
        return False

    @admin.display(description=_("版本"))
    def link(self, obj: MatterVersion) -> str:
        url = reverse("admin:matters_matterversion_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, str(obj))


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin[Matter]):
    form = MatterForm
    change_list_template = "admin/matters/matter/change_list.html"
    action_form = MatterActionForm
    list_display = (
        "implementation_code",
        "current_name",
        "department",
        "status",
        "current_version_number",
    )
    list_filter = ("status", "department__region", "department")
    search_fields = ("implementation_code", "catalog_code", "versions__name")
    readonly_fields = ("status", "current_version", "retired_at", "retired_reason", "popularity")
    autocomplete_fields = ("department", "region")
    inlines = (VersionLinkInline,)
    actions = ("action_new_draft", "action_retire", "action_reinstate", "action_export")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Matter]:
        return matters_managed_by(_staff(request)).select_related("department", "current_version")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "department":
            kwargs["queryset"] = departments_managed_by(_staff(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("事项名称"))
    def current_name(self, obj: Matter) -> str:
        return obj.current_version.name if obj.current_version else "—"

    @admin.display(description=_("当前版本"))
    def current_version_number(self, obj: Matter) -> str:
        return f"v{obj.current_version.number}" if obj.current_version else "—"

    @admin.action(description=_("新建草稿版本（复制当前发布版本）"), permissions=["change"])
    def action_new_draft(self, request: HttpRequest, queryset: QuerySet[Matter]) -> None:
        for matter in queryset:
            try:
                access_matter_for_management(user=_staff(request), matter_id=matter.pk)
                draft = services.matter_version_draft_create(
                    matter_id=matter.pk, by=_staff(request)
                )
            except DomainError as exc:
                _report(request, self, exc)
            else:
                self.message_user(
                    request, f"{matter}：已新建第{draft.number}版草稿。", messages.SUCCESS
                )

    @admin.action(description=_("停用所选事项（请填写停用原因）"), permissions=["retire"])
    def action_retire(self, request: HttpRequest, queryset: QuerySet[Matter]) -> None:
        reason = request.POST.get("reason", "")
        for matter in queryset:
            try:
                access_matter_for_management(user=_staff(request), matter_id=matter.pk)
                services.matter_retire(
                    matter_id=matter.pk, by=_staff(request), now=timezone.now(), reason=reason
                )
            except DomainError as exc:
                _report(request, self, exc)
            else:
                self.message_user(request, f"{matter}：已停用。", messages.SUCCESS)

    @admin.action(description=_("恢复所选已停用事项"), permissions=["retire"])
    def action_reinstate(self, request: HttpRequest, queryset: QuerySet[Matter]) -> None:
        for matter in queryset:
            try:
                access_matter_for_management(user=_staff(request), matter_id=matter.pk)
                services.matter_reinstate(matter_id=matter.pk, by=_staff(request))
            except DomainError as exc:
                _report(request, self, exc)
            else:
                self.message_user(request, f"{matter}：已恢复。", messages.SUCCESS)

    @admin.action(description=_("导出所选事项（JSON）"), permissions=["export"])
    def action_export(self, request: HttpRequest, queryset: QuerySet[Matter]) -> HttpResponse:
        document = serialization.catalogue_to_document()
        codes = set(queryset.values_list("implementation_code", flat=True))
        document["matters"] = [m for m in document["matters"] if m["implementation_code"] in codes]
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="catalogue.json"'
        audit_record(
            action=AuditAction.EXPORT,
            actor=request.user,
            object_type="matters.catalogue",
            request=request,
            detail={"matters": len(document["matters"])},
        )
        return response

    def has_delete_permission(self, request: HttpRequest, obj: Matter | None = None) -> bool:
        # A matter that was ever published is retired, never deleted: cases refer to its versions.
        if obj is not None and obj.versions.filter(status=VersionStatus.PUBLISHED).exists():
            return False
        return super().has_delete_permission(request, obj)

    def has_retire_permission(self, request: HttpRequest) -> bool:
        return _staff(request).has_perm("matters.retire_matter")

    def has_export_permission(self, request: HttpRequest) -> bool:
        return _staff(request).has_perm("matters.export_catalogue")

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="matters_matter_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not _staff(request).has_perm("matters.import_catalogue"):
            raise PermissionDenied
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": "导入事项目录",
            "opts": self.model._meta,
        }
        upload = request.FILES.get("file")
        if request.method == "POST" and isinstance(upload, UploadedFile):
            try:
                document = json.loads(upload.read().decode("utf-8"))
                report = services.catalogue_import(document=document)
            except (UnicodeDecodeError, json.JSONDecodeError):
                context["error"] = "文件不是有效的UTF-8 JSON。"
            except services.CatalogueImportError as exc:
                context["error"] = exc.message
                context["problems"] = [f"{p}: {m}" for p, ms in exc.errors.items() for m in ms]
            else:
                self.message_user(
                    request,
                    f"已导入{report.matters}个事项（写入{report.versions_created}个版本）。",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:matters_matter_changelist"))
        return TemplateResponse(request, "admin/matters/matter/import.html", context)


class ReadOnlyWhenPublished:
    """Rows of a published version can be looked at, never changed (it is immutable). The parent is
    the version itself or, for situation options, their question."""

    def _editable(self, obj: MatterVersion | SituationQuestion | None) -> bool:
        if obj is None:
            return True
        version = obj if isinstance(obj, MatterVersion) else obj.version
        return version.status == VersionStatus.DRAFT

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class MaterialInline(ReadOnlyWhenPublished, admin.StackedInline[Material, MatterVersion]):
    model = Material
    extra = 0
    fields = (
        ("key", "order", "name"), ("material_type", "material_form", "necessity"), "optional_case",
        ("original_copies", "copy_copies", "paper_format"), ("source", "source_explain"), "issuer",
        "acceptance_standard", "fill_explain", "legal_basis", ("certificate_type", "commitment_allowed"),
        ("blank_form", "sample"),
    )  # fmt: skip


class FeeInline(ReadOnlyWhenPublished, admin.TabularInline[Fee, MatterVersion]):
    model = Fee
    extra = 0


class StepInline(ReadOnlyWhenPublished, admin.TabularInline[ProcessStep, MatterVersion]):
    model = ProcessStep
    fields = ("order", "name", "kind", "role", "handler", "time_limit", "unit", "has_special")
    extra = 0


class FormFieldInline(ReadOnlyWhenPublished, admin.StackedInline[FormField, MatterVersion]):
    """The application form: one row per question, in order."""

    model = FormField
    extra = 0
    fields = (
        ("key", "order", "label"), ("field_type", "required", "prefill"), "help_text", "choices",
        ("min_length", "max_length"), ("min_value", "max_value"), ("pattern", "pattern_message"),
        "visible_when",
    )  # fmt: skip


class FaqInline(ReadOnlyWhenPublished, admin.StackedInline[Faq, MatterVersion]):
    model = Faq
    extra = 0


class SituationLinkInline(
    ReadOnlyWhenPublished, admin.TabularInline[SituationQuestion, MatterVersion]
):
    model = SituationQuestion
    fields = ("key", "order", "text", "help")
    extra = 0
    show_change_link = True


@admin.register(MatterVersion)
class MatterVersionAdmin(admin.ModelAdmin[MatterVersion]):
    list_display = ("name", "matter", "number", "status", "published_at")
    list_filter = ("status", "matter_type", "matter__department")
    search_fields = ("name", "matter__implementation_code")
    readonly_fields = ("number", "status", "published_at", "published_by", "preview_link")
    autocomplete_fields = ("matter",)
    filter_horizontal = ("topics", "life_events")
    inlines = (
        MaterialInline, FormFieldInline, FeeInline, StepInline, FaqInline, SituationLinkInline,
    )  # fmt: skip
    actions = ("action_publish",)
    fieldsets = (
        (_("版本"), {"fields": ("matter", "number", "status", "published_at", "published_by", "preview_link")}),
        (_("基本信息"), {"fields": (
            "name", "short_name", "aliases", "summary", "matter_type", "exercise_level", "power_source",
            "service_objects", "handling_forms", "topics", "life_events", "legal_basis",
        )}),
        (_("受理条件与流程"), {"fields": (
            "conditions", "quantity_limit", "process_description", "case_type", "joint_mode",
            "auto_approve_rules",
            ("statutory_limit", "statutory_unit"), "statutory_explain", ("promised_limit", "promised_unit"),
            "promised_explain", "special_procedure", "visits_required", "visits_explain",
        )}),
        (_("收费"), {"fields": ("is_fee", "fee_basis", "pay_online")}),
        (_("办理渠道"), {"fields": (
            "is_online", "online_depth", "supports_express", "supports_appointment", "appointment_rule",
            "supports_self_service", "handle_area", "address", "office_hours",
        )}),
        (_("办理结果"), {"fields": (
            "result_type", "result_name", "result_is_electronic", "result_certificate_type", "result_delivery",
        )}),
        (_("咨询、监督与救济"), {"fields": (
            "consult_phone", "consult_ways", "complaint_phone", "complaint_ways", "review_authority",
            "review_phone", "litigation_court", "rights_and_duties",
        )}),
    )  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[MatterVersion]:
        return MatterVersion.objects.filter(
            matter__in=matters_managed_by(_staff(request))
        ).select_related("matter")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "matter":
            kwargs["queryset"] = matters_managed_by(_staff(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: MatterVersion | None = None) -> bool:
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return False  # published versions are immutable
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: MatterVersion | None = None) -> bool:
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: MatterVersion, form: Any, change: bool) -> None:
        if not change:
            if obj.matter.versions.filter(status=VersionStatus.DRAFT).exists():
                raise PermissionDenied("该事项已有草稿版本。")
            obj.number = (obj.matter.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            obj.status = VersionStatus.DRAFT
        obj.sync_audience()
        super().save_model(request, obj, form, change)

    @admin.display(description=_("预览"))
    def preview_link(self, obj: MatterVersion) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:matters_matterversion_preview", args=[obj.pk]),
            "预览办事指南",
        )

    @admin.action(description=_("发布所选草稿版本"), permissions=["publish"])
    def action_publish(self, request: HttpRequest, queryset: QuerySet[MatterVersion]) -> None:
        for version in queryset:
            try:
                access_matter_for_management(user=_staff(request), matter_id=version.matter_id)
                services.matter_version_publish(
                    version_id=version.pk, by=_staff(request), now=timezone.now()
                )
            except DomainError as exc:
                _report(request, self, exc)
            else:
                self.message_user(request, f"{version}：已发布。", messages.SUCCESS)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return _staff(request).has_perm("matters.publish_matterversion")

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="matters_matterversion_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.get_queryset(request).filter(pk=pk).exists():
            raise PermissionDenied
        version = selectors.matter_version_for_staff(version_id=pk)
        problems = (
            services.version_problems(version)
            if version.status == VersionStatus.DRAFT
            else Problems()
        )
        return render(
            request,
            "matters/preview.html",
            {**guide_context(version), "problems": problems.lines()},
        )


class OptionForm(forms.ModelForm[SituationOption]):
    class Meta:
        model = SituationOption
        fields = ("key", "order", "label", "materials", "conditions")


class OptionInline(ReadOnlyWhenPublished, admin.StackedInline[SituationOption, SituationQuestion]):
    model = SituationOption
    form = OptionForm
    extra = 0
    filter_horizontal = ("materials",)

    def get_formset(
        self, request: HttpRequest, obj: SituationQuestion | None = None, **kwargs: Any
    ) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["materials"]
        if obj is not None and isinstance(field, forms.ModelMultipleChoiceField):
            # only the materials of the same version can be named
            field.queryset = Material.objects.filter(version=obj.version_id)
        return formset


@admin.register(SituationQuestion)
class SituationQuestionAdmin(admin.ModelAdmin[SituationQuestion]):
    list_display = ("text", "key", "version")
    search_fields = ("text", "version__name")
    autocomplete_fields = ("version",)
    inlines = (OptionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SituationQuestion]:
        return SituationQuestion.objects.filter(
            version__matter__in=matters_managed_by(_staff(request))
        )

    def has_change_permission(
        self, request: HttpRequest, obj: SituationQuestion | None = None
    ) -> bool:
        if obj is not None and obj.version.status != VersionStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)


class BundleItemInline(admin.TabularInline[BundleItem, Bundle]):
    model = BundleItem
    extra = 1
    fields = ("matter", "order", "depends_on")
    autocomplete_fields = ("matter",)

    def get_formset(self, request: HttpRequest, obj: Bundle | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        # Prerequisites are items of the same bundle.
        field = formset.form.base_fields["depends_on"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            BundleItem.objects.filter(bundle=obj).select_related("matter__current_version")
            if obj is not None
            else BundleItem.objects.none()
        )
        return formset


@admin.register(Bundle)
class BundleAdmin(ChangesCatalogue, admin.ModelAdmin[Bundle]):
    """一件事: the matters it joins and their order. It is offered only when every matter is in
    use, online and for its audience, and the prerequisites have no cycle."""

    list_display = ("code", "name", "audience", "lead_department", "order_mode", "is_published")
    list_filter = ("audience", "is_published", "order_mode")
    search_fields = ("code", "name")
    autocomplete_fields = ("lead_department",)
    inlines = (BundleItemInline,)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        bundle: Bundle = form.instance
        problems = bundle_problems(bundle)
        if problems and bundle.is_published:
            bundle.is_published = False
            bundle.save(update_fields=["is_published", "updated_at"])
            self.message_user(
                request,
                _("未发布：") + "；".join(problems),
                messages.ERROR,
            )
