"""The hello service over real sockets, as the course's clients and nc talk to it."""

from __future__ import annotations

import socket
import time

import pytest

from tests.conftest import ServiceProcess


def recv_all(sock: socket.socket) -> bytes:
    """Read until the server closes, 1024 bytes at a time, like the course's client."""
    chunks = []
    while chunk := sock.recv(1024):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def hello(start_service) -> ServiceProcess:
    return start_service("hello", "--idle-timeout", "2")


def test_notebook_client_gets_prefixed_reply(hello: ServiceProcess) -> None:
    with socket.create_connection(hello.address, timeout=5) as s:
        assert s.send(b"Hello server") == 12
        reply = recv_all(s)
    assert reply.decode() == "data received by the server: Hello server\n"


def test_nc_style_line_is_echoed_once(hello: ServiceProcess) -> None:
    with socket.create_connection(hello.address, timeout=5) as s:
        s.sendall(b"bonjour\n")
        assert recv_all(s) == b"data received by the server: bonjour\n"


def test_line_based_client_reads_one_line(hello: ServiceProcess) -> None:
    with socket.create_connection(hello.address, timeout=5) as s:
        s.sendall(b"ping")
        line = s.makefile("rb").readline()
    assert line == b"data received by the server: ping\n"


def test_utf8_and_undecodable_bytes(hello: ServiceProcess) -> None:
    with socket.create_connection(hello.address, timeout=5) as s:
        s.sendall("héllo ✓".encode() + b"\xff\xfe")
        reply = recv_all(s).decode("utf-8")
    assert reply == "data received by the server: héllo ✓\ufffd\ufffd\n"


def test_reply_is_capped_at_64_kib(hello: ServiceProcess) -> None:
    with socket.create_connection(hello.address, timeout=5) as s:
        s.sendall(b"x" * (200 * 1024))
        reply = recv_all(s)
    prefix = b"data received by the server: "
    assert reply.startswith(prefix)
    assert len(reply) <= len(prefix) + 64 * 1024 + 1


def test_empty_message_then_eof_gets_a_reply(hello: ServiceProcess) -> None:
    with socket.create_connection(hello.address, timeout=5) as s:
        s.shutdown(socket.SHUT_WR)
        assert recv_all(s) == b"data received by the server: \n"


def test_silent_client_is_dropped_at_deadline_without_blocking_others(
    hello: ServiceProcess,
) -> None:
    silent = socket.create_connection(hello.address, timeout=10)
    started = time.monotonic()
    with socket.create_connection(hello.address, timeout=5) as s:
        s.sendall(b"still served")
        assert recv_all(s).startswith(b"data received by the server: still served")
    assert time.monotonic() - started < 1
    silent.settimeout(10)
    try:
        data = recv_all(silent)
    except ConnectionResetError:
        data = b""
    waited = time.monotonic() - started
    silent.close()
    assert data == b""
    assert 1.5 <= waited <= 5


def test_access_log_has_one_line_per_request(hello: ServiceProcess) -> None:
    for word in (b"one", b"two"):
        with socket.create_connection(hello.address, timeout=5) as s:
            s.sendall(word)
            recv_all(s)
    time.sleep(0.2)
    lines = [line for line in hello.log_text().splitlines() if "hello.access" in line]
    assert len(lines) == 2
    assert "'one' ok" in lines[0]
    assert "127.0.0.1:" in lines[0]
    assert lines[0].endswith("ms")
