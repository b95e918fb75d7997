"""The 电子监察 pages for staff: the statistics dashboard and its CSV export, and the open yellow and
red cards with the department head's answer.

The dashboard reads only the daily figures (`supervision.statistics.dashboard`) and the small
catalogue tables, never the cases. Scope comes from `statistics_scope_for` (the supervision office
sees every department, a department head their own); a citizen gets 404 as on every staff page, a
member of staff without the permission 403.
"""

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.models import User
from audit.choices import AuditAction
from audit.services import audit_record
from core.caching import cache_get, cache_set
from core.calendar import local_date
from core.errors import DomainError
from core.forms import add_domain_error
from matters.workbench import StaffPageMixin
from supervision.alert_responses import (
    access_alert_for_response,
    alert_departments_for_response,
    alert_list_open,
    alert_respond,
    alert_scope_for,
)
from supervision.charts import Chart, dashboard_charts, one_decimal, percent
from supervision.dashboard_forms import AlertFilterForm, AlertResponseForm, DashboardFilterForm
from supervision.embedded import beat_jobs_catch_up
from supervision.models import Alert, DailyStat
from supervision.statistics import (
    COUNTERS,
    Dashboard,
    Figures,
    Filters,
    Row,
    Scope,
    statistics_generation,
    statistics_scope_for,
)
from supervision.statistics import dashboard as dashboard_read

ALERTS_PER_PAGE = 50


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # StaffPageMixin let only signed-in staff through
    return user


# --- presentation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class TableRow:
    label: str
    url: str
    cells: tuple[str, ...]


def _headlines(board: Dashboard) -> list[Headline]:
    totals = board.totals
    return [
        Headline(
            _("收件量"),
            str(totals.received),
            _("其中网上收件%(n)d件") % {"n": totals.received_online},
        ),
        Headline(
            _("受理量"), str(totals.accepted), _("不予受理%(n)d件") % {"n": totals.not_accepted}
        ),
        Headline(_("办结量"), str(totals.completed)),
        Headline(
            _("按时办结率"),
            percent(totals.on_time_rate),
            _("作出决定%(decided)d件，其中按时%(on_time)d件")
            % {"decided": totals.decided, "on_time": totals.decided_on_time},
        ),
        Headline(
            _("平均实际用时 / 平均承诺时限"),
            f"{one_decimal(totals.average_actual_days)} / "
            f"{one_decimal(totals.average_promised_days)}",
            _("工作日，自受理至作出决定"),
        ),
        Headline(
            _("网上可办率"),
            percent(board.online_rate),
            _("在用事项%(all)d项，其中全程网办%(online)d项")
            % {"all": board.matters_in_use, "online": board.matters_fully_online},
        ),
        Headline(
            _("零跑动率"),
            percent(totals.zero_visit_rate),
            _("办结%(completed)d件中零跑动%(zero)d件")
            % {"completed": totals.completed, "zero": totals.completed_zero_visit},
        ),
        Headline(
            _("好评率"),
            percent(totals.good_rate),
            _("评价%(ratings)d次，差评%(bad)d次，平均满意度代码%(level)s（1为非常满意）")
            % {
                "ratings": totals.ratings,
                "bad": totals.ratings_bad,
                "level": one_decimal(totals.average_level),
            },
        ),
        Headline(_("黄牌预警"), str(totals.yellow_cards), _("期间发出")),
        Headline(_("红牌督办"), str(totals.red_cards), _("期间发出")),
    ]


TABLE_HEADERS = (
    gettext_lazy("收件"),
    gettext_lazy("受理"),
    gettext_lazy("办结"),
    gettext_lazy("按时办结率"),
    gettext_lazy("平均实际用时"),
    gettext_lazy("平均承诺时限"),
    gettext_lazy("零跑动率"),
    gettext_lazy("好评率"),
    gettext_lazy("黄牌"),
    gettext_lazy("红牌"),
)


def _cells(figures: Figures) -> tuple[str, ...]:
    return (
        str(figures.received),
        str(figures.accepted),
        str(figures.completed),
        percent(figures.on_time_rate),
        one_decimal(figures.average_actual_days),
        one_decimal(figures.average_promised_days),
        percent(figures.zero_visit_rate),
        percent(figures.good_rate),
        str(figures.yellow_cards),
        str(figures.red_cards),
    )


def _rows(rows: list[Row], link: dict[str, str], name: str) -> list[TableRow]:
    """Table rows whose label narrows the dashboard to that department or matter."""
    url = reverse("supervision-dashboard")
    return [
        TableRow(row.label, f"{url}?{urlencode({**link, name: str(row.key)})}", _cells(row.figures))
        for row in rows
    ]


