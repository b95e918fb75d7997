"""Applications (办件): the applicant's answers and materials, the workflow state, the deadlines and
the append-only trail.

State changes happen only through the django-fsm-2 transitions below. They are pure: they set
fields in memory and never save, send or enqueue. `applications.services` locks the row, checks
access, runs the transition, saves and writes the trail event in one transaction (STYLE R5).
"""

from datetime import datetime
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from django_fsm import FSMField, FSMModelMixin, transition

from applications.choices import (
    PRE_DECISION_STATUSES,
    BundleStatus,
    Channel,
    DeliveryMethod,
    EventKind,
    MaterialSource,
    NotAcceptedKind,
    NoticeStatus,
    SpecialKind,
    Status,
)
from certificates.models import Certificate
from core.crypto import EncryptedCharField, EncryptedJSONField
from core.identifiers import mask_mobile, mask_resident_id
from core.models import BaseModel
from matters.models import Bundle, Department, Matter, MatterVersion


class BundleApplication(BaseModel):
    """One 一件事 as the applicant asked for it (母件): one form, one set of materials, fanned out
    into one case (子件) per matter, each with its own department and legal clocks (DOMAIN §4.2)."""

    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(
        _("一件事申报号"), max_length=40, unique=True, null=True, blank=True
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bundle_applications"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=BundleStatus.choices, default=BundleStatus.DRAFT
    )
    # The one form's answers (names, ID numbers, addresses): encrypted at rest (core.crypto).
    answers = EncryptedJSONField(_("一表申请内容"), default=dict, blank=True)
    client_key = models.CharField(_("幂等键"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("全部办结时间"), null=True, blank=True)
    # The 补正 notices already told to the applicant in one combined message (一次告知).
    notices_told = models.JSONField(_("已告知的补正通知"), default=list, blank=True)

    class Meta:
        verbose_name = _("一件事申请")
        verbose_name_plural = _("一件事申请")
        indexes = [models.Index(fields=["applicant", "status"], name="bundle_app_by_applicant")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BundleStatus.values), name="bundle_app_status_valid"
            ),
            models.UniqueConstraint(
                fields=["filed_by", "client_key"],
                condition=~Q(client_key=""),
                name="bundle_app_client_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.reference or _('草稿')}"


class ApplicationQuerySet(models.QuerySet["Application"]):
    def submitted(self) -> Self:
        return self.exclude(status=Status.DRAFT)

    def open(self) -> Self:
        return self.filter(status__in=[*PRE_DECISION_STATUSES, Status.APPROVED, Status.REJECTED])


class Application(FSMModelMixin, BaseModel):
    """One 办件: an applicant's request for one matter, pinned to the guide version it was filed under."""

    reference = models.CharField(_("申报号"), max_length=50, unique=True, null=True, blank=True)
    query_no = models.CharField(_("查询号"), max_length=16, unique=True, null=True, blank=True)
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="applications")
    version = models.ForeignKey(
        MatterVersion, on_delete=models.PROTECT, related_name="applications"
    )
    # The handling department, copied from the matter so queues filter on one indexed column.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        help_text=_("申请人的门户账户；窗口代为收件且申请人没有账户时为空。"),
    )
    # Identity as filed (snapshot): a later change of the account does not rewrite the case.
    applicant_name = models.CharField(_("申请人姓名"), max_length=64)
    # Encrypted at rest (core.crypto); nothing looks cases up by them, so no blind index.
    applicant_id_number = EncryptedCharField(_("申请人证件号码"), max_length=18)
    applicant_mobile = EncryptedCharField(_("申请人手机号码"), max_length=11, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications_filed",
        help_text=_("实际提交的人：申请人本人或代为收件的窗口人员。"),
    )
    channel = models.CharField(
        _("申报渠道"), max_length=8, choices=Channel.choices, default=Channel.ONLINE
    )
    client_key = models.CharField(
        _("幂等键"), max_length=64, blank=True, help_text=_("同一申请人重复提交同一键只建一件。")
    )

    status = FSMField(
        _("状态"), max_length=24, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    situation = models.JSONField(_("情形"), default=dict, blank=True)
    # Encrypted at rest like the identity (core.crypto): answers repeat it and add addresses.
    answers = EncryptedJSONField(_("表单内容"), default=dict, blank=True)
    delivery_method = models.CharField(
        _("送达方式"), max_length=10, choices=DeliveryMethod.choices, blank=True
    )
    delivery_address = models.CharField(_("邮寄地址"), max_length=200, blank=True)

    # The workflow's own times (DOMAIN §3.3). Deadlines are the end of a working day, aware.
    received_at = models.DateTimeField(_("收件时间"), null=True, blank=True)
    intake_deadline = models.DateTimeField(_("受理期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("视为受理"), default=False)
    promise_deadline = models.DateTimeField(_("承诺办结期限"), null=True, blank=True)
    legal_deadline = models.DateTimeField(_("法定办结期限"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("特别程序暂停工作日"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日"), default=0)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    delivery_deadline = models.DateTimeField(_("送达期限"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    # Retention (applications.retention): when the identity, answers and files were removed.
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True)

    step_index = models.PositiveSmallIntegerField(_("当前审查环节"), default=0)
    # The length of the version's review chain (applications.workflow), fixed at submission.
    step_count = models.PositiveSmallIntegerField(_("审查环节数"), default=1)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications_assigned",
        verbose_name=_("承办人"),
    )
    not_accepted_kind = models.CharField(
        _("不予受理情形"), max_length=20, choices=NotAcceptedKind.choices, blank=True
    )
    competent_authority = models.CharField(_("有权受理的机关"), max_length=200, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    remedy_text = models.TextField(_("救济途径"), blank=True)
    auto_approved = models.BooleanField(_("秒批"), default=False)
    # The decision taken (APPROVED or REJECTED), kept once the case is delivered and completed.
    outcome = models.CharField(_("决定结果"), max_length=10, blank=True, db_default="")
    # When the current review step began (电子监察 of 环节时限).
    step_started_at = models.DateTimeField(_("当前环节开始时间"), null=True, blank=True)
    bundle_application = models.ForeignKey(
        BundleApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("所属一件事"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        permissions = [
            ("file_application", _("可以窗口代为收件")),
            ("receive_application", _("可以受理、不予受理、要求补正")),
            ("review_application", _("可以办理审查环节")),
            ("decide_application", _("可以作出许可决定")),
            ("extend_application", _("可以批准延长办理期限")),
            ("deliver_application", _("可以送达办结")),
            ("assign_application", _("可以分派办件")),
            ("void_application", _("可以作废办件")),
        ]
        indexes = [
            # The workbench queues: one per running clock, so each tab sorts from an index.
            models.Index(
                fields=["department", "status", "promise_deadline"], name="application_queue"
            ),
            models.Index(
                fields=["department", "status", "intake_deadline"], name="application_intake_queue"
            ),
            models.Index(
                fields=["department", "status", "delivery_deadline"],
                name="application_delivery_queue",
            ),
            # The 已办结 tab: cases of a department closed or completed lately.
            models.Index(fields=["department", "completed_at"], name="application_completed"),
            models.Index(fields=["department", "closed_at"], name="application_closed"),
            models.Index(  # the 已办结 tab: per department, by when the case ended
                F("department"),
                Coalesce("completed_at", "closed_at").desc(),
                F("id").desc(),
                name="application_done_queue",
            ),
            models.Index(fields=["applicant", "status"], name="application_by_applicant"),
            # The daily statistics read the cases changed since a day (supervision.statistics).
            models.Index(fields=["updated_at"], name="application_touched"),
            models.Index(
                fields=["status", "intake_deadline"],
                name="application_intake_watch",
                condition=Q(status=Status.RECEIVED),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="application_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(delivery_method__in=[*DeliveryMethod.values, ""]),
                name="application_delivery_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(reference__isnull=False),
                name="application_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=Q(extension_days__lte=15), name="application_extension_at_most_15"
            ),
            models.UniqueConstraint(
                fields=["filed_by", "client_key"],
                condition=~Q(client_key=""),
                name="application_client_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.reference or _('草稿')}"

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.applicant_id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.applicant_mobile)

    @property
    def is_terminal(self) -> bool:
        return self.status in {
            Status.COMPLETED,
            Status.NOT_ACCEPTED,
            Status.RETURNED,
            Status.WITHDRAWN,
            Status.VOID,
        }

    # --- transitions (pure: fields in memory only) ------------------------------------------

    @transition(field=status, source=Status.DRAFT, target=Status.RECEIVED)
    def submit(
        self, *, at: datetime, reference: str, query_no: str, intake_deadline: datetime
    ) -> None:
        self.received_at = at
        self.reference, self.query_no = reference, query_no
        self.intake_deadline = intake_deadline

    @transition(field=status, source=Status.RECEIVED, target=Status.IN_REVIEW)
    def accept(
        self,
        *,
        at: datetime,
        promise_deadline: datetime,
        legal_deadline: datetime,
        deemed: bool = False,
    ) -> None:
        self.accepted_at = at
        self.deemed_accepted = deemed
        self.promise_deadline, self.legal_deadline = promise_deadline, legal_deadline
        self.intake_deadline = None
        self.step_index = 0
        self.step_started_at = at

    @transition(field=status, source=Status.RECEIVED, target=Status.NOT_ACCEPTED)
    def not_accept(
        self, *, at: datetime, kind: str, reason: str, competent_authority: str, remedy_text: str
    ) -> None:
        self.not_accepted_kind = kind
        self.decision_reason, self.remedy_text = reason, remedy_text
        self.competent_authority = competent_authority
        self.closed_at = at
        self.intake_deadline = None

    @transition(field=status, source=Status.RECEIVED, target=Status.SUPPLEMENT_REQUIRED)
    def request_supplement(self) -> None:
        self.intake_deadline = None  # the intake clock stops until the supplements arrive

    @transition(field=status, source=Status.SUPPLEMENT_REQUIRED, target=Status.RECEIVED)
    def resubmit(self, *, at: datetime, intake_deadline: datetime) -> None:
        # The acceptance date after 补正 is the day the complete supplements arrived (DOMAIN §3.1).
        self.received_at = at
        self.intake_deadline = intake_deadline

    @transition(field=status, source=Status.SUPPLEMENT_REQUIRED, target=Status.RETURNED)
    def return_unanswered(self, *, at: datetime) -> None:
        self.closed_at = at

    def _can_move_on(self: Any) -> bool:
        return bool(self.step_count > self.step_index + 1)

    def _can_go_back(self: Any) -> bool:
        return bool(self.step_index > 0)

    def _at_last_step(self: Any) -> bool:
        return bool(self.step_index + 1 >= self.step_count)

    @transition(
        field=status, source=Status.IN_REVIEW, target=Status.IN_REVIEW, conditions=[_can_move_on]
    )
    def pass_step(self, *, at: datetime) -> None:
        self.step_index += 1
        self.assignee = None
        self.step_started_at = at

    @transition(
        field=status, source=Status.IN_REVIEW, target=Status.IN_REVIEW, conditions=[_can_go_back]
    )
    def send_back(self, *, at: datetime) -> None:
        self.step_index -= 1
        self.assignee = None
        self.step_started_at = at

    @transition(field=status, source=Status.IN_REVIEW, target=Status.SUSPENDED)
    def suspend(self) -> None:
        pass

    @transition(field=status, source=Status.SUSPENDED, target=Status.IN_REVIEW)
    def resume(
        self, *, paused_days: int, promise_deadline: datetime, legal_deadline: datetime
    ) -> None:
        self.paused_working_days += paused_days
        self.promise_deadline, self.legal_deadline = promise_deadline, legal_deadline

    def _not_extended(self: Any) -> bool:
        return bool(self.extension_days == 0)

    @transition(
        field=status,
        source=Status.IN_REVIEW,
        target=Status.IN_REVIEW,
        conditions=[_not_extended],
    )
    def extend(self, *, days: int, legal_deadline: datetime) -> None:
        self.extension_days = days
        self.legal_deadline = legal_deadline

    @transition(
        field=status, source=Status.IN_REVIEW, target=Status.APPROVED, conditions=[_at_last_step]
    )
    def approve(self, *, at: datetime, reason: str, delivery_deadline: datetime) -> None:
        self.decided_at = at
        self.outcome = Status.APPROVED
        self.decision_reason = reason
        self.delivery_deadline = delivery_deadline

    @transition(
        field=status, source=Status.IN_REVIEW, target=Status.REJECTED, conditions=[_at_last_step]
    )
    def reject(
        self, *, at: datetime, reason: str, remedy_text: str, delivery_deadline: datetime
    ) -> None:
        self.decided_at = at
        self.outcome = Status.REJECTED
        self.decision_reason, self.remedy_text = reason, remedy_text
        self.delivery_deadline = delivery_deadline

    @transition(field=status, source=[Status.APPROVED, Status.REJECTED], target=Status.COMPLETED)
    def deliver(self, *, at: datetime) -> None:
        self.completed_at = at

    @transition(field=status, source=PRE_DECISION_STATUSES, target=Status.WITHDRAWN)
    def withdraw(self, *, at: datetime) -> None:
        self.closed_at = at

    @transition(
        field=status,
        source=[*PRE_DECISION_STATUSES, Status.APPROVED, Status.REJECTED],
        target=Status.VOID,
    )
    def void(self, *, at: datetime, reason: str) -> None:
        self.closed_at = at
        self.decision_reason = reason


class ApplicationMaterialQuerySet(models.QuerySet["ApplicationMaterial"]):
    def current(self) -> Self:
        """The materials as they stand (not replaced during 补正)."""
        return self.filter(superseded_at__isnull=True)

    def owed(self) -> Self:
        """容缺 materials still to be supplied."""
        return self.current().filter(source=MaterialSource.DEFICIENCY)


class ApplicationMaterial(BaseModel):
    """One material provided for an application: an upload, paper seen at the window, a 容缺 pledge
    or a signed 告知承诺. A material replaced during 补正 keeps its row, marked superseded."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    material_key = models.CharField(_("材料编号"), max_length=16)
    material_name = models.CharField(_("材料名称"), max_length=200)
    source = models.CharField(_("提交方式"), max_length=12, choices=MaterialSource.choices)
    file = models.FileField(_("文件"), upload_to="applications/", blank=True, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    provided_at = models.DateTimeField(_("提交时间"))
    provided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("容缺补齐期限"), null=True, blank=True)
    commitment_text = models.TextField(_("承诺内容"), blank=True)
    # 免提交: a certificate from the applicant's wallet stands in for the material.
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("电子证照"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    superseded_at = models.DateTimeField(_("被替换时间"), null=True, blank=True)

    objects = ApplicationMaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")
        indexes = [models.Index(fields=["application", "material_key"], name="material_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=MaterialSource.values), name="app_material_source_valid"
            ),
            models.CheckConstraint(
                condition=~Q(source=MaterialSource.UPLOAD) | ~Q(sha256=""),
                name="app_material_upload_has_hash",
            ),
            models.CheckConstraint(
                condition=~Q(source=MaterialSource.CERTIFICATE) | Q(certificate__isnull=False),
                name="app_material_certificate_named",
            ),
            models.UniqueConstraint(
                fields=["application", "material_key"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_material_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.material_name}"

    @property
    def is_pending_deficiency(self) -> bool:
        return self.source == MaterialSource.DEFICIENCY and self.superseded_at is None


class ApplicationEvent(models.Model):
    """One entry of the trail (全程留痕). Append-only: never updated or deleted (on PostgreSQL a
    trigger refuses it)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("动作"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("为空表示系统自动处理。"),
    )
    actor_role = models.CharField(_("岗位"), max_length=32, blank=True)
    from_status = models.CharField(_("原状态"), max_length=24, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24)
    step_name = models.CharField(_("环节"), max_length=64, blank=True)
    note = models.TextField(_("意见"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"))
    # The deadlines as they stood after this step (ISO strings), for supervision and the trail.
    deadlines = models.JSONField(_("当时的期限"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        indexes = [models.Index(fields=["application", "at"], name="event_by_application")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("application events are append-only")
        super().save(*args, **kwargs)


class SupplementNotice(BaseModel):
    """A 补正材料通知书 (一次性告知): every missing or defective item at once (行政许可法第32条第4项)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="supplement_notices"
    )
    issued_at = models.DateTimeField(_("告知时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    respond_by = models.DateTimeField(_("补正截止时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    answered_at = models.DateTimeField(_("补正提交时间"), null=True, blank=True)
    # [{"kind": "material"|"field", "key": ..., "name": ..., "reason": ...}]
    items = models.JSONField(_("补正事项"))

    class Meta:
        verbose_name = _("补正告知")
        verbose_name_plural = _("补正告知")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="OPEN"),
                name="one_open_supplement_notice",
            ),
            models.CheckConstraint(
                condition=Q(status__in=NoticeStatus.values), name="notice_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.application_id}"


class SpecialProcedure(BaseModel):
    """A 特别程序 (听证、检验检测、专家评审、现场核查 …): the clock stops while it runs (第45条)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="special_procedures"
    )
    kind = models.CharField(_("种类"), max_length=12, choices=SpecialKind.choices)
    reason = models.TextField(_("理由和依据"))
    expected_days = models.PositiveSmallIntegerField(_("预计所需工作日"))
    started_at = models.DateTimeField(_("开始时间"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result = models.TextField(_("结果"), blank=True)
    paused_days = models.PositiveSmallIntegerField(_("暂停工作日"), default=0)

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(ended_at__isnull=True),
                name="one_running_special_procedure",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SpecialKind.values), name="special_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"


class Extension(BaseModel):
    """The one extension of the decision period a case may get (第42条: ≤10 working days)."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="extension"
    )
    days = models.PositiveSmallIntegerField(_("延长工作日"))
    reason = models.TextField(_("理由"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"))

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=15), name="extension_days_range"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} +{self.days}"


class ReferenceCounter(models.Model):
    """The daily sequence behind 申报号 (DOMAIN §6.1): one row per matter and day."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["matter", "day"], name="reference_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.day} {self.last}"
