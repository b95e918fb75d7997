"""SEC-IN-03: wapiti and sqlmap against a running stack, signed in as a citizen, bounded in time;
their reports read back into findings.

Both tools pin many packages of their own (wapiti needs Python ≥ 3.12), so they live in a venv of
their own, var/dast-venv, which `make dast-venv` makes."""

import json
import re
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.harness.processes import ROOT

VENV = ROOT / "var" / "dast-venv"
PACKAGES = ("wapiti3==3.3.2", "sqlmap==1.10.10")
MODULES = "xss,sql,exec,file,redirect,crlf"

# Crawl bounds (wapiti's --max-scan-time bounds only the crawl; --max-attack-time each module).
# 60 s + 6 × 45 s + 120 s of sqlmap ≈ 7.5 min at worst; a quiet machine finishes well within.
CRAWL_SECONDS = 60
ATTACK_SECONDS = 45
SQLMAP_SECONDS = 120
SQLMAP_TARGETS = 12

# Left out of the crawl, each because following it ends or changes the scanning identity, not
# because it is safe: sign-out ends the session; the password, mobile and two-factor pages change
# the credentials the session hash is bound to (or demand a second factor); language switches
# only set a cookie. Their inputs are covered by tier-1 tests (SEC-AUTH-*).
EXCLUDED = (
    "/accounts/sign-out/",
    "/accounts/password/",
    "/accounts/mobile/",
    "/accounts/two-factor/*",
    "/language/*",
    "/i18n/*",
    "/static/*",
    # No parameter but the CSRF token; following it deletes the draft whose pages the scan needs.
    "/applications/*/discard/",
)

# A finding judged a false positive after investigation: (wapiti category or "sqlmap", URL path
# regex, reason). Empty: nothing has been excluded.
FALSE_POSITIVES: tuple[tuple[str, str, str], ...] = ()


def venv_missing() -> str:
    """ "" when var/dast-venv holds both scanners, else what to run. Nothing is installed at test
    time: `make dast-venv` (a prerequisite of `make chaos`) makes it."""
    if (VENV / "bin" / "wapiti").exists() and (VENV / "bin" / "sqlmap").exists():
        return ""
    return (
        f"no wapiti/sqlmap in {VENV}: run `make dast-venv` ({', '.join(PACKAGES)}, Python ≥ 3.12)"
    )


@dataclass
class Identity:
    """The signed-in citizen as the scanners present it: cookies plus Django's CSRF header."""

    session_cookie: str
    session: str
    csrf_cookie: str
    csrf: str

    @property
    def cookie_header(self) -> str:
        return f"{self.session_cookie}={self.session}; {self.csrf_cookie}={self.csrf}"


@dataclass
class Finding:
    tool: str
    category: str
    method: str
    path: str
    parameter: str
    info: str


@dataclass
class Target:
    """One request for sqlmap: a URL, and for POST/PATCH a form or JSON body (sqlmap tells them
    apart by the body itself)."""

    method: str
    url: str
    data: str = ""


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    crawled: int = 0
    parameters: int = 0
    targets: int = 0
    timed_out: list[str] = field(default_factory=list)
    unreachable: int = 0
    server_errors: int = 0
    seconds: float = 0.0


def _excused(finding: Finding) -> bool:
    return any(
        tool in (finding.tool, finding.category) and re.search(pattern, finding.path)
        for tool, pattern, _reason in FALSE_POSITIVES
    )


# --- wapiti -------------------------------------------------------------------------------------


