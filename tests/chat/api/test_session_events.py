"""GET /api/events with the session cookie, against a real server process: a stream opened
with the cookie gets its events, and signing out ends it at once (and only it)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import httpx
import pytest

from tests.chat.api.sse import READ_TIMEOUT, EventStreamReader, open_events
from tests.chat.live import base_url, register_and_log_in
from tests.conftest import ServiceProcess, StartService

PASSWORD = "password-for-sessions"
COOKIE = "netsandbox_session"


@pytest.fixture
def chat(start_service: StartService) -> ServiceProcess:
    return start_service("chat", "--registration", "open", "--rate-limit", "off",
                         env={"NETSANDBOX_CHAT_HEARTBEAT": "0.2"})  # fmt: skip


@pytest.fixture
def api(chat: ServiceProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url(chat), timeout=10) as http:
        yield http


def sign_in(api: httpx.Client, username: str) -> tuple[dict[str, str], str]:
    """A session's cookie header and its CSRF token (the account must exist)."""
    response = api.post("/api/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    session = response.cookies[COOKIE]
    api.cookies.clear()
    return {"Cookie": f"{COOKIE}={session}"}, response.json()["csrf_token"]


@contextlib.contextmanager
def events_with(chat: ServiceProcess, headers: dict[str, str]) -> Iterator[EventStreamReader]:
    """The event stream opened as a browser's EventSource does: the cookie, no header."""
    timeout = httpx.Timeout(10.0, read=READ_TIMEOUT)
    with (
        httpx.Client(base_url=base_url(chat), timeout=timeout) as http,
        http.stream("GET", "/api/events", headers={**headers, "Accept": "text/event-stream"})
        as response,
    ):  # fmt: skip
        assert response.status_code == 200, response.read()
        yield EventStreamReader(response)


def test_a_stream_opened_with_the_cookie_gets_events(chat, api) -> None:
    register_and_log_in(chat, "ada", PASSWORD)
    bob = {"Authorization": f"Bearer {register_and_log_in(chat, 'bob', PASSWORD)}"}
    cookie, _ = sign_in(api, "ada")
    ada_id = api.get("/api/users/me", headers=cookie).json()["id"]
    with events_with(chat, cookie) as adas:
        api.patch("/api/users/me", json={"status": "Lunch"}, headers=bob)
        status, _ = adas.until("user.status", username="bob")
        assert status.data["status"] == "Lunch"
        sent = api.post("/api/messages", json={"to": ada_id, "body": "hi"}, headers=bob)
        message, _ = adas.until("message.created")
        assert message.data == sent.json()


def test_signing_out_ends_the_sessions_streams_and_only_them(chat, api) -> None:
    token = register_and_log_in(chat, "ada", PASSWORD)
    bob = {"Authorization": f"Bearer {register_and_log_in(chat, 'bob', PASSWORD)}"}
    cookie, csrf = sign_in(api, "ada")
    other_cookie, _ = sign_in(api, "ada")  # another tab's sign-in: another session
    with (
        events_with(chat, cookie) as first,
        events_with(chat, cookie) as second,
        events_with(chat, other_cookie) as other_session,
        open_events(base_url(chat), token) as script,
    ):
        signed_out = api.delete("/api/session", headers={**cookie, "X-CSRF-Token": csrf})
        assert signed_out.status_code == 204
        for stream in (first, second):
            closed, _ = stream.until("closed")
            assert closed.data == {"reason": "logged_out"}
            assert stream.next() is None  # and the stream ends
        api.patch("/api/users/me", json={"status": "still here"}, headers=bob)
        for stream in (other_session, script):
            _, skipped = stream.until("user.status", status="still here")
            assert [e for e in skipped if e.type == "closed"] == []
    refused = api.get("/api/events", headers=cookie)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_session"


def test_revoking_a_token_ends_its_streams(chat, api) -> None:
    token = register_and_log_in(chat, "ada", PASSWORD)
    with open_events(base_url(chat), token) as stream:
        revoked = api.delete("/api/auth/token", headers={"Authorization": f"Bearer {token}"})
        assert revoked.status_code == 204
        closed, _ = stream.until("closed")
        assert closed.data == {"reason": "logged_out"}
        assert stream.next() is None


def test_a_stream_with_a_bad_cookie_is_an_ordinary_401(chat, api) -> None:
    for cookie, code in ((f"{COOKIE}=%%%", "malformed_session"),
                         (f"{COOKIE}={'a' * 43}", "invalid_session")):  # fmt: skip
        response = api.get("/api/events", headers={"Cookie": cookie})
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/json"
        assert response.json()["error"]["code"] == code
