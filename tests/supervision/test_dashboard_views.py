"""The 电子监察 pages: the dashboard shows what the cases say (through the daily figures), each
department head sees only their own department, the CSV opens in Excel, the charts are harmless
SVG, and the yellow and red cards are answered once by the department they concern.

The module builds one June 2025 of cases (market and health departments), ratings and cards, then
refreshes the daily figures, as the beat job would on 1 July."""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import F, QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

import pytest

from accounts.models import User
from applications import services
from applications.models import Application
from core.calendar import start_of_day
from matters.models import Department, Matter
from matters.services import catalogue_import
from supervision.choices import AlertColor, AlertRule, Level
from supervision.models import Alert, Evaluation
from supervision.statistics import statistics_refresh
from tests.applications.conftest import NOW, at, case_in, simple_draft_ready
from tests.auth import sign_in
from tests.html import visible_text
from tests.matters import documents

pytestmark = pytest.mark.django_db

JUNE = {"start": "2025-06-01", "end": "2025-06-30"}
DASHBOARD, CSV_URL, ALERTS = (
    "/supervision/dashboard/",
    "/supervision/dashboard.csv",
    "/supervision/alerts/",
)
MARKET_NAME, HEALTH_NAME = "深圳市市场监督管理局", "南山区卫生健康局"
HEALTH_MATTER = "放射诊疗许可"


def _rate(application: Application, level: int, day: str) -> None:
    Evaluation.objects.create(
        application=application,
        evaluator=application.applicant,
        level=level,
        comment="" if level < Level.DISSATISFIED else "等了很久",
        department_id=application.department_id,
        matter_code=application.matter.implementation_code,
        created_at=at(day),
    )


def _card(application: Application, rule: AlertRule, color: AlertColor, day: str) -> Alert:
    return Alert.objects.create(
        application=application,
        rule=rule,
        color=color,
        deadline=at(day, 9),
        raised_at=at(day),
        department_id=application.department_id,
        matter_code=application.matter.implementation_code,
    )


@pytest.fixture(scope="module")
def june(world: dict[str, Any]) -> dict[str, Any]:
    """Cases of both departments in June 2025, two ratings, three cards, and the daily figures."""
    market_cases = {
        state: case_in(state, world)
        for state in ("completed", "approved", "rejected", "in_review", "not_accepted")
    }
    market_cases["late"] = case_in("received", world, now=at("2025-06-12"))
    catalogue_import(
        document=documents.document(
            documents.matter(
                "11006000",
                HEALTH_MATTER,
                department=documents.HEALTH,
                region=documents.COUNTY,
                level="4",
            )
        )
    )
    health_matter = Matter.objects.get(catalog_code__endswith="11006000")
    draft = simple_draft_ready(world["applicant"], health_matter)
    services.application_submit(user=world["applicant"], application_id=draft.pk, now=NOW)
    health_case = services.application_accept(
        user=world["outsider"], application_id=draft.pk, now=NOW + dt.timedelta(hours=1)
    )
    _rate(market_cases["completed"], Level.VERY_SATISFIED, "2025-06-12")
    _rate(market_cases["not_accepted"], Level.VERY_DISSATISFIED, "2025-06-12")
    cards = {
        "market_yellow": _card(
            market_cases["in_review"], AlertRule.CASE_DUE_SOON, AlertColor.YELLOW, "2025-06-17"
        ),
        "market_red": _card(
            market_cases["in_review"], AlertRule.CASE_OVERDUE, AlertColor.RED, "2025-06-19"
        ),
        "health_red": _card(health_case, AlertRule.CASE_OVERDUE, AlertColor.RED, "2025-06-19"),
    }
    statistics_refresh(
        start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30), now=at("2025-07-01", 10)
    )
    return {"market": market_cases, "health_case": health_case, "health_matter": health_matter,
            "cards": cards}  # fmt: skip


def signed_in(client: Client, user: User) -> Client:
    sign_in(client, user)
    return client


@pytest.fixture
def office(client: Client, world: dict[str, Any], june: dict[str, Any]) -> Client:
    """The supervision office: a supervisor, who sees every department."""
    return signed_in(client, world["supervisor"])


@pytest.fixture
def head(client: Client, world: dict[str, Any], june: dict[str, Any]) -> Client:
    """The market department's head."""
    return signed_in(client, world["department_admin"])


def in_june(department: Department | None = None) -> QuerySet[Application]:
    cases = Application.objects.all()
    return cases if department is None else cases.filter(department=department)


