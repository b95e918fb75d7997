"""差评 follow-up (DOMAIN §5.1, §5.3): a bad rating opens a follow-up with deadlines in working
days; the department's head contacts the rater, then rectifies or explains and reports back; a
malicious rating is appealed to a supervisor; the rater rates the outcome. Each refusal leaves
everything as it was."""

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

import pytest
import time_machine

from accounts.models import PersonalDataAccess, User
from applications.models import Application
from core.errors import DomainError
from notifications.choices import Channel, Event
from notifications.models import Notification
from supervision import followups, services
from supervision.choices import FollowupStatus
from supervision.models import Evaluation, Followup
from tests.applications.conftest import at, case_in, end_of, shared
from tests.auth import sign_in
from tests.html import visible_text

pytestmark = pytest.mark.django_db

applicant = shared("applicant")
clerk = shared("clerk")
department_admin = shared("department_admin")
supervisor = shared("supervisor")
outsider = shared("outsider")

# The Tuesday before National Day 2025 (10-01 to 10-08 off; Saturday 10-11 is a working day).
RATED_AT = at("2025-09-30")


def rate(
    world: dict[str, Any], application: Application, level: int = 5, now: dt.datetime = RATED_AT
) -> Evaluation:
    return services.evaluation_submit(
        user=world["applicant"],
        application_id=application.pk,
        level=level,
        tags=["SLOW"] if level >= 4 else ["FAST"],
        comment="等了很久才办好" if level >= 4 else "",
        now=now,
    )


@pytest.fixture
def completed(world: dict[str, Any]) -> Application:
    return case_in("completed", world)


@pytest.fixture
def followup(world: dict[str, Any], completed: Application) -> Followup:
    return Followup.objects.get(evaluation=rate(world, completed))


def signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def action(client: Client, followup: Followup, name: str, data: dict[str, str]) -> Any:
    return client.post(reverse("followup-action", args=[followup.pk, name]), data)


def state(followup: Followup) -> dict[str, object]:
    """Everything a refused call must leave as it was."""
    row = Followup.objects.get(pk=followup.pk)
    return {
        "row": {f.attname: getattr(row, f.attname) for f in Followup._meta.concrete_fields},
        "voided": Evaluation.objects.get(pk=row.evaluation_id).voided,
        "notifications": Notification.objects.count(),
    }


CONTACTED_AT = at("2025-10-09")


def contacted(followup: Followup, user: User, now: dt.datetime = CONTACTED_AT) -> Followup:
    return followups.followup_contact(
        user=user, followup_id=followup.pk, note="电话回访，评价人反映排队时间长。", now=now
    )


# --- opening -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rated_at", "contact_due", "resolve_due"),
    [
        # National Day 2025: 10-01..08 off, so the next working day is Thursday 10-09 and the
        # fifteenth is 10-28, counting the working Saturday 10-11.
        (RATED_AT, "2025-10-09", "2025-10-28"),
        # Friday: the weekend is skipped; Sunday 09-28 is a 调休 working day.
        (at("2025-09-26"), "2025-09-28", "2025-10-23"),
        # Late in the evening still counts from that day.
        (at("2025-06-13", 23), "2025-06-16", "2025-07-04"),
    ],
)
def test_a_bad_rating_opens_a_followup_due_in_working_days(
    world: dict[str, Any],
    completed: Application,
    rated_at: dt.datetime,
    contact_due: str,
    resolve_due: str,
) -> None:
    evaluation = rate(world, completed, now=rated_at)

    followup = Followup.objects.get(evaluation=evaluation)
    assert followup.status == FollowupStatus.OPEN
    assert followup.department_id == completed.department_id
    assert (followup.contact_due, followup.resolve_due) == (
        end_of(contact_due),
        end_of(resolve_due),
    )


def test_the_departments_head_is_told_of_a_new_followup_with_its_deadlines(
    world: dict[str, Any], followup: Followup, department_admin: User, clerk: User
) -> None:
    message = Notification.objects.get(event=Event.FOLLOWUP_OPENED, channel=Channel.INBOX)

    assert message.recipient == department_admin
    assert "不满意" in message.body
    assert "2025-10-09" in message.body
    assert "2025-10-28" in message.body
    assert message.link == reverse("followup-detail", args=[followup.pk])
    assert not Notification.objects.filter(recipient=clerk, event=Event.FOLLOWUP_OPENED).exists()


