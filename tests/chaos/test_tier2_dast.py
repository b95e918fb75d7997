"""Tier 2 (`make chaos`): the dynamic security scans of RELIABILITY §4.3 and §4.1 against gunicorn
on loopback, signed in as citizens. SEC-IN-03: wapiti and sqlmap, 0 findings, ≤ 8 minutes.
SEC-AC-10: schemathesis `ignored_auth` + `object_level_authorization` with citizens A and B, and
every object path of the schema probed as B on A's objects: 0 violations."""

import json
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.chaos.conftest import Stack
from tests.chaos.dast import authz, scanners
from tests.chaos.dast.scanners import Identity
from tests.harness.processes import BIN, run

pytestmark = [pytest.mark.chaos, pytest.mark.tier2]
Record = Callable[[str, str, str, bool], None]
CSRF = "0123456789abcdef0123456789abcdef"  # a 32-character CSRF secret Django takes as is
SCAN_BUDGET = 480  # seconds, wapiti and sqlmap together


def scan_citizens(stack: Stack) -> dict[str, Any]:
    """Citizens A and B with few objects each (tests/chaos/dast/citizens.py)."""
    out = stack.workdir / "dast-citizens.json"
    run(
        [
            str(BIN / "python"), "-m", "tests.chaos.dast.citizens", str(out),
            "--matter-of", str(stack.seed.clients[0]["drafts"][0]),
        ],
        env=stack.env | {"DJANGO_SETTINGS_MODULE": "portal.settings.test"},
        timeout=300,
    )  # fmt: skip
    return dict(json.loads(out.read_text()))


def identity(people: dict[str, Any], name: str) -> Identity:
    return Identity(people["session_cookie"], people[name]["session"], people["csrf_cookie"], CSRF)


def session_of(who: Identity) -> requests.Session:
    session = requests.Session()
    session.cookies.set(who.session_cookie, who.session)
    session.cookies.set(who.csrf_cookie, who.csrf)
    session.headers.update({"X-CSRFToken": who.csrf, "Accept": "application/json"})
    return session


def test_sec_in_03_dast_smoke_finds_nothing(stack: Stack, record_figure: Record) -> None:
    missing = scanners.venv_missing()
    if missing:
        pytest.skip(missing)
    server = stack.gunicorn()
    people = scan_citizens(stack)
    who = identity(people, "A")
    matter = stack.value(
        "SELECT m.implementation_code FROM applications_application a"
        " JOIN matters_matter m ON m.id = a.matter_id WHERE a.id = %s",
        people["A"]["drafts"][0],
    )
    out = stack.workdir / "dast"

    start = time.monotonic()
    crawl = scanners.wapiti(server.base_url, who, out / "wapiti")
    targets = scanners.sqlmap_targets(out / "wapiti", who) + scanners.api_targets(
        server.base_url, matter, people["A"]["drafts"][1]
    )
    injection = scanners.sqlmap(targets, who, out / "sqlmap")
    seconds = time.monotonic() - start

    # The scan ran signed in the whole time: the crawler reached the citizen's own pages, and
    # the session still works at the end (nothing on the way signed it out).
    urls = [url for _, url, _ in scanners.crawled_requests(out / "wapiti")]
    own_pages = sum(
        1 for url in urls if "/my/" in url or f"/applications/{people['A']['drafts'][0]}/" in url
    )
    still_in = (
        session_of(who).get(server.base_url + "/api/v1/applications/", timeout=30).status_code
    )
    findings = crawl.findings + injection.findings
    ok = not findings and own_pages > 0 and still_in == 200 and seconds <= SCAN_BUDGET
    cut = ", ".join(crawl.timed_out + injection.timed_out) or "none"
    record_figure(
        "SEC-IN-03",
        f"wapiti: {crawl.crawled} requests crawled ({own_pages} of the citizen's own), "
        f"{crawl.parameters} parameters, {len(crawl.findings)} findings; sqlmap: {len(targets)} "
        f"targets ({injection.unreachable} gone by then), {injection.parameters} parameters, "
        f"{len(injection.findings)} findings; "
        f"{seconds:.0f} s (cut short: {cut})",
        f"0 findings, signed in throughout, ≤ {SCAN_BUDGET} s",
        ok,
    )
    assert not findings, "\n".join(
        f"{f.tool} {f.category} {f.method} {f.path} [{f.parameter}] {f.info}" for f in findings
    )
    assert own_pages > 0, urls
    assert still_in == 200, still_in
    assert seconds <= SCAN_BUDGET, seconds


