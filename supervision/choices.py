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


class EvaluationObject(models.TextChoices):
    """What was rated (DOMAIN §5.1): a case online (一事一评) or one visit to a window (一次一评)."""

    CASE = "CASE", _("办件（一事一评）")
    WINDOW = "WINDOW", _("窗口服务（一次一评）")


class FollowupStatus(models.TextChoices):
    """The follow-up of a 差评 (DOMAIN §5.3): contact the rater, then fix or explain, and report
    back; a malicious rating can be appealed to a supervisor."""

    OPEN = "OPEN", _("待回访")
    CONTACTED = "CONTACTED", _("已回访，整改中")
    RECTIFIED = "RECTIFIED", _("已整改并反馈")
    EXPLAINED = "EXPLAINED", _("已解释说明并反馈")
    APPEALED = "APPEALED", _("申诉复核中")
    VOIDED = "VOIDED", _("申诉成立，评价不计入")


FOLLOWUP_DONE = frozenset(
    {FollowupStatus.RECTIFIED, FollowupStatus.EXPLAINED, FollowupStatus.VOIDED}
)


class AlertColor(models.TextChoices):
    YELLOW = "YELLOW", _("黄牌预警")
    RED = "RED", _("红牌督办")


class AlertRule(models.TextChoices):
    """The supervision rules of 电子监察 (DOMAIN §4.9), each raised once per case (and step)."""

    CASE_DUE_SOON = "CASE_DUE_SOON", _("临近承诺办结期限")
    CASE_OVERDUE = "CASE_OVERDUE", _("超过承诺办结期限")
    LEGAL_OVERDUE = "LEGAL_OVERDUE", _("超过法定办结期限")
    STEP_DUE_SOON = "STEP_DUE_SOON", _("环节临近时限")
    STEP_OVERDUE = "STEP_OVERDUE", _("环节超时")
    DEEMED_ACCEPTED = "DEEMED_ACCEPTED", _("逾期未作受理决定，视为受理")
    DELIVERY_LATE = "DELIVERY_LATE", _("逾期未送达")


RULE_COLOR: dict[str, str] = {
    AlertRule.CASE_DUE_SOON: AlertColor.YELLOW,
    AlertRule.STEP_DUE_SOON: AlertColor.YELLOW,
    AlertRule.CASE_OVERDUE: AlertColor.RED,
    AlertRule.LEGAL_OVERDUE: AlertColor.RED,
    AlertRule.STEP_OVERDUE: AlertColor.RED,
    AlertRule.DEEMED_ACCEPTED: AlertColor.RED,
    AlertRule.DELIVERY_LATE: AlertColor.RED,
}
