"""Lighthouse scores (performance, accessibility, best practices) of the pages of the citizen
journey, a clerk's case page and the verification page, on the real stack (tests/e2e/stack.py) and
Debian's Chromium. Writes the table to docs/quality.md and prints it.

    make quality        # needs DATABASE_URL, REDIS_URL, chromium; installs lighthouse with npm ci
"""

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.catalogue import host_description
from tests.e2e import journeys
from tests.e2e.stack import CHROMIUM, CHROMIUM_ARGS, ROOT, running_stack

LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices")


def lighthouse(url: str, cookie: str) -> dict[str, int]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                "node",
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out.name}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--preset=desktop",
                f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS)}",
                *([f"--extra-headers={json.dumps({'Cookie': cookie})}"] if cookie else []),
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=True,
            capture_output=True,
        )
        report = json.loads(Path(out.name).read_text())
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_stack(Path(tmp)) as stack,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        citizen = browser.new_context(base_url=stack.base_url).new_page()
        person = journeys.new_citizen("灯塔测", "19440101")
        journeys.sign_up(citizen, stack, person)
        pages: list[tuple[str, str, str]] = [
            ("home page", "/", ""),
            ("verification page", "/verify/", ""),
        ]
        citizen.goto("/search/?q=老年人优待证")
        citizen.get_by_role("link", name=journeys.ELDER_CARD).first.click()
        guide = citizen.url.replace(stack.base_url, "")
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in citizen.context.cookies())
        journeys.apply_for_elder_card(citizen, Path(tmp))
        citizen.get_by_role("link", name="查看办件进度").click()
        case = citizen.url.replace(stack.base_url, "")
        pages += [
            ("matter guide", guide, ""),
            ("apply: start", guide + "apply/", cookie),
            ("my applications", "/my/applications/", cookie),
            ("citizen centre", "/my/", cookie),
            ("case page (citizen)", case, cookie),
        ]
        clerk = browser.new_context(base_url=stack.base_url).new_page()
        journeys.staff_sign_in(clerk, "clerk")
        clerk_cookie = "; ".join(f"{c['name']}={c['value']}" for c in clerk.context.cookies())
        pages.append(
            (
                "case page (clerk)",
                "/workbench/cases/" + case.strip("/").split("/")[-1] + "/",
                clerk_cookie,
            )
        )
        browser.close()
        rows = [(name, path, lighthouse(stack.base_url + path, c)) for name, path, c in pages]
    lines = [
        "| page | path | performance | accessibility | best practices |",
        "|---|---|---|---|---|",
        *[
            f"| {n} | `{p}` | {s['performance']} | {s['accessibility']} | {s['best-practices']} |"
            for n, p, s in rows
        ],
    ]
    table = "\n".join(lines)
    print(table)
    quality = ROOT / "docs" / "quality.md"
    text = quality.read_text(encoding="utf-8")
    start, end = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"
    host = ", ".join(f"{k} {v}" for k, v in host_description().items())
    stamp = f"Measured {dt.datetime.now(tz=dt.UTC).date().isoformat()} on {host} with `make quality` (Lighthouse 13, desktop preset, Debian Chromium, gunicorn + PostgreSQL + Redis on loopback)."
    block = f"{start}\n{stamp}\n\n{table}\n{end}"
    quality.write_text(
        text[: text.index(start)] + block + text[text.index(end) + len(end) :], encoding="utf-8"
    )


if __name__ == "__main__":
    main()
