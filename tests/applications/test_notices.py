"""Who hears about each step of a case, and with what (DOMAIN §11): every trail entry that concerns
the applicant writes one message per channel (inbox at once, SMS to the mobile on the application
by a worker); an assignment tells the assignee; reminders before the 补正 window and the case's
deadline close are sent once."""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from accounts.models import User
from applications import services
from applications.choices import EventKind
from applications.models import Application, ApplicationEvent
from applications.notices import notices_for_event
from notifications import sms
from notifications.choices import Channel, DeliveryStatus, Event
from notifications.models import Notification
from notifications.services import notification_send
from tests.applications.conftest import LATER, NOW, at, case_in, shared

pytestmark = pytest.mark.django_db

applicant = shared("applicant")
clerk = shared("clerk")
reviewer = shared("reviewer")
approver = shared("approver")

HOUR = dt.timedelta(hours=1)
MOBILE = "13900139000"


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Iterator[None]:
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def event_of(application: Application, kind: EventKind) -> ApplicationEvent:
    return ApplicationEvent.objects.get(application=application, kind=kind)


def messages_of(event: ApplicationEvent) -> list[Notification]:
    return list(
        Notification.objects.filter(key=f"application-event:{event.pk}").order_by("channel")
    )


def channels(event: Event) -> Counter[str]:
    return Counter(Notification.objects.filter(event=event).values_list("channel", flat=True))


def detail_url(application: Application) -> str:
    return f"http://127.0.0.1:8000/applications/{application.pk}/"


# --- Submission ---------------------------------------------------------------------------------


def test_submitting_tells_the_applicant_in_the_inbox_and_by_sms(
    world: dict[str, Any], applicant: User
) -> None:
    application = case_in("received", world)

    messages = messages_of(event_of(application, EventKind.SUBMITTED))

    assert [(m.event, m.channel, m.recipient, m.address, m.status) for m in messages] == [
        (Event.APPLICATION_RECEIVED, Channel.INBOX, applicant, "", DeliveryStatus.SENT),
        (Event.APPLICATION_RECEIVED, Channel.SMS, applicant, MOBILE, DeliveryStatus.QUEUED),
    ]
    assert messages[0].subject == "已收到您的申请：食品经营许可"
    assert messages[0].body == (
        "您好：\n\n"
        "您申请的“食品经营许可”材料已接收，将在5个工作日内告知是否受理（最迟于2025-06-18）。\n\n"
        f"申报号：{application.reference}\n"
        f"查询号：{application.query_no}\n"
        "收件时间：2025-06-11 10:00\n\n"
        f"查看详情：{detail_url(application)}"
    )
    assert messages[1].body == (
        "【通办】您申请的食品经营许可材料已接收，将在5个工作日内告知是否受理。"
        f"查询号{application.query_no}。"
    )


def test_the_sms_goes_to_the_mobile_given_on_the_application(world: dict[str, Any]) -> None:
    application = case_in("received", world)
    text = messages_of(event_of(application, EventKind.SUBMITTED))[1]

    sent = notification_send(notification_id=text.pk, now=LATER)

    assert sent.status == DeliveryStatus.SENT
    assert sms.outbox == [sms.SmsMessage(mobile=MOBILE, text=text.body)]


# --- Supplement, acceptance and decisions -------------------------------------------------------


def test_a_supplement_request_lists_every_item_with_its_reason_and_the_deadline(
    world: dict[str, Any], clerk: User
) -> None:
    application = case_in("received", world)

    services.application_supplement_request(
        user=clerk,
        application_id=application.pk,
        now=NOW + HOUR,
        items=[
            {"kind": "material", "key": "M01", "reason": "申请表未签字"},
            {"kind": "material", "key": "M02", "reason": "照片不清晰"},
            {"kind": "field", "key": "shop_name", "reason": "与租赁合同不一致"},
        ],
        respond_within=10,
    )

    inbox, text = messages_of(event_of(application, EventKind.SUPPLEMENT_REQUESTED))
    assert inbox.body == (
        "您好：\n\n"
        f"您申请的“食品经营许可”（申报号：{application.reference}）需要补正以下材料：\n\n"
        "1. 申请表：申请表未签字\n"
        "2. 居民身份证：照片不清晰\n"
        "3. 店铺名称：与租赁合同不一致\n\n"
        "请于2025-06-25前补正。登录通办网站在线补正，或到深圳市民中心B区行政服务大厅提交。\n"
        "逾期未补正的，将作退件处理。\n\n"
        f"查看详情：{detail_url(application)}"
    )
    assert text.body == (
        "【通办】您申请的食品经营许可需补正3项材料，请于2025-06-25前提交，"
        f"清单见通办网站“我的消息”。查询号{application.query_no}。"
    )


