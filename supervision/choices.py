from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """满意度代码 (GB/T 39046 A.8): 1 is best. 4 and 5 are 差评 (DOMAIN §5.1)."""

    VERY_SATISFIED = 1, _("非常满意")
    SATISFIED = 2, _("满意")
    FAIR = 3, _("基本满意")
    DISSATISFIED = 4, _("不满意")
    VERY_DISSATISFIED = 5, _("非常不满意")


BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})


class EvaluationChannel(models.TextChoices):
    WEB = "WEB", _("网页")
    SMS = "SMS", _("短信")
    WINDOW = "WINDOW", _("窗口评价器")


class GoodTag(models.TextChoices):
    FAST = "FAST", _("办事效率高")
    CLEAR_GUIDE = "CLEAR_GUIDE", _("指南清晰准确")
    EASY = "EASY", _("操作便捷")
    FRIENDLY = "FRIENDLY", _("服务态度好")
    ONE_GO = "ONE_GO", _("一次办成")


class BadTag(models.TextChoices):
    UNCLEAR_MATERIALS = "UNCLEAR_MATERIALS", _("材料要求不清楚")
    SLOW = "SLOW", _("办理时间长")
    MANY_VISITS = "MANY_VISITS", _("多次跑动")
    HARD_TO_USE = "HARD_TO_USE", _("系统操作困难")
    UNFRIENDLY = "UNFRIENDLY", _("服务态度差")
