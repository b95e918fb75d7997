"""Run tests/chaos/load/locustfile.py headless in locust's own venv and read what it measured.

Locust patches the standard library with gevent as it starts, which must never happen inside
pytest, and it is no dependency of the portal: it runs from var/chaos-venv, made here on first use
(`pip install locust==2.47.0`; `make chaos` makes it beforehand)."""

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.chaos.report import machine
from tests.chaos.web import percentile
from tests.harness.processes import ROOT, run

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "locustfile.py"
BASELINE = HERE / "baseline.json"
LOCUST = "locust==2.47.0"
VENV = Path(os.environ.get("CHAOS_LOCUST_VENV", str(ROOT / "var" / "chaos-venv")))
# The request classes the locustfile names, and their p95 targets (RELIABILITY REL-LD-01), in ms.
TARGETS_MS = {"read": 300, "draft": 1000, "upload": 1000, "submit": 1000, "transition": 500}
TOLERANCE = 1.5  # fail above 1.5 × the committed baseline
CALIBRATE_COMMAND = (
    "CHAOS_TIER2=1 CHAOS_LOAD_CALIBRATE=1 DATABASE_URL=… REDIS_URL=… .venv/bin/python -m pytest"
    " -q -p no:randomly -m chaos tests/chaos/test_load.py"
)


def locust_python() -> Path:
    """The venv's python, the venv made (once) if it is missing."""
    python = VENV / "bin" / "python"
    if not (VENV / "bin" / "locust").exists():
        run([sys.executable, "-m", "venv", "--clear", str(VENV)], timeout=300)
        run([str(python), "-m", "pip", "install", "-q", LOCUST], timeout=900)
    return python


@dataclass
class Stats:
    count: int
    failures: int
    p50_ms: float
    p95_ms: float


@dataclass
class LoadRun:
    stats: dict[str, Stats]
    log: dict[str, Any]
    output: str
    seconds: float
    users: int
    codes: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return sum(s.count for s in self.stats.values())

    def errors(self, allowed: set[int]) -> int:
        """Answers that are neither 2xx nor in `allowed` (connection errors count as status 0)."""
        return sum(
            n
            for codes in self.codes.values()
            for code, n in codes.items()
            if not (200 <= int(code) < 300 or int(code) in allowed)
        )

    def p95(self, name: str) -> float:
        return self.stats[name].p95_ms if name in self.stats else float("nan")

    def slowest(self, name: str, count: int = 3) -> str:
        """The endpoints of class `name` with the highest p95 (the locustfile's own timings)."""
        p95s = [
            (percentile(times, 0.95), key.split(" ", 1)[1])
            for key, times in self.log["ms"].items()
            if key.split(" ", 1)[0] == name
        ]
        return ", ".join(f"{where} {ms:.0f} ms" for ms, where in sorted(p95s, reverse=True)[:count])

    def figure(self) -> str:
        return ", ".join(
            f"{name} {self.stats[name].p95_ms:.0f}" for name in TARGETS_MS if name in self.stats
        )


def run_locust(
    *,
    host: str,
    config: dict[str, Any],
    workdir: Path,
    users: int,
    spawn_rate: float,
    seconds: int,
    stop_timeout: int = 60,
) -> LoadRun:
    """Run the profile for `seconds` (users may finish their journey for `stop_timeout` more)."""
    python = locust_python()
    workdir.mkdir(parents=True, exist_ok=True)
    config_path, log_path = workdir / "load-config.json", workdir / "load-log.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    command = [
        str(python), "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s", "--host", host,
        "--csv", str(workdir / "locust"), "--only-summary", "--stop-timeout", str(stop_timeout),
        "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]  # fmt: skip
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "LOAD_CONFIG": str(config_path),
        "LOAD_LOG": str(log_path),
    }
    # cwd=workdir: locust reads no locust.conf or pyproject.toml of ours.
    done = subprocess.run(  # noqa: S603  (our own venv, fixed arguments)
        command,
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + stop_timeout + 180,
        check=False,
    )
    output = (done.stdout + done.stderr)[-6000:]
    if done.returncode != 0 or not log_path.exists():
        raise RuntimeError(f"locust exited {done.returncode}\n{output}")
    stats = {}
    with (workdir / "locust_stats.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["Name"] == "Aggregated":
                continue
            stats[row["Name"]] = Stats(
                count=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                p50_ms=float(row["50%"] or "nan"),
                p95_ms=float(row["95%"] or "nan"),
            )
    log = json.loads(log_path.read_text(encoding="utf-8"))
    return LoadRun(stats, log, output, seconds, users, codes=log["codes"])


def baseline() -> dict[str, Any]:
    return dict(json.loads(BASELINE.read_text(encoding="utf-8"))) if BASELINE.exists() else {}


def baseline_write(result: LoadRun) -> None:
    """CHAOS_LOAD_CALIBRATE=1: this run's p95 per class becomes the committed baseline."""
    data = {
        "scenario": "REL-LD-01",
        "users": result.users,
        "seconds": result.seconds,
        "p95_ms": {name: result.p95(name) for name in TARGETS_MS if name in result.stats},
        "machine": machine(),
        "load_average": [round(x, 2) for x in os.getloadavg()],  # others' load skews the figures
        "date": dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "command": CALIBRATE_COMMAND,
    }
    BASELINE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def over_baseline(result: LoadRun, base: dict[str, Any]) -> list[str]:
    """The classes whose p95 is above TOLERANCE × the baseline's."""
    return [
        f"{name} {result.p95(name):.0f} ms > {TOLERANCE} × {reference:.0f} ms"
        for name, reference in base.get("p95_ms", {}).items()
        if name in result.stats and result.p95(name) > TOLERANCE * reference
    ]
