"""/docs in a real browser with the network cut off: every asset comes from the echo server."""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import Route, sync_playwright

from tests.conftest import ServiceProcess

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("CI") != "true":
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


def test_docs_render_offline(echo: ServiceProcess) -> None:
    origin = f"http://{echo.host}:{echo.port}"
    refused: list[str] = []

    def only_this_server(route: Route) -> None:
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:  # the network is cut: anything else fails, as in a classroom offline
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page()
            page.route("**/*", only_this_server)
            failed: list[str] = []
            page.on("requestfailed", lambda request: failed.append(request.url))
            page.goto(f"{origin}/docs")
            page.get_by_text("netsandbox echo", exact=False).first.wait_for(timeout=10_000)
            operation = page.locator(".opblock-summary-path", has_text="/basic-auth/")
            operation.first.wait_for(timeout=10_000)
            assert page.locator(".opblock").count() >= 30
        finally:
            browser.close()
    assert refused == []
    assert failed == []