def _scope_label(scope: Scope, form: DashboardFilterForm) -> str:
    if scope.department_ids is None:
        return _("全部部门")
    return "、".join(name for _pk, name, _region in form.choices.departments)


# --- the dashboard ------------------------------------------------------------------------------

# Figures and charts are computed once per refresh of the daily figures (every 15 minutes), scope,
# filters and language; the expiry also bounds how long a catalogue change (网上可办率) waits.
BOARD_CACHE_SECONDS = 15 * 60


def _board_and_charts(scope: Scope, filters: Filters) -> tuple[Dashboard, list[Chart]]:
    """The dashboard's figures and its rendered charts, from the cache when the daily figures have
    not been refreshed since they were computed (measured: they are 30-55 ms of a 50-70 ms page)."""
    generation = statistics_generation()
    departments = "all" if scope.department_ids is None else sorted(scope.department_ids)
    raw = f"{generation}|{departments}|{filters!r}|{translation.get_language()}"
    key = "supervision:board:" + hashlib.sha256(raw.encode()).hexdigest()
    cached = cache_get(key) if generation else None
    if cached is not None:
        board, charts = cached
        return board, charts
    board = dashboard_read(scope=scope, filters=filters)
    charts = dashboard_charts(board)
    if generation:
        cache_set(key, (board, charts), BOARD_CACHE_SECONDS)
    return board, charts


class DashboardView(StaffPageMixin, View):
    """Headline figures, four charts and the tables per department and matter, for a period."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _staff(request)
        scope = statistics_scope_for(user)
        beat_jobs_catch_up(now=timezone.now())
        form = DashboardFilterForm(request.GET, scope=scope, today=local_date(timezone.now()))
        context: dict[str, Any] = {"form": form, "section": "dashboard"}
        if not form.is_valid():
            return render(request, "supervision/dashboard/dashboard.html", context, status=400)
        board, charts = _board_and_charts(scope, form.filters())
        query = form.query()
        context |= {
            "board": board,
            "scope_label": _scope_label(scope, form),
            "headlines": _headlines(board),
            "charts": charts,
            "headers": TABLE_HEADERS,
            "department_rows": _rows(board.by_department, form.query(matter=None), "department"),
            "matter_rows": _rows(board.by_matter, query, "matter"),
            "csv_url": f"{reverse('supervision-dashboard-csv')}?{urlencode(query)}",
            "can_export": user.has_perm("supervision.export_statistics"),
        }
        return render(request, "supervision/dashboard/dashboard.html", context)


RATES = (
    ("on_time_rate", gettext_lazy("按时办结率")),
    ("zero_visit_rate", gettext_lazy("零跑动率")),
    ("good_rate", gettext_lazy("好评率")),
)
AVERAGES = (
    ("average_actual_days", gettext_lazy("平均实际用时（工作日）")),
    ("average_promised_days", gettext_lazy("平均承诺时限（工作日）")),
    ("average_level", gettext_lazy("平均满意度代码")),
)
# Every matter of the scope (the page shows the busiest 20); the catalogue has well under this.
CSV_MATTER_ROWS = 1_000_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text: str) -> str:
    """A name as a spreadsheet shows it, never as a formula (CSV injection)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_line(kind: str, key: object, label: str, figures: Figures) -> list[object]:
    rates = [getattr(figures, name) for name, _title in RATES]
    averages = [getattr(figures, name) for name, _title in AVERAGES]
    return [
        kind,
        key,
        _text_cell(label),
        *(getattr(figures, name) for name in COUNTERS),
        *("" if rate is None else f"{rate * 100:.2f}%" for rate in rates),
        *("" if value is None else f"{value:.2f}" for value in averages),
    ]


