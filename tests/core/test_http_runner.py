"""The shared HTTP runner, hardened where uvicorn's defaults are weak, tested over real sockets.

Each test serves the tiny app of ``tests/core/tiny_http_app.py`` through ``run_http_service``
in its own process, and talks to it the way a client (or an attacker) would.
"""

from __future__ import annotations

import json
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, ServiceProcess, launch, wait_for_ready

StartTiny = Callable[..., ServiceProcess]


def starter(folder: Path) -> tuple[StartTiny, list[ServiceProcess]]:
    started: list[ServiceProcess] = []

    def start(*args: str) -> ServiceProcess:
        log = folder / f"tiny-{len(started)}.log"
        command = [sys.executable, "-m", "tests.core.tiny_http_app", *args]
        process = launch(command, log, cwd=ROOT)
        host, port = wait_for_ready(process, log).group(2, 3)
        service = ServiceProcess("tiny", host, int(port), process, log, folder)
        started.append(service)
        return service

    return start, started


def kill_all(started: list[ServiceProcess]) -> None:
    for service in started:
        if service.process.poll() is None:
            service.process.kill()
            service.process.wait()


@pytest.fixture
def start_tiny(tmp_path: Path) -> Iterator[StartTiny]:
    """Start a tiny app of its own with extra runner flags (tests that stop or load it)."""
    start, started = starter(tmp_path)
    yield start
    kill_all(started)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    """One tiny app shared by the tests that only talk to it (idle timeout 2 s)."""
    start, started = starter(tmp_path_factory.mktemp("tiny"))
    yield start("--idle-timeout", "2")
    kill_all(started)


def url(service: ServiceProcess, path: str) -> str:
    return f"http://{service.host}:{service.port}{path}"


def exchange(service: ServiceProcess, data: bytes, timeout: float = 5) -> bytes:
    """Send raw bytes, then read until the server closes (or ``timeout``)."""
    with socket.create_connection(service.address, timeout=timeout) as sock:
        sock.sendall(data)
        return read_until_closed(sock)


def read_until_closed(sock: socket.socket) -> bytes:
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except (ConnectionResetError, TimeoutError):
        pass
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def error_of(response: bytes) -> dict:
    return json.loads(response.partition(b"\r\n\r\n")[2])["error"]


def access_lines(service: ServiceProcess) -> list[str]:
    """The access-log lines, once the line of a final marker request is written.

    Access lines are written in batches; asking for a fresh marker and waiting for its line
    proves that every earlier request's line is in the log too.
    """
    marker = f"/marker-{uuid.uuid4().hex}"
    requests.get(url(service, marker), timeout=5)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [line for line in service.log_text().splitlines() if ".access" in line]
        if any(marker in line for line in lines):
            return lines
        time.sleep(0.02)
    raise AssertionError(f"no access line for {marker}:\n{service.log_text()}")


def test_serves_and_logs_one_line_per_request(start_tiny: StartTiny) -> None:
    tiny = start_tiny()
    assert requests.get(url(tiny, "/hello"), timeout=5).json() == {"hello": "world"}
    lines = access_lines(tiny)
    assert len(lines) == 2
    assert '"GET /hello" 200' in lines[0]
    assert "127.0.0.1:" in lines[0]
    assert lines[0].endswith("ms")


def test_request_typed_by_hand_over_a_raw_socket(tiny: ServiceProcess) -> None:
    with socket.create_connection(tiny.address, timeout=5) as sock:
        sock.sendall(b"GET /hello HTTP/1.1\r\nHost:x\r\n\r\n")  # no space, as the course types it
        reply = sock.recv(100 * 4096)
    assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
    assert reply.endswith(b'{"hello":"world"}')


AMBIGUOUS = b"POST /size?ambiguous HTTP/1.1\r\nHost: x\r\n"
SMUGGLING = {
    "content-length then transfer-encoding": (
        AMBIGUOUS + b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG"
    ),
    "transfer-encoding then content-length": (
        AMBIGUOUS + b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\nG"
    ),
    "two different content-lengths": (
        AMBIGUOUS + b"Content-Length: 0\r\nContent-Length: 44\r\n\r\n"
    ),
    "transfer-encoding with a space before the colon": (
        AMBIGUOUS + b"Transfer-Encoding : chunked\r\nContent-Length: 4\r\n\r\n"
    ),
}


