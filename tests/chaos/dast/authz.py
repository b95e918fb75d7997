"""SEC-AC-10: citizens A and B against the running API. schemathesis (4.x) with a Web Fuzzing
Commons auth file holding both, checks `ignored_auth` and `object_level_authorization`; then an
explicit probe of every path with an object id in the schema, as B on A's objects."""

import json
import subprocess
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import requests

from tests.chaos.dast.scanners import Identity
from tests.harness.processes import BIN

SEED = 20250611
MAX_SECONDS = 240


def wfc_auth(people: dict[str, Identity]) -> dict[str, Any]:
    """A WFC auth document: each citizen as fixed headers (cookies and the CSRF header)."""
    return {
        "auth": [
            {
                "name": name,
                "fixedHeaders": [
                    {"name": "Cookie", "value": who.cookie_header},
                    {"name": "X-CSRFToken", "value": who.csrf},
                ],
            }
            for name, who in people.items()
        ]
    }


def config_toml(auth_path: Path, peers: list[str], object_ids: list[int]) -> str:
    """schemathesis.toml: A and B are peers (must not see each other's objects). Random ids would
    almost never name a real object, so `{id}` is drawn mostly from the citizens' own."""
    return "\n".join(
        [
            "[auth.wfc]",
            f'path = "{auth_path}"',
            f"peers = {json.dumps(peers)}",
            "",
            "[dictionaries.objects]",
            f"values = {json.dumps(object_ids)}",
            "",
            "[parameters]",
            '"path.id" = { dictionary = "objects", probability = 0.9 }',
            "",
        ]
    )


@dataclass
class SchemathesisResult:
    exit_code: int
    failures: int
    checks: Counter[tuple[str, str]] = field(default_factory=Counter)
    peer_probes: int = 0
    messages: list[str] = field(default_factory=list)

    def ran(self, check: str) -> int:
        return sum(n for (name, _), n in self.checks.items() if name == check)

    def failed(self, check: str) -> int:
        return sum(
            n for (name, status), n in self.checks.items() if name == check and status != "success"
        )


def schemathesis(
    base_url: str, people: dict[str, Identity], object_ids: list[int], out: Path
) -> SchemathesisResult:
    out.mkdir(parents=True, exist_ok=True)
    auth = out / "wfc-auth.json"
    auth.write_text(json.dumps(wfc_auth(people)))
    config = out / "schemathesis.toml"
    config.write_text(config_toml(auth, list(people), object_ids))
    command = [
        str(BIN / "schemathesis"), "--config-file", str(config), "--no-color", "run",
        f"{base_url}/api/schema/", "--checks", "ignored_auth,object_level_authorization",
        "-n", "10", "--seed", str(SEED), "--max-time", str(MAX_SECONDS), "-w", "1",
        "--generation-database", "none", "--report", "junit,ndjson", "--report-dir", str(out),
        "--report-junit-path", str(out / "junit.xml"),
        "--report-ndjson-path", str(out / "events.ndjson"),
    ]  # fmt: skip
    with (out / "stdout.txt").open("w") as log:
        done = subprocess.run(  # noqa: S603
            command, stdout=log, stderr=subprocess.STDOUT, timeout=MAX_SECONDS + 180, check=False
        )
    return read_schemathesis(out, done.returncode, peers=list(people)[1:])


def read_schemathesis(out: Path, exit_code: int, *, peers: list[str]) -> SchemathesisResult:
    suite = ElementTree.parse(out / "junit.xml").getroot()  # noqa: S314 (our own report)
    failures = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    messages = [
        f"{case.get('name')}: {(node.get('message') or node.text or '')[:300]}"
        for case in suite.iter("testcase")
        for node in [*case.findall("failure"), *case.findall("error")]
    ]
    result = SchemathesisResult(exit_code, failures, messages=messages)
    for line in (out / "events.ndjson").read_text(encoding="utf-8").splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished["recorder"]
        for checks in recorder.get("checks", {}).values():
            result.checks.update((c.get("name", ""), c.get("status", "")) for c in checks)
        # A request as a later peer is the object-level check replaying an owner's read.
        result.peer_probes += sum(
            1
            for case in recorder.get("cases", {}).values()
            if case["value"].get("auth_identity") in peers
        )
    return result


# --- the explicit probe --------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    method: str
    path: str
    status: int
    leaked: bool


def object_paths(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(method, path) for every operation of the schema with an `{id}` in its path."""
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if "{id}" in path
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


# Bodies that pass validation, so that a request reaches the object lookup: with `{}` these answer
# 400 for every id, real or not, before any ownership is looked at (no oracle, but nothing probed).
BODIES: dict[str, dict[str, Any]] = {
    "assign": {"assignee": 1},
    "extend": {"days": 5, "reason": "扫描"},
    "not-accept": {"kind": "OTHER", "reason": "扫描"},
    "request-supplement": {"items": [{"key": "M01", "note": "扫描"}]},
    "suspend": {"kind": "EXPERT", "expected_days": 5, "reason": "扫描"},
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def payload(method: str, path: str) -> dict[str, Any]:
    """requests keyword arguments for one probe: a valid body where the operation needs one."""
    if method == "GET":
        return {}
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    if path.endswith("/materials/"):
        upload = {"file": ("scan.pdf", PDF, "application/pdf")}
        return {"headers": headers, "data": {"material_key": "M01"}, "files": upload}
    return {"headers": headers, "json": BODIES.get(path.rstrip("/").rsplit("/", 1)[-1], {})}


def probe(
    session: requests.Session,
    base_url: str,
    operations: list[tuple[str, str]],
    ids: list[int],
    secrets: list[str],
) -> list[Probe]:
    """Each operation on each of the owner's ids, by another citizen's session. A leak is a 2xx,
    or any response whose body holds one of the owner's `secrets` (name, reference)."""
    probes = []
    for method, path in operations:
        for pk in ids:
            url = base_url + path.replace("{id}", str(pk))
            reply = session.request(method, url, timeout=30, **payload(method, path))
            leaked = 200 <= reply.status_code < 300 or any(s in reply.text for s in secrets if s)
            probes.append(Probe(method, path, reply.status_code, leaked))
    return probes