def _accept(people: dict[str, Any]) -> Application:
    application = case_in("received", people)
    return services.application_accept(
        user=people["clerk"], application_id=application.pk, now=NOW + HOUR
    )


def _not_accept(people: dict[str, Any]) -> Application:
    return case_in("not_accepted", people)


def _approve(people: dict[str, Any]) -> Application:
    return case_in("approved", people)


def _reject(people: dict[str, Any]) -> Application:
    return case_in("rejected", people)


REMEDIES = (
    "如不服本决定，可以自知道该决定之日起六十日内向深圳市人民政府申请行政复议，"
    "或者自知道该决定之日起六个月内向深圳市福田区人民法院提起行政诉讼。"
)


@pytest.mark.parametrize(
    ("act", "kind", "event", "lines"),
    [
        (
            _accept,
            EventKind.ACCEPTED,
            Event.APPLICATION_ACCEPTED,
            [
                "您申请的“食品经营许可”已于2025-06-11 11:00受理。",
                "承诺办结日期：2025-06-18",
                "监督电话：12345",
            ],
        ),
        (
            _not_accept,
            EventKind.NOT_ACCEPTED,
            Event.APPLICATION_NOT_ACCEPTED,
            ["理由：重复申请。", REMEDIES],
        ),
        (
            _approve,
            EventKind.APPROVED,
            Event.APPLICATION_APPROVED,
            ["已于2025-06-11准予许可。", "电子送达"],
        ),
        (
            _reject,
            EventKind.REJECTED,
            Event.APPLICATION_REJECTED,
            ["理由：场所不符合要求。", REMEDIES],
        ),
    ],
    ids=["accepted", "not accepted", "approved", "rejected"],
)
def test_each_decision_tells_the_applicant_once_per_channel_with_what_the_law_requires(
    act: Callable[[dict[str, Any]], Application],
    kind: EventKind,
    event: Event,
    lines: list[str],
    world: dict[str, Any],
) -> None:
    application = act(world)

    messages = messages_of(event_of(application, kind))

    assert channels(event) == Counter({Channel.INBOX: 1, Channel.SMS: 1})
    assert [m.event for m in messages] == [event, event]
    body = messages[0].body
    assert [line for line in lines if line not in body] == []


def test_recording_the_same_event_again_writes_no_second_message(
    world: dict[str, Any],
) -> None:
    application = case_in("received", world)
    event = event_of(application, EventKind.SUBMITTED)
    before = [m.pk for m in messages_of(event)]

    notices_for_event(application=application, event=event, now=LATER)

    assert [m.pk for m in messages_of(event)] == before
    assert channels(Event.APPLICATION_RECEIVED) == Counter({Channel.INBOX: 1, Channel.SMS: 1})


def test_steps_inside_the_department_tell_the_applicant_nothing(
    world: dict[str, Any], reviewer: User
) -> None:
    application = case_in("in_review", world)

    services.application_claim(user=reviewer, application_id=application.pk, now=NOW + 2 * HOUR)

    assert messages_of(event_of(application, EventKind.CLAIMED)) == []


# --- Staff --------------------------------------------------------------------------------------


def test_assigning_a_case_tells_the_assignee(
    world: dict[str, Any], approver: User, reviewer: User, applicant: User
) -> None:
    application = case_in("in_review", world)

    services.application_assign(
        user=approver, application_id=application.pk, assignee_id=reviewer.pk, now=NOW + 2 * HOUR
    )

    messages = messages_of(event_of(application, EventKind.ASSIGNED))
    assert [(m.event, m.channel, m.recipient) for m in messages] == [
        (Event.CASE_ASSIGNED, Channel.INBOX, reviewer)
    ]
    assert messages[0].body == (
        "您好：\n\n"
        f"办件“食品经营许可”（申报号：{application.reference}）已分派给您办理（环节：审查），请于2025-06-18前处理。\n\n"
        f"打开办件：http://127.0.0.1:8000/workbench/cases/{application.pk}/"
    )
    assert not Notification.objects.filter(
        recipient=applicant, key=f"application-event:{event_of(application, EventKind.ASSIGNED).pk}"
    ).exists()