@pytest.mark.parametrize("level", [1, 2, 3])
def test_a_good_rating_opens_no_followup(
    world: dict[str, Any], completed: Application, level: int
) -> None:
    rate(world, completed, level=level)

    assert not Followup.objects.exists()
    assert not Notification.objects.filter(event=Event.FOLLOWUP_OPENED).exists()


def test_a_bad_rating_refused_for_missing_reason_opens_nothing(
    world: dict[str, Any], completed: Application
) -> None:
    with pytest.raises(DomainError):
        services.evaluation_submit(
            user=world["applicant"],
            application_id=completed.pk,
            level=4,
            tags=[],
            comment="",
            now=RATED_AT,
        )

    assert not Evaluation.objects.exists()
    assert not Followup.objects.exists()


# --- the department's pages --------------------------------------------------------------------


def test_the_detail_page_shows_the_rating_with_the_rater_masked(
    followup: Followup, department_admin: User, applicant: User, completed: Application
) -> None:
    page = signed_in(department_admin).get(reverse("followup-detail", args=[followup.pk]))

    text = visible_text(page)
    assert page.status_code == 200
    assert "李*" in text
    assert "李四" not in text
    assert applicant.id_number
    assert applicant.id_number not in page.content.decode()
    assert applicant.mobile not in page.content.decode()
    assert "非常不满意" in text
    assert "办理时间长" in text
    assert "等了很久才办好" in text
    assert reverse("workbench-case", args=[completed.pk]) in page.content.decode()
    assert "登记回访" in text
    assert "申诉" in text


def test_contact_then_resolve_tells_the_rater_once_with_the_outcome(
    followup: Followup, department_admin: User, applicant: User
) -> None:
    client = signed_in(department_admin)

    contact = action(client, followup, "contact", {"contact-note": "电话回访，已核实排队时间长。"})
    resolve = action(
        client,
        followup,
        "resolve",
        {"resolve-kind": "RECTIFIED", "resolve-text": "已增设两个综合窗口，高峰期排队缩短。"},
    )
    again = action(
        client, followup, "resolve", {"resolve-kind": "EXPLAINED", "resolve-text": "再说一次"}
    )

    followup.refresh_from_db()
    assert (contact.status_code, resolve.status_code) == (302, 302)
    assert followup.status == FollowupStatus.RECTIFIED
    assert (followup.contacted_by, followup.resolved_by) == (department_admin, department_admin)
    assert followup.contact_note == "电话回访，已核实排队时间长。"
    assert again.status_code == 409
    assert "不能反馈处理结果" in visible_text(again)
    reports = Notification.objects.filter(event=Event.FOLLOWUP_REPORTED)
    assert {(n.recipient, n.channel) for n in reports} == {
        (applicant, Channel.INBOX),
        (applicant, Channel.SMS),
    }
    inbox = reports.get(channel=Channel.INBOX)
    assert "已整改并反馈" in inbox.body
    assert "已增设两个综合窗口" in inbox.body


def test_a_followup_cannot_be_resolved_before_the_rater_is_contacted(
    followup: Followup, department_admin: User
) -> None:
    before = state(followup)

    response = action(
        signed_in(department_admin),
        followup,
        "resolve",
        {"resolve-kind": "RECTIFIED", "resolve-text": "已整改"},
    )

    assert response.status_code == 409
    assert "该差评当前为“待回访”，不能反馈处理结果" in visible_text(response)
    assert state(followup) == before


def test_contact_needs_a_note_and_happens_once(followup: Followup, department_admin: User) -> None:
    client = signed_in(department_admin)
    before = state(followup)

    empty = action(client, followup, "contact", {"contact-note": "  "})
    assert empty.status_code == 400
    assert "请填写回访记录" in visible_text(empty)
    assert state(followup) == before

    contacted(followup, department_admin)
    twice = action(client, followup, "contact", {"contact-note": "又回访了一次"})
    assert twice.status_code == 409
    assert "不能登记回访" in visible_text(twice)


