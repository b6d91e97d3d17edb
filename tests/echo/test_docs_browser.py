"""/docs in a real browser with the network cut off: every asset comes from the echo server."""

from __future__ import annotations

from tests.browser import OfflinePage
from tests.conftest import ServiceProcess


def test_docs_render_offline(echo: ServiceProcess, offline_page: OfflinePage) -> None:
    page = offline_page.page
    page.goto(f"http://{echo.host}:{echo.port}/docs")
    page.get_by_text("netsandbox echo", exact=False).first.wait_for(timeout=10_000)
    operation = page.locator(".opblock-summary-path", has_text="/basic-auth/")
    operation.first.wait_for(timeout=10_000)
    assert page.locator(".opblock").count() >= 30
    assert offline_page.refused == []
    assert offline_page.failed == []