# --- Reminders ----------------------------------------------------------------------------------


def supplement_requested(people: dict[str, Any], *, within: int) -> Application:
    application = case_in("received", people)
    services.application_supplement_request(
        user=people["clerk"],
        application_id=application.pk,
        now=NOW + HOUR,
        items=[{"kind": "material", "key": "M01", "reason": "申请表未签字"}],
        respond_within=within,
    )
    return application


def test_the_applicant_is_reminded_once_when_the_supplement_deadline_is_two_working_days_away(
    world: dict[str, Any], applicant: User
) -> None:
    application = supplement_requested(world, within=2)

    for _ in range(2):
        services.reminders_supplement_due(now=NOW + 2 * HOUR)

    messages = Notification.objects.filter(event=Event.SUPPLEMENT_DUE_SOON).order_by("channel")
    assert [(m.channel, m.recipient, m.address) for m in messages] == [
        (Channel.INBOX, applicant, ""),
        (Channel.SMS, applicant, MOBILE),
    ]
    assert messages[0].body == (
        "您好：\n\n"
        f"您申请的“食品经营许可”（申报号：{application.reference}）的补正期限为2025-06-13，"
        "还剩2天。逾期未补正的，将作退件处理。\n\n"
        f"查看详情：{detail_url(application)}"
    )


def test_a_second_run_of_the_supplement_reminders_reports_none_sent(world: dict[str, Any]) -> None:
    supplement_requested(world, within=2)

    counts = [services.reminders_supplement_due(now=NOW + 2 * HOUR) for _ in range(2)]

    assert counts == [1, 0]


def test_a_supplement_deadline_further_away_is_not_reminded_yet(world: dict[str, Any]) -> None:
    supplement_requested(world, within=3)

    assert services.reminders_supplement_due(now=NOW + 2 * HOUR) == 0
    assert not Notification.objects.filter(event=Event.SUPPLEMENT_DUE_SOON).exists()


def assigned_in_review(people: dict[str, Any]) -> Application:
    application = case_in("in_review", people)
    return services.application_assign(
        user=people["approver"],
        application_id=application.pk,
        assignee_id=people["reviewer"].pk,
        now=NOW + 2 * HOUR,
    )


def test_the_assignee_is_reminded_once_the_day_before_the_promised_deadline(
    world: dict[str, Any], reviewer: User
) -> None:
    application = assigned_in_review(world)

    for _ in range(2):
        services.reminders_case_due(now=at("2025-06-17"))

    messages = list(Notification.objects.filter(event=Event.CASE_DUE_SOON))
    assert [(m.channel, m.recipient) for m in messages] == [(Channel.INBOX, reviewer)]
    assert messages[0].body == (
        "您好：\n\n"
        f"您负责的办件“食品经营许可”（申报号：{application.reference}，环节：审查）"
        "将于2025-06-18到期，还剩1个工作日，请及时办理。\n\n"
        f"打开办件：http://127.0.0.1:8000/workbench/cases/{application.pk}/"
    )


def test_a_second_run_of_the_case_reminders_reports_none_sent(world: dict[str, Any]) -> None:
    assigned_in_review(world)

    counts = [services.reminders_case_due(now=at("2025-06-17")) for _ in range(2)]

    assert counts == [1, 0]


def test_a_case_due_in_two_working_days_is_not_reminded_yet(world: dict[str, Any]) -> None:
    assigned_in_review(world)

    assert services.reminders_case_due(now=at("2025-06-16")) == 0
    assert not Notification.objects.filter(event=Event.CASE_DUE_SOON).exists()


def test_a_case_no_one_is_assigned_to_reminds_no_one(world: dict[str, Any]) -> None:
    case_in("in_review", world)

    assert services.reminders_case_due(now=at("2025-06-17")) == 0
    assert not Notification.objects.filter(event=Event.CASE_DUE_SOON).exists()
