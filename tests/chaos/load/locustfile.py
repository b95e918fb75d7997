# mypy: disable-error-code="import-not-found, misc, untyped-decorator"
# (locust lives in its own venv, not in the one mypy checks against: its names are Any here.)
"""The load profile of REL-LD-01/02, run by locust in its own venv (tests/chaos/load/runner.py).

It knows nothing of Django: what it needs (sessions, the form, the pages) comes from the JSON file
named by LOAD_CONFIG, and what it saw goes to the JSON file named by LOAD_LOG when the test stops.

Three kinds of user, weighted 7 : 2 : 1 (RELIABILITY REL-LD-01):
* Browser: the catalogue, a guide, the search, the applicant's list and one case (API and pages).
* Submitter: a food-licence draft through the API as a client app files it: create, save the
  form, upload a 200 kB PDF and a small one, choose 容缺 / 承诺 for the others, submit.
* Clerk: accepts (受理) the cases the submitters filed, and looks at the workbench queue.

Requests are named by class, which locust's CSV reports per name: read, draft (the journey's
other writes), upload (the 200 kB material), submit, transition."""

import collections
import json
import os
import random
import secrets
import sys
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

# The repository root, for tests/applications/pdfs.py (plain Python: the locust venv has no Django).
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tests.applications.pdfs import pdf_bytes

CONFIG: dict[str, Any] = json.loads(Path(os.environ["LOAD_CONFIG"]).read_text(encoding="utf-8"))
THINK = between(*CONFIG.get("think_seconds", (2, 10)))
TIMEOUT = float(CONFIG.get("timeout_seconds", 60))
# 503 counts as intended only where the test says so (REL-LD-02's overload answer).
INTENDED = {429} | ({503} if CONFIG.get("allow_503") else set())

# Users are gevent greenlets in one process: they switch only on I/O, so the shared state below
# needs no lock.
received: collections.deque[int] = collections.deque()  # filed, waiting for a clerk
LOG: dict[str, Any] = {
    "submitted": [],  # case ids whose submit answered 200 with status RECEIVED
    "accepted": [],
    "codes": collections.defaultdict(collections.Counter),  # name -> status -> count
    "ms": collections.defaultdict(list),  # "name endpoint" -> response times, for diagnosis
    "unavailable_without_retry_after": 0,
    "errors": [],  # the first few unexpected answers, for the test's message
}


