"""The echo service as an ordinary HTTP/1.1 server: raw sockets, http.client, httpx, body cap."""

from __future__ import annotations

import http.client
import json
import socket

import httpx
import requests

from tests.conftest import ServiceProcess

MAX_BODY_BYTES = 1024 * 1024


def read_response(sock: socket.socket) -> bytes:
    """Read until the server closes the connection."""
    chunks = []
    while chunk := sock.recv(4096):
        chunks.append(chunk)
    return b"".join(chunks)


def test_request_typed_by_hand_over_a_socket(echo: ServiceProcess) -> None:
    with socket.create_connection(echo.address, timeout=5) as sock:
        sock.sendall(b"GET /get?a=10 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        response = read_response(sock)
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"content-type: application/json" in head.lower()
    echoed = json.loads(body)
    assert echoed["args"] == {"a": "10"}
    assert echoed["headers"] == {"Connection": "close", "Host": "x"}
    assert echoed["url"] == "http://x/get?a=10"


def test_issue_example_request_gets_an_answer(echo: ServiceProcess) -> None:
    with socket.create_connection(echo.address, timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(5)
        first = sock.recv(65536)
    assert first.startswith(b"HTTP/1.1 200 OK\r\n")


def test_http_client_get_and_post(echo: ServiceProcess) -> None:
    connection = http.client.HTTPConnection(echo.host, echo.port, timeout=5)
    try:
        connection.request("GET", "/get?a=10&b=100")
        response = connection.getresponse()
        assert (response.status, response.reason) == (200, "OK")
        assert json.loads(response.read())["args"] == {"a": "10", "b": "100"}
        body = "name=Ada&mail=ada%40example.org"
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", "/post", body=body, headers=headers)
        response = connection.getresponse()
        assert json.loads(response.read())["form"] == {"name": "Ada", "mail": "ada@example.org"}
    finally:
        connection.close()


def test_httpx_client(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=5) as client:
        body = client.put("/put", json={"done": True}).json()
    assert body["json"] == {"done": True}
    assert body["headers"]["User-Agent"].startswith("python-httpx/")


def test_chunked_body_is_echoed(base_url: str) -> None:
    def parts():
        yield b'{"streamed": '
        yield b"true}"

    body = requests.post(f"{base_url}/post", data=parts(), timeout=5).json()
    assert body["headers"]["Transfer-Encoding"] == "chunked"
    assert body["json"] == {"streamed": True}


def test_body_up_to_the_cap_is_echoed(base_url: str) -> None:
    data = b"a" * MAX_BODY_BYTES
    out = requests.post(f"{base_url}/post", data=data, timeout=10)
    assert out.status_code == 200
    assert len(out.json()["data"]) == MAX_BODY_BYTES


def test_body_over_the_cap_is_a_json_413(base_url: str) -> None:
    out = requests.post(f"{base_url}/post", data=b"a" * (MAX_BODY_BYTES + 1), timeout=10)
    assert out.status_code == 413
    assert out.json()["error"]["code"] == "body_too_large"
