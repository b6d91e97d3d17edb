"""/docs in a real browser with the network cut off: Swagger UI renders and runs a request."""

from __future__ import annotations

from tests.browser import OfflinePage
from tests.conftest import ServiceProcess

ENDPOINTS = ["/api/random/int", "/api/random/float", "/api/random/normal", "/api/random/choice"]


def test_swagger_ui_renders_and_runs_offline(
    random_api: ServiceProcess, offline_page: OfflinePage
) -> None:
    page = offline_page.page
    page.goto(f"http://{random_api.host}:{random_api.port}/docs")
    paths = page.locator(".opblock-summary-path")
    paths.first.wait_for(timeout=15_000)
    shown = {text.strip().replace("\u200b", "") for text in paths.all_inner_texts()}
    assert set(ENDPOINTS) <= shown

    # Open /api/random/int and run it from the page ("Try it out" is on by default).
    operation = page.locator("#operations-random-random_ints")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".live-responses-table .response-col_description pre")
    body.first.wait_for(timeout=15_000)
    assert body.first.inner_text().strip().startswith("[")
    assert offline_page.refused == []
    assert offline_page.failed == []
