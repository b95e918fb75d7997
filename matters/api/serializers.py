"""Read-only output serializers of the catalogue API (writes go through services, not here)."""

from typing import Any

from rest_framework import serializers

from matters.models import (
    Department,
    Faq,
    Fee,
    LifeEvent,
    MatterVersion,
    ProcessStep,
    Region,
    Topic,
)
from matters.notice import notice_material, situation_options_by_material


class RegionSerializer(serializers.ModelSerializer[Region]):
    parent_code = serializers.CharField(
        source="parent.code", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Region
        fields = ("code", "name", "level", "parent_code")


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    region = serializers.CharField(source="region.code", read_only=True)
    matter_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Department
        fields = (
            "id",
            "uscc",
            "name",
            "short_name",
            "kind",
            "region",
            "address",
            "phone",
            "office_hours",
            "matter_count",
        )


class TopicSerializer(serializers.ModelSerializer[Topic]):
    matter_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ("id", "code", "name", "audience", "description", "matter_count")


class LifeEventSerializer(serializers.ModelSerializer[LifeEvent]):
    matter_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = LifeEvent
        fields = ("id", "code", "name", "audience", "description", "matter_count")


class MatterSummarySerializer(serializers.Serializer[Any]):
    implementation_code = serializers.CharField()
    name = serializers.CharField()
    version = serializers.IntegerField()
    summary = serializers.CharField()
    department = serializers.CharField(source="department_name")
    matter_type = serializers.CharField()
    is_online = serializers.BooleanField()
    visits_required = serializers.IntegerField(allow_null=True)
    promised_limit = serializers.IntegerField(allow_null=True)
    promised_unit = serializers.CharField()


class FeeSerializer(serializers.ModelSerializer[Fee]):
    class Meta:
        model = Fee
        fields = ("order", "name", "standard", "basis", "reducible", "reduction_basis")


class StepSerializer(serializers.ModelSerializer[ProcessStep]):
    class Meta:
        model = ProcessStep
        fields = (
            "order",
            "name",
            "handler",
            "time_limit",
            "unit",
            "has_special",
            "special_explain",
        )


class FaqSerializer(serializers.ModelSerializer[Faq]):
    class Meta:
        model = Faq
        fields = ("order", "question", "answer")


class MaterialOutSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    name = serializers.CharField()
    necessity = serializers.CharField()
    necessity_label = serializers.CharField()
    type_label = serializers.CharField()
    form_label = serializers.CharField()
    copies = serializers.CharField()
    source_label = serializers.CharField()
    source_explain = serializers.CharField()
    acceptance_standard = serializers.CharField()
    optional_case = serializers.CharField()
    situation_labels = serializers.ListField(child=serializers.CharField())
    blank_form_url = serializers.CharField()
    sample_url = serializers.CharField()
    certificate_type = serializers.CharField()


class OptionOutSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    text = serializers.CharField(source="label")
    conditions = serializers.CharField()
    materials = serializers.SerializerMethodField()

    def get_materials(self, option: Any) -> list[str]:
        return [m.key for m in option.materials.all()]


class SituationOutSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    text = serializers.CharField()
    hint = serializers.CharField(source="help")
    options = OptionOutSerializer(many=True)


GUIDE_FIELDS = (
    "short_name", "aliases", "summary", "matter_type", "exercise_level", "power_source", "service_objects",
    "handling_forms", "case_type", "joint_mode", "statutory_limit", "statutory_unit", "statutory_explain",
    "promised_limit", "promised_unit", "promised_explain", "special_procedure", "visits_required",
    "visits_explain", "is_online", "online_depth", "supports_express", "supports_appointment",
    "appointment_rule", "supports_self_service", "handle_area", "legal_basis", "conditions",
    "quantity_limit", "process_description", "is_fee", "fee_basis", "pay_online", "result_type",
    "result_name", "result_is_electronic", "result_certificate_type", "result_delivery", "address",
    "office_hours", "consult_phone", "consult_ways", "complaint_phone", "complaint_ways",
    "review_authority", "review_phone", "litigation_court", "rights_and_duties",
)  # fmt: skip


class MatterGuideSerializer(serializers.ModelSerializer[MatterVersion]):
    """Every guide element, materials and situations of a matter's current published version."""

    implementation_code = serializers.CharField(source="matter.implementation_code")
    catalog_code = serializers.CharField(source="matter.catalog_code")
    local_catalog_code = serializers.CharField(source="matter.local_catalog_code")
    local_implementation_code = serializers.CharField(source="matter.local_implementation_code")
    version = serializers.IntegerField(source="number")
    department = DepartmentSerializer(source="matter.department")
    region = serializers.CharField(source="matter.region.code")
    topics = serializers.SerializerMethodField()
    life_events = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField()
    fees = FeeSerializer(many=True)
    steps = StepSerializer(many=True)
    faqs = FaqSerializer(many=True)
    situations = SituationOutSerializer(many=True)

    class Meta:
        model = MatterVersion
        fields = (
            "implementation_code", "catalog_code", "local_catalog_code", "local_implementation_code",
            "name", "version", "published_at", "department", "region", *GUIDE_FIELDS,
            "topics", "life_events", "materials", "fees", "steps", "faqs", "situations",
        )  # fmt: skip
        read_only_fields = fields

    def get_topics(self, version: MatterVersion) -> list[str]:
        return [t.code for t in version.topics.all()]

    def get_life_events(self, version: MatterVersion) -> list[str]:
        return [e.code for e in version.life_events.all()]

    def get_materials(self, version: MatterVersion) -> list[dict[str, Any]]:
        by_material = situation_options_by_material(version)
        return [
            dict(MaterialOutSerializer(notice_material(m, by_material.get(m.pk, []))).data)
            for m in version.materials.all()
        ]
