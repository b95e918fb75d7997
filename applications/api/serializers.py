"""Output serializers (read-only) and input serializers (plain) of the applications API."""

from typing import Any

from rest_framework import serializers

from applications import presentation
from applications.choices import DeliveryMethod, MaterialSource, NotAcceptedKind, SpecialKind
from applications.models import Application, ApplicationMaterial
from core.identifiers import mask_name


class MaterialOutputSerializer(serializers.ModelSerializer[ApplicationMaterial]):
    class Meta:
        model = ApplicationMaterial
        fields = (
            "id", "material_key", "material_name", "source", "original_name", "content_type",
            "size", "sha256", "provided_at", "due_on",
        )  # fmt: skip
        read_only_fields = fields


class TimelineEntrySerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    title = serializers.CharField()
    text = serializers.CharField()
    note = serializers.CharField()


class ApplicationSummarySerializer(serializers.ModelSerializer[Application]):
    matter = serializers.CharField(source="matter.implementation_code", read_only=True)
    matter_name = serializers.CharField(source="version.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields: tuple[str, ...] = (
            "id", "reference", "query_no", "matter", "matter_name", "status", "status_label",
            "channel", "received_at", "intake_deadline", "accepted_at", "promise_deadline",
            "legal_deadline", "decided_at", "completed_at",
        )  # fmt: skip
        read_only_fields: tuple[str, ...] = fields


class ApplicationDetailSerializer(ApplicationSummarySerializer):
    """One application as its applicant sees it: answers, materials, deadlines and the timeline."""

    applicant_name = serializers.SerializerMethodField()
    applicant_id_number = serializers.CharField(source="masked_id_number", read_only=True)
    answers = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    next_step = serializers.SerializerMethodField()

    class Meta(ApplicationSummarySerializer.Meta):
        fields = (
            *ApplicationSummarySerializer.Meta.fields,
            "applicant_name", "applicant_id_number", "situation", "answers", "delivery_method",
            "delivery_address", "decision_reason", "remedy_text", "competent_authority",
            "deemed_accepted", "auto_approved", "extension_days", "paused_working_days",
            "materials", "timeline", "next_step",
        )  # fmt: skip
        read_only_fields = fields

    def get_applicant_name(self, obj: Application) -> str:
        return mask_name(obj.applicant_name)

    def get_answers(self, obj: Application) -> dict[str, str]:
        """The form answers; ID numbers and mobiles masked (DOMAIN §8.5)."""
        kinds = {f.key: f.field_type for f in obj.version.form_fields.all()}
        return {
            key: presentation.masked_personal_number(kinds.get(key, ""), value)
            for key, value in obj.answers.items()
        }

    def get_materials(self, obj: Application) -> list[dict[str, Any]]:
        current = [m for m in obj.materials.all() if m.superseded_at is None]
        return list(MaterialOutputSerializer(current, many=True).data)

    def get_timeline(self, obj: Application) -> list[dict[str, Any]]:
        events = sorted(obj.events.all(), key=lambda e: (e.at, e.pk))
        entries = presentation.timeline_for_citizen(events)
        return list(TimelineEntrySerializer(entries, many=True).data)

    def get_next_step(self, obj: Application) -> str:
        return presentation.next_step_text(obj)


class DraftCreateSerializer(serializers.Serializer[Any]):
    matter = serializers.CharField(max_length=36, help_text="事项实施编码")
    client_key = serializers.CharField(
        max_length=64, required=False, default="", help_text="幂等键：同一键重复请求只建一份草稿"
    )


class DraftUpdateSerializer(serializers.Serializer[Any]):
    situation = serializers.DictField(
        child=serializers.CharField(max_length=16), required=False, help_text="问题编号 → 选项编号"
    )
    answers = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True),
        required=False,
        help_text="字段编号 → 内容",
    )
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices, required=False)
    delivery_address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class MaterialInputSerializer(serializers.Serializer[Any]):
    material_key = serializers.CharField(max_length=16)
    file = serializers.FileField(required=False, help_text="上传的材料文件（PDF、JPG、PNG、OFD）")
    alternative = serializers.ChoiceField(
        choices=[MaterialSource.DEFICIENCY, MaterialSource.COMMITMENT],
        required=False,
        help_text="不上传文件时：容缺后补或告知承诺",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("file") and not attrs.get("alternative"):
            raise serializers.ValidationError({"file": ["请选择要上传的文件。"]})
        return attrs


class SupplementAnswerSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True), required=False
    )


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")


class OpinionSerializer(serializers.Serializer[Any]):
    opinion = serializers.CharField(max_length=2000, allow_blank=True, default="")


class NotAcceptSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=NotAcceptedKind.choices)
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")
    competent_authority = serializers.CharField(max_length=200, allow_blank=True, default="")


class SupplementItemSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["material", "field"], default="material")
    key = serializers.CharField(max_length=32)
    reason = serializers.CharField(max_length=500, allow_blank=True, default="")


class SupplementRequestSerializer(serializers.Serializer[Any]):
    items = SupplementItemSerializer(many=True, allow_empty=True)
    respond_within = serializers.IntegerField(min_value=1, max_value=60, default=20)


class SuspendSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=SpecialKind.choices)
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")
    expected_days = serializers.IntegerField(min_value=1, max_value=120)


class ResumeSerializer(serializers.Serializer[Any]):
    result = serializers.CharField(max_length=2000, allow_blank=True, default="")


class ExtendSerializer(serializers.Serializer[Any]):
    days = serializers.IntegerField(min_value=1, max_value=10)
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")


class DeliverSerializer(serializers.Serializer[Any]):
    delivery_method = serializers.ChoiceField(
        choices=DeliveryMethod.choices, required=False, default=""
    )
    note = serializers.CharField(max_length=500, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer[Any]):
    assignee = serializers.IntegerField(min_value=1)


class EmptySerializer(serializers.Serializer[Any]):
    pass


class CaseStateSerializer(serializers.ModelSerializer[Application]):
    """What a clerk's action returns: the case's state afterwards."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = (
            "id", "reference", "status", "status_label", "step_index", "step_count",
            "assignee", "intake_deadline", "promise_deadline", "legal_deadline",
            "delivery_deadline", "extension_days", "paused_working_days",
        )  # fmt: skip
        read_only_fields = fields