def test_resolve_needs_a_kind_and_a_text(followup: Followup, department_admin: User) -> None:
    contacted(followup, department_admin)
    before = state(followup)

    with pytest.raises(DomainError) as refused:
        followups.followup_resolve(
            user=department_admin,
            followup_id=followup.pk,
            kind="OPEN",
            text="x",
            now=at("2025-10-10"),
        )
    with pytest.raises(DomainError) as empty:
        followups.followup_resolve(
            user=department_admin,
            followup_id=followup.pk,
            kind="EXPLAINED",
            text="",
            now=at("2025-10-10"),
        )

    assert list(refused.value.errors) == ["kind"]
    assert list(empty.value.errors) == ["text"]
    assert state(followup) == before


@pytest.mark.parametrize(
    ("user_name", "expected_case"),
    [
        ("outsider", 404),  # a clerk of another department: not found
        ("clerk", 403),  # a clerk of the department: not theirs to handle
        ("supervisor", 403),  # a supervisor decides appeals, does not handle
    ],
)
def test_only_the_departments_head_handles_a_followup(
    world: dict[str, Any], followup: Followup, user_name: str, expected_case: int
) -> None:
    client = signed_in(world[user_name])
    before = state(followup)

    responses = [
        action(client, followup, "contact", {"contact-note": "回访"}),
        action(client, followup, "appeal", {"appeal-reason": "恶意差评"}),
    ]

    assert [r.status_code for r in responses] == [expected_case, expected_case]
    assert state(followup) == before


@pytest.mark.parametrize(("user_name", "expected_case"), [("outsider", 404), ("clerk", 403)])
def test_the_followup_pages_are_not_for_clerks_or_other_departments(
    world: dict[str, Any], followup: Followup, user_name: str, expected_case: int
) -> None:
    client = signed_in(world[user_name])

    detail = client.get(reverse("followup-detail", args=[followup.pk]))
    listing = client.get(reverse("followup-list"))

    assert detail.status_code == expected_case
    assert listing.status_code == 403


def test_a_citizen_cannot_reach_the_followup_pages(
    world: dict[str, Any], followup: Followup
) -> None:
    client = signed_in(world["applicant"])

    assert client.get(reverse("followup-list")).status_code == 404
    assert client.get(reverse("followup-detail", args=[followup.pk])).status_code == 404


def test_the_list_puts_overdue_first_with_red_and_yellow_markers_and_filters_by_status(
    world: dict[str, Any], department_admin: User
) -> None:
    on_time = case_in("completed", world)
    late = case_in("completed", world)
    closed = case_in("completed", world)
    rate(world, on_time, now=RATED_AT)  # contact due 10-09: the day we look
    rate(world, late, now=at("2025-09-26"))  # contact due 09-28: overdue
    done = Followup.objects.get(evaluation=rate(world, closed, now=at("2025-09-26")))
    contacted(done, department_admin, now=at("2025-09-28"))
    followups.followup_resolve(
        user=department_admin,
        followup_id=done.pk,
        kind="EXPLAINED",
        text="政策规定如此。",
        now=at("2025-09-29"),
    )

    with time_machine.travel(at("2025-10-09", 9), tick=False):
        client = signed_in(department_admin)
        page = client.get(reverse("followup-list"))
        filtered = client.get(reverse("followup-list"), {"status": "EXPLAINED"})

    text = visible_text(page)
    assert page.status_code == 200
    positions = [text.index(case.reference or "") for case in (late, on_time, closed)]
    assert positions == sorted(positions)
    assert 'class="row-red"' in page.content.decode()
    assert 'class="row-yellow"' in page.content.decode()
    assert "已超期" in text
    assert "即将到期" in text
    assert "共 3 件" in text
    filtered_text = visible_text(filtered)
    assert str(closed.reference) in filtered_text
    assert str(late.reference) not in filtered_text
    assert "共 1 件" in filtered_text


# --- appeals -----------------------------------------------------------------------------------


