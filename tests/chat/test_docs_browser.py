"""/docs in a real browser, offline and under the chat's strict Content-Security-Policy: log in
with the "Authorize" button, then try an endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser import OfflinePage
from tests.chat.live import base_url, register_and_log_in, running_chat
from tests.conftest import ServiceProcess

USERNAME = "demo-ada"
PASSWORD = "demo-password"


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    with running_chat(tmp_path_factory.mktemp("chat-docs"), "--registration", "open") as service:
        register_and_log_in(service, USERNAME, PASSWORD)
        yield service


def test_authorize_with_the_token_endpoint_then_get_my_profile(
    chat: ServiceProcess,
    offline_page: OfflinePage,
) -> None:
    page = offline_page.page
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    shown = page.goto(f"{base_url(chat)}/docs")
    assert shown is not None and "script-src 'self'" in shown.headers["content-security-policy"]
    page.get_by_role("button", name="Authorize").first.click()
    page.get_by_label("username:").fill(USERNAME)
    page.get_by_label("password:").fill(PASSWORD)
    with page.expect_response("**/api/auth/token") as login:
        page.get_by_role("button", name="Apply given OAuth2 credentials").click()
    assert login.value.status == 200
    expect(page.get_by_role("heading", name="Authorized")).to_be_visible()
    page.get_by_role("button", name="Close").first.click()

    operation = page.locator(".opblock", has=page.get_by_text("My own profile", exact=True))
    operation.get_by_text("My own profile", exact=True).click()
    with page.expect_request("**/api/users/me") as sent:
        operation.get_by_role("button", name="Execute").click()
    assert sent.value.headers["authorization"].startswith("Bearer ")
    answer = operation.locator(".live-responses-table")
    expect(answer.locator("tbody .response-col_status").first).to_have_text("200")
    expect(answer).to_contain_text(f'"username": "{USERNAME}"')

    assert offline_page.refused == []  # nothing was fetched from the internet
    assert offline_page.failed == []
    assert [text for text in console if "Content Security Policy" in text] == []


def test_a_wrong_password_does_not_authorize(
    chat: ServiceProcess,
    offline_page: OfflinePage,
) -> None:
    page = offline_page.page
    page.goto(f"{base_url(chat)}/docs")
    page.get_by_role("button", name="Authorize").first.click()
    page.get_by_label("username:").fill(USERNAME)
    page.get_by_label("password:").fill("not-the-password")
    with page.expect_response("**/api/auth/token") as login:
        page.get_by_role("button", name="Apply given OAuth2 credentials").click()
    assert login.value.status == 401
    expect(page.get_by_role("heading", name="Auth error")).to_be_visible()
    expect(page.get_by_role("heading", name="Authorized")).to_have_count(0)