def wapiti(base_url: str, who: Identity, out: Path) -> ScanResult:
    """Crawl as `who`, attack with MODULES, and read report.json and the session database."""
    out.mkdir(parents=True, exist_ok=True)
    command = [
        str(VENV / "bin" / "wapiti"), "-u", f"{base_url}/", "--scope", "folder", "-m", MODULES,
        # -C becomes a Cookie header on every request, which wins over cookies the server sets.
        # (--drop-set-cookie is not used: it strips the Cookie header from requests instead.)
        "-C", who.cookie_header, "-H", f"X-CSRFToken: {who.csrf}",
        *[arg for path in EXCLUDED for arg in ("-x", base_url + path)],
        "--max-scan-time", str(CRAWL_SECONDS), "--max-attack-time", str(ATTACK_SECONDS),
        "--max-links-per-page", "30", "--max-files-per-dir", "15", "-d", "4",
        "--tasks", "4", "-t", "10", "-f", "json", "-o", str(out / "report.json"), "-dr", "1",
        "--store-session", str(out / "session"), "--store-config", str(out / "config"),
        "--flush-session", "--no-bugreport", "-v", "1", "--log", str(out / "wapiti.log"),
    ]  # fmt: skip
    start = time.monotonic()
    with (out / "stdout.txt").open("w") as log:
        subprocess.run(  # noqa: S603
            command, stdout=log, stderr=subprocess.STDOUT,
            timeout=CRAWL_SECONDS + 6 * ATTACK_SECONDS + 120, check=True,
        )  # fmt: skip
    result = read_wapiti(out)
    result.seconds = time.monotonic() - start
    return result


def read_wapiti(out: Path) -> ScanResult:
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    result = ScanResult(crawled=int(report["infos"].get("crawled_pages_nbr", 0)))
    for category, items in report.get("vulnerabilities", {}).items():
        result.findings += [_wapiti_finding(category, item) for item in items]
    for category, items in report.get("anomalies", {}).items():
        # An "Internal Server Error" under attack is a robustness finding (SEC-IN-01: never 5xx);
        # a timeout on a loaded 2-core machine is not, and is only counted.
        if "server error" in category.lower():
            result.findings += [_wapiti_finding(category, item) for item in items]
            result.server_errors += len(items)
    result.findings = [f for f in result.findings if not _excused(f)]
    text = (out / "wapiti.log").read_text(errors="replace")
    result.timed_out = re.findall(r"Max attack time was reached for module (\w+)", text)
    result.parameters = sum(len(params) for _, _, params in crawled_requests(out))
    return result


def _wapiti_finding(category: str, item: dict[str, object]) -> Finding:
    return Finding(
        "wapiti", category, str(item.get("method", "")), str(item.get("path", "")),
        str(item.get("parameter", "")), str(item.get("info", "")),
    )  # fmt: skip


def crawled_requests(out: Path) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """(method, url, [(type, name, value)]) for every request the crawler found (not attacks),
    from wapiti's session database."""
    databases = sorted((out / "session").glob("*.db"))
    if not databases:
        return []
    with sqlite3.connect(databases[0]) as db:
        paths = db.execute("SELECT path_id, method, path FROM paths WHERE evil = 0").fetchall()
        params: dict[int, list[tuple[str, str, str]]] = {}
        for path_id, kind, name, value in db.execute(
            "SELECT path_id, type, name, COALESCE(value1, '') FROM params ORDER BY position"
        ):
            params.setdefault(path_id, []).append((kind, name, value))
    return [(method, url, params.get(pk, [])) for pk, method, url in paths]


def _shape(method: str, url: str) -> tuple[str, str]:
    """Requests that differ only in ids or catalogue codes in the path run the same code."""
    path = re.sub(r"/[0-9A-Z]{6,}/", "/CODE/", re.sub(r"/\d+/", "/N/", urlsplit(url).path))
    return method, path


def sqlmap_targets(out: Path, who: Identity, *, limit: int = SQLMAP_TARGETS) -> list[Target]:
    """From wapiti's crawl, per method and path shape the request with the most parameters
    besides the CSRF token, GET and POST in turn; file uploads are left to SEC-UP-*."""
    best: dict[tuple[str, str], tuple[str, list[tuple[str, str, str]]]] = {}
    for method, url, params in crawled_requests(out):
        names = [n for kind, n, _ in params if n != "csrfmiddlewaretoken"]
        if not names or any(kind == "FILE" for kind, _, _ in params):
            continue
        shape = _shape(method, url)
        if shape not in best or len(params) > len(best[shape][1]):
            best[shape] = (url, params)
    by_method: dict[str, list[Target]] = {"GET": [], "POST": []}
    for (method, _), (url, params) in sorted(best.items()):
        # The raw CSRF secret (32 characters) is a form token Django accepts as it is.
        body = [
            (n, who.csrf if n == "csrfmiddlewaretoken" else v) for k, n, v in params if k == "POST"
        ]
        query = urlencode([(n, v) for k, n, v in params if k == "GET"])
        full = url + ("?" + query if query else "")
        by_method.setdefault(method, []).append(Target(method, full, urlencode(body)))
    turns = zip_longest(by_method["GET"], by_method["POST"])
    return [t for pair in turns for t in pair if t is not None][:limit]


