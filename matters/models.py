"""The service catalogue: regions, departments, topics, life events, matters and their versions.

A `Matter` is the stable identity of a 政务服务事项 (its codes and implementing department); each
`MatterVersion` carries the full 办事指南. A published version is immutable: changes go into a new
draft that is published as the next version (DOMAIN §2.4 task_version).
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel
from matters.choices import (
    Audience,
    BundleOrder,
    CaseType,
    DepartmentKind,
    ExerciseLevel,
    FieldType,
    HandleArea,
    JointMode,
    MaterialForm,
    MaterialSource,
    MaterialType,
    MatterStatus,
    MatterType,
    Necessity,
    OnlineDepth,
    Prefill,
    RegionLevel,
    ResultType,
    StepKind,
    TimeUnit,
    VersionStatus,
)


class Region(BaseModel):
    """A GB/T 2260 administrative division (6 digits), or a town (9) or village (12) below it."""

    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=8, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="children",
    )  # fmt: skip

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=RegionLevel.values), name="region_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Department(BaseModel):
    """An implementing agency (实施主体), identified by its 统一社会信用代码 (DOMAIN §8.3)."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="departments"
    )
    kind = models.CharField(
        _("实施主体性质"),
        max_length=1,
        choices=DepartmentKind.choices,
        default=DepartmentKind.STATUTORY,
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    website = models.URLField(_("网站"), blank=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DepartmentKind.values), name="department_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentMembership(BaseModel):
    """A staff member acting in a role for a department: the scope of their staff role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="department_memberships"
    )
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32)

    class Meta:
        verbose_name = _("部门人员")
        verbose_name_plural = _("部门人员")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "role"], name="membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.department_id}:{self.role}"


class Topic(BaseModel):
    """A theme (主题分类) for browsing, for natural persons or for legal persons."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    audience = models.CharField(_("面向"), max_length=8, choices=Audience.choices)
    order = models.PositiveIntegerField(_("排序"), default=0)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="topic_audience_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LifeEvent(BaseModel):
    """A life event of a person (出生, 退休) or of a company (开办, 注销) that groups matters."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    audience = models.CharField(_("面向"), max_length=8, choices=Audience.choices)
    order = models.PositiveIntegerField(_("排序"), default=0)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("人生事件")
        verbose_name_plural = _("人生事件")
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="lifeevent_audience_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Synonym(BaseModel):
    """A citizen's word and the catalogue words it means, for search (开饭店 → 餐饮, 食品经营)."""

    term = models.CharField(_("群众用语"), max_length=32, unique=True)
    expansions = models.JSONField(_("对应事项用语"), default=list)

    class Meta:
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")

    def __str__(self) -> str:
        return self.term


class MatterQuerySet(models.QuerySet["Matter"]):
    def visible(self) -> Self:
        """Matters citizens may see: in use, with a published version."""
        return self.filter(status=MatterStatus.IN_USE, current_version__isnull=False)


class Matter(BaseModel):
    """The stable identity of a 政务服务事项 as implemented by one department (实施清单事项)."""

    implementation_code = models.CharField(_("实施编码"), max_length=36, unique=True)
    catalog_code = models.CharField(_("基本编码"), max_length=12, db_index=True)
    local_catalog_code = models.CharField(_("地方基本编码"), max_length=50, blank=True)
    local_implementation_code = models.CharField(_("地方实施编码"), max_length=50, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="matters"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="matters"
    )
    status = models.CharField(
        _("事项状态"), max_length=8, choices=MatterStatus.choices, default=MatterStatus.DRAFT
    )
    current_version = models.OneToOneField(
        "MatterVersion", verbose_name=_("当前发布版本"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    retired_reason = models.CharField(_("停用原因"), max_length=200, blank=True)
    # How often citizens open the guide; ranks search results of equal relevance.
    popularity = models.PositiveIntegerField(_("热度"), default=0)

    objects = MatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        permissions = [
            ("retire_matter", _("可以停用事项")),
            ("import_catalogue", _("可以导入事项目录")),
            ("export_catalogue", _("可以导出事项目录")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MatterStatus.values), name="matter_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=MatterStatus.DRAFT) | Q(current_version__isnull=False),
                name="matter_published_has_version",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "department"], name="matter_status_dept"),
            models.Index(fields=["updated_at"], name="matter_updated"),  # the search fingerprint
        ]

    def __str__(self) -> str:
        return self.implementation_code


class MatterVersionQuerySet(models.QuerySet["MatterVersion"]):
    def published(self) -> Self:
        return self.filter(status=VersionStatus.PUBLISHED)

    def current(self) -> Self:
        """The guide citizens see: the current published version of each matter in use."""
        return self.filter(
            status=VersionStatus.PUBLISHED,
            matter__status=MatterStatus.IN_USE,
            matter__current_version=models.F("pk"),
        )


class MatterVersion(BaseModel):
    """One version of a matter's 办事指南 with every element of DOMAIN §2.4."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("版本状态"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    # A. identity & classification
    name = models.CharField(_("事项名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    aliases = models.JSONField(_("别名/关键词"), default=list, blank=True)
    summary = models.CharField(_("简介"), max_length=300, blank=True)
    matter_type = models.CharField(_("事项类型"), max_length=2, choices=MatterType.choices)
    exercise_level = models.CharField(_("行使层级"), max_length=1, choices=ExerciseLevel.choices)
    power_source = models.CharField(_("权力来源"), max_length=32, blank=True)
    service_objects = models.JSONField(_("服务对象"), default=list)
    for_person = models.BooleanField(_("面向个人"), default=False, editable=False)
    for_legal = models.BooleanField(_("面向法人"), default=False, editable=False)
    handling_forms = models.JSONField(_("办理形式"), default=list)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("主题"), blank=True, related_name="versions"
    )
    life_events = models.ManyToManyField(
        LifeEvent, verbose_name=_("人生事件"), blank=True, related_name="versions"
    )

    # C. conditions, process, time
    conditions = models.TextField(_("受理条件"), blank=True)
    quantity_limit = models.TextField(_("数量限制"), blank=True)
    process_description = models.TextField(_("办理流程"), blank=True)
    case_type = models.CharField(
        _("办件类型"), max_length=1, choices=CaseType.choices, default=CaseType.PROMISED
    )
    joint_mode = models.CharField(
        _("联办方式"), max_length=8, choices=JointMode.choices, default=JointMode.NONE
    )
    statutory_limit = models.PositiveIntegerField(_("法定办结时限"), null=True, blank=True)
    statutory_unit = models.CharField(
        _("法定时限单位"), max_length=2, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    statutory_explain = models.TextField(_("法定时限说明"), blank=True)
    promised_limit = models.PositiveIntegerField(_("承诺办结时限"), null=True, blank=True)
    promised_unit = models.CharField(
        _("承诺时限单位"), max_length=2, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    promised_explain = models.TextField(_("承诺时限说明"), blank=True)
    special_procedure = models.TextField(_("特别程序"), blank=True)
    visits_required = models.PositiveSmallIntegerField(_("到办事现场次数"), null=True, blank=True)
    visits_explain = models.TextField(_("必须现场办理原因"), blank=True)

    # D. fees
    is_fee = models.BooleanField(_("是否收费"), default=False)
    fee_basis = models.TextField(_("收费依据"), blank=True)
    pay_online = models.BooleanField(_("支持网上支付"), default=False)

    # E. channels
    is_online = models.BooleanField(_("支持网上办理"), default=False)
    online_depth = models.CharField(
        _("网上办理深度"), max_length=1, choices=OnlineDepth.choices, blank=True
    )
    supports_express = models.BooleanField(_("支持物流快递"), default=False)
    supports_appointment = models.BooleanField(_("支持预约办理"), default=False)
    appointment_rule = models.TextField(_("预约规则"), blank=True)
    supports_self_service = models.BooleanField(_("支持自助终端"), default=False)
    handle_area = models.CharField(
        _("通办范围"), max_length=16, choices=HandleArea.choices, blank=True
    )
    address = models.CharField(_("办理地点"), max_length=300, blank=True)
    office_hours = models.CharField(_("办理时间"), max_length=200, blank=True)

    # F. result
    result_type = models.CharField(
        _("审批结果类型"), max_length=16, choices=ResultType.choices, blank=True
    )
    result_name = models.CharField(_("结果名称"), max_length=200, blank=True)
    result_is_electronic = models.BooleanField(_("电子证照"), default=False)
    result_certificate_type = models.CharField(_("证照类型代码"), max_length=40, blank=True)
    result_delivery = models.TextField(_("结果送达"), blank=True)

    # G. contact, supervision, remedies
    consult_phone = models.CharField(_("咨询电话"), max_length=64, blank=True)
    consult_ways = models.CharField(_("咨询方式"), max_length=200, blank=True)
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=64, blank=True)
    complaint_ways = models.CharField(_("监督投诉方式"), max_length=200, blank=True)
    review_authority = models.CharField(_("行政复议机关"), max_length=200, blank=True)
    review_phone = models.CharField(_("行政复议电话"), max_length=64, blank=True)
    litigation_court = models.CharField(_("行政诉讼法院"), max_length=200, blank=True)
    rights_and_duties = models.TextField(_("申请人权利和义务"), blank=True)

    # 秒批 (DOMAIN §4.6): conditions over form values, all of which must hold for the system to
    # accept and approve a submission without a person. Empty: every case goes to a clerk.
    auto_approve_rules = models.JSONField(
        _("秒批规则"),
        default=list,
        blank=True,
        help_text=_(
            "全部满足时系统自动受理并准予。每条规则形如"
            ' {"field": "applicant.age", "op": ">=", "value": 60}；'
            "field 可为表单字段编号或 applicant.age。"
        ),
    )

    objects = MatterVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        permissions = [("publish_matterversion", _("可以发布事项版本"))]
        indexes = [models.Index(fields=["status", "updated_at"], name="version_status_updated")]
        constraints = [
            models.UniqueConstraint(fields=["matter", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["matter"],
                condition=Q(status=VersionStatus.DRAFT),
                name="one_draft_per_matter",
            ),
            models.CheckConstraint(
                condition=Q(status__in=VersionStatus.values), name="version_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT) | Q(published_at__isnull=False),
                name="version_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(matter_type__in=MatterType.values), name="version_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(case_type__in=CaseType.values), name="version_case_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(promised_limit__isnull=True)
                | Q(statutory_limit__isnull=True)
                | ~Q(promised_unit=models.F("statutory_unit"))
                | Q(promised_limit__lte=models.F("statutory_limit")),
                name="version_promise_within_statute",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def sync_audience(self) -> None:
        """Derive the person/legal flags used by the filters from the service objects (in memory)."""
        objects = set(self.service_objects or [])
        self.for_person = "1" in objects
        self.for_legal = bool(objects - {"1"})


class VersionChild(models.Model):
    """Rows that belong to one matter version and are ordered within it."""

    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        abstract = True


class Material(VersionChild):
    """A 申请材料 of a matter version (DOMAIN §2.5)."""

    version = models.ForeignKey(MatterVersion, on_delete=models.CASCADE, related_name="materials")
    key = models.CharField(
        _("材料编号"), max_length=16, help_text=_("同一版本内唯一，情形引导据此引用材料。")
    )
    name = models.CharField(_("材料名称"), max_length=200)
    material_type = models.CharField(
        _("材料类型"), max_length=1, choices=MaterialType.choices, default=MaterialType.ORIGINAL
    )
    material_form = models.CharField(
        _("材料形式"), max_length=1, choices=MaterialForm.choices, default=MaterialForm.ELECTRONIC
    )
    necessity = models.CharField(
        _("材料必要性"), max_length=1, choices=Necessity.choices, default=Necessity.REQUIRED
    )
    optional_case = models.CharField(_("非必要时的办理情形"), max_length=300, blank=True)
    original_copies = models.PositiveSmallIntegerField(_("原件份数"), default=0)
    copy_copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    paper_format = models.CharField(_("纸质规格"), max_length=16, blank=True)
    source = models.CharField(
        _("来源渠道"),
        max_length=2,
        choices=MaterialSource.choices,
        default=MaterialSource.APPLICANT,
    )
    source_explain = models.CharField(_("来源渠道说明"), max_length=300, blank=True)
    issuer = models.CharField(_("出具机构"), max_length=200, blank=True)
    fill_explain = models.TextField(_("填报须知"), blank=True)
    acceptance_standard = models.TextField(_("受理标准"), blank=True)
    legal_basis = models.TextField(_("要求提供材料的依据"), blank=True)
    certificate_type = models.CharField(_("可替代的证照类型代码"), max_length=40, blank=True)
    commitment_allowed = models.BooleanField(
        _("可告知承诺"), default=False, help_text=_("申请人可签署承诺书代替提交该材料。")
    )
    blank_form = models.FileField(_("空白表格"), upload_to="matters/forms/", blank=True)
    sample = models.FileField(_("示例样表"), upload_to="matters/samples/", blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="material_key_unique"),
            models.CheckConstraint(
                condition=Q(necessity__in=Necessity.values), name="material_necessity_valid"
            ),
            models.CheckConstraint(
                condition=Q(material_type__in=MaterialType.values), name="material_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(material_form__in=MaterialForm.values), name="material_form_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=MaterialSource.values), name="material_source_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="material_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class Fee(VersionChild):
    version = models.ForeignKey(MatterVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("收费项目"), max_length=200)
    standard = models.CharField(_("收费标准"), max_length=300)
    basis = models.TextField(_("收费依据"), blank=True)
    reducible = models.BooleanField(_("允许减免"), default=False)
    reduction_basis = models.TextField(_("减免依据"), blank=True)

    class Meta:
        verbose_name = _("收费项目")
        verbose_name_plural = _("收费项目")

    def __str__(self) -> str:
        return self.name


class ProcessStep(VersionChild):
    """A 办理环节: drives the internal workflow and the per-step deadline alerts."""

    version = models.ForeignKey(MatterVersion, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(_("环节名称"), max_length=64)
    kind = models.CharField(
        _("环节类型"), max_length=8, choices=StepKind.choices, default=StepKind.REVIEW
    )
    role = models.CharField(
        _("办理角色"),
        max_length=32,
        blank=True,
        help_text=_(
            "由哪个岗位办理；留空时按环节类型：受理、送达为窗口人员，审查为审查人员，决定为审批人员。"
        ),
    )
    handler = models.CharField(_("办理处室/岗位"), max_length=128, blank=True)
    time_limit = models.PositiveIntegerField(_("环节时限"), default=0)
    unit = models.CharField(
        _("时限单位"), max_length=2, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    has_special = models.BooleanField(_("有特别程序"), default=False)
    special_explain = models.CharField(_("特别程序说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=StepKind.values), name="step_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Faq(VersionChild):
    version = models.ForeignKey(MatterVersion, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("问题"), max_length=300)
    answer = models.TextField(_("解答"))

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")

    def __str__(self) -> str:
        return self.question


class SituationQuestion(VersionChild):
    """A 情形引导 question; its options decide which materials and conditions apply."""

    version = models.ForeignKey(MatterVersion, on_delete=models.CASCADE, related_name="situations")
    key = models.CharField(_("问题编号"), max_length=16)
    text = models.CharField(_("问题"), max_length=200)
    help = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("情形问题")
        verbose_name_plural = _("情形问题")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="situation_key_unique")
        ]

    def __str__(self) -> str:
        return self.text


class SituationOption(VersionChild):
    question = models.ForeignKey(
        SituationQuestion, on_delete=models.CASCADE, related_name="options"
    )
    key = models.CharField(_("选项编号"), max_length=16)
    label = models.CharField(_("选项"), max_length=200)
    materials = models.ManyToManyField(
        Material, verbose_name=_("该情形需要的材料"), blank=True, related_name="situation_options"
    )
    conditions = models.TextField(_("该情形的附加条件"), blank=True)

    class Meta:
        verbose_name = _("情形选项")
        verbose_name_plural = _("情形选项")
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="option_key_unique")
        ]

    def __str__(self) -> str:
        return self.label


class FormField(VersionChild):
    """A question of the matter's application form (申请表). Fields the portal knows from the
    applicant's identity are prefilled; a field can be shown only for one situation answer."""

    version = models.ForeignKey(MatterVersion, on_delete=models.CASCADE, related_name="form_fields")
    key = models.SlugField(
        _("字段编号"), max_length=32, help_text=_("同一版本内唯一，秒批规则据此引用字段。")
    )
    label = models.CharField(_("标题"), max_length=100)
    field_type = models.CharField(
        _("字段类型"), max_length=10, choices=FieldType.choices, default=FieldType.TEXT
    )
    required = models.BooleanField(_("必填"), default=True)
    help_text = models.CharField(_("填写说明"), max_length=300, blank=True)
    choices = models.JSONField(_("选项"), default=list, blank=True, help_text=_("单选字段的选项。"))
    min_length = models.PositiveIntegerField(_("最少字数"), null=True, blank=True)
    max_length = models.PositiveIntegerField(_("最多字数"), null=True, blank=True)
    min_value = models.DecimalField(
        _("最小值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("最大值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    pattern = models.CharField(_("格式（正则表达式）"), max_length=200, blank=True)
    pattern_message = models.CharField(_("格式不符时的提示"), max_length=200, blank=True)
    prefill = models.CharField(
        _("预填"), max_length=10, choices=Prefill.choices, default=Prefill.NONE, blank=True
    )
    visible_when = models.CharField(
        _("显示条件"),
        max_length=40,
        blank=True,
        help_text=_("仅在某个情形选项被选中时显示，写作“问题编号=选项编号”，如 Q1=A。"),
    )

    class Meta:
        verbose_name = _("表单字段")
        verbose_name_plural = _("表单字段")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="form_field_key_unique"),
            models.CheckConstraint(
                condition=Q(field_type__in=FieldType.values), name="form_field_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(prefill__in=Prefill.values), name="form_field_prefill_valid"
            ),
            models.CheckConstraint(condition=~Q(label=""), name="form_field_label_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.label}"


class GuideSnapshot(models.Model):
    """The 办事指南 body of one published version in one language, rendered once and served as is.

    A published version never changes, so its guide is rendered when it is published (or on the
    first visit that finds no body) rather than on every visit. `fingerprint` names what else the
    body shows — the department, the template and its translations — so a change to any of them
    renders it again (matters/snapshots.py).
    """

    version = models.ForeignKey(
        MatterVersion, on_delete=models.CASCADE, related_name="guide_snapshots",
        db_index=False,  # the unique (version, language) index serves lookups by version
    )  # fmt: skip
    language = models.CharField(_("语言"), max_length=16)
    fingerprint = models.CharField(_("指纹"), max_length=32)
    body = models.TextField(_("正文"))

    class Meta:
        verbose_name = _("办事指南快照")
        verbose_name_plural = _("办事指南快照")
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="guide_snapshot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}:{self.language}"


class Bundle(BaseModel):
    """一件事一次办 (DOMAIN §4.2): several published matters of several departments that an
    applicant asks for with one form and one set of materials. Form fields with the same key are
    asked once; materials with the same name are uploaded once (一表申请、一套材料)."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    summary = models.CharField(_("简介"), max_length=300, blank=True)
    audience = models.CharField(_("面向"), max_length=8, choices=Audience.choices)
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头部门")
    )
    order_mode = models.CharField(
        _("办理顺序"), max_length=12, choices=BundleOrder.choices, default=BundleOrder.PARALLEL
    )
    is_published = models.BooleanField(_("已发布"), default=False)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(order_mode__in=BundleOrder.values), name="bundle_order_valid"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="bundle_audience_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    """One matter of a bundle. `depends_on` names items whose approval it waits for (only when
    the bundle runs by dependencies)."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="items")
    matter = models.ForeignKey(
        Matter, on_delete=models.PROTECT, related_name="bundle_items", verbose_name=_("事项")
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="+", verbose_name=_("前置事项")
    )

    class Meta:
        verbose_name = _("一件事包含的事项")
        verbose_name_plural = _("一件事包含的事项")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "matter"], name="bundle_matter_once"),
        ]

    def __str__(self) -> str:
        version = self.matter.current_version
        return version.name if version is not None else self.matter.implementation_code
