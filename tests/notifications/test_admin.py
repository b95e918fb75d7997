"""The admin: templates edited with a preview and refused when broken; notifications read-only,
failed ones retried by an action."""

from django.test import Client

import pytest

from accounts.models import User
from notifications.choices import Channel, DeliveryStatus, Event
from notifications.models import Notification, NotificationTemplate
from notifications.services import Recipient, notify
from tests.auth import sign_in
from tests.html import visible_text
from tests.notifications.conftest import NOW, SUPPLEMENT_CONTEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(db: None) -> Client:
    client = Client()
    sign_in(client, User.objects.create_superuser("root", "root@example.com", "pw-root-12345"))
    return client


def test_the_template_page_previews_every_text_with_sample_data(superuser_client: Client) -> None:
    template = NotificationTemplate.objects.get(event=Event.SUPPLEMENT_REQUESTED)

    response = superuser_client.get(
        f"/admin/notifications/notificationtemplate/{template.pk}/change/"
    )

    text = visible_text(response)
    assert response.status_code == 200
    assert "请补正材料：食品经营许可" in text
    assert "3. 食品安全管理制度清单：缺少进货查验记录制度。" in text
    assert "{{ items }}" in text  # the variables help


def test_saving_a_broken_template_in_the_admin_shows_the_error_and_keeps_the_old_text(
    superuser_client: Client,
) -> None:
    template = NotificationTemplate.objects.get(event=Event.APPLICATION_ACCEPTED)
    url = f"/admin/notifications/notificationtemplate/{template.pk}/change/"
    data = {
        field: getattr(template, field)
        for field in ("subject_zh", "body_zh", "sms_zh", "subject_en", "body_en", "sms_en")
    }
    data.update(send_inbox="on", send_email="on", send_sms="on", body_zh="{% if reference %}")

    response = superuser_client.post(url, data)

    template.refresh_from_db()
    assert response.status_code == 200
    assert "Unclosed tag on line 1: &#x27;if&#x27;" in response.content.decode()
    assert template.body_zh.startswith("您好：")


def test_the_retry_action_queues_failed_messages_again(
    superuser_client: Client, applicant: User
) -> None:
    rows = notify(
        event=Event.SUPPLEMENT_REQUESTED,
        recipients=[Recipient(user=applicant)],
        context=SUPPLEMENT_CONTEXT,
        key="supplement:1",
        now=NOW,
    )
    email = next(row for row in rows if row.channel == Channel.EMAIL)
    Notification.objects.filter(pk=email.pk).update(status=DeliveryStatus.FAILED, attempts=6)

    response = superuser_client.post(
        "/admin/notifications/notification/",
        {"action": "retry_failed", "_selected_action": [row.pk for row in rows]},
        follow=True,
    )

    email.refresh_from_db()
    assert "已重新排队 1 条消息。" in visible_text(response)
    assert (email.status, email.attempts) == (DeliveryStatus.QUEUED, 0)


def test_the_notification_list_masks_addresses(superuser_client: Client, applicant: User) -> None:
    notify(
        event=Event.SUPPLEMENT_REQUESTED,
        recipients=[Recipient(user=applicant)],
        context=SUPPLEMENT_CONTEXT,
        key="supplement:1",
        now=NOW,
    )

    text = visible_text(superuser_client.get("/admin/notifications/notification/"))

    assert "138****8000" in text
    assert "w***@example.com" in text
    assert "13800138000" not in text
    assert "wangwu@example.com" not in text