def test_sec_ac_10_citizens_reach_none_of_each_others_objects(
    stack: Stack, record_figure: Record
) -> None:
    server = stack.gunicorn()
    people = scan_citizens(stack)
    a, b = identity(people, "A"), identity(people, "B")
    owned_by_a = people["A"]["drafts"] + people["A"]["cases"]
    schema = requests.get(server.base_url + "/api/schema/?format=json", timeout=30).json()

    # The explicit probe first, while A's objects are as the script made them.
    operations = authz.object_paths(schema)
    before = stack.sql(
        "SELECT id, status, updated_at FROM applications_application"
        " WHERE id = ANY(%s) ORDER BY id",
        owned_by_a,
    )
    as_a = session_of(a)
    own_reads = [
        as_a.get(f"{server.base_url}/api/v1/applications/{pk}/", timeout=30).status_code
        for pk in owned_by_a
    ]
    secrets = [people["A"]["real_name"], *people["A"]["references"]]
    probes = authz.probe(session_of(b), server.base_url, operations, owned_by_a, secrets)
    after = stack.sql(
        "SELECT id, status, updated_at FROM applications_application"
        " WHERE id = ANY(%s) ORDER BY id",
        owned_by_a,
    )
    leaks = [p for p in probes if p.leaked]
    statuses = Counter(p.status for p in probes)

    # Then schemathesis, which may change A's objects as A (it fuzzes every operation).
    fuzz = authz.schemathesis(
        server.base_url,
        {"A": a, "B": b},
        owned_by_a + people["B"]["drafts"],
        stack.workdir / "schemathesis",
    )
    violations = (
        fuzz.failures + fuzz.failed("ignored_auth") + fuzz.failed("object_level_authorization")
    )

    # A reads its own objects (so a 2xx for B would have been told apart), B gets none of them,
    # and nothing B sent changed them.
    ok = (
        set(own_reads) == {200} and not leaks and set(statuses) <= {403, 404}
        and before == after and violations == 0
        and fuzz.ran("ignored_auth") > 0 and fuzz.ran("object_level_authorization") > 0
    )  # fmt: skip
    record_figure(
        "SEC-AC-10",
        f"probe: {len(operations)} object operations × {len(owned_by_a)} of A's objects as B = "
        f"{len(probes)} requests, {len(leaks)} leaks, statuses {dict(sorted(statuses.items()))}, "
        f"A's rows {'unchanged' if before == after else 'CHANGED'}; schemathesis: "
        f"{fuzz.ran('ignored_auth')} ignored_auth and {fuzz.ran('object_level_authorization')} "
        f"object_level_authorization checks, {fuzz.peer_probes} replays as B, "
        f"{violations} violations",
        "0 violations; B gets 403/404 on every one of A's objects",
        ok,
    )
    assert set(own_reads) == {200}, own_reads
    assert not leaks, leaks
    assert set(statuses) <= {403, 404}, [p for p in probes if p.status not in (403, 404)]
    assert before == after, (before, after)
    assert violations == 0, "\n".join(fuzz.messages)
    assert fuzz.exit_code == 0, (stack.workdir / "schemathesis" / "stdout.txt").read_text()[-3000:]
    assert fuzz.ran("ignored_auth") > 0, fuzz.checks
    assert fuzz.ran("object_level_authorization") > 0, fuzz.checks