def count(cases: QuerySet[Application], field: str) -> int:
    june_range = (start_of_day(dt.date(2025, 6, 1)), start_of_day(dt.date(2025, 7, 1)))
    return cases.filter(**{f"{field}__gte": june_range[0], f"{field}__lt": june_range[1]}).count()


def headline(page: str, label: str) -> str:
    """The value shown under a headline label."""
    match = re.search(rf"{re.escape(label)} (\S+)", page)
    assert match, label
    return match.group(1)


# --- figures --------------------------------------------------------------------------------


def test_the_office_sees_figures_equal_to_the_cases_of_every_department(office: Client) -> None:
    response = office.get(DASHBOARD, JUNE)

    page = visible_text(response)
    decided = in_june().filter(decided_at__isnull=False)
    assert response.status_code == 200
    assert headline(page, "收件量") == str(count(in_june(), "received_at"))
    assert headline(page, "受理量") == str(count(in_june(), "accepted_at"))
    assert headline(page, "办结量") == str(count(in_june(), "completed_at"))
    on_time = decided.filter(decided_at__lte=F("promise_deadline")).count()
    assert headline(page, "按时办结率") == f"{on_time / decided.count() * 100:.1f}%"
    assert headline(page, "好评率") == "50.0%"
    assert "评价2次，差评1次" in page
    assert headline(page, "黄牌预警") == "1"
    assert headline(page, "红牌督办") == "2"
    assert "数据更新于 2025-07-01 10:00" in page
    assert MARKET_NAME in page
    assert HEALTH_NAME in page
    assert HEALTH_MATTER in page


def test_the_tables_hold_each_departments_own_counts(office: Client, world: dict[str, Any]) -> None:
    response = office.get(DASHBOARD, JUNE)

    rows = {row.label: row.cells for row in response.context["department_rows"]}
    for department in (world["market"], world["health"]):
        cases = in_june(department)
        assert rows[department.name][:3] == (
            str(count(cases, "received_at")),
            str(count(cases, "accepted_at")),
            str(count(cases, "completed_at")),
        )
    assert "<caption>各部门指标，按收件量从多到少排列" in response.content.decode()


def test_a_department_head_sees_only_their_department(head: Client, world: dict[str, Any]) -> None:
    response = head.get(DASHBOARD, JUNE)

    page = visible_text(response)
    market = in_june(world["market"])
    assert response.status_code == 200
    assert headline(page, "收件量") == str(count(market, "received_at"))
    assert headline(page, "红牌督办") == "1"
    assert f"数据范围：{MARKET_NAME}" in page
    assert HEALTH_NAME not in page
    assert HEALTH_MATTER not in page
    assert [row.label for row in response.context["department_rows"]] == [MARKET_NAME]


def test_a_department_heads_csv_holds_only_their_department(
    head: Client, world: dict[str, Any], june: dict[str, Any]
) -> None:
    response = head.get(CSV_URL, JUNE)

    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert response.status_code == 200
    assert HEALTH_NAME not in text
    assert HEALTH_MATTER not in text
    assert [line[:3] for line in lines[1:3]] == [
        ["合计", "", "所选范围"],
        ["部门", str(world["market"].pk), MARKET_NAME],
    ]
    assert {line[0] for line in lines[1:]} == {"合计", "部门", "事项"}
    assert str(june["health_matter"].pk) not in {line[1] for line in lines[1:]}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"department": "health"}, "请从列表中选择您可查看的部门。"),
        ({"matter": "health"}, "没有该编号的事项，或该事项不属于您可查看的部门。"),
        ({"matter": "999999"}, "没有该编号的事项，或该事项不属于您可查看的部门。"),
    ],
    ids=["another-department", "another-departments-matter", "no-such-matter"],
)
def test_a_department_head_asking_for_what_is_not_theirs_gets_a_form_error(
    head: Client,
    world: dict[str, Any],
    june: dict[str, Any],
    params: dict[str, str],
    message: str,
) -> None:
    ids = {"health": str(world["health"].pk)}
    if "matter" in params:
        ids["health"] = str(june["health_matter"].pk)
    query = {**JUNE, **{key: ids.get(value, value) for key, value in params.items()}}

    page_response = head.get(DASHBOARD, query)
    csv_response = head.get(CSV_URL, query)

    page = visible_text(page_response)
    assert page_response.status_code == 400
    assert message in page
    assert "收件量" not in page
    assert HEALTH_NAME not in page
    assert csv_response.status_code == 400
    assert csv_response["Content-Type"].startswith("text/html")


