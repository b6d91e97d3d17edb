"""The course's calls to the random API, and the other ways students talk HTTP, all work."""

from __future__ import annotations

import http.client
import socket

import httpx
import requests

from tests.conftest import ServiceProcess


def test_the_notebook_calls(base: str) -> None:
    one_int = requests.get(base + "/api/random/int").json()
    assert isinstance(one_int, list) and len(one_int) == 1
    assert isinstance(one_int[0], int) and 0 <= one_int[0] < 100

    one_float = requests.get(base + "/api/random/float").json()
    assert len(one_float) == 1
    assert isinstance(one_float[0], float) and 0 <= one_float[0] < 1

    twenty = requests.get(base + "/api/random/int?n=20").json()
    assert len(twenty) == 20
    assert all(isinstance(x, int) and 0 <= x < 100 for x in twenty)
    assert requests.get(base + "/api/random/int?n=20").json() != twenty  # fresh each time


def test_answers_are_json_with_a_length(base: str) -> None:
    response = requests.get(base + "/api/random/int?n=3")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert int(response.headers["Content-Length"]) == len(response.content)


def test_request_typed_by_hand_over_a_raw_socket(random_api: ServiceProcess) -> None:
    with socket.create_connection(random_api.address, timeout=5) as client:
        client.send(b"GET / HTTP/1.1\r\nHost:%s\r\n\r\n" % random_api.host.encode())
        response = client.recv(100 * 4096)
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"content-type: text/html" in head.lower()
    assert b"/api/random/int" in body and b'href="/docs"' in body


def test_raw_socket_api_call(random_api: ServiceProcess) -> None:
    with socket.create_connection(random_api.address, timeout=5) as client:
        client.sendall(b"GET /api/random/int?n=4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := client.recv(4096):
            chunks.append(chunk)
    body = b"".join(chunks).partition(b"\r\n\r\n")[2]
    assert body.startswith(b"[") and body.count(b",") == 3


def test_http_client(random_api: ServiceProcess) -> None:
    connection = http.client.HTTPConnection(random_api.host, random_api.port, timeout=5)
    connection.request("GET", "/api/random/float?n=2")
    response = connection.getresponse()
    assert (response.status, response.reason) == (200, "OK")
    assert response.read().startswith(b"[")
    connection.request("GET", "/")  # same connection: keep-alive
    assert connection.getresponse().status == 200
    connection.close()


def test_httpx(base: str) -> None:
    with httpx.Client(base_url=base, timeout=5) as client:
        assert len(client.get("/api/random/int", params={"n": 7}).json()) == 7
        assert client.get("/api/random/nothing").status_code == 404


def test_head_and_other_methods(base: str) -> None:
    head = requests.head(base + "/api/random/int")
    assert head.status_code == 200 and head.content == b""
    post = requests.post(base + "/api/random/int")
    assert post.status_code == 405
    assert post.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in post.headers["Allow"]


def test_unknown_path_is_a_json_404(base: str) -> None:
    response = requests.get(base + "/api/random/integer")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "/api/random/integer" in error["message"]
