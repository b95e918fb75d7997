"""The built-in texts of every event, in Chinese and English.

Migration 0002 seeds them as `NotificationTemplate` rows, which editors then change in the admin;
`notify()` falls back to them when an event has no row. SMS texts are short and start with the
signature 【通办】, as mainland SMS gateways require. Variables are listed in `samples.py`.
"""

from notifications.choices import Event
from notifications.rendering import TemplateText


def _lines(*lines: str) -> str:
    return "\n".join(lines)


_ZH_LINK = "{% if link_url %}查看详情：{{ link_url }}{% endif %}"
_EN_LINK = "{% if link_url %}Details: {{ link_url }}{% endif %}"
_ZH_CASE = "您申请的“{{ matter_name }}”（申报号：{{ reference }}）"
_EN_CASE = "Your application for “{{ matter_name }}” (reference {{ reference }})"


def _applicant(
    *, subject_zh: str, body_zh: str, sms_zh: str, subject_en: str, body_en: str, sms_en: str
) -> TemplateText:
    """An event applicants are told of on every channel."""
    return TemplateText(
        send_inbox=True,
        send_email=True,
        send_sms=True,
        subject_zh=subject_zh,
        body_zh=_lines("您好：", "", body_zh, "", _ZH_LINK),
        sms_zh=sms_zh,
        subject_en=subject_en,
        body_en=_lines("Hello,", "", body_en, "", _EN_LINK),
        sms_en=sms_en,
    )


def _security(*, what_zh: str, what_en: str, sms_zh: str, sms_en: str) -> TemplateText:
    """A change to how someone signs in (SEC-AUTH-04), told to the channel the account had before
    it: what changed and when, never the secret, and what to do if it was not them."""
    return TemplateText(
        send_inbox=True,
        send_email=True,
        send_sms=True,
        subject_zh="账号安全提醒：" + what_zh,
        body_zh=_lines(
            "您好：",
            "",
            f"您的通办账号{what_zh}"
            "{% if by_staff %}（由工作人员代为办理）{% endif %}，时间：{{ changed_at }}。",
            "",
            "如果是您本人操作，请忽略本消息。如非本人操作，请立即通过“找回密码”重设密码，"
            "并拨打12345或到政务服务中心窗口核实。",
        ),
        sms_zh=sms_zh,
        subject_en="Account security: " + what_en,
        body_en=_lines(
            "Hello,",
            "",
            f"On {{{{ changed_at }}}}, {what_en}"
            "{% if by_staff %} (by a member of staff on your behalf){% endif %}.",
            "",
            "If this was you, you need not do anything. If it was not, reset your password at"
            " once with “Forgot password”, and call 12345 or visit a service centre.",
        ),
        sms_en=sms_en,
    )