def test_an_upheld_appeal_voids_the_rating_and_takes_it_out_of_the_public_figures(
    followup: Followup, department_admin: User, supervisor: User
) -> None:
    action(
        signed_in(department_admin), followup, "appeal", {"appeal-reason": "评价人未在本窗口办事。"}
    )
    followup.refresh_from_db()
    assert followup.status == FollowupStatus.APPEALED

    client = signed_in(supervisor)
    queue = client.get(reverse("followup-appeals"))
    assert "评价人未在本窗口办事" in visible_text(queue)
    decided = client.post(
        reverse("followup-action", args=[followup.pk, "decide"]),
        {"from": "appeals", "decide-upheld": "yes", "decide-note": "经核实，评价人未到窗口。"},
    )

    followup.refresh_from_db()
    assert decided.status_code == 302
    assert followup.status == FollowupStatus.VOIDED
    assert followup.appeal_decided_by == supervisor
    assert Evaluation.objects.get(pk=followup.evaluation_id).voided
    public = Client().get(reverse("ratings-public"), {"from": "2025-09-01", "to": "2025-09-30"})
    assert "该期间暂无评价" in visible_text(public)
    assert "暂无待复核的申诉" in visible_text(client.get(reverse("followup-appeals")))


@pytest.mark.parametrize("was_contacted", [False, True])
def test_a_rejected_appeal_resumes_the_followup_with_its_deadlines(
    followup: Followup, department_admin: User, supervisor: User, was_contacted: bool
) -> None:
    if was_contacted:
        contacted(followup, department_admin)
    deadlines = (followup.contact_due, followup.resolve_due)
    followups.followup_appeal(
        user=department_admin, followup_id=followup.pk, reason="恶意差评。", now=at("2025-10-10")
    )

    followups.followup_appeal_decide(
        user=supervisor,
        followup_id=followup.pk,
        upheld=False,
        note="证据不足。",
        now=at("2025-10-13"),
    )

    followup.refresh_from_db()
    expected = FollowupStatus.CONTACTED if was_contacted else FollowupStatus.OPEN
    assert followup.status == expected
    assert (followup.contact_due, followup.resolve_due) == deadlines
    assert not Evaluation.objects.get(pk=followup.evaluation_id).voided
    with pytest.raises(followups.FollowupStateError, match="不能再次申诉"):
        followups.followup_appeal(
            user=department_admin, followup_id=followup.pk, reason="再申诉。", now=at("2025-10-14")
        )


def test_only_a_supervisor_of_the_department_decides_an_appeal(
    world: dict[str, Any], followup: Followup, department_admin: User
) -> None:
    followups.followup_appeal(
        user=department_admin, followup_id=followup.pk, reason="恶意差评。", now=at("2025-10-10")
    )
    before = state(followup)
    data = {"decide-upheld": "yes", "decide-note": "成立"}

    by_head = signed_in(department_admin).post(
        reverse("followup-action", args=[followup.pk, "decide"]), data
    )
    by_outsider = signed_in(world["outsider"]).post(
        reverse("followup-action", args=[followup.pk, "decide"]), data
    )
    queue = signed_in(department_admin).get(reverse("followup-appeals"))

    assert (by_head.status_code, by_outsider.status_code, queue.status_code) == (403, 404, 403)
    assert state(followup) == before


def test_an_appeal_needs_a_reason_and_an_open_followup(
    followup: Followup, department_admin: User, supervisor: User
) -> None:
    before = state(followup)
    with pytest.raises(DomainError) as empty:
        followups.followup_appeal(
            user=department_admin, followup_id=followup.pk, reason=" ", now=at("2025-10-10")
        )
    assert list(empty.value.errors) == ["reason"]
    assert state(followup) == before

    with pytest.raises(followups.FollowupStateError, match="不能复核申诉"):
        followups.followup_appeal_decide(
            user=supervisor, followup_id=followup.pk, upheld=True, note="成立", now=at("2025-10-10")
        )
    assert state(followup) == before


# --- the rater ---------------------------------------------------------------------------------


def test_the_rater_sees_the_outcome_and_rates_it_once(
    world: dict[str, Any], followup: Followup, department_admin: User, completed: Application
) -> None:
    rater = signed_in(world["applicant"])
    rate_page = reverse("application-evaluate", args=[completed.pk])
    outcome = reverse("followup-rate-outcome", args=[completed.pk])
    assert "待回访" in visible_text(rater.get(rate_page))
    too_early = rater.post(outcome, {"level": "1"})
    assert too_early.status_code == 400
    assert "反馈处理结果后才能评价" in visible_text(too_early)

    contacted(followup, department_admin)
    followups.followup_resolve(
        user=department_admin,
        followup_id=followup.pk,
        kind="EXPLAINED",
        text="该事项法定需现场核查，已向您说明。",
        now=at("2025-10-10"),
    )
    page = visible_text(rater.get(rate_page))
    first = rater.post(outcome, {"level": "2"}, follow=True)
    second = rater.post(outcome, {"level": "5"})

    assert "已解释说明并反馈" in page
    case_page = visible_text(rater.get(reverse("application-detail", args=[completed.pk])))
    assert "差评处理进度：已解释说明并反馈" in case_page
    assert "该事项法定需现场核查" in page
    assert "您对处理结果是否满意" in page
    assert "您对处理结果的评价：满意" in visible_text(first)
    assert second.status_code == 400
    followup.refresh_from_db()
    assert followup.rater_level == 2


