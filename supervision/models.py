"""好差评 (DOMAIN §5): one rating per case and person (一事一评). The follow-up of bad ratings and
the statistics build on this table."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from matters.models import Department
from supervision.choices import EvaluationChannel, Level


class Evaluation(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("办件")
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("评价人"),
    )
    channel = models.CharField(
        _("评价渠道"), max_length=8, choices=EvaluationChannel.choices, default="WEB"
    )
    level = models.PositiveSmallIntegerField(_("满意度"), choices=Level.choices)
    tags = models.JSONField(_("评价标签"), default=list, blank=True)
    comment = models.TextField(_("文字评价"), max_length=500, blank=True)
    # Copied from the case, so statistics group on indexed columns of this table alone.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    matter_code = models.CharField(_("实施编码"), max_length=36)
    created_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        indexes = [
            models.Index(fields=["department", "created_at"], name="evaluation_by_department"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator"], name="evaluation_once_per_case"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=5), name="evaluation_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=EvaluationChannel.values), name="evaluation_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level >= Level.DISSATISFIED
