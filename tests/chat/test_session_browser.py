"""The session cookie in a real browser: page scripts cannot read it, an EventSource sends
it, and a page of another origin (another port of the same host) cannot use it."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator

import pytest

from tests.browser import OfflinePage
from tests.chat.live import base_url, register_and_log_in, running_chat
from tests.conftest import ServiceProcess

USERNAME = "demo-grace"
PASSWORD = "demo-password"

SIGN_IN = """async ([username, password]) => {
  const response = await fetch("/api/session", {method: "POST",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify({username, password})});
  return {status: response.status, body: await response.json()};
}"""
FIRST_EVENT = """() => new Promise((resolve, reject) => {
  const source = new EventSource("/api/events");
  source.addEventListener("user.status", (event) => { source.close(); resolve(event.data); });
  source.onerror = () => { source.close(); reject(new Error("the stream failed")); };
  setTimeout(async () => {
    const session = await (await fetch("/api/session")).json();
    await fetch("/api/users/me", {method: "PATCH", body: JSON.stringify({status: "live"}),
      headers: {"Content-Type": "application/json", "X-CSRF-Token": session.csrf_token}});
  }, 300);
})"""


# What a page of another origin can do: a "simple" request, sent with the browser's cookies.
FORGED_POST = """async ([url, to]) => (await fetch(url + "/api/messages", {method: "POST",
  credentials: "include", mode: "no-cors", headers: {"Content-Type": "text/plain"},
  body: JSON.stringify({to, body: "forged"})})).type"""


@contextlib.contextmanager
def static_page_server(html: str) -> Iterator[str]:
    """A server on a free port of 127.0.0.1 that answers ``html`` to any GET; its URL."""
    body = html.encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    with running_chat(tmp_path_factory.mktemp("chat-session"), "--registration", "open") as service:
        register_and_log_in(service, USERNAME, PASSWORD)
        yield service


def test_the_cookie_is_hidden_from_scripts_and_sent_by_event_source(
    chat: ServiceProcess, offline_page: OfflinePage
) -> None:
    page = offline_page.page
    page.goto(f"{base_url(chat)}/api")  # any page of the server: same origin
    signed_in = page.evaluate(SIGN_IN, [USERNAME, PASSWORD])
    assert signed_in["status"] == 200
    assert "netsandbox_session" not in page.evaluate("document.cookie")  # HttpOnly
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["netsandbox_session"]["httpOnly"] is True
    assert cookies["netsandbox_session"]["sameSite"] == "Strict"
    data = page.evaluate(FIRST_EVENT)
    assert '"status":"live"' in data.replace(" ", "")
    assert offline_page.refused == []


def test_a_page_on_another_port_cannot_use_the_cookie(
    chat: ServiceProcess, offline_page: OfflinePage
) -> None:
    page = offline_page.page
    page.goto(f"{base_url(chat)}/api")
    assert page.evaluate(SIGN_IN, [USERNAME, PASSWORD])["status"] == 200
    # A page on another port of the same host is the same site: the browser sends the cookie
    # along, but the chat refuses the change (foreign Origin, no CSRF token it could read).
    # (The echo service cannot serve that page: it sandboxes what it reflects, see
    # tests/echo/test_isolation.py. A plain static server on a free port does.)
    me = page.evaluate("async () => (await (await fetch('/api/users/me')).json()).id")
    with static_page_server("<p>a page someone else wrote</p>") as elsewhere:
        page.goto(elsewhere)
        with page.expect_response("**/api/messages") as answer:
            kind = page.evaluate(
                FORGED_POST,
                [base_url(chat), me],
            )
    assert kind == "opaque"  # the page learns nothing from the answer...
    assert answer.value.status == 403  # ...which was a refusal
    assert "netsandbox_session" in (answer.value.request.header_value("cookie") or "")
    page.goto(f"{base_url(chat)}/api")
    inbox = page.evaluate("async () => (await (await fetch('/api/messages')).json()).items")
    assert inbox == []
