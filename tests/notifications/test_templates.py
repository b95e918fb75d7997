"""Templates: one per event, seeded with texts that render in both languages; a template that
fails to render, or uses a variable its event does not provide, is refused at save."""

from django.core.exceptions import ValidationError

import pytest

from accounts.models import User
from notifications.choices import Channel, Event
from notifications.defaults import DEFAULT_TEMPLATES
from notifications.models import NotificationTemplate
from notifications.services import Recipient, notify
from tests.notifications.conftest import NOW

pytestmark = pytest.mark.django_db


def test_every_event_has_a_seeded_template() -> None:
    seeded = set(NotificationTemplate.objects.values_list("event", flat=True))

    assert seeded == set(Event.values)
    assert set(DEFAULT_TEMPLATES) == set(Event)


@pytest.mark.parametrize("event", list(Event))
def test_every_seeded_template_passes_validation(event: Event) -> None:
    template = NotificationTemplate.objects.get(event=event)

    template.full_clean()

    assert template.sms_zh.startswith("【通办】")
    assert template.sms_en.startswith("【通办】")


def test_a_template_with_an_unclosed_tag_is_refused_with_the_error() -> None:
    template = NotificationTemplate.objects.get(event=Event.APPLICATION_ACCEPTED)
    template.body_zh = "您申请的{% if matter_name %}{{ matter_name }}已受理。"

    with pytest.raises(ValidationError) as caught:
        template.full_clean()

    assert caught.value.message_dict == {
        "body_zh": [
            "模板无法渲染：Unclosed tag on line 1: 'if'. Looking for one of: elif, else, endif."
        ]
    }


def test_a_template_with_an_unknown_variable_is_refused_naming_it() -> None:
    template = NotificationTemplate.objects.get(event=Event.APPLICATION_ACCEPTED)
    template.subject_en = "Accepted: {{ matter_nmae }} {{ item.reason }}"

    with pytest.raises(ValidationError) as caught:
        template.full_clean()

    assert caught.value.message_dict == {
        "subject_en": ["模板使用了未知的变量：item.reason、matter_nmae。"]
    }


def test_a_template_loading_a_tag_library_is_refused() -> None:
    template = NotificationTemplate.objects.get(event=Event.APPLICATION_ACCEPTED)
    template.sms_zh = "{% load static %}【通办】{% static 'x' %}"

    with pytest.raises(ValidationError) as caught:
        template.full_clean()

    assert list(caught.value.message_dict) == ["sms_zh"]
    assert "'static' is not a registered tag library" in caught.value.message_dict["sms_zh"][0]


def test_a_template_sending_sms_needs_an_sms_text() -> None:
    template = NotificationTemplate.objects.get(event=Event.CASE_ASSIGNED)
    template.send_sms = True
    template.sms_en = " "

    with pytest.raises(ValidationError) as caught:
        template.full_clean()

    assert caught.value.message_dict == {"sms_en": ["发送短信时必须填写短信内容。"]}


def test_a_broken_template_stored_anyway_falls_back_to_the_built_in_text(
    applicant: User, caplog: pytest.LogCaptureFixture
) -> None:
    NotificationTemplate.objects.filter(event=Event.APPLICATION_ACCEPTED).update(
        subject_zh="{% for x in promised_on %}{{ x }}{% endfor %}", body_zh="{{ x|date:1:2 }}"
    )

    rows = notify(
        event=Event.APPLICATION_ACCEPTED,
        recipients=[Recipient(user=applicant)],
        context={"matter_name": "食品经营许可", "promised_on": 20251215},
        key="accepted:1",
        now=NOW,
    )

    inbox = next(row for row in rows if row.channel == Channel.INBOX)
    assert inbox.subject == "已受理：食品经营许可"
    assert "Unable to render the template of APPLICATION_ACCEPTED" in caplog.text
