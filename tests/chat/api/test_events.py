"""GET /api/events against a real server process: live delivery, who gets what, replay after
a reconnect, the stream limit, heartbeats, presence, and a prompt stop with streams open."""

from __future__ import annotations

import signal
from dataclasses import dataclass

import httpx
import pytest

from tests.chat.api.sse import open_events
from tests.chat.live import base_url, register_and_log_in
from tests.conftest import ServiceProcess, StartService

PASSWORD = "password-for-events"
FAST = {"NETSANDBOX_CHAT_HEARTBEAT": "0.2", "NETSANDBOX_CHAT_PRESENCE_GRACE": "0.5"}


@dataclass
class Person:
    id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def chat(start_service: StartService) -> ServiceProcess:
    return start_service("chat", "--registration", "open", "--rate-limit", "off", env=FAST)


@pytest.fixture
def api(chat: ServiceProcess):
    with httpx.Client(base_url=base_url(chat), timeout=10) as http:
        yield http


def join(chat: ServiceProcess, api: httpx.Client, username: str) -> Person:
    token = register_and_log_in(chat, username, PASSWORD)
    me = api.get("/api/users/me", headers={"Authorization": f"Bearer {token}"}).json()
    return Person(me["id"], token)


def test_a_status_change_and_a_message_arrive_live(chat, api) -> None:
    ada, bob = join(chat, api, "ada"), join(chat, api, "bob")
    with open_events(base_url(chat), bob.token) as bobs:
        api.patch("/api/users/me", json={"status": "Lunch"}, headers=ada.headers)
        status, _ = bobs.until("user.status", id=ada.id)
        assert status.data["status"] == "Lunch" and status.data["username"] == "ada"
        sent = api.post("/api/messages", json={"to": bob.id, "body": "hi"}, headers=ada.headers)
        message, _ = bobs.until("message.created")
        assert message.data == sent.json()
        assert message.id is not None and status.id is not None and message.id > status.id


def test_others_messages_are_not_delivered(chat, api) -> None:
    ada, bob, eve = (join(chat, api, name) for name in ("ada", "bob", "eve"))
    with open_events(base_url(chat), eve.token) as eves:
        api.post("/api/messages", json={"to": bob.id, "body": "secret"}, headers=ada.headers)
        api.patch("/api/users/me", json={"status": "after the message"}, headers=ada.headers)
        _, before = eves.until("user.status", id=ada.id)
        assert [e for e in before if e.type.startswith("message.")] == []


def test_the_sender_sessions_get_their_message_and_its_read_mark(chat, api) -> None:
    ada, bob = join(chat, api, "ada"), join(chat, api, "bob")
    with open_events(base_url(chat), ada.token) as adas:
        sent = api.post("/api/messages", json={"to": bob.id, "body": "hi"}, headers=ada.headers)
        created, _ = adas.until("message.created")
        assert created.data["id"] == sent.json()["id"]
        api.post(f"/api/messages/{sent.json()['id']}/read", headers=bob.headers)
        read, _ = adas.until("message.read")
        assert read.data["id"] == sent.json()["id"] and read.data["read_at"] is not None


def test_a_reconnect_with_last_event_id_gets_what_it_missed(chat, api) -> None:
    ada, bob = join(chat, api, "ada"), join(chat, api, "bob")
    with open_events(base_url(chat), bob.token) as bobs:
        api.patch("/api/users/me", json={"status": "here"}, headers=ada.headers)
        last, _ = bobs.until("user.status", id=ada.id)
    for body in ("one", "two"):
        api.post("/api/messages", json={"to": bob.id, "body": body}, headers=ada.headers)
    with open_events(base_url(chat), bob.token, last_event_id=last.id) as again:
        first, _ = again.until("message.created")
        second, _ = again.until("message.created")
        assert [first.data["body"], second.data["body"]] == ["one", "two"]
    with open_events(base_url(chat), bob.token, last_event_id=1) as too_old:
        reset = too_old.next()
        assert reset is not None and reset.type == "reset"


def test_a_sixth_stream_closes_the_oldest(chat, api) -> None:
    bob = join(chat, api, "bob")
    with open_events(base_url(chat), bob.token) as oldest:
        streams = [open_events(base_url(chat), bob.token) for _ in range(5)]
        for stream in streams:
            stream.__enter__()
        try:
            closed, _ = oldest.until("closed")
            assert closed.data == {"reason": "too_many_streams"}
            assert oldest.next() is None  # and the stream ends
        finally:
            for stream in streams:
                stream.__exit__(None, None, None)


def test_heartbeats_come_while_nothing_happens(chat, api) -> None:
    bob = join(chat, api, "bob")
    with open_events(base_url(chat), bob.token) as bobs:
        lines = bobs.response.iter_lines()
        assert next(lines) == "retry: 2000"
        assert ": heartbeat" in [next(lines) for _ in range(4)]


def test_no_token_is_an_ordinary_401(api) -> None:
    response = api.get("/api/events")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_token"


def test_presence_follows_the_open_streams(chat, api) -> None:
    ada = join(chat, api, "ada")
    with open_events(base_url(chat), ada.token) as adas:
        bob = join(chat, api, "bob")
        adas.until("user.presence", id=bob.id, presence="online")  # his requests
        adas.until("user.presence", id=bob.id, presence="offline")  # then nothing
        assert api.get(f"/api/users/{bob.id}", headers=ada.headers).json()["presence"] == "offline"
        with open_events(base_url(chat), bob.token):
            adas.until("user.presence", id=bob.id, presence="online")
            users = api.get("/api/users", headers=ada.headers).json()["items"]
            assert {u["id"]: u["presence"] for u in users}[bob.id] == "online"
        adas.until("user.presence", id=bob.id, presence="offline")
        assert api.get(f"/api/users/{bob.id}", headers=ada.headers).json()["presence"] == "offline"


def test_sigterm_closes_open_streams_and_exits_within_5_seconds(chat, api) -> None:
    bob = join(chat, api, "bob")
    with (
        open_events(base_url(chat), bob.token) as first,
        open_events(base_url(chat), bob.token) as second,
    ):
        chat.process.send_signal(signal.SIGTERM)
        for stream in (first, second):
            closed, _ = stream.until("closed")
            assert closed.data == {"reason": "shutdown"}
        assert chat.process.wait(timeout=5) == 0


def test_marking_a_conversation_read_sends_each_read_mark(chat, api) -> None:
    ada, bob = join(chat, api, "ada"), join(chat, api, "bob")
    sent = [
        api.post("/api/messages", json={"to": bob.id, "body": b}, headers=ada.headers).json()
        for b in ("one", "two")
    ]
    with open_events(base_url(chat), ada.token) as adas:
        api.post(f"/api/conversations/{ada.id}/read", headers=bob.headers).raise_for_status()
        first, _ = adas.until("message.read")
        second, _ = adas.until("message.read")
        assert [first.data["id"], second.data["id"]] == [m["id"] for m in sent]