DEFAULT_TEMPLATES: dict[Event, TemplateText] = {
    Event.APPLICATION_RECEIVED: _applicant(
        subject_zh="已收到您的申请：{{ matter_name }}",
        body_zh=_lines(
            "您申请的“{{ matter_name }}”材料已接收，将在5个工作日内告知是否受理"
            "{% if intake_deadline %}（最迟于{{ intake_deadline }}）{% endif %}。",
            "",
            "申报号：{{ reference }}",
            "查询号：{{ query_no }}",
            "收件时间：{{ received_at }}",
        ),
        sms_zh="【通办】您申请的{{ matter_name }}材料已接收，将在5个工作日内告知是否受理。查询号{{ query_no }}。",
        subject_en="Application received: {{ matter_name }}",
        body_en=_lines(
            "We have received the materials of your application for “{{ matter_name }}”. We will"
            " tell you within 5 working days whether it is accepted"
            "{% if intake_deadline %} (by {{ intake_deadline }} at the latest){% endif %}.",
            "",
            "Reference: {{ reference }}",
            "Query number: {{ query_no }}",
            "Received: {{ received_at }}",
        ),
        sms_en="【通办】Your application for {{ matter_name }} was received; you will hear within 5 working days whether it is accepted. Query no. {{ query_no }}.",
    ),
    Event.SUPPLEMENT_REQUESTED: _applicant(
        subject_zh="请补正材料：{{ matter_name }}",
        body_zh=_lines(
            _ZH_CASE + "需要补正以下材料：",
            "",
            "{% for item in items %}{{ forloop.counter }}. {{ item.name }}"
            "{% if item.reason %}：{{ item.reason }}{% endif %}",
            "{% endfor %}",
            "请于{{ deadline }}前补正。{{ how }}",
            "逾期未补正的，将作退件处理。",
        ),
        sms_zh="【通办】您申请的{{ matter_name }}需补正{{ items|length }}项材料，请于{{ deadline }}前提交，清单见通办网站“我的消息”。查询号{{ query_no }}。",
        subject_en="Please supplement your materials: {{ matter_name }}",
        body_en=_lines(
            _EN_CASE + " needs the following materials to be supplemented:",
            "",
            "{% for item in items %}{{ forloop.counter }}. {{ item.name }}"
            "{% if item.reason %}: {{ item.reason }}{% endif %}",
            "{% endfor %}",
            "Please supplement them by {{ deadline }}. {{ how }}",
            "If they are not supplemented in time, the application will be returned.",
        ),
        sms_en="【通办】Your application for {{ matter_name }} needs {{ items|length }} material(s) supplemented by {{ deadline }}; see My messages on the portal. Query no. {{ query_no }}.",
    ),
    Event.SUPPLEMENT_DUE_SOON: _applicant(
        subject_zh="补正期限将至：{{ matter_name }}",
        body_zh=_ZH_CASE
        + "的补正期限为{{ deadline }}，还剩{{ days_left }}天。逾期未补正的，将作退件处理。",
        sms_zh="【通办】您申请的{{ matter_name }}补正期限为{{ deadline }}，还剩{{ days_left }}天，逾期将退件。查询号{{ query_no }}。",
        subject_en="Supplement due soon: {{ matter_name }}",
        body_en=_EN_CASE
        + " must be supplemented by {{ deadline }}, in {{ days_left }} day(s). If it is not,"
        " the application will be returned.",
        sms_en="【通办】Please supplement your application for {{ matter_name }} by {{ deadline }} ({{ days_left }} day(s) left) or it will be returned. Query no. {{ query_no }}.",
    ),
    Event.APPLICATION_ACCEPTED: _applicant(
        subject_zh="已受理：{{ matter_name }}",
        body_zh=_lines(
            "您申请的“{{ matter_name }}”已于{{ accepted_at }}受理。",
            "",
            "申报号：{{ reference }}",
            "承诺办结日期：{{ promised_on }}",
            "监督电话：{{ hotline }}",
        ),
        sms_zh="【通办】您申请的{{ matter_name }}已受理，承诺{{ promised_on }}前办结。查询号{{ query_no }}。",
        subject_en="Application accepted: {{ matter_name }}",
        body_en=_lines(
            "Your application for “{{ matter_name }}” was accepted on {{ accepted_at }}.",
            "",
            "Reference: {{ reference }}",
            "Promised completion date: {{ promised_on }}",
            "Supervision hotline: {{ hotline }}",
        ),
        sms_en="【通办】Your application for {{ matter_name }} was accepted; it will be completed by {{ promised_on }}. Query no. {{ query_no }}.",
    ),
    Event.APPLICATION_NOT_ACCEPTED: _applicant(
        subject_zh="不予受理：{{ matter_name }}",
        body_zh=_lines(
            _ZH_CASE + "不予受理。",
            "",
            "理由：{{ reason }}",
            "{% if authority %}请向{{ authority }}提出申请。{% endif %}",
            "",
            "{{ remedies }}",
        ),
        sms_zh="【通办】您申请的{{ matter_name }}不予受理，理由和救济途径见通办网站“我的消息”。查询号{{ query_no }}。",
        subject_en="Application not accepted: {{ matter_name }}",
        body_en=_lines(
            _EN_CASE + " was not accepted.",
            "",
            "Reason: {{ reason }}",
            "{% if authority %}Please apply to {{ authority }}.{% endif %}",
            "",
            "{{ remedies }}",
        ),
        sms_en="【通办】Your application for {{ matter_name }} was not accepted; see My messages on the portal for the reason and remedies. Query no. {{ query_no }}.",
    ),
    Event.APPLICATION_SUSPENDED: _applicant(
        subject_zh="办件进入特别程序：{{ matter_name }}",
        body_zh=_ZH_CASE + "需要进行{{ kind }}，预计{{ expected_days }}日。"
        "依法所需时间不计算在办理期限内。",
        sms_zh="【通办】您申请的{{ matter_name }}需进行{{ kind }}，预计{{ expected_days }}日，不计入办理期限。查询号{{ query_no }}。",
        subject_en="Special procedure: {{ matter_name }}",
        body_en=_EN_CASE + " requires a special procedure ({{ kind }}), expected to take"
        " {{ expected_days }} day(s). By law this time does not count towards the time limit.",
        sms_en="【通办】Your application for {{ matter_name }} requires {{ kind }} (about {{ expected_days }} day(s), not counted in the time limit). Query no. {{ query_no }}.",
    ),
    Event.APPLICATION_EXTENDED: _applicant(
        subject_zh="办理期限延长：{{ matter_name }}",
        body_zh=_lines(_ZH_CASE + "的办理期限延长至{{ new_deadline }}。", "", "理由：{{ reason }}"),
        sms_zh="【通办】您申请的{{ matter_name }}办理期限延长至{{ new_deadline }}。查询号{{ query_no }}。",
        subject_en="Time limit extended: {{ matter_name }}",
        body_en=_lines(
            "The time limit of your application for “{{ matter_name }}” (reference"
            " {{ reference }}) is extended to {{ new_deadline }}.",
            "",
            "Reason: {{ reason }}",
        ),
        sms_en="【通办】The time limit of your application for {{ matter_name }} is extended to {{ new_deadline }}. Query no. {{ query_no }}.",
    ),
    Event.APPLICATION_APPROVED: _applicant(
        subject_zh="准予许可：{{ matter_name }}",
        body_zh=_lines(_ZH_CASE + "已于{{ decided_on }}准予许可。", "", "{{ delivery }}"),
        sms_zh="【通办】您申请的{{ matter_name }}已准予许可，领取方式见通办网站“我的消息”。查询号{{ query_no }}。",
        subject_en="Application approved: {{ matter_name }}",
        body_en=_lines(_EN_CASE + " was approved on {{ decided_on }}.", "", "{{ delivery }}"),
        sms_en="【通办】Your application for {{ matter_name }} was approved; see My messages on the portal for how to collect the licence. Query no. {{ query_no }}.",
    ),
    Event.APPLICATION_REJECTED: _applicant(
        subject_zh="不予许可：{{ matter_name }}",
        body_zh=_lines(
            _ZH_CASE + "已于{{ decided_on }}作出不予许可决定。",
            "",
            "理由：{{ reason }}",
            "",
            "{{ remedies }}",
        ),
        sms_zh="【通办】您申请的{{ matter_name }}不予许可，理由和救济途径见通办网站“我的消息”。查询号{{ query_no }}。",
        subject_en="Application refused: {{ matter_name }}",
        body_en=_lines(
            _EN_CASE + " was refused on {{ decided_on }}.",
            "",
            "Reason: {{ reason }}",
            "",
            "{{ remedies }}",
        ),
        sms_en="【通办】Your application for {{ matter_name }} was refused; see My messages on the portal for the reason and remedies. Query no. {{ query_no }}.",
    ),
    Event.APPLICATION_RETURNED: _applicant(
        subject_zh="已退件：{{ matter_name }}",
        body_zh=_lines(
            _ZH_CASE + "已退件。", "", "原因：{{ reason }}", "", "如仍需办理，可以重新提出申请。"
        ),
        sms_zh="【通办】您申请的{{ matter_name }}已退件，原因见通办网站“我的消息”。查询号{{ query_no }}。",
        subject_en="Application returned: {{ matter_name }}",
        body_en=_lines(
            _EN_CASE + " was returned.",
            "",
            "Reason: {{ reason }}",
            "",
            "You may apply again if you still need this service.",
        ),
        sms_en="【通办】Your application for {{ matter_name }} was returned; see My messages on the portal for the reason. Query no. {{ query_no }}.",
    ),
    Event.APPLICATION_COMPLETED: _applicant(
        subject_zh="已办结：{{ matter_name }}",
        body_zh=_ZH_CASE + "已于{{ completed_on }}办结。欢迎对本次服务作出评价。",
        sms_zh="【通办】您申请的{{ matter_name }}已办结，欢迎评价本次服务。查询号{{ query_no }}。",
        subject_en="Application completed: {{ matter_name }}",
        body_en=_EN_CASE + " was completed on {{ completed_on }}. You are welcome to rate"
        " the service.",
        sms_en="【通办】Your application for {{ matter_name }} is completed; please rate the service. Query no. {{ query_no }}.",
    ),
    Event.CERTIFICATE_ISSUED: _applicant(
        subject_zh="电子证照已签发：{{ certificate_name }}",
        body_zh=_lines(
            "您的“{{ certificate_name }}”电子证照已签发，可在证照夹查看和下载。",
            "",
            "证照编号：{{ certificate_number }}",
            "有效期至：{{ valid_until|default:'长期' }}",
        ),
        sms_zh="【通办】您的{{ certificate_name }}电子证照已签发，编号{{ certificate_number }}，可在通办证照夹查看。",
        subject_en="E-certificate issued: {{ certificate_name }}",
        body_en=_lines(
            "Your e-certificate “{{ certificate_name }}” has been issued. You can view and"
            " download it in your wallet.",
            "",
            "Number: {{ certificate_number }}",
            "Valid until: {{ valid_until|default:'no expiry' }}",
        ),
        sms_en="【通办】Your e-certificate {{ certificate_name }} (no. {{ certificate_number }}) has been issued; see your wallet on the portal.",
    ),
    Event.CERTIFICATE_EXPIRING: _applicant(
        subject_zh="证照即将到期：{{ certificate_name }}",
        body_zh="您的“{{ certificate_name }}”（证照编号：{{ certificate_number }}）将于"
        "{{ valid_until }}到期。如需延续，请在有效期届满30日前提出申请。",
        sms_zh="【通办】您的{{ certificate_name }}将于{{ valid_until }}到期，如需延续请在届满30日前申请。",
        subject_en="Certificate expiring: {{ certificate_name }}",
        body_en="Your certificate “{{ certificate_name }}” (number {{ certificate_number }})"
        " expires on {{ valid_until }}. To renew it, apply at least 30 days before it expires.",
        sms_en="【通办】Your {{ certificate_name }} expires on {{ valid_until }}; to renew it, apply at least 30 days before.",
    ),
    Event.CERTIFICATE_REVOKED: _applicant(
        subject_zh="证照已撤销：{{ certificate_name }}",
        body_zh=_lines(
            "您的“{{ certificate_name }}”（证照编号：{{ certificate_number }}）已被撤销，"
            "自即日起不再有效。",
            "{% if reason %}",
            "理由：{{ reason }}{% endif %}",
        ),
        sms_zh="【通办】您的{{ certificate_name }}（编号{{ certificate_number }}）已撤销，详见通办网站“我的消息”。",
        subject_en="Certificate revoked: {{ certificate_name }}",
        body_en=_lines(
            "Your certificate “{{ certificate_name }}” (number {{ certificate_number }}) has been"
            " revoked and is no longer valid.",
            "{% if reason %}",
            "Reason: {{ reason }}{% endif %}",
        ),
        sms_en="【通办】Your {{ certificate_name }} (no. {{ certificate_number }}) has been revoked; see My messages on the portal.",
    ),
    Event.CASE_ASSIGNED: TemplateText(
        send_inbox=True,
        send_email=True,
        send_sms=False,
        subject_zh="新办件：{{ matter_name }} {{ reference }}",
        body_zh=_lines(
            "您好：",
            "",
            "办件“{{ matter_name }}”（申报号：{{ reference }}）已分派给您办理"
            "{% if step_name %}（环节：{{ step_name }}）{% endif %}，请于{{ due_on }}前处理。",
            "",
            "{% if link_url %}打开办件：{{ link_url }}{% endif %}",
        ),
        sms_zh="【通办】办件{{ reference }}（{{ matter_name }}）已分派给您，请于{{ due_on }}前处理。",
        subject_en="New case: {{ matter_name }} {{ reference }}",
        body_en=_lines(
            "Hello,",
            "",
            "The case “{{ matter_name }}” (reference {{ reference }}) has been assigned to you"
            "{% if step_name %} ({{ step_name }}){% endif %}. Please handle it by {{ due_on }}.",
            "",
            "{% if link_url %}Open the case: {{ link_url }}{% endif %}",
        ),
        sms_en="【通办】Case {{ reference }} ({{ matter_name }}) has been assigned to you; please handle it by {{ due_on }}.",
    ),
    Event.CASE_DUE_SOON: TemplateText(
        send_inbox=True,
        send_email=True,
        send_sms=True,
        subject_zh="办件即将超期：{{ matter_name }} {{ reference }}",
        body_zh=_lines(
            "您好：",
            "",
            "您负责的办件“{{ matter_name }}”（申报号：{{ reference }}，环节：{{ step_name }}）"
            "将于{{ due_on }}到期，还剩{{ days_left }}个工作日，请及时办理。",
            "",
            "{% if link_url %}打开办件：{{ link_url }}{% endif %}",
        ),
        sms_zh="【通办】您负责的办件{{ reference }}将于{{ due_on }}到期，请及时办理。",
        subject_en="Case due soon: {{ matter_name }} {{ reference }}",
        body_en=_lines(
            "Hello,",
            "",
            "The case “{{ matter_name }}” (reference {{ reference }}, step {{ step_name }}) is due"
            " on {{ due_on }}, in {{ days_left }} working day(s). Please handle it in time.",
            "",
            "{% if link_url %}Open the case: {{ link_url }}{% endif %}",
        ),
        sms_en="【通办】Case {{ reference }} is due on {{ due_on }}; please handle it in time.",
    ),
    Event.BUNDLE_SUPPLEMENT_REQUESTED: _applicant(
        subject_zh="请补正材料：{{ bundle_name }}",
        body_zh=_lines(
            "您申请的一件事“{{ bundle_name }}”（申报号：{{ bundle_reference }}）需要补正以下材料，"
            "各部门的要求一次告知如下：",
            "",
            "{% for item in items %}{{ forloop.counter }}. {{ item.department }}（{{ item.matter_name }}）："
            "{{ item.name }}{% if item.reason %}——{{ item.reason }}{% endif %}，请于{{ item.deadline }}前补正",
            "{% endfor %}",
        ),
        sms_zh="【通办】您申请的{{ bundle_name }}需要补正材料，请登录通办网站查看并一次补齐。",
        subject_en="Please supplement: {{ bundle_name }}",
        body_en=_lines(
            "Your application “{{ bundle_name }}” (reference {{ bundle_reference }}) needs the"
            " following supplements. Every department's request is listed here at once:",
            "",
            "{% for item in items %}{{ forloop.counter }}. {{ item.department }} ({{ item.matter_name }}):"
            " {{ item.name }}{% if item.reason %} – {{ item.reason }}{% endif %}, by {{ item.deadline }}",
            "{% endfor %}",
        ),
        sms_en="【通办】Your application {{ bundle_name }} needs supplements; see the portal for the full list.",
    ),
    Event.BUNDLE_COMPLETED: _applicant(
        subject_zh="一件事已全部办结：{{ bundle_name }}",
        body_zh=_lines(
            "您申请的一件事“{{ bundle_name }}”（申报号：{{ bundle_reference }}）的{{ total }}个事项已全部办结，"
            "其中{{ approved }}个准予。电子证照已放入您的证照夹。",
        ),
        sms_zh="【通办】您申请的{{ bundle_name }}已全部办结（{{ approved }}/{{ total }}项准予）。",
        subject_en="All done: {{ bundle_name }}",
        body_en=_lines(
            "All {{ total }} matters of “{{ bundle_name }}” (reference {{ bundle_reference }}) are"
            " closed; {{ approved }} were approved. Electronic certificates are in your wallet.",
        ),
        sms_en="【通办】{{ bundle_name }} is closed ({{ approved }}/{{ total }} approved).",
    ),
    Event.EVALUATION_INVITE: TemplateText(
        send_inbox=True,
        send_email=False,
        send_sms=True,
        subject_zh="请评价：{{ matter_name }}",
        body_zh=_lines(
            "您好：",
            "",
            _ZH_CASE + "已办结。欢迎对本次服务作出评价：{{ rate_url }}",
        ),
        sms_zh="【通办】您办理的{{ matter_name }}已办结，欢迎评价：{{ rate_url }}",
        subject_en="How did we do? {{ matter_name }}",
        body_en=_lines(
            "Hello,",
            "",
            _EN_CASE + " is closed. Please rate our service: {{ rate_url }}",
        ),
        sms_en="【通办】{{ matter_name }} is closed. Rate our service: {{ rate_url }}",
    ),
    Event.FOLLOWUP_OPENED: TemplateText(
        send_inbox=True,
        send_email=True,
        send_sms=False,
        subject_zh="收到差评，请回访整改：{{ matter_name }}",
        body_zh=_lines(
            "您好：",
            "",
            "办件“{{ matter_name }}”（申报号：{{ reference }}）收到“{{ level }}”评价。"
            "请于{{ contact_due }}前回访评价人，于{{ resolve_due }}前整改并反馈。",
            "",
            "{% if link_url %}打开整改单：{{ link_url }}{% endif %}",
        ),
        sms_zh="【通办】办件{{ reference }}收到差评，请于{{ contact_due }}前回访。",
        subject_en="Bad rating to follow up: {{ matter_name }}",
        body_en=_lines(
            "Hello,",
            "",
            "The case “{{ matter_name }}” (reference {{ reference }}) was rated “{{ level }}”."
            " Contact the rater by {{ contact_due }} and report the fix by {{ resolve_due }}.",
            "",
            "{% if link_url %}Open the follow-up: {{ link_url }}{% endif %}",
        ),
        sms_en="【通办】Case {{ reference }} got a bad rating; contact the rater by {{ contact_due }}.",
    ),
    Event.FOLLOWUP_REPORTED: _applicant(
        subject_zh="您的评价已处理：{{ matter_name }}",
        body_zh=_lines(
            "感谢您对“{{ matter_name }}”（申报号：{{ reference }}）的评价。处理结果：{{ outcome }}。",
            "",
            "{{ resolution }}",
        ),
        sms_zh="【通办】您对{{ matter_name }}的评价已处理：{{ outcome }}，详情请登录通办网站查看。",
        subject_en="Your rating was followed up: {{ matter_name }}",
        body_en=_lines(
            "Thank you for rating “{{ matter_name }}” (reference {{ reference }}). Outcome: {{ outcome }}.",
            "",
            "{{ resolution }}",
        ),
        sms_en="【通办】Your rating of {{ matter_name }} was followed up: {{ outcome }}.",
    ),
    Event.FOLLOWUP_DUE: TemplateText(
        send_inbox=True,
        send_email=True,
        send_sms=False,
        subject_zh="{{ stage }}{% if overdue %}已超期{% else %}即将到期{% endif %}：{{ matter_name }}",
        body_zh=_lines(
            "您好：",
            "",
            "办件“{{ matter_name }}”（申报号：{{ reference }}）的差评{{ stage }}期限为{{ due_on }}，"
            "{% if overdue %}已经超期，请立即处理。{% else %}即将到期，请及时处理。{% endif %}",
            "",
            "{% if link_url %}打开整改单：{{ link_url }}{% endif %}",
        ),
        sms_zh="【通办】办件{{ reference }}的差评{{ stage }}期限为{{ due_on }}，请及时处理。",
        subject_en="{{ stage }} {% if overdue %}overdue{% else %}due soon{% endif %}: {{ matter_name }}",
        body_en=_lines(
            "Hello,",
            "",
            "The bad-rating follow-up ({{ stage }}) of the case “{{ matter_name }}” (reference"
            " {{ reference }}) is due on {{ due_on }}{% if overdue %} and is overdue{% endif %}."
            " Please handle it.",
            "",
            "{% if link_url %}Open the follow-up: {{ link_url }}{% endif %}",
        ),
        sms_en="【通办】The follow-up ({{ stage }}) of case {{ reference }} is due on {{ due_on }}.",
    ),
    Event.ALERT_RAISED: TemplateText(
        send_inbox=True,
        send_email=True,
        send_sms=False,
        subject_zh="{{ color }}：{{ matter_name }} {{ reference }}",
        body_zh=_lines(
            "您好：",
            "",
            "办件“{{ matter_name }}”（申报号：{{ reference }}）触发{{ color }}：{{ rule }}"
            "（期限：{{ deadline }}）。请及时办理并说明情况。",
            "",
            "{% if link_url %}打开办件：{{ link_url }}{% endif %}",
        ),
        sms_zh="【通办】办件{{ reference }}触发{{ color }}：{{ rule }}。",
        subject_en="{{ color }}: {{ matter_name }} {{ reference }}",
        body_en=_lines(
            "Hello,",
            "",
            "The case “{{ matter_name }}” (reference {{ reference }}) raised a {{ color }}: {{ rule }}"
            " (deadline {{ deadline }}). Please handle it and explain.",
            "",
            "{% if link_url %}Open the case: {{ link_url }}{% endif %}",
        ),
        sms_en="【通办】Case {{ reference }} raised a {{ color }}: {{ rule }}.",
    ),
    Event.PASSWORD_CHANGED: _security(
        what_zh="登录密码已修改",
        what_en="the password of your account was changed",
        sms_zh="【通办】您账号的登录密码已修改。如非本人操作，请立即通过“找回密码”重设密码或拨打12345。",
        sms_en="【通办】Your password was changed. If this was not you, reset it at once or call 12345.",
    ),
    Event.MOBILE_CHANGED: _security(
        what_zh="绑定的手机号码已更换",
        what_en="the mobile number of your account was changed",
        # The words of the notice texted before the outbox carried it (tests/accounts).
        sms_zh="【通办】您账号绑定的手机号码已更换。如非本人操作，请立即通过“找回密码”重设密码或拨打12345。",
        sms_en="【通办】Your account's mobile number was changed. If this was not you, reset your password or call 12345.",
    ),
    Event.MFA_ENROLLED: _security(
        what_zh="绑定了新的双因素认证器",
        what_en="a new authenticator app was enrolled for your account",
        sms_zh="【通办】您的账号绑定了新的双因素认证器。如非本人操作，请立即联系系统管理员或拨打12345。",
        sms_en="【通办】A new authenticator was enrolled for your account. If this was not you, call 12345.",
    ),
    Event.MFA_REMOVED: _security(
        what_zh="双因素认证器已解除绑定",
        what_en="the authenticator app of your account was removed",
        sms_zh="【通办】您账号的双因素认证器已解除绑定。如非本人操作，请立即联系系统管理员或拨打12345。",
        sms_en="【通办】The authenticator of your account was removed. If this was not you, call 12345.",
    ),
    Event.BULK_ACCESS_ALERT: TemplateText(
        send_inbox=True,
        send_email=True,
        send_sms=False,
        subject_zh="批量访问预警：{{ staff }}",
        body_zh=_lines(
            "您好：",
            "",
            "工作人员 {{ staff }} 在{{ window_minutes }}分钟内查阅了{{ count }}件不同的办件，"
            "超过了批量访问的预警阈值。",
            "请在安全审计日志中核查（事件序号：{{ audit_seq }}）。",
        ),
        sms_zh="【通办】工作人员{{ staff }}触发批量访问预警，请核查安全审计日志。",
        subject_en="Bulk access alert: {{ staff }}",
        body_en=_lines(
            "Hello,",
            "",
            "Staff member {{ staff }} opened {{ count }} different cases within {{ window_minutes }}"
            " minutes, more than the bulk-access threshold.",
            "Please review the security audit log (event {{ audit_seq }}).",
        ),
        sms_en="【通办】Bulk access alert for staff member {{ staff }}: please review the audit log.",
    ),
}
