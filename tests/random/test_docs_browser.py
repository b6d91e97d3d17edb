"""/docs in a real browser with the network cut off: Swagger UI renders and runs a request.

Drives Debian's Chromium through Playwright (nothing is downloaded). Without Chromium the
test is skipped on a developer's machine but fails under CI=true (scripts/test installs it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ServiceProcess

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
if not CHROMIUM.exists() and os.environ.get("CI") != "true":
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Route, sync_playwright  # noqa: E402

ENDPOINTS = ["/api/random/int", "/api/random/float", "/api/random/normal", "/api/random/choice"]


def test_swagger_ui_renders_and_runs_offline(random_api: ServiceProcess) -> None:
    origin = f"http://{random_api.host}:{random_api.port}"
    refused: list[str] = []
    failed: list[str] = []

    def only_this_server(route: Route) -> None:
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:  # the network is cut: anything else fails, as in a classroom offline
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", only_this_server)
            page.on("requestfailed", lambda request: failed.append(request.url))
            page.goto(f"{origin}/docs")
            paths = page.locator(".opblock-summary-path")
            paths.first.wait_for(timeout=15_000)
            shown = {text.strip() for text in paths.all_inner_texts()}
            assert set(ENDPOINTS) <= {text.replace("\u200b", "") for text in shown}

            # Open /api/random/int and run it from the page ("Try it out" is on by default).
            operation = page.locator("#operations-random-random_ints")
            operation.locator(".opblock-summary").click()
            operation.get_by_role("button", name="Execute").click()
            body = operation.locator(".live-responses-table .response-col_description pre")
            body.first.wait_for(timeout=15_000)
            assert body.first.inner_text().strip().startswith("[")
        finally:
            browser.close()
    assert refused == []
    assert failed == []
