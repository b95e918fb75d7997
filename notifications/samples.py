"""The variables each event's template may use, with a realistic sample value for each.

This is the contract between `notify()`'s callers and the templates editors write in the admin:
callers pass these keys in `context`; a template is checked at save by rendering it with the
samples, and any other variable is refused. Dates are passed as ISO strings ("2025-12-05") so
they read the same in every language. Two variables are added by `notify()` itself: `link_url`
(the absolute address of the message's link) and `portal_url`.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from notifications.choices import Event


@dataclass(frozen=True)
class Variable:
    description: str | Promise
    sample: object


AUTOMATIC = {
    "link_url": Variable(
        _("消息所附链接的完整网址（可能为空）"), "https://tongban.example/applications/12/"
    ),
    "portal_url": Variable(_("门户网址"), "https://tongban.example"),
}
CASE = {
    "matter_name": Variable(_("事项名称"), "食品经营许可"),
    "reference": Variable(_("申报号"), "11440300MB2351437D4000123450002025112200001"),
    "query_no": Variable(_("查询号"), "251122483920"),
}
CERTIFICATE = {
    "certificate_name": Variable(_("证照名称"), "食品经营许可证"),
    "certificate_number": Variable(_("证照编号"), "JY14403050012345"),
    "valid_until": Variable(_("有效期至（长期有效时为空）"), "2030-12-09"),
    "wallet_url": Variable(_("证照夹网址"), "https://tongban.example/wallet/"),
}
REMEDIES = Variable(
    _("救济途径"),
    "如对本决定不服，可以自收到本决定之日起60日内依法申请行政复议，或者在6个月内依法提起行政诉讼。",
)
ITEMS = Variable(
    _("需补正的材料：列表，每项有 name（材料名称）和 reason（补正原因）"),
    [
        {"name": "营业执照副本复印件", "reason": "复印件不清晰，请重新扫描上传。"},
        {"name": "经营场所使用证明", "reason": "租赁合同已过期，请提供有效期内的合同。"},
        {"name": "食品安全管理制度清单", "reason": "缺少进货查验记录制度。"},
    ],
)
DEADLINE = Variable(_("补正期限（日期）"), "2025-12-05")
# Account security notices say when, never what: no password, code, device key or new number.
SECURITY = {
    "changed_at": Variable(_("变更时间"), "2025-11-22 10:30"),
    "by_staff": Variable(_("是否由工作人员代为操作"), False),
}

VARIABLES: dict[Event, dict[str, Variable]] = {
    Event.APPLICATION_RECEIVED: {
        **CASE,
        "received_at": Variable(_("收件时间"), "2025-11-22 10:30"),
        "intake_deadline": Variable(_("告知是否受理的最迟日期（可为空）"), "2025-11-28"),
    },
    Event.SUPPLEMENT_REQUESTED: {
        **CASE,
        "items": ITEMS,
        "deadline": DEADLINE,
        "how": Variable(
            _("补正方式和地点"),
            "登录通办网站在线上传，或到市政务服务中心一楼综合窗口提交纸质材料。",
        ),
    },
    Event.SUPPLEMENT_DUE_SOON: {
        **CASE,
        "deadline": DEADLINE,
        "days_left": Variable(_("距补正期限的天数"), 2),
    },
    Event.APPLICATION_ACCEPTED: {
        **CASE,
        "accepted_at": Variable(_("受理时间"), "2025-11-24 09:15"),
        "promised_on": Variable(_("承诺办结日期"), "2025-12-15"),
        "hotline": Variable(_("监督电话"), "12345"),
    },
    Event.APPLICATION_NOT_ACCEPTED: {
        **CASE,
        "reason": Variable(_("不予受理的理由"), "申请事项依法不属于本行政机关职权范围。"),
        "authority": Variable(_("有权受理的行政机关（可为空）"), "深圳市南山区市场监督管理局"),
        "remedies": REMEDIES,
    },
    Event.APPLICATION_SUSPENDED: {
        **CASE,
        "kind": Variable(_("特别程序种类"), "现场核查"),
        "expected_days": Variable(_("预计所需天数"), 10),
    },
    Event.APPLICATION_EXTENDED: {
        **CASE,
        "reason": Variable(
            _("延长期限的理由"), "需要进行现场核查，经本行政机关负责人批准延长10日。"
        ),
        "new_deadline": Variable(_("延长后的办理期限"), "2025-12-29"),
    },
    Event.APPLICATION_APPROVED: {
        **CASE,
        "decided_on": Variable(_("决定日期"), "2025-12-10"),
        "delivery": Variable(
            _("领取证照的方式"),
            "电子证照将发放至您的证照夹；纸质证照可凭身份证到办事窗口领取。",
        ),
    },
    Event.APPLICATION_REJECTED: {
        **CASE,
        "decided_on": Variable(_("决定日期"), "2025-12-10"),
        "reason": Variable(_("不予许可的理由"), "经现场核查，经营场所与食品安全要求不符。"),
        "remedies": REMEDIES,
    },
    Event.APPLICATION_RETURNED: {
        **CASE,
        "reason": Variable(_("退件原因"), "补正期限届满，申请人未提交补正材料。"),
    },
    Event.APPLICATION_COMPLETED: {
        **CASE,
        "completed_on": Variable(_("办结日期"), "2025-12-12"),
    },
    Event.CERTIFICATE_ISSUED: {**CERTIFICATE},
    Event.CERTIFICATE_EXPIRING: {**CERTIFICATE},
    Event.CERTIFICATE_REVOKED: {
        **CERTIFICATE,
        "reason": Variable(_("撤销理由（可为空）"), "被许可人以欺骗手段取得行政许可。"),
    },
    Event.CASE_ASSIGNED: {
        **CASE,
        "step_name": Variable(_("办理环节"), "审查"),
        "due_on": Variable(_("环节办理期限"), "2025-12-05"),
    },
    Event.CASE_DUE_SOON: {
        **CASE,
        "step_name": Variable(_("办理环节"), "审查"),
        "due_on": Variable(_("办理期限"), "2025-12-05"),
        "days_left": Variable(_("剩余工作日"), 2),
    },
    Event.BUNDLE_SUPPLEMENT_REQUESTED: {
        "bundle_name": Variable(_("一件事名称"), "开办餐饮店"),
        "bundle_reference": Variable(_("一件事申报号"), "YJS20251122000012"),
        "items": Variable(
            _("各部门的补正事项（部门、事项、材料、理由、截止日期）"),
            [
                {
                    "department": "市场监督管理局",
                    "matter_name": "食品经营许可",
                    "name": "经营场所平面图",
                    "reason": "未标明功能分区",
                    "deadline": "2025-12-05",
                }
            ],
        ),
    },
    Event.BUNDLE_COMPLETED: {
        "bundle_name": Variable(_("一件事名称"), "开办餐饮店"),
        "bundle_reference": Variable(_("一件事申报号"), "YJS20251122000012"),
        "approved": Variable(_("准予的事项数"), 3),
        "total": Variable(_("事项总数"), 3),
    },
    Event.EVALUATION_INVITE: {
        **CASE,
        "rate_url": Variable(_("评价链接（一次有效）"), "https://tongban.example/rate/AbC123/"),
    },
    Event.FOLLOWUP_OPENED: {
        **CASE,
        "level": Variable(_("评价等级"), "不满意"),
        "contact_due": Variable(_("回访期限"), "2025-11-25"),
        "resolve_due": Variable(_("整改反馈期限"), "2025-12-12"),
    },
    Event.FOLLOWUP_REPORTED: {
        **CASE,
        "outcome": Variable(_("处理结果"), "已整改并反馈"),
        "resolution": Variable(_("整改情况或解释说明"), "已在办事指南中补充材料示例。"),
    },
    Event.FOLLOWUP_DUE: {
        **CASE,
        "stage": Variable(_("环节（回访或整改反馈）"), "差评回访"),
        "due_on": Variable(_("期限"), "2025-12-05"),
        "overdue": Variable(_("是否已超期"), False),
    },
    Event.ALERT_RAISED: {
        **CASE,
        "color": Variable(_("预警类型"), "红牌督办"),
        "rule": Variable(_("监察规则"), "超过承诺办结期限"),
        "deadline": Variable(_("期限"), "2025-12-05"),
    },
    Event.PASSWORD_CHANGED: {**SECURITY},
    Event.MOBILE_CHANGED: {**SECURITY},
    Event.MFA_ENROLLED: {**SECURITY},
    Event.MFA_REMOVED: {**SECURITY},
    Event.BULK_ACCESS_ALERT: {
        "staff": Variable(_("工作人员账号"), "clerk01"),
        "count": Variable(_("期间内查阅的不同办件数"), 201),
        "window_minutes": Variable(_("统计时段（分钟）"), 10),
        "audit_seq": Variable(_("安全审计事件序号"), 10542),
    },
}


def sample_context(event: Event | str) -> dict[str, object]:
    """The context a template of `event` is checked and previewed with."""
    variables = {**VARIABLES[Event(event)], **AUTOMATIC}
    return {name: variable.sample for name, variable in variables.items()}


SAMPLE_CONTEXT: dict[Event, dict[str, object]] = {event: sample_context(event) for event in Event}
