"""Responses handed over to the app (core/http/push.py), over real sockets: the body written
directly is framed and ended as HTTP/1.1 wants, the connection serves the next request or
closes as asked, the app hears when the client leaves, and one access-log line is written.

The tiny app's ``GET /pushed`` sends ``part 0`` through ``send()``, then writes the other
parts straight to the connection from timer callbacks after its task has returned.
"""

from __future__ import annotations

import socket
import time

from tests.conftest import ServiceProcess
from tests.core.test_http_runner import StartTiny, access_lines, start_tiny  # noqa: F401

PARTS = b"part 0\npart 1\npart 2\n"


def read_chunked(sock: socket.socket) -> tuple[bytes, bytes]:
    """One response with a chunked body: its head, and its body once the last chunk came."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += receive(sock)
    head, _, rest = data.partition(b"\r\n\r\n")
    body = b""
    while True:
        while b"\r\n" not in rest:
            rest += receive(sock)
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line, 16)
        while len(rest) < size + 2:
            rest += receive(sock)
        assert rest[size : size + 2] == b"\r\n", rest
        if size == 0:
            assert rest == b"\r\n", f"bytes after the last chunk: {rest!r}"
            return head, body
        body, rest = body + rest[:size], rest[size + 2 :]


def receive(sock: socket.socket) -> bytes:
    data = sock.recv(65536)
    assert data, "the server closed the connection in the middle of a response"
    return data


def closed_by_server(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def wait_for_log(service: ServiceProcess, text: str) -> str:
    deadline = time.monotonic() + 5
    while text not in (log := service.log_text()):
        assert time.monotonic() < deadline, f"{text!r} never logged:\n{log}"
        time.sleep(0.02)
    return log


def test_a_handed_over_response_is_framed_ended_and_the_connection_reused(
    start_tiny: StartTiny,  # noqa: F811
) -> None:
    tiny = start_tiny()
    with socket.create_connection(tiny.address, timeout=5) as sock:
        sock.sendall(b"GET /pushed HTTP/1.1\r\nHost: x\r\n\r\n")
        head, body = read_chunked(sock)
        assert head.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"transfer-encoding: chunked" in head.lower()
        assert body == PARTS
        sock.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")  # the same connection
        reply = sock.recv(65536)
    assert reply.startswith(b"HTTP/1.1 200 OK\r\n") and reply.endswith(b'{"hello":"world"}')
    lines = access_lines(tiny)
    [line] = [line for line in lines if "/pushed" in line]
    assert '"GET /pushed" 200 ' in line
    assert "ASGI callable" not in tiny.log_text()  # uvicorn saw nothing amiss


def test_connection_close_is_honoured_after_the_last_chunk(start_tiny: StartTiny) -> None:  # noqa: F811
    tiny = start_tiny()
    with socket.create_connection(tiny.address, timeout=5) as sock:
        sock.sendall(b"GET /pushed HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        _, body = read_chunked(sock)
        assert body == PARTS
        assert closed_by_server(sock)


def test_a_request_sent_during_the_response_ends_the_connection_after_it(
    start_tiny: StartTiny,  # noqa: F811
) -> None:
    tiny = start_tiny()
    with socket.create_connection(tiny.address, timeout=5) as sock:
        sock.sendall(b"GET /pushed?interval=0.2 HTTP/1.1\r\nHost: x\r\n\r\n")
        assert receive(sock).startswith(b"HTTP/1.1 200 OK\r\n")
        sock.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")  # behind an open response
        rest = b""
        while not rest.endswith(b"\r\n0\r\n\r\n"):  # the last chunk
            rest += receive(sock)
        assert closed_by_server(sock)
        assert b"part 2\n" in rest and b"hello" not in rest


def test_the_app_hears_when_the_client_leaves(start_tiny: StartTiny) -> None:  # noqa: F811
    tiny = start_tiny()
    with socket.create_connection(tiny.address, timeout=5) as sock:
        sock.sendall(b"GET /pushed?parts=100&interval=0.05 HTTP/1.1\r\nHost: x\r\n\r\n")
        assert receive(sock).startswith(b"HTTP/1.1 200 OK\r\n")
    wait_for_log(tiny, "pushed response lost")
    [line] = [line for line in access_lines(tiny) if "/pushed" in line]
    assert line.endswith("(the client left during the response)")
