"""Content-Security-Policy (CFG-02, ASVS 14.4.3): no inline script or style is allowed anywhere,
and the pages still work: headless Chromium loads the main pages, signed out and signed in, and
the browser reports no violation of the policy the portal sends."""

import os
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

import pytest

from accounts.models import User
from accounts.services import staff_create
from matters.models import Matter
from tests.applications.conftest import (  # noqa: F401 - fixtures, used by name
    clerk,
    market,
    workflow_catalogue,
)
from tests.auth import sign_in

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered to PDF by WeasyPrint only (and, for certificates, the sandboxed admin preview): their
# CSS stays inline because there is no browser to fetch a stylesheet.
PDF_TEMPLATES = {"certificates/default_certificate.html", "matters/notice_pdf.html"}

# Collects what the browser reports, before any page script runs (init scripts are exempt from CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI + " " + (event.sourceFile || ""));
});
"""


def test_the_policy_allows_only_our_own_resources_and_no_inline_code(client: Client) -> None:
    policy = client.get(reverse("sign-in"))["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'none'",
        "object-src": "'none'",
    }


def test_the_swagger_ui_gets_a_fresh_nonce_for_its_own_start_up_code(client: Client) -> None:
    first = client.get(reverse("api-docs"))
    second = client.get(reverse("api-docs"))

    nonce = re.search(r"'nonce-([^']+)'", first["Content-Security-Policy"])
    assert nonce is not None
    assert f'<script nonce="{nonce.group(1)}">' in first.content.decode()
    assert "unsafe-inline" not in first["Content-Security-Policy"]
    assert nonce.group(1) not in second["Content-Security-Policy"]


def test_no_template_served_to_browsers_has_inline_script_style_or_event_handler() -> None:
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE
    )
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PDF_TEMPLATES or name.startswith("drf_spectacular/"):  # nonce-carrying
            continue
        offenders += [f"{name}: {m.group()}" for m in inline.finditer(path.read_text("utf-8"))]

    assert offenders == []


def _violations(
    browser: Any, base_url: str, pages: dict[str, str], session: str = ""
) -> dict[str, Any]:
    """Load each page (path → a selector that shows it worked) and return what the browser
    refused, by path."""
    context = browser.new_context(base_url=base_url, locale="zh-CN")
    if session:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
        )
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    # The detector must see a violation when there is one: an inline handler injected into the
    # first page is refused and reported, or this test could pass for the wrong reason.
    paths = list(pages)
    page.goto(paths[0], wait_until="load")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\\'window.x=1\\'>')"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    found: dict[str, Any] = {}
    for path in paths:
        console.clear()
        response = page.goto(path, wait_until="networkidle")
        assert response is not None, path
        assert response.status == 200, path
        page.wait_for_selector(pages[path], state="attached")  # the page really rendered
        reported = page.evaluate("window.__cspViolations")
        refused = [text for text in console if "Content Security Policy" in text]
        if reported or refused:
            found[path] = reported + refused
    context.close()
    return found


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Chromium at {CHROMIUM}")
def test_the_main_pages_work_in_chromium_without_a_single_csp_violation(
    live_server: Any,
    workflow_catalogue: dict[str, Matter],  # noqa: F811 - the fixture imported above
    clerk: User,  # noqa: F811
) -> None:
    food = workflow_catalogue["food"]
    admin = staff_create(username="root", password="pw-root-123456", real_name="管理员", roles=[], is_superuser=True)  # fmt: skip
    sessions = {}
    for user in (clerk, admin):
        client = Client()
        sign_in(client, user)
        sessions[user.username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    public = {
        "/": "main#main",
        reverse("matter-guide", args=[food.implementation_code]): "main#main h1",
        reverse("sign-in"): "form.account-form",
        reverse("api-docs"): ".swagger-ui .information-container .title",  # drawn by its script
    }
    # Playwright runs an event loop in this thread: no database access from here on.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            anonymous = _violations(browser, live_server.url, public)
            workbench = _violations(
                browser,
                live_server.url,
                {reverse("workbench-queue"): "main#main h1"},
                sessions["clerk"],
            )
            admin_pages = _violations(
                browser,
                live_server.url,
                {
                    "/admin/": "#content-main",
                    "/admin/accounts/user/": "#changelist",
                    "/admin/matters/matter/": "#changelist",
                    f"/admin/accounts/user/{clerk.pk}/change/": "#user_form",
                },
                sessions["root"],
            )
        finally:
            browser.close()

    assert anonymous == {}
    assert workbench == {}
    assert admin_pages == {}
