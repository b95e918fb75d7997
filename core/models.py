"""The abstract base every business model inherits; core itself owns no tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Audit-only timestamps. Domain times (`published_at`, `submitted_at` …) are separate fields."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, editable=False)

    class Meta:
        abstract = True
