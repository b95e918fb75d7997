"""End-to-end fixtures: one running portal (tests/e2e/stack.py) and Debian's Chromium, driven by
Playwright. Each test gets a fresh browser context; the final page of each journey is saved as a
screenshot under var/e2e-artifacts/. Skipped where PostgreSQL, Redis or Chromium are missing."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright

from tests.e2e.stack import CHROMIUM, CHROMIUM_ARGS, ROOT, Stack, running_stack, unavailable_reason

ARTIFACTS = ROOT / "var" / "e2e-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = unavailable_reason()
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    for old in ARTIFACTS.glob("*.png"):  # this run's screenshots only
        old.unlink()
    with running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _page(
    browser: Browser,
    stack: Stack,
    request: pytest.FixtureRequest,
    viewport: ViewportSize,
    name: str = "",
) -> Iterator[Page]:
    context = browser.new_context(
        base_url=stack.base_url, locale="zh-CN", accept_downloads=True, viewport=viewport
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    failed = getattr(request.node, "rep_call", None)
    suffix = "-failed" if failed is not None and failed.failed else ""
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}{name}{suffix}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(browser: Browser, stack: Stack, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from _page(browser, stack, request, {"width": 1280, "height": 800})


@pytest.fixture
def other_page(browser: Browser, stack: Stack, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A second person's browser, at phone size."""
    yield from _page(browser, stack, request, {"width": 360, "height": 740}, "-phone")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
