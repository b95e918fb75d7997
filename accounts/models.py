"""The one user model of the portal, for citizens, legal persons and staff."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.choices import UserKind
from core.identifiers import mask_mobile, mask_resident_id


class User(AbstractUser):
    """A portal account. Citizens are real-name (实名) accounts keyed on the resident ID number."""

    kind = models.CharField(
        _("账户类型"), max_length=16, choices=UserKind.choices, default=UserKind.CITIZEN
    )
    real_name = models.CharField(_("姓名"), max_length=64, blank=True)
    # Validated by accounts.services; encrypted at rest in a later issue (DOMAIN §8.4).
    id_number = models.CharField(
        _("公民身份号码"), max_length=18, null=True, blank=True, unique=True
    )
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UserKind.values), name="user_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.username}（{self.display_name}）"

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.id_number or "")

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)