@pytest.mark.parametrize("head", SMUGGLING.values(), ids=SMUGGLING.keys())
def test_ambiguous_length_is_400_and_nothing_is_smuggled(
    tiny: ServiceProcess, head: bytes
) -> None:
    smuggled = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
    reply = exchange(tiny, head + smuggled)
    assert reply.count(b"HTTP/1.1 ") == 1
    assert status_of(reply) == 400
    assert error_of(reply)["code"] == "bad_request"
    # Neither the ambiguous request nor the one behind it reached the app.
    assert not any("/smuggled" in line or "ambiguous" in line for line in access_lines(tiny))


def test_one_mebibyte_header_is_431(tiny: ServiceProcess) -> None:
    response = requests.get(url(tiny, "/hello"), headers={"X-Big": "a" * 2**20}, timeout=10)
    assert response.status_code == 431
    assert response.json()["error"]["code"] == "headers_too_large"


def test_headers_just_under_16_kib_are_fine(tiny: ServiceProcess) -> None:
    response = requests.get(url(tiny, "/hello"), headers={"X-Big": "a" * 15_000}, timeout=5)
    assert response.status_code == 200


def test_many_small_headers_add_up_to_431(tiny: ServiceProcess) -> None:
    headers = {f"X-H{i}": "v" * 40 for i in range(500)}
    assert requests.get(url(tiny, "/hello"), headers=headers, timeout=5).status_code == 431


