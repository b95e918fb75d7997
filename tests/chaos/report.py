"""The chaos report: every test records (scenario, figure, target, pass/fail) with the
`record_figure` fixture; at the end of the session the rows are printed, and with
`-p tests.chaos.report` (make chaos) written into docs/reliability.md between its markers."""

import datetime as dt
import os
import platform
from dataclasses import dataclass
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
START, END = "<!-- chaos-table:start -->", "<!-- chaos-table:end -->"


@dataclass(frozen=True)
class Row:
    scenario: str
    figure: str
    target: str
    passed: bool


ROWS: list[Row] = []


def table(rows: list[Row]) -> list[str]:
    lines = ["| Scenario | Figure | Target | Result |", "|---|---|---|---|"]
    lines += [
        f"| {r.scenario} | {r.figure} | {r.target} | {'pass' if r.passed else '**FAIL**'} |"
        for r in rows
    ]
    return lines


def machine() -> str:
    cpus = os.cpu_count() or 0
    try:
        memory = next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{int(memory) / 1024 / 1024:.1f} GB RAM"
    except (OSError, StopIteration, ValueError):
        ram = "? RAM"
    return f"{platform.system()} {platform.release()}, Python {platform.python_version()}, {cpus} cores, {ram}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not ROWS:
        return
    terminalreporter.section("chaos figures")
    for line in table(ROWS):
        terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not ROWS or os.environ.get("CHAOS_WRITE_DOCS") != "1" or not DOCS.exists():
        return
    text = DOCS.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return
    now = dt.datetime.now().astimezone()
    block = "\n".join(
        [
            START,
            f"Latest run: {now:%Y-%m-%d %H:%M %Z} on {machine()}; pytest exit status {exitstatus}.",
            "",
            *table(ROWS),
            END,
        ]
    )
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    DOCS.write_text(head + block + tail, encoding="utf-8")