def test_the_office_narrows_the_figures_to_a_department_and_a_matter(
    office: Client, world: dict[str, Any], june: dict[str, Any]
) -> None:
    health = world["health"]

    by_department = visible_text(office.get(DASHBOARD, {**JUNE, "department": health.pk}))
    by_matter = visible_text(office.get(DASHBOARD, {**JUNE, "matter": june["health_matter"].pk}))
    wrong_pair = office.get(
        DASHBOARD, {**JUNE, "department": world["market"].pk, "matter": june["health_matter"].pk}
    )

    assert headline(by_department, "收件量") == str(count(in_june(health), "received_at"))
    assert MARKET_NAME not in by_department.split("数据范围")[1]
    assert f"事项：{HEALTH_MATTER}" in by_matter
    assert headline(by_matter, "收件量") == "1"
    assert wrong_pair.status_code == 400
    assert "该事项不属于所选部门。" in visible_text(wrong_pair)


# --- who may open the pages -------------------------------------------------------------------


@pytest.mark.parametrize("url", [DASHBOARD, CSV_URL, ALERTS])
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("applicant", 404), ("clerk", 403), ("outsider", 403)],
)
def test_people_without_the_permission_cannot_open_the_pages(
    client: Client, world: dict[str, Any], who: str, status: int, url: str
) -> None:
    if who != "anonymous":
        sign_in(client, world[who])

    response = client.get(url, JUNE)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/")
    assert "收件量" not in visible_text(response)


def test_a_staff_member_who_may_view_but_not_export_gets_no_csv(
    client: Client, world: dict[str, Any], june: dict[str, Any]
) -> None:
    supervisor = User.objects.get(pk=world["supervisor"].pk)  # a fresh permission cache
    export = Permission.objects.get(codename="export_statistics")
    for group in supervisor.groups.all():
        group.permissions.remove(export)
    sign_in(client, supervisor)

    page = client.get(DASHBOARD, JUNE)
    response = client.get(CSV_URL, JUNE)

    assert page.status_code == 200
    assert "导出CSV" not in visible_text(page)
    assert response.status_code == 403
    assert "您没有导出统计数据的权限。" in visible_text(response)


# --- the CSV ----------------------------------------------------------------------------------


def test_the_csv_opens_in_excel_with_every_counter_and_rate(
    office: Client, world: dict[str, Any]
) -> None:
    response = office.get(CSV_URL, JUNE)

    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, total = lines[0], dict(zip(lines[0], lines[1], strict=True))
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="supervision-2025-06-01-2025-06-30.csv"'
    )
    assert header[:6] == ["类型", "编号", "名称", "收件", "网上收件", "受理"]
    assert header[-6:] == [
        "按时办结率", "零跑动率", "好评率",
        "平均实际用时（工作日）", "平均承诺时限（工作日）", "平均满意度代码",
    ]  # fmt: skip
    assert total["收件"] == str(count(in_june(), "received_at"))
    assert (total["红牌"], total["黄牌"], total["评价数"]) == ("2", "1", "2")
    assert total["好评率"] == "50.00%"
    kinds = [line[0] for line in lines[1:]]
    assert kinds.count("部门") == 2
    assert kinds.count("事项") == 2  # the food licence and the health matter had cases in June


def test_a_name_that_looks_like_a_formula_is_not_one_in_the_csv(
    office: Client, world: dict[str, Any]
) -> None:
    Department.objects.filter(pk=world["health"].pk).update(name='=HYPERLINK("http://x")')

    text = office.get(CSV_URL, JUNE).content.decode("utf-8-sig")

    assert "'=HYPERLINK" in text
    assert "\n部门," + str(world["health"].pk) + ',"=HYPERLINK' not in text


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2025-06-30", "end": "2025-06-01"}, "结束日期不能早于开始日期。"),
        ({"start": "2021-06-01", "end": "2025-06-30"}, "统计期间最长为3年，请缩短日期范围。"),
        ({"start": "2025-06-01", "end": "2999-01-01"}, "结束日期不能晚于今天。"),
        ({"start": "2025-13-01", "end": "2025-06-30"}, "请输入正确的日期，例如 2025-06-01。"),
        ({**JUNE, "matter": "abc"}, "事项编号应为数字。"),
        ({**JUNE, "region": "999999"}, "请从列表中选择地区。"),
    ],
    ids=[
        "end-before-start",
        "over-three-years",
        "future",
        "bad-date",
        "matter-not-a-number",
        "region",
    ],
)
def test_invalid_filters_are_explained_in_chinese(
    office: Client, params: dict[str, str], message: str
) -> None:
    response = office.get(DASHBOARD, params)

    page = visible_text(response)
    assert response.status_code == 400
    assert "请修改以下内容后重新提交" in page
    assert message in page
    assert "收件量" not in page


