"""Chromium for browser tests, with the network cut off as in a classroom without internet.

Loaded as a pytest plugin by ``tests/conftest.py``, so every test can ask for:

* ``browser``: Debian's Chromium (``apt-get install chromium``) driven by Playwright, one per
  module. Nothing is downloaded: Playwright's own browsers are not used.
* ``offline_page``: a fresh page in a fresh context (no cookies or storage from another
  test) where every request to anything but 127.0.0.1 is aborted and recorded in
  ``refused``, and every request that failed anyway in ``failed``.

Without Chromium the tests are skipped on a developer's machine and fail under CI=true.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, Route, sync_playwright

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = [
    "--no-sandbox",  # tests often run as root in a container, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOOPBACK = "127.0.0.1"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, headless; module-scoped so that Playwright's event loop never outlives the
    module (an async test elsewhere needs the thread's loop to itself)."""
    if CHROMIUM is None:
        message = "chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class OfflinePage:
    """A page that can reach only 127.0.0.1, and what it tried to reach elsewhere."""

    page: Page
    refused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@pytest.fixture
def offline_page(browser: Browser) -> Iterator[OfflinePage]:
    context = browser.new_context()
    page = OfflinePage(context.new_page())

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname == LOOPBACK:
            route.continue_()
        else:
            page.refused.append(route.request.url)
            route.abort("internetdisconnected")

    def note_failure(request: Request) -> None:
        if urlsplit(request.url).hostname == LOOPBACK:
            page.failed.append(request.url)

    context.route("**/*", only_loopback)
    page.page.on("requestfailed", note_failure)
    try:
        yield page
    finally:
        context.close()