def _pdf(size: int) -> bytes:
    """A valid one-page PDF of about `size` bytes: its content stream draws lines of text."""
    line = b"BT /F1 9 Tf 20 700 Td (Tongban load test material, line of text) Tj ET\n"
    return pdf_bytes(contents=line * max(1, size // len(line)))


MATERIALS = "/api/v1/applications/<id>/materials/"
ATTACHMENT = _pdf(200 * 1024)
SMALL = _pdf(2 * 1024)


class PortalUser(HttpUser):
    abstract = True
    wait_time = THINK
    session_key = ""

    def on_start(self) -> None:
        self.client.cookies.set(CONFIG["session_cookie"], self.session_key)
        token = secrets.token_hex(16)  # a CSRF secret Django accepts as is
        self.client.cookies.set(CONFIG["csrf_cookie"], token)
        self.client.headers.update({"X-CSRFToken": token})

    def call(self, method: str, path: str, name: str, where: str, **kwargs: Any) -> Any:
        """One request of class `name` to the endpoint `where`; 2xx and the intended refusals
        pass, anything else is an error."""
        api = path.startswith("/api/")
        headers = {"Accept": "application/json" if api else "text/html"}
        with self.client.request(
            method, path, name=name, headers=headers, timeout=TIMEOUT, catch_response=True,
            **kwargs,
        ) as reply:  # fmt: skip
            code = reply.status_code or 0
            LOG["codes"][name][str(code)] += 1
            LOG["ms"][f"{name} {method} {where}"].append(round(reply.request_meta["response_time"]))
            if code == 503 and not reply.headers.get("Retry-After"):
                LOG["unavailable_without_retry_after"] += 1
            if 200 <= code < 300 or code in INTENDED:
                reply.success()
            else:
                reply.failure(f"{code}")
                if len(LOG["errors"]) < 20:
                    LOG["errors"].append(f"{method} {path} -> {code} {reply.text[:300]!r}")
            return reply


class Browser(PortalUser):
    """70 %: a citizen browsing the catalogue and following their applications."""

    weight = 7

    def on_start(self) -> None:
        self.citizen = random.choice(CONFIG["citizens"])
        self.session_key = self.citizen["session"]
        super().on_start()

    @task(3)
    def catalogue(self) -> None:
        self.call("GET", f"/matters/?page={random.randint(1, 3)}", "read", "/matters/")

    @task(3)
    def guide(self) -> None:
        self.call("GET", f"/matters/{random.choice(CONFIG['guides'])}/", "read", "/matters/<code>/")

    @task(2)
    def search(self) -> None:
        self.call("GET", f"/search/?q={random.choice(CONFIG['queries'])}", "read", "/search/")

    @task(2)
    def my_list(self) -> None:
        self.call("GET", "/api/v1/applications/", "read", "/api/v1/applications/")

    @task(1)
    def my_page(self) -> None:
        self.call("GET", "/my/applications/", "read", "/my/applications/")

    @task(2)
    def my_case(self) -> None:
        pk = random.choice(self.citizen["drafts"])
        self.call("GET", f"/api/v1/applications/{pk}/", "read", "/api/v1/applications/<id>/")


class Submitter(PortalUser):
    """20 %: a citizen filing a food-licence application with a 200 kB material."""

    weight = 2
    count = 0

    def on_start(self) -> None:
        # Spread over the citizens: the daily upload quota (200) is per person.
        Submitter.count += 1
        citizens = CONFIG["citizens"]
        self.session_key = citizens[Submitter.count % len(citizens)]["session"]
        super().on_start()

    @task
    def file_an_application(self) -> None:
        form = CONFIG["form"]
        reply = self.call(
            "POST", "/api/v1/applications/", "draft", "/api/v1/applications/",
            json={"matter": form["matter"], "client_key": uuid.uuid4().hex},
        )  # fmt: skip
        if reply.status_code != 201:
            return
        pk = reply.json()["id"]
        base = f"/api/v1/applications/{pk}"
        saved = self.call(
            "PATCH", f"{base}/", "draft", "/api/v1/applications/<id>/",
            json={
                "situation": form["situation"], "answers": form["answers"],
                "delivery_method": form["delivery_method"],
            },
        )  # fmt: skip
        if saved.status_code != 200:
            return
        for index, key in enumerate(form["uploads"]):
            content, name = (ATTACHMENT, "upload") if index == 0 else (SMALL, "draft")
            files = {"file": (f"{key}.pdf", content, "application/pdf")}
            data = {"material_key": key}
            uploaded = self.call(
                "POST", f"{base}/materials/", name, MATERIALS, data=data, files=files
            )
            if uploaded.status_code != 201:
                return
        for key, source in form["alternatives"].items():
            chosen = self.call(
                "POST", f"{base}/materials/", "draft", MATERIALS,
                json={"material_key": key, "alternative": source},
            )  # fmt: skip
            if chosen.status_code != 201:
                return
        submitted = self.call(
            "POST", f"{base}/submit/", "submit", "/api/v1/applications/<id>/submit/", json={}
        )
        if submitted.status_code == 200 and submitted.json().get("status") == "RECEIVED":
            LOG["submitted"].append(pk)
            received.append(pk)


class Clerk(PortalUser):
    """10 %: the market department's window clerk accepting what came in."""

    weight = 1

    def on_start(self) -> None:
        self.session_key = CONFIG["clerk_session"]
        super().on_start()

    @task(3)
    def accept(self) -> None:
        pk = received.popleft() if received else None
        if pk is None:
            self.queue()
            return
        reply = self.call(
            "POST",
            f"/api/v1/cases/{pk}/accept/",
            "transition",
            "/api/v1/cases/<id>/accept/",
            json={"opinion": "材料齐全，予以受理。"},
        )
        if reply.status_code == 200:
            LOG["accepted"].append(pk)

    @task(1)
    def queue(self) -> None:
        self.call("GET", "/workbench/", "read", "/workbench/")


@events.test_stop.add_listener
def write_log(**_: Any) -> None:
    Path(os.environ["LOAD_LOG"]).write_text(json.dumps(LOG), encoding="utf-8")