def test_three_years_to_the_day_are_allowed_and_drawn_per_week(office: Client) -> None:
    response = office.get(DASHBOARD, {"start": "2022-06-30", "end": "2025-06-30"})

    page = visible_text(response)
    assert response.status_code == 200
    assert "收件量与办结量（按周）" in page
    assert headline(page, "收件量") == str(count(in_june(), "received_at"))


def test_without_dates_the_last_30_days_are_shown(office: Client) -> None:
    response = office.get(DASHBOARD)

    form = response.context["form"]
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    assert response.status_code == 200
    assert (end - start).days == 29
    assert "收件量与办结量（按日）" in visible_text(response)


def test_a_region_shows_the_departments_under_it(office: Client, world: dict[str, Any]) -> None:
    county = world["health"].region_id

    response = office.get(DASHBOARD, {**JUNE, "region": county})

    labels = [row.label for row in response.context["department_rows"]]
    assert labels == [HEALTH_NAME]


# --- charts -----------------------------------------------------------------------------------


def test_the_charts_are_titled_described_script_free_svg(office: Client) -> None:
    response = office.get(DASHBOARD, JUNE)

    html = response.content.decode()
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)
    assert len(svgs) == 4
    for key in ("chart-trend", "chart-on-time", "chart-days", "chart-satisfaction"):
        assert f'aria-labelledby="{key}-title" aria-describedby="{key}-desc"' in html
        assert f'<desc id="{key}-desc">' in html
    assert 'role="img"' in svgs[0]
    assert "Noto Sans CJK SC" in svgs[0]
    assert "<script" not in html
    assert "查看图表数据" in visible_text(response)


def test_a_malicious_department_name_is_harmless_in_the_svg_and_the_page(
    office: Client, world: dict[str, Any]
) -> None:
    evil = "</text><script>alert(1)</script><text>"
    Department.objects.filter(pk=world["market"].pk).update(name=evil)  # in every chart

    response = office.get(DASHBOARD, JUNE)

    html = response.content.decode()
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)
    assert response.status_code == 200
    assert "<script" not in html.lower()
    escaped = "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;text&gt;"
    assert [escaped in svg for svg in svgs] == [False, True, False, True]  # trend, days: no names
    assert '<th scope="row"><a href="/supervision/dashboard/?' in html
    assert html.count(escape(evil)) >= 3  # the department filter and two tables


# --- speed ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "department_admin"])
@pytest.mark.parametrize("narrowed_to", ["region", "department", "matter"])
def test_the_dashboard_reads_a_bounded_number_of_queries_and_no_case(
    client: Client,
    world: dict[str, Any],
    june: dict[str, Any],
    who: str,
    narrowed_to: str,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    sign_in(client, world[who])
    market = world["market"]
    query = {**JUNE, "region": market.region_id}
    if narrowed_to != "region":
        query["department"] = market.pk
    if narrowed_to == "matter":
        query["matter"] = world["workflow_catalogue"]["food"].pk
    client.get(DASHBOARD)  # the session's activity stamp is written at most once a minute

    # 7 for every staff request, 2 for the filter form, at most 8 for the figures (3 aggregates
    # of the daily rows by id, their labels, the catalogue, the region walk).
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(17):
        response = client.get(DASHBOARD, query)

    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "applications_application" in q["sql"]]