def test_oversized_body_is_413_before_it_is_sent(tiny: ServiceProcess) -> None:
    # Only the head goes out: the answer comes without waiting for the 10 MB announced.
    reply = exchange(tiny, b"POST /size HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
    assert status_of(reply) == 413
    assert error_of(reply)["code"] == "body_too_large"


def test_body_cap_applies_to_requests_and_chunked_uploads(start_tiny: StartTiny) -> None:
    tiny = start_tiny("--max-body-bytes", "1000")
    assert requests.post(url(tiny, "/size"), data=b"x" * 1000, timeout=5).json() == {"size": 1000}
    assert requests.post(url(tiny, "/size"), data=b"x" * 1001, timeout=5).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: requests sends it chunked
        for _ in range(20):
            yield b"y" * 100

    response = requests.post(url(tiny, "/size"), data=chunks(), timeout=5)
    assert response.status_code == 413
    assert "1000 bytes" in response.json()["error"]["message"]


def test_default_api_body_cap_is_64_kib(tiny: ServiceProcess) -> None:
    ok = requests.post(url(tiny, "/size"), data=b"x" * 65536, timeout=5)
    assert ok.json() == {"size": 65536}
    assert requests.post(url(tiny, "/size"), data=b"x" * 65537, timeout=5).status_code == 413


def test_silent_connections_do_not_hold_up_new_clients_and_close_at_deadline(
    start_tiny: StartTiny,
) -> None:
    tiny = start_tiny("--idle-timeout", "2")
    first_opened = time.monotonic()
    silent = [socket.create_connection(tiny.address, timeout=10) for _ in range(500)]
    last_opened = time.monotonic()
    try:
        for _ in range(3):
            started = time.monotonic()
            assert requests.get(url(tiny, "/hello"), timeout=5).status_code == 200
            assert time.monotonic() - started < 0.1
        closed_at = wait_all_closed(silent, timeout=10)
    finally:
        for sock in silent:
            sock.close()
    assert len(closed_at) == 500
    assert min(closed_at) - first_opened >= 1.9  # none before its 2 s deadline
    assert max(closed_at) - last_opened <= 3.5  # and all soon after it


def wait_all_closed(socks: list[socket.socket], timeout: float) -> list[float]:
    """When (``time.monotonic()``) each socket was closed by the server (EOF or reset)."""
    started = time.monotonic()
    closed: list[float] = []
    with selectors.DefaultSelector() as selector:
        for sock in socks:
            selector.register(sock, selectors.EVENT_READ)
        while len(closed) < len(socks) and time.monotonic() - started < timeout:
            for key, _ in selector.select(timeout=0.5):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    data = sock.recv(1024)
                except ConnectionResetError:
                    data = b""
                assert data == b""  # closed without a word: it never asked anything
                selector.unregister(sock)
                closed.append(time.monotonic())
    return closed


def test_dripping_client_gets_408_at_its_deadline(start_tiny: StartTiny) -> None:
    tiny = start_tiny("--idle-timeout", "1.5")
    request = b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(tiny.address, timeout=10) as sock:
        started = time.monotonic()
        reply = b""
        for byte in request[:-1]:  # one byte every 0.2 s: never complete in time
            try:
                sock.send(bytes([byte]))
            except OSError:
                break
            if select_readable(sock, 0.2):
                reply = read_until_closed(sock)
                break
        waited = time.monotonic() - started
    assert status_of(reply) == 408
    assert error_of(reply)["code"] == "request_timeout"
    assert 1.4 <= waited <= 3


def select_readable(sock: socket.socket, timeout: float) -> bool:
    with selectors.DefaultSelector() as selector:
        selector.register(sock, selectors.EVENT_READ)
        return bool(selector.select(timeout))


def test_keep_alive_connection_serves_several_requests(tiny: ServiceProcess) -> None:
    with requests.Session() as session:
        for _ in range(3):
            assert session.get(url(tiny, "/hello"), timeout=5).status_code == 200


def test_sigterm_lets_a_slow_request_finish_then_exits(start_tiny: StartTiny) -> None:
    tiny = start_tiny()
    result: dict[str, object] = {}

    def slow_request() -> None:
        result["response"] = requests.get(url(tiny, "/slow?seconds=1.5"), timeout=10)

    client = threading.Thread(target=slow_request)
    client.start()
    wait_for_log(tiny, "slow request started")
    started = time.monotonic()
    tiny.process.send_signal(signal.SIGTERM)
    assert tiny.process.wait(5) == 0
    client.join(5)
    assert time.monotonic() - started < 5
    response = result["response"]
    assert isinstance(response, requests.Response)
    assert response.json() == {"slept": 1.5}
    assert "tiny stopped" in tiny.log_text()


def test_shutdown_timeout_bounds_the_wait_for_slow_requests(start_tiny: StartTiny) -> None:
    tiny = start_tiny("--shutdown-timeout", "1")
    client = threading.Thread(
        target=lambda: requests.get(url(tiny, "/slow?seconds=30"), timeout=10), daemon=True
    )
    client.start()
    wait_for_log(tiny, "slow request started")
    started = time.monotonic()
    tiny.process.send_signal(signal.SIGTERM)
    assert tiny.process.wait(5) == 0
    assert time.monotonic() - started < 3


def wait_for_log(service: ServiceProcess, text: str, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while text not in service.log_text():
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not logged:\n{service.log_text()}")
        time.sleep(0.01)


def test_crash_is_a_json_500_without_the_traceback(tiny: ServiceProcess) -> None:
    response = requests.get(url(tiny, "/crash"), timeout=5)
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text
    wait_for_log(tiny, "RuntimeError: secret internal detail")  # the server log has it


def test_errors_are_json_in_the_common_shape(tiny: ServiceProcess) -> None:
    missing = requests.get(url(tiny, "/nothing"), timeout=5)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong_method = requests.delete(url(tiny, "/hello"), timeout=5)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["Allow"] == "GET"
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"
    invalid = requests.get(url(tiny, "/slow?seconds=99"), timeout=5)
    assert invalid.status_code == 422
    error = invalid.json()["error"]
    assert (error["code"], error["parameter"], error["rule"]) == (
        "invalid_parameter", "seconds", "less_than_equal",
    )  # fmt: skip
    assert "30" in error["message"]


def test_proxy_headers_are_ignored_unless_trusted(tiny: ServiceProcess) -> None:
    # The tiny app has no /ip; the access log shows which client address the app saw.
    requests.get(url(tiny, "/hello?who"), headers={"X-Forwarded-For": "6.6.6.6"}, timeout=5)
    lines = access_lines(tiny)
    assert any("127.0.0.1:" in line and "/hello?who" in line for line in lines)
    assert not any("6.6.6.6" in line for line in lines)


def test_proxy_headers_are_believed_from_a_trusted_proxy(start_tiny: StartTiny) -> None:
    tiny = start_tiny("--forwarded-allow-ips", "127.0.0.1")
    requests.get(url(tiny, "/hello?who"), headers={"X-Forwarded-For": "6.6.6.6"}, timeout=5)
    assert any("6.6.6.6" in line and "/hello?who" in line for line in access_lines(tiny))


def test_port_in_use_is_a_clear_error(tiny: ServiceProcess) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.core.tiny_http_app", "--port", str(tiny.port)],
        capture_output=True, text=True, timeout=20, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{tiny.port} for tiny" in result.stderr
