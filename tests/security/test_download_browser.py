"""SEC-UP-08 in a browser: a hostile file that got stored is never run as a page when it is
served back, neither by the citizen's download nor by the staff preview (the one inline view).

Uploads are sniffed, so HTML is refused; what can still be stored is (a) a PNG that carries HTML
past the 64 KB the polyglot check reads, accepted by the real upload service, and (b) a stored
file whose bytes or recorded type were changed behind the application's back (an old row, a
restored backup, an edited disk). The responses are made by the real views through the Django
test client, then handed to Debian's Chromium unchanged (Playwright's request routing), so no
live server is needed. Each probe page would show a dialog, retitle itself and fetch /pwned if
any of its script ran."""

import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import pytest
from playwright.sync_api import Browser, Dialog, Page, Route, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from pytest_django import Settings

from accounts.models import User
from applications import services
from applications.models import ApplicationMaterial
from matters.models import Matter
from tests.applications.conftest import (  # noqa: F401 - fixtures, used by name
    NOW,
    applicant,
    clerk,
    draft_ready,
    market,
    workflow_catalogue,
)
from tests.auth import sign_in
from tests.e2e.stack import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
)

ORIGIN = "http://portal.test"
PROBE = (
    b"<!doctype html><html><head><title>probe</title></head><body>"
    b"<script>alert('script ran');document.title='pwned';fetch('/pwned?script')</script>"
    b"<img src=\"/missing.png\" onerror=\"alert('handler ran');fetch('/pwned?handler')\">"
    b"</body></html>"
)


def _png_with_html_after_the_scan() -> bytes:
    """A valid 1×1 PNG whose text chunk holds the probe after 70 KB of padding: beyond the first
    64 KB that the polyglot check reads, so the upload is accepted."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"tEXt", b"Comment\x00" + b" " * 70_000 + PROBE)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class Served:
    """One response of a view, as a browser would receive it."""

    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def disposition(self) -> str:
        return self.headers.get("Content-Disposition", "").split(";")[0]


@dataclass
class Outcome:
    downloaded: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    pwned: list[str] = field(default_factory=list)
    title: str = ""

    @property
    def script_ran(self) -> bool:
        return bool(self.dialogs or self.pwned or self.title == "pwned")


def _served(client: Client, path: str) -> Served:
    response: Any = client.get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    # Not response.close(): that would end the test's database session.
    for closable in response._resource_closers:
        closable()
    return Served(path, dict(response.items()), body)


def _open(browser: Browser, served: Served) -> Outcome:
    """Navigate a fresh page to `served` and report what the browser did with it."""
    outcome = Outcome()
    context = browser.new_context(accept_downloads=True)
    page: Page = context.new_page()

    def route(route: Route) -> None:
        url = route.request.url
        if url == ORIGIN + served.path:
            route.fulfill(status=200, headers=served.headers, body=served.body)
        else:
            if "/pwned" in url:
                outcome.pwned.append(url)
            route.fulfill(status=404, body=b"")

    page.route(f"{ORIGIN}/**", route)

    def dialog(shown: Dialog) -> None:
        outcome.dialogs.append(shown.message)
        shown.dismiss()

    page.on("dialog", dialog)
    page.on("download", lambda download: outcome.downloaded.append(download.suggested_filename))
    try:
        page.goto(ORIGIN + served.path, wait_until="load", timeout=10_000)
    except PlaywrightError as exc:  # an attachment: the navigation turns into a download
        if "Download is starting" not in str(exc):
            raise
    page.wait_for_timeout(300)  # time for a script or an onerror handler to run
    outcome.title = page.title()
    context.close()
    return outcome


@pytest.fixture
def served(
    applicant: User,  # noqa: F811 - the imported fixture
    clerk: User,  # noqa: F811
    workflow_catalogue: dict[str, Matter],  # noqa: F811
    settings: Settings,
    tmp_path: Path,
) -> dict[str, Served]:
    """The responses of both views for each hostile file."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CLAMAV_URL = ""
    draft = draft_ready(applicant, workflow_catalogue["food"])
    services.application_material_upload(
        user=applicant, application_id=draft.pk, material_key="M01", now=NOW,
        file=SimpleUploadedFile("scan.png", _png_with_html_after_the_scan(), "image/png"),
    )  # fmt: skip
    services.application_submit(user=applicant, application_id=draft.pk, now=NOW)
    png = ApplicationMaterial.objects.get(application=draft, material_key="M01")
    other = ApplicationMaterial.objects.get(application=draft, material_key="M02")
    assert png.content_type == "image/png"  # accepted: the HTML is past the scanned part
    (Path(settings.MEDIA_ROOT) / str(other.file.name)).write_bytes(PROBE)  # changed on disk
    citizen, staff = Client(), Client()
    sign_in(citizen, applicant)
    sign_in(staff, clerk)

    def both(name: str, material: ApplicationMaterial) -> dict[str, Served]:
        args = [draft.pk, material.pk]
        return {
            f"{name} download": _served(
                citizen, reverse("application-material-download", args=args)
            ),
            f"{name} preview": _served(staff, reverse("workbench-material", args=args)),
        }

    responses = both("png", png)
    responses |= both("html as pdf", other)  # recorded as a PDF, the bytes are HTML
    ApplicationMaterial.objects.filter(pk=other.pk).update(content_type="text/html")
    responses |= both("html as html", other)  # a row that says HTML outright
    return responses


def test_a_hostile_stored_file_never_runs_as_a_page_in_chromium(served: dict[str, Served]) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            outcomes = {label: _open(browser, response) for label, response in served.items()}
            # The same HTML inline: with the sandbox header the views send, and without it (the
            # probe's control: it must detect a script that runs).
            html = served["html as html preview"]
            inline = {**html.headers, "Content-Disposition": "inline"}
            bare = {k: v for k, v in inline.items() if k != "Content-Security-Policy"}
            sandboxed = _open(browser, Served(html.path, inline, html.body))
            unprotected = _open(browser, Served(html.path, bare, html.body))
        finally:
            browser.close()

    assert {label: o.script_ran for label, o in outcomes.items()} == dict.fromkeys(served, False)
    # Everything but the staff preview of an image is a download, never a page.
    inline_views = {label for label, r in served.items() if r.disposition == "inline"}
    assert inline_views == {"png preview", "html as pdf preview"}
    assert all(o.downloaded for label, o in outcomes.items() if label not in inline_views)
    assert "1×1" in outcomes["png preview"].title  # shown as an image, not parsed as a page
    assert all(r.headers["X-Content-Type-Options"] == "nosniff" for r in served.values())
    assert sandboxed.script_ran is False
    assert unprotected.script_ran is True
