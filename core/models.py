"""The abstract base every business model inherits, and the one small table core owns: the
working-day overrides that the calendar (`core.calendar`) reads before anything else."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Audit-only timestamps. Domain times (`published_at`, `submitted_at` …) are separate fields."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class WorkdayOverride(BaseModel):
    """A day whose status an administrator sets by hand: a statutory holiday (春节) or a 调休 working
    weekend, entered from the State Council's yearly notice (DOMAIN §3.3). It wins over the
    chinese-calendar data and the Monday–Friday fallback."""

    day = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self) -> str:
        kind = _("工作日") if self.is_working_day else _("休息日")
        return f"{self.day.isoformat()} {kind}"
