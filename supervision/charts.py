"""The dashboard's charts: SVG drawn on the server by pygal and inlined in the page, no JavaScript.

Each chart carries a text alternative: the SVG is an image named by its `<title>` and described
by its `<desc>`, and the figures it draws come along as a table (`ChartTable`) for the page to
show under it. Department and matter names are text typed in the admin: pygal builds the SVG as an
XML tree, so they end up escaped; the tree filter below also drops pygal's own `<script>` (its
configuration, written even with `js=[]`) and comments.
"""

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

import pygal
from pygal.style import Style

from supervision.statistics import Dashboard, Row

FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'
# Longer periods are drawn per week: a line of a few hundred daily points is unreadable.
WEEKLY_AFTER_DAYS = 92
TOP_DEPARTMENTS = 15
TOP_MATTERS = 10
LABEL_FONT_SIZE = 14
TRUNCATE_LABEL = 14
# Lines in dark colours; bars in mid tones that stand 3:1 against white and carry black values
# at 6:1 (WCAG 1.4.11 and 1.4.3).
LINE_BLUE, LINE_GREEN = "#0b57a4", "#1b6e3a"
BLUE, GREEN, RED, GREY = "#4a90d9", "#3d9a5b", "#e0605a", "#8c8c8c"


@dataclass(frozen=True)
class ChartTable:
    """The figures a chart draws, as the rows of a data table."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    key: str  # the HTML id of the figure; its title and desc are "<key>-title", "<key>-desc"
    title: str
    summary: str
    svg: SafeString
    table: ChartTable


@dataclass(frozen=True)
class TrendPoint:
    start: dt.date  # the day, or the first day of the week
    received: int
    completed: int


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def one_decimal(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _accessible(key: str, title: str, summary: str) -> Callable[[Any], Any]:
    """A pygal tree filter: no script or comment; a titled, described image."""

    def apply(root: Any) -> Any:
        doomed = [
            (parent, child)
            for parent in root.iter()
            for child in parent
            if not isinstance(child.tag, str) or _local(child.tag) == "script"
        ]
        for parent, child in doomed:
            parent.remove(child)
        # The legend's ids serve pygal's script only, and would repeat in a page of charts.
        for element in root.iter():
            if element.get("id", "").startswith("activate-serie"):
                del element.attrib["id"]
        children = list(root)
        heading = next(child for child in children if _local(child.tag) == "title")
        heading.text = title
        heading.set("id", f"{key}-title")
        desc = root.makeelement("desc", {"id": f"{key}-desc"})
        desc.text = summary
        root.insert(children.index(heading) + 1, desc)
        root.set("role", "img")
        root.set("aria-labelledby", f"{key}-title")
        root.set("aria-describedby", f"{key}-desc")
        return root

    return apply


def _short(label: str) -> str:
    return label if len(label) <= TRUNCATE_LABEL else label[: TRUNCATE_LABEL - 1] + "…"


def _full_names(names: dict[str, str]) -> Callable[[Any], Any]:
    """A pygal tree filter: a shortened name keeps its whole text as a title (a tooltip), as
    pygal does for the labels it shortens itself."""

    def apply(root: Any) -> Any:
        for group in list(root.iter()):
            for child in list(group):
                full = names.get(child.text or "") if isinstance(child.tag, str) else None
                if full is not None and _local(child.tag) == "text":
                    group.append(root.makeelement("title", {}))
                    group[-1].text = full
        return root

    return apply


def _horizontal(
    kind: Any, labels: Sequence[str], colors: Sequence[str], *, legend_rows: int = 1, **options: Any
) -> Any:
    """Bars of named rows (departments, matters), the first row on top, with room on the left
    for the names: pygal reckons 0.6 em a character, where a Chinese character takes a whole em.
    Add the series with `_bottom_up`."""
    shown = [_short(label) for label in reversed(labels)]
    shortened = {_short(label): label for label in labels if _short(label) != label}
    longest = max(shown, key=len, default="")
    drawn = sum(1.0 if ord(c) > 0x2E80 else 0.6 for c in longest) * LABEL_FONT_SIZE
    reckoned = len(longest) * 0.6 * LABEL_FONT_SIZE
    height = max(240, 120 + 44 * len(labels)) + 24 * (legend_rows - 1)
    chart = kind(
        **_config(
            colors,
            x_labels=shown,
            margin_left=20 + math.ceil(drawn - reckoned),
            height=height,
            **options,
        )
    )
    chart.add_xml_filter(_full_names(shortened))
    return chart


def _bottom_up(values: Sequence[float | int | None]) -> list[float | int | None]:
    return list(reversed(values))


def _count_ticks(values: Sequence[int]) -> list[int]:
    """Round whole-number ticks for counts (pygal would draw 0.2, 0.4… or 19, 38…)."""
    raw = max(max(values, default=0), 1) / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    top = max(values, default=0)
    return list(range(0, max(top, 1) + step, step))


def _config(colors: Sequence[str], **options: Any) -> dict[str, Any]:
    style = Style(
        background="transparent",
        plot_background="#ffffff",
        foreground="#1f1f1f",
        foreground_strong="#1f1f1f",
        foreground_subtle="#767676",
        opacity="1",
        opacity_hover="1",
        transition="none",
        colors=tuple(colors),
        font_family=FONT_FAMILY,
        label_font_size=LABEL_FONT_SIZE,
        major_label_font_size=LABEL_FONT_SIZE,
        legend_font_size=LABEL_FONT_SIZE,
        value_font_size=13,
        no_data_font_size=20,
    )
    return {
        "style": style,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,  # only a viewBox: the page's CSS makes it as wide as it may be
        "width": 640,
        "height": 380,
        "legend_at_bottom": True,
        "no_data_text": _("暂无数据"),
        "truncate_label": TRUNCATE_LABEL,
        **options,
    }


def _render(chart: Any, key: str, title: str, summary: str) -> SafeString:
    chart.add_xml_filter(_accessible(key, title, summary))
    # pygal serialises an XML tree, so every text node and attribute is escaped.
    svg: str = chart.render(is_unicode=True)
    return mark_safe(svg)  # noqa: S308  # nosec B308, B703  # nosemgrep: tongban-mark-safe -- pygal escapes every node


def trend_points(board: Dashboard) -> tuple[bool, list[TrendPoint]]:
    """Received and completed cases per day of the period (zero on days without a row), or per
    week (Monday to Sunday, cut at the period's ends) for periods longer than 92 days."""
    start, end = board.filters.start, board.filters.end
    weekly = (end - start).days + 1 > WEEKLY_AFTER_DAYS
    by_day = {row.key: row.figures for row in board.by_day}
    points: dict[dt.date, tuple[int, int]] = {}
    day = start
    while day <= end:
        bucket = max(start, day - dt.timedelta(days=day.weekday())) if weekly else day
        figures = by_day.get(day)
        received, completed = points.get(bucket, (0, 0))
        if figures is not None:
            received, completed = received + figures.received, completed + figures.completed
        points[bucket] = (received, completed)
        day += dt.timedelta(days=1)
    return weekly, [TrendPoint(bucket, r, c) for bucket, (r, c) in points.items()]


def trend_chart(board: Dashboard) -> Chart:
    weekly, points = trend_points(board)
    title = _("收件量与办结量（按周）") if weekly else _("收件量与办结量（按日）")
    received = sum(point.received for point in points)
    completed = sum(point.completed for point in points)
    summary = _("%(start)s至%(end)s共收件%(received)d件、办结%(completed)d件。") % {
        "start": board.filters.start.isoformat(),
        "end": board.filters.end.isoformat(),
        "received": received,
        "completed": completed,
    }
    line = pygal.Line(
        **_config(
            (LINE_BLUE, LINE_GREEN),
            x_labels=[f"{point.start:%m-%d}" for point in points],
            show_minor_x_labels=False,
            x_labels_major_every=max(1, math.ceil(len(points) / 10)),
            show_dots=len(points) <= 45,
            dots_size=3,
            y_labels=_count_ticks([max(p.received, p.completed) for p in points]),
        )
    )
    line.add(_("收件量"), [point.received for point in points])
    line.add(_("办结量"), [point.completed for point in points])
    header = _("周（起始日）") if weekly else _("日期")
    table = ChartTable(
        headers=(header, _("收件量"), _("办结量")),
        rows=tuple(
            (point.start.isoformat(), str(point.received), str(point.completed)) for point in points
        ),
    )
    return Chart("chart-trend", title, summary, _render(line, "chart-trend", title, summary), table)


def _busiest(rows: Sequence[Row], keep: Callable[[Row], bool]) -> list[Row]:
    return [row for row in rows if keep(row)][:TOP_DEPARTMENTS]


def on_time_chart(board: Dashboard) -> Chart:
    rows = _busiest(board.by_department, lambda row: row.figures.decided > 0)
    title = _("各部门按时办结率（收件量前%(count)d个部门）") % {"count": TOP_DEPARTMENTS}
    summary = _(
        "按时办结率是在承诺时限内作出决定的办件占作出决定办件的比例，所选范围合计为%(rate)s。"
    ) % {"rate": percent(board.totals.on_time_rate)}
    bar = _horizontal(
        pygal.HorizontalBar,
        [row.label for row in rows],
        (BLUE,),
        range=(0, 100),
        y_labels=[0, 20, 40, 60, 80, 100],
        value_formatter=lambda value: f"{value:.1f}%",
        print_values=True,
        show_legend=False,
    )
    rates = [row.figures.on_time_rate for row in rows]
    bar.add(_("按时办结率"), _bottom_up([None if rate is None else rate * 100 for rate in rates]))
    table = ChartTable(
        headers=(_("部门"), _("作出决定"), _("按时办结"), _("按时办结率")),
        rows=tuple(
            (
                row.label,
                str(row.figures.decided),
                str(row.figures.decided_on_time),
                percent(row.figures.on_time_rate),
            )
            for row in rows
        ),
    )
    return Chart(
        "chart-on-time", title, summary, _render(bar, "chart-on-time", title, summary), table
    )


def days_chart(board: Dashboard) -> Chart:
    rows = [row for row in board.by_matter if row.figures.decided > 0][:TOP_MATTERS]
    title = _("平均实际用时与平均承诺时限（工作日，收件量前%(count)d个事项）") % {
        "count": TOP_MATTERS
    }
    summary = _("全部事项平均实际用时%(actual)s个工作日，平均承诺时限%(promised)s个工作日。") % {
        "actual": one_decimal(board.totals.average_actual_days),
        "promised": one_decimal(board.totals.average_promised_days),
    }
    bars = _horizontal(
        pygal.HorizontalBar,
        [row.label for row in rows],
        (RED, GREY),
        value_formatter=lambda value: f"{value:.1f}",
        print_values=True,
    )
    bars.add(_("平均实际用时"), _bottom_up([row.figures.average_actual_days for row in rows]))
    bars.add(_("平均承诺时限"), _bottom_up([row.figures.average_promised_days for row in rows]))
    table = ChartTable(
        headers=(_("事项"), _("作出决定"), _("平均实际用时"), _("平均承诺时限")),
        rows=tuple(
            (
                row.label,
                str(row.figures.decided),
                one_decimal(row.figures.average_actual_days),
                one_decimal(row.figures.average_promised_days),
            )
            for row in rows
        ),
    )
    return Chart("chart-days", title, summary, _render(bars, "chart-days", title, summary), table)


def satisfaction_chart(board: Dashboard) -> Chart:
    rows = _busiest(board.by_department, lambda row: row.figures.ratings > 0)
    title = _("各部门好评与差评（收件量前%(count)d个部门）") % {"count": TOP_DEPARTMENTS}
    totals = board.totals
    summary = _("共%(ratings)d次评价，好评%(good)d次、差评%(bad)d次，好评率%(rate)s。") % {
        "ratings": totals.ratings,
        "good": totals.ratings_good,
        "bad": totals.ratings_bad,
        "rate": percent(totals.good_rate),
    }
    bars = _horizontal(
        pygal.HorizontalStackedBar,
        [row.label for row in rows],
        (GREEN, RED),
        legend_at_bottom_columns=1,
        legend_rows=2,
        y_labels=_count_ticks([row.figures.ratings for row in rows]),
        print_values=True,
        print_zeroes=False,
        value_formatter=lambda value: f"{value:.0f}",
    )
    bars.add(
        _("好评（非常满意、满意、基本满意）"), _bottom_up([r.figures.ratings_good for r in rows])
    )
    bars.add(_("差评（不满意、非常不满意）"), _bottom_up([r.figures.ratings_bad for r in rows]))
    table = ChartTable(
        headers=(_("部门"), _("评价数"), _("好评"), _("差评"), _("好评率")),
        rows=tuple(
            (
                row.label,
                str(row.figures.ratings),
                str(row.figures.ratings_good),
                str(row.figures.ratings_bad),
                percent(row.figures.good_rate),
            )
            for row in rows
        ),
    )
    key = "chart-satisfaction"
    return Chart(key, title, summary, _render(bars, key, title, summary), table)


def dashboard_charts(board: Dashboard) -> list[Chart]:
    """The four charts of the dashboard, in page order."""
    return [trend_chart(board), on_time_chart(board), days_chart(board), satisfaction_chart(board)]
