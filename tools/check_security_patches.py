"""RELIABILITY CFG-04: every security-relevant package pinned in constraints.txt is at the latest
patch release of its pinned series on the configured package index.

The series is the pinned version less its last part (Django 5.2.19 -> 5.2.*, weasyprint 70.0 ->
70.*): a newer patch release is a fix we do not run yet, a newer series is an upgrade to plan.
The index is asked through pip (`pip index versions --json`): PyPI, or the mirror named by
PIP_INDEX_URL. Exit 1 when a package is behind or missing; a warning and exit 0 only when the
index cannot be reached at all (nothing can be checked offline).

    .venv/bin/python tools/check_security_patches.py [--constraints constraints.txt]

(Not pip-audit: its advisory database lags the releases that fix a problem.)
"""

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

# The packages that parse what an attacker sends, hold secrets or carry the task queue.
PACKAGES = (
    "Django",
    "djangorestframework",
    "celery",
    "kombu",
    "redis",
    "psycopg",
    "psycopg-binary",
    "pillow",
    "weasyprint",
    "cryptography",
)


@dataclass(frozen=True)
class Verdict:
    name: str
    pinned: Version
    latest: Version | None  # the newest release of the pinned series; None: not asked
    failed: bool = False  # pip found nothing (no such package, or no index reached)
    error: str = ""

    @property
    def behind(self) -> bool:
        return self.latest is not None and self.latest > self.pinned


def pins(constraints: Path) -> dict[str, Version]:
    """`name==version` lines of the constraints file, by canonical name."""
    found: dict[str, Version] = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if "==" in text:
            name, version = text.split("==", 1)
            found[canonicalize_name(name)] = Version(version.split(";", 1)[0].strip())
    return found


def series_of(version: Version) -> tuple[int, ...]:
    release = version.release
    return release[:-1] if len(release) > 1 else release


def ask_index(name: str, pinned: Version) -> Verdict:
    # --isolated: only the index (PIP_INDEX_URL or PyPI), not the local wheel folders and file://
    # extra indexes of a machine's user config, which hold a few releases, not all of them.
    command = [sys.executable, "-m", "pip", "--isolated", "index", "versions", name, "--json"]
    command += ["--timeout", "15", "--retries", "1", "--disable-pip-version-check"]
    if os.environ.get("PIP_INDEX_URL"):
        command += ["--index-url", os.environ["PIP_INDEX_URL"]]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        error = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "pip failed"
        return Verdict(name, pinned, None, failed=True, error=error)
    versions: list[Version] = []
    for text in json.loads(done.stdout).get("versions", []):
        try:
            versions.append(Version(text))
        except InvalidVersion:
            continue  # an ancient release with a non-PEP 440 number
    series = series_of(pinned)
    same_series = [
        v for v in versions if not v.is_prerelease and series_of(v)[: len(series)] == series
    ]
    if not same_series:
        return Verdict(name, pinned, None, error=f"no release of the {pinned} series on the index")
    return Verdict(name, pinned, max(same_series))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--constraints", type=Path, default=Path("constraints.txt"))
    arguments = parser.parse_args()
    pinned = pins(arguments.constraints)
    missing = [name for name in PACKAGES if canonicalize_name(name) not in pinned]
    if missing:
        print(f"FAIL: not pinned in {arguments.constraints}: {', '.join(missing)}")  # noqa: T201
        return 1
    with ThreadPoolExecutor(max_workers=5) as pool:
        verdicts = list(
            pool.map(lambda name: ask_index(name, pinned[canonicalize_name(name)]), PACKAGES)
        )
    # Every query failing means no index answered; one failing means a package it does not know.
    if all(v.failed for v in verdicts):
        print("WARNING: the package index is unreachable; security patch levels NOT checked")  # noqa: T201
        return 0
    failed = False
    for v in verdicts:
        if v.behind:
            failed = True
            line = f"BEHIND  {v.name}=={v.pinned}: {v.latest} is out (bump constraints.txt)"
        elif v.latest is None:
            failed = True
            line = f"ERROR   {v.name}=={v.pinned}: {v.error}"
        else:
            line = f"ok      {v.name}=={v.pinned} (latest of its series)"
        print(line)  # noqa: T201
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