def api_targets(base_url: str, matter: str, draft: int) -> list[Target]:
    """The JSON API, which the crawler cannot reach (Swagger UI builds its requests in
    JavaScript): the catalogue search and a draft's update, as the signed-in citizen."""
    query = urlencode({"search": "食品", "audience": "PERSON", "page": "1"})
    body = {
        "situation": {"Q1": "Q1A"},
        "answers": {"agent_name": "王代办"},
        "delivery_address": "路1号",
    }
    return [
        Target("GET", f"{base_url}/api/v1/matters/?{query}"),
        Target("GET", f"{base_url}/api/v1/matters/{matter}*/"),  # * marks the path segment
        Target(
            "PATCH",
            f"{base_url}/api/v1/applications/{draft}/",
            json.dumps(body, ensure_ascii=False),
        ),
        Target(
            "POST",
            f"{base_url}/api/v1/applications/",
            json.dumps({"matter": matter, "client_key": "dast"}),
        ),
    ]


# --- sqlmap -------------------------------------------------------------------------------------


def sqlmap(targets: list[Target], who: Identity, out: Path) -> ScanResult:
    """sqlmap --batch --level 1 --risk 1 --smart on each target, SQLMAP_SECONDS in all."""
    result = ScanResult(targets=len(targets))
    start = time.monotonic()
    for index, target in enumerate(targets):
        remaining = SQLMAP_SECONDS - (time.monotonic() - start)
        if remaining < 5:
            result.timed_out.append(f"{len(targets) - index} targets not run")
            break
        share = max(5, int(remaining / (len(targets) - index)))
        folder = out / f"target-{index}"
        command = [
            str(VENV / "bin" / "sqlmap"), "-u", target.url, "--method", target.method,
            "--batch", "--level", "1", "--risk", "1", "--smart", "--cookie", who.cookie_header,
            "--headers", f"X-CSRFToken: {who.csrf}", "--drop-set-cookie",
            "--skip", "csrfmiddlewaretoken", "--output-dir", str(folder), "--disable-coloring",
            "--timeout", "10", "--retries", "1", "--time-limit", str(share), "--flush-session",
        ]  # fmt: skip
        if target.data:
            command += ["--data", target.data]
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "stdout.txt").open("w") as log:
            subprocess.run(  # noqa: S603
                command, stdout=log, stderr=subprocess.STDOUT, timeout=share + 60, check=False
            )
        result.findings += read_sqlmap(folder, target)
        # A draft the crawl created, then its own attacks submitted: nothing left to test there.
        stdout = (folder / "stdout.txt").read_text(errors="replace")
        result.unreachable += "page not found (404)" in stdout
        result.parameters += _sqlmap_parameters(folder)
    result.findings = [f for f in result.findings if not _excused(f)]
    result.seconds = time.monotonic() - start
    return result


def read_sqlmap(folder: Path, target: Target) -> list[Finding]:
    """sqlmap writes each injection point it confirms to <output>/<host>/log; empty otherwise."""
    findings = []
    path = urlsplit(target.url).path
    for log in folder.glob("*/log"):
        text = log.read_text(errors="replace").strip()
        for parameter in re.findall(r"^Parameter: (.+)$", text, flags=re.M) or (
            [text] if text else []
        ):
            findings.append(
                Finding("sqlmap", "SQL injection", target.method, path, parameter, text[:300])
            )  # fmt: skip
    stdout = (folder / "stdout.txt").read_text(errors="replace")
    if not findings and "identified the following injection point" in stdout:
        findings.append(
            Finding("sqlmap", "SQL injection", target.method, path, "?", stdout[-300:])
        )  # fmt: skip
    return findings


def _sqlmap_parameters(folder: Path) -> int:
    """Parameters sqlmap tested (or skipped by --smart after its heuristic) on one target."""
    stdout = (folder / "stdout.txt").read_text(errors="replace")
    return len(
        set(re.findall(r"(?:GET|POST|PATCH|PUT|\(custom\) POST|JSON) parameter '([^']+)'", stdout))
    )
