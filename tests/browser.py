"""Chromium for browser tests, with the network cut off as in a classroom without internet.

Loaded as a pytest plugin by ``tests/conftest.py``, so every test can ask for:

* ``browser``: Debian's Chromium (``apt-get install chromium``) driven by Playwright, one per
  module. Nothing is downloaded: Playwright's own browsers are not used.
* ``offline_page``: a fresh page in a fresh context (no cookies or storage from another
  test) where every request to anything but 127.0.0.1 is aborted and recorded in
  ``refused``, every request that failed anyway in ``failed``, and every uncaught error
  of the page's scripts in ``errors``.
* ``offline_pages``: ``offline_pages(locale="fr-FR", viewport=...)`` opens more such pages,
  each in a context of its own (a second user, another language or screen); all closed at
  the end of the test.

Without Chromium the tests are skipped on a developer's machine and fail under CI=true.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
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
    errors: list[str] = field(default_factory=list)


def open_offline_page(browser: Browser, **context_options: object) -> OfflinePage:
    """A page in a new context (``browser.new_context(**context_options)``) that can reach
    only 127.0.0.1; close it with ``page.page.context.close()``."""
    context = browser.new_context(**context_options)  # type: ignore[arg-type]
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
    page.page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def offline_page(browser: Browser) -> Iterator[OfflinePage]:
    page = open_offline_page(browser)
    try:
        yield page
    finally:
        page.page.context.close()


@pytest.fixture
def offline_pages(browser: Browser) -> Iterator[Callable[..., OfflinePage]]:
    opened: list[OfflinePage] = []

    def open_page(**context_options: object) -> OfflinePage:
        page = open_offline_page(browser, **context_options)
        opened.append(page)
        return page

    try:
        yield open_page
    finally:
        for page in opened:
            page.page.context.close()