def test_someone_else_cannot_rate_the_outcome(
    world: dict[str, Any], followup: Followup, completed: Application
) -> None:
    other = signed_in(world["other_citizen"])

    response = other.post(reverse("followup-rate-outcome", args=[completed.pk]), {"level": "1"})

    assert response.status_code == 404
    with pytest.raises(Followup.DoesNotExist):
        followups.followup_rate_outcome(
            user=world["other_citizen"], followup_id=followup.pk, level=1
        )


# --- reminders ---------------------------------------------------------------------------------


def test_the_head_is_reminded_once_per_deadline_due_within_a_working_day(
    followup: Followup, department_admin: User
) -> None:
    # 09-30: contact is due 10-09, the next working day: remind at once, and once only.
    assert followups.followups_remind_due(now=at("2025-09-30", 11)) == 1
    assert followups.followups_remind_due(now=at("2025-10-09", 9)) == 0
    contacted(followup, department_admin)
    # The report is due 10-28: not yet on Friday 10-24 (next working day 10-27), then on 10-27.
    assert followups.followups_remind_due(now=at("2025-10-24")) == 0
    assert followups.followups_remind_due(now=at("2025-10-27")) == 1
    assert followups.followups_remind_due(now=at("2025-10-29")) == 0

    reminders = Notification.objects.filter(event=Event.FOLLOWUP_DUE, channel=Channel.INBOX)
    assert [(n.recipient, n.key) for n in reminders.order_by("pk")] == [
        (department_admin, f"followup-contact-due:{followup.pk}"),
        (department_admin, f"followup-resolve-due:{followup.pk}"),
    ]
    assert "差评整改反馈期限为2025-10-28，即将到期" in reminders.order_by("pk").last().body  # type: ignore[union-attr]


def test_closed_followups_are_not_reminded(followup: Followup, department_admin: User) -> None:
    contacted(followup, department_admin)
    followups.followup_resolve(
        user=department_admin,
        followup_id=followup.pk,
        kind="RECTIFIED",
        text="已整改。",
        now=at("2025-10-10"),
    )

    assert followups.followups_remind_due(now=at("2025-11-30")) == 0


# --- calling the rater back ------------------------------------------------------------------


def test_the_head_sees_the_raters_number_masked_and_in_full_with_a_recorded_reason(
    followup: Followup, department_admin: User, completed: Application
) -> None:
    client = signed_in(department_admin)
    masked = completed.masked_mobile

    page = client.get(f"/workbench/followups/{followup.pk}/").content.decode()
    response = client.post(
        f"/workbench/followups/{followup.pk}/contact-number/", {"reason": "差评回访，核实情况"}
    )

    assert masked in page
    assert completed.applicant_mobile not in page
    assert completed.applicant_mobile in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.field, access.reason) == (
        department_admin,
        "applicant_mobile",
        "差评回访，核实情况",
    )


def test_the_number_needs_a_reason_and_stays_masked_without_one(
    followup: Followup, department_admin: User, completed: Application
) -> None:
    response = signed_in(department_admin).post(
        f"/workbench/followups/{followup.pk}/contact-number/", {"reason": ""}
    )

    assert response.status_code == 400
    assert completed.applicant_mobile not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("who", ["clerk", "outsider"])
def test_nobody_else_gets_the_raters_number(
    followup: Followup, completed: Application, world: dict[str, Any], who: str
) -> None:
    response = signed_in(world[who]).post(
        f"/workbench/followups/{followup.pk}/contact-number/", {"reason": "差评回访，核实情况"}
    )

    assert response.status_code in (403, 404)
    assert completed.applicant_mobile not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()