def test_the_figures_are_computed_once_per_refresh_and_change_with_the_next_refresh(
    office: Client,
    world: dict[str, Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    first = office.get(DASHBOARD, JUNE)
    received = int(headline(visible_text(first), "收件量"))

    with CaptureQueriesContext(connection) as again:
        office.get(DASHBOARD, JUNE)
    case_in("received", world, now=at("2025-06-20"))
    with django_capture_on_commit_callbacks(execute=True):
        statistics_refresh(
            start=dt.date(2025, 6, 1),
            end=dt.date(2025, 6, 30),
            now=at("2025-07-01", 11),
        )
    after = visible_text(office.get(DASHBOARD, JUNE))

    assert not [q for q in again.captured_queries if "supervision_dailystat" in q["sql"]]
    assert headline(after, "收件量") == str(received + 1)
    assert "数据更新于 2025-07-01 11:00" in after


# --- yellow and red cards ---------------------------------------------------------------------


def test_a_department_head_lists_their_open_cards_newest_first(
    head: Client, june: dict[str, Any]
) -> None:
    cards = june["cards"]

    response = head.get(ALERTS)

    page = visible_text(response)
    reference = june["market"]["in_review"].reference
    assert response.status_code == 200
    assert [row.pk for row in response.context["rows"]] == [
        cards["market_red"].pk,
        cards["market_yellow"].pk,
    ]
    assert "超过承诺办结期限" in page
    assert HEALTH_NAME not in page
    assert f'href="/workbench/cases/{june["market"]["in_review"].pk}/"' in response.content.decode()
    assert reference in page


def test_the_office_lists_every_departments_cards_and_filters_by_colour(
    office: Client, world: dict[str, Any], june: dict[str, Any]
) -> None:
    everything = office.get(ALERTS)
    red = office.get(ALERTS, {"color": "RED"})
    health_only = office.get(ALERTS, {"department": world["health"].pk})

    assert everything.context["total"] == 3
    assert {row.color for row in red.context["rows"]} == {"red"}
    assert red.context["total"] == 2
    assert [row.pk for row in health_only.context["rows"]] == [june["cards"]["health_red"].pk]
    assert "填写整改说明" not in visible_text(everything)  # supervisors read, heads answer


def test_a_resolved_card_is_not_listed(head: Client, june: dict[str, Any]) -> None:
    Alert.objects.filter(pk=june["cards"]["market_yellow"].pk).update(resolved_at=at("2025-06-18"))

    response = head.get(ALERTS)

    assert [row.pk for row in response.context["rows"]] == [june["cards"]["market_red"].pk]


def test_a_head_cannot_filter_the_cards_by_another_department(
    head: Client, world: dict[str, Any]
) -> None:
    response = head.get(ALERTS, {"department": world["health"].pk})

    assert response.status_code == 400
    assert "请从列表中选择您可查看的部门。" in visible_text(response)
    assert HEALTH_NAME not in visible_text(response)


def respond_url(alert: Alert) -> str:
    return f"/supervision/alerts/{alert.pk}/respond/"


def test_a_card_is_answered_once_by_its_department_head(
    head: Client, world: dict[str, Any], june: dict[str, Any]
) -> None:
    card = june["cards"]["market_red"]

    form = head.get(respond_url(card))
    first = head.post(respond_url(card), {"text": "  已督促审查人员当日办结。 "}, follow=True)
    second = head.post(respond_url(card), {"text": "再说一次。"})

    card.refresh_from_db()
    assert form.status_code == 200
    assert "提交整改说明" in visible_text(form)
    assert "整改说明已提交。" in visible_text(first)
    assert "已督促审查人员当日办结。" in visible_text(first)
    assert (card.response, card.responded_by_id) == (
        "已督促审查人员当日办结。",
        world["department_admin"].pk,
    )
    assert card.responded_at is not None
    assert second.status_code == 409
    assert "该预警已答复，不能重复答复。" in visible_text(second)


def test_an_empty_answer_is_refused(head: Client, june: dict[str, Any]) -> None:
    card = june["cards"]["market_red"]

    response = head.post(respond_url(card), {"text": "   "})

    card.refresh_from_db()
    assert response.status_code == 400
    assert "请填写整改说明。" in visible_text(response)
    assert (card.response, card.responded_at) == ("", None)


def test_another_departments_card_is_not_found(head: Client, june: dict[str, Any]) -> None:
    card = june["cards"]["health_red"]

    assert head.get(respond_url(card)).status_code == 404
    assert head.post(respond_url(card), {"text": "不是我们的。"}).status_code == 404
    card.refresh_from_db()
    assert card.responded_at is None


def test_a_supervisor_sees_cards_but_may_not_answer_them(
    office: Client, june: dict[str, Any]
) -> None:
    card = june["cards"]["market_red"]

    response = office.post(respond_url(card), {"text": "代为答复。"})

    card.refresh_from_db()
    assert response.status_code == 403
    assert card.responded_at is None
