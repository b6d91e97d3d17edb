"""Whatever a student sends, the contacts server answers status false and keeps serving."""

from __future__ import annotations

import json
import pickle
import select
import socket
import time
from pathlib import Path

import pytest

from netsandbox.contacts.store import EXAMPLES
from tests.conftest import ServiceProcess, StartService
from tests.contacts.talk import notebook_command, recv_all, send_json


class CreatesFileWhenUnpickled:
    """Unpickling this opens (creates) a file: proof that the server unpickled it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.path), "w"))


BAD_REQUESTS = {
    "plain text": (b"hello server\n", "not_a_json_object"),
    "JSON array": (b'["list"]', "not_a_json_object"),
    "JSON string": (b'"list"', "not_a_json_object"),
    "binary": (bytes(range(256)), "not_a_json_object"),
    "pickled dict": (pickle.dumps({"cmd": "list", "args": {}}), "pickle_not_accepted"),
    "invalid UTF-8": (b'{"cmd": "list", "args": {"x": "\xff\xfe"}}', "invalid_utf8"),
    "5,000-digit number": (b'{"cmd": "list", "n": ' + b"7" * 5000 + b"}", "invalid_json"),
    "100,000-deep nesting": (b'{"cmd": "list", "args": ' + b"[" * 100_000, "too_deep"),
    "100,000-deep objects": (b'{"a": ' * 100_000, "too_deep"),
    "NaN": (b'{"cmd": "list", "args": {"x": NaN}}', "invalid_json"),
    "Infinity": (b'{"cmd": "list", "args": {"x": Infinity}}', "invalid_json"),
    "two objects back to back": (b'{"cmd": "list"}{"cmd": "list"}', "one_object_per_connection"),
    "Python repr": (str({"cmd": "list"}).encode(), "invalid_json"),
    "unknown command": (b'{"cmd": "delete_all"}', "unknown_command"),
    "no cmd": (b'{"args": {}}', "invalid_request"),
    "args not an object": (b'{"cmd": "get", "args": ["Zoe"]}', "invalid_request"),
    "missing argument": (b'{"cmd": "add", "args": {"name": "Zoe"}}', "missing_argument"),
    "unknown argument": (b'{"cmd": "get", "args": {"nom": "Zoe"}}', "unknown_argument"),
    "wrong type": (b'{"cmd": "get", "args": {"name": 42}}', "invalid_argument"),
    "lone surrogate": (
        b'{"cmd": "add", "args": {"name": "\\udc80", "mail": "z@x.org"}}',
        "invalid_argument",
    ),
    "invalid mail": (b'{"cmd": "add", "args": {"name": "Z", "mail": "z"}}', "invalid_argument"),
    "over 64 KiB": (
        b'{"cmd": "add", "args": {"name": "x", "mail": "' + b"a" * 70_000,
        "request_too_large",
    ),
}


@pytest.mark.parametrize("payload, code", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_bad_request_gets_a_clear_error(
    shared_contacts: ServiceProcess, payload: bytes, code: str
) -> None:
    reply = send_json(shared_contacts.address, payload)
    assert reply["status"] is False
    assert reply["data"] is None
    assert reply["error"]["code"] == code
    assert reply["error"]["message"] == reply["msg"]
    assert len(reply["msg"]) > 20
    assert notebook_command(shared_contacts.address, "list")["data"] == EXAMPLES


def test_pickled_object_is_never_unpickled(shared_contacts: ServiceProcess, tmp_path) -> None:
    marker = tmp_path / "unpickled"
    payload = pickle.dumps(CreatesFileWhenUnpickled(marker))
    reply = send_json(shared_contacts.address, payload)
    assert reply["error"]["code"] == "pickle_not_accepted"
    assert "only accepts JSON, never pickle" in reply["msg"]
    assert not marker.exists()


@pytest.fixture
def impatient(start_service: StartService) -> ServiceProcess:
    """A server that gives each request 1 s."""
    return start_service("contacts", "--idle-timeout", "1")


def test_incomplete_request_is_answered_at_the_deadline(impatient: ServiceProcess) -> None:
    started = time.monotonic()
    with socket.create_connection(impatient.address, timeout=10) as sock:
        sock.sendall(b'{"cmd": "li')
        reply = json.loads(recv_all(sock))
    assert 0.8 <= time.monotonic() - started < 4
    assert reply["error"]["code"] == "incomplete_request"
    assert "still incomplete 1 s after connecting" in reply["msg"]
    assert "received 11 bytes" in reply["msg"]
    assert "still missing" in reply["msg"]


def test_silent_client_is_told_at_the_deadline(impatient: ServiceProcess) -> None:
    with socket.create_connection(impatient.address, timeout=10) as sock:
        reply = json.loads(recv_all(sock))
    assert reply["error"]["code"] == "incomplete_request"
    assert "nothing arrived 1 s after connecting" in reply["msg"]


def test_client_dripping_a_byte_a_second_is_cut_at_its_deadline(
    start_service: StartService,
) -> None:
    server = start_service("contacts", "--idle-timeout", "2")
    request = b'{"cmd": "list", "args": {}}'
    started = time.monotonic()
    with socket.create_connection(server.address, timeout=10) as sock:
        sent = 0
        while sent < len(request):
            sock.sendall(request[sent : sent + 1])
            sent += 1
            answered, _, _ = select.select([sock], [], [], 1.0)  # a byte a second, until answered
            if answered:
                break
        reply = json.loads(recv_all(sock))
    assert 1.5 <= time.monotonic() - started < 5
    assert sent < len(request)
    assert reply["error"]["code"] == "incomplete_request"
    assert "2 s after connecting" in reply["msg"]


def test_200_idle_connections_do_not_hold_up_a_new_client(
    shared_contacts: ServiceProcess,
) -> None:
    idle = [socket.create_connection(shared_contacts.address, timeout=10) for _ in range(200)]
    try:
        for sock in idle[::2]:
            sock.sendall(b'{"cmd": "list", "args": ')  # half a request, never finished
        started = time.monotonic()
        reply = notebook_command(shared_contacts.address, "list")
        assert time.monotonic() - started < 1
        assert reply["data"] == EXAMPLES
    finally:
        for sock in idle:
            sock.close()