class DashboardCsvView(StaffPageMixin, PermissionRequiredMixin, View):
    """The dashboard's figures as CSV for Excel: a total, one line per department and per matter,
    every counter and the rates; UTF-8 with a byte order mark so Excel reads the Chinese."""

    permission_required = "supervision.export_statistics"
    permission_denied_message = gettext_lazy("您没有导出统计数据的权限。")

    def get(self, request: HttpRequest) -> HttpResponse:
        scope = statistics_scope_for(_staff(request))
        beat_jobs_catch_up(now=timezone.now())
        form = DashboardFilterForm(request.GET, scope=scope, today=local_date(timezone.now()))
        if not form.is_valid():
            context = {"form": form, "section": "dashboard"}
            return render(request, "supervision/dashboard/dashboard.html", context, status=400)
        filters = form.filters()
        board = dashboard_read(scope=scope, filters=filters, matter_rows=CSV_MATTER_ROWS)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"supervision-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response.write("\ufeff")
        writer = csv.writer(response)
        titles = {field.name: field.verbose_name for field in DailyStat._meta.concrete_fields}
        counter_titles = [str(titles[name]) for name in COUNTERS]
        writer.writerow(
            [
                _("类型"),
                _("编号"),
                _("名称"),
                *counter_titles,
                *(str(title) for _name, title in RATES),
                *(str(title) for _name, title in AVERAGES),
            ]
        )
        writer.writerow(_csv_line(_("合计"), "", _("所选范围"), board.totals))
        for row in board.by_department:
            writer.writerow(_csv_line(_("部门"), row.key, row.label, row.figures))
        for row in board.by_matter:
            writer.writerow(_csv_line(_("事项"), row.key, row.label, row.figures))
        audit_record(
            action=AuditAction.EXPORT,
            actor=request.user,
            object_type="supervision.statistics",
            request=request,
            detail={"start": filters.start.isoformat(), "end": filters.end.isoformat()},
        )
        return response


# --- yellow and red cards -----------------------------------------------------------------------


class AlertPageMixin(StaffPageMixin):
    not_found = (Alert.DoesNotExist,)


@dataclass(frozen=True)
class AlertRow:
    pk: int
    color: str
    color_label: str
    rule_label: str
    application_id: int
    reference: str
    matter_name: str
    department: str
    step_name: str
    deadline: dt.datetime
    raised_at: dt.datetime
    response: str
    responded_at: dt.datetime | None
    can_respond: bool


def _alert_row(alert: Alert, respondable: frozenset[int] | None) -> AlertRow:
    application = alert.application
    may = respondable is None or alert.department_id in respondable
    return AlertRow(
        pk=alert.pk,
        color=alert.color.lower(),
        color_label=alert.get_color_display(),
        rule_label=alert.get_rule_display(),
        application_id=application.pk,
        reference=application.reference or "",
        matter_name=application.version.name if application.version_id else alert.matter_code,
        department=alert.department.name,
        step_name=alert.step_name,
        deadline=alert.deadline,
        raised_at=alert.raised_at,
        response=alert.response,
        responded_at=alert.responded_at,
        can_respond=may and alert.responded_at is None,
    )


class AlertListView(AlertPageMixin, View):
    """The open cards of the user's scope, newest first, 50 a page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _staff(request)
        scope = alert_scope_for(user)
        beat_jobs_catch_up(now=timezone.now())
        form = AlertFilterForm(request.GET, scope=scope)
        context: dict[str, Any] = {"form": form, "section": "alerts"}
        if not form.is_valid():
            return render(request, "supervision/dashboard/alerts.html", context, status=400)
        alerts = alert_list_open(
            scope=scope,
            color=form.cleaned_data["color"] or None,
            department_id=form.cleaned_data["department"],
        )
        page = Paginator(alerts, ALERTS_PER_PAGE).get_page(request.GET.get("page"))
        respondable = alert_departments_for_response(user)
        number, pages = page.number, page.paginator.num_pages
        context |= {
            "rows": [_alert_row(alert, respondable) for alert in page],
            "total": page.paginator.count,
            "pages": pages,
            "page_number": number,
            "previous_url": f"?{urlencode(form.query(page=number - 1))}" if number > 1 else "",
            "next_url": f"?{urlencode(form.query(page=number + 1))}" if number < pages else "",
        }
        return render(request, "supervision/dashboard/alerts.html", context)


class AlertRespondView(AlertPageMixin, View):
    """The department head's answer to one card (整改说明), given once."""

    def _page(
        self, request: HttpRequest, pk: int, form: AlertResponseForm, status: int
    ) -> HttpResponse:
        user = _staff(request)
        alert = access_alert_for_response(user=user, alert_id=pk)
        row = _alert_row(alert, alert_departments_for_response(user))
        context = {"alert": row, "form": form, "section": "alerts"}
        return render(request, "supervision/dashboard/respond.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, pk, AlertResponseForm(), 200)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = AlertResponseForm(request.POST)
        if not form.is_valid():
            return self._page(request, pk, form, 400)
        try:
            alert_respond(
                user=_staff(request),
                alert_id=pk,
                text=form.cleaned_data["text"],
                now=timezone.now(),
            )
        except DomainError as exc:  # ConflictError (answered already) is a 409
            add_domain_error(form, exc)
            return self._page(request, pk, form, exc.status_code)
        messages.success(request, _("整改说明已提交。"))
        return HttpResponseRedirect(reverse("supervision-alerts"))
