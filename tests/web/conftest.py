"""Browser fixtures: one real assistant + chat page per test run, a fresh browser context per test,
and a screenshot in results/web/ whenever a browser test fails."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.servers import REPO
from tests.web.chat_site import REPLY_TIMEOUT_MS, ChatSite, launch_chromium, start_chat_site

FAILURE_SCREENSHOTS = REPO / "results" / "web"
# Assertions wait for replies from the real assistant; none of them measures time.
expect.set_options(timeout=REPLY_TIMEOUT_MS)


@pytest.fixture(scope="session")
def chat_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatSite]:
    with start_chat_site(Path(tmp_path_factory.mktemp("chat_site"))) as site:
        yield site


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Remember each phase's outcome on the test item so the `page` fixture knows about failures."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh profile (empty local storage) at phone-to-laptop width; screenshot on failure."""
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    context.set_default_timeout(REPLY_TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        FAILURE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        tab.screenshot(path=str(FAILURE_SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()
