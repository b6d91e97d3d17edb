"""The HTTP error shape and the shared app pieces, in process (no server, no socket)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from netsandbox.core.http import HttpError, configure_app, install_index, invalid_parameter
from netsandbox.core.http.error_shape import error_code, error_json
from netsandbox.core.http.exchange import Exchange
from netsandbox.core.http.fast_lane import JsonEndpoint, with_fast_lane
from netsandbox.core.http.index import wants_json
from netsandbox.core.http.protocol import error_response


def test_error_codes_are_stable_words() -> None:
    assert error_code(404) == "not_found"
    assert error_code(413) == "body_too_large"
    assert error_code(431) == "headers_too_large"
    assert error_code(501) == "not_implemented"  # others follow the reason phrase
    assert error_code(599) == "error"


def test_raw_error_response_is_complete_http() -> None:
    raw = error_response(431, "Too big.", [(b"server", b"netsandbox")])
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert b"connection: close" in head and b"server: netsandbox" in head
    assert f"content-length: {len(body)}".encode() in head
    assert json.loads(body) == {"error": {"code": "headers_too_large", "message": "Too big."}}
    assert body == error_json(431, "Too big.")


def test_invalid_parameter_body() -> None:
    error = invalid_parameter("n", "less_than_equal", "n must be at most 10.", value="11")
    assert error.status == 422
    assert error.body() == {
        "error": {
            "code": "invalid_parameter",
            "message": "n must be at most 10.",
            "parameter": "n",
            "location": "query",
            "rule": "less_than_equal",
            "input": "11",
            "errors": [
                {
                    "parameter": "n",
                    "location": "query",
                    "rule": "less_than_equal",
                    "input": "11",
                    "message": "n must be at most 10.",
                }
            ],
        }
    }


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("application/json", True), ("text/html,application/xhtml+xml,*/*", False),
     ("*/*", False), ("", False), ("application/problem+json", True)],
)  # fmt: skip
def test_index_format_follows_accept(accept: str, expected: bool) -> None:
    assert wants_json(accept) is expected


class FakeTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def test_head_and_body_leave_in_one_write() -> None:
    loop = asyncio.new_event_loop()
    try:
        transport = FakeTransport()
        exchange = Exchange(transport, loop, {"method": "GET"}, b"/x")  # type: ignore[arg-type]
        exchange.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        exchange.write(b"[]")
        assert transport.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n[]"]
        assert exchange.status == 200

        late = FakeTransport()  # a body that comes later: the head still goes out this turn
        streaming = Exchange(late, loop, {"method": "GET"}, b"/s")  # type: ignore[arg-type]
        streaming.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        loop.call_soon(loop.stop)
        loop.run_forever()
        assert late.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]
        assert streaming.status == 0  # 100 is not the final status
    finally:
        loop.close()


class Contact(BaseModel):
    name: str
    age: int


def tiny_app() -> FastAPI:
    app = configure_app(FastAPI(title="shapes", docs_url=None, redoc_url=None))

    @app.post("/contacts")
    async def add(contact: Contact) -> Contact:
        return contact

    @app.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(418, "Short and stout.")

    @app.get("/refused")
    async def refused() -> None:
        raise HttpError(403, "Not yours.", code="not_owner", owner="bob")

    install_index(app)
    return app


async def ask(method: str, path: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=tiny_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(method, path, **kwargs)  # type: ignore[arg-type]


async def test_body_validation_names_the_field() -> None:
    response = await ask("POST", "/contacts", json={"name": "Ada", "age": "old"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["parameter"], error["location"]) == (
        "invalid_parameter", "age", "body",
    )  # fmt: skip
    assert error["rule"] == "int_parsing" and "old" in error["message"]


async def test_several_problems_are_all_listed() -> None:
    response = await ask("POST", "/contacts", json={})
    error = response.json()["error"]
    assert {problem["parameter"] for problem in error["errors"]} == {"name", "age"}
    assert "1 more problem" in error["message"]


async def test_http_exception_and_http_error_keep_their_words() -> None:
    teapot = await ask("GET", "/teapot")
    assert teapot.status_code == 418
    assert teapot.json()["error"]["message"] == "Short and stout."
    refused = await ask("GET", "/refused")
    assert refused.status_code == 403
    assert refused.json() == {
        "error": {"code": "not_owner", "message": "Not yours.", "owner": "bob"}
    }


async def test_index_lists_the_routes() -> None:
    listing = (await ask("GET", "/", headers={"Accept": "application/json"})).json()
    assert listing["service"] == "shapes"
    assert [(e["method"], e["path"]) for e in listing["endpoints"]] == [
        ("POST", "/contacts"), ("GET", "/teapot"), ("GET", "/refused"),
    ]  # fmt: skip


def test_fastapis_own_docs_must_be_turned_off() -> None:
    with pytest.raises(ValueError, match="docs_url=None"):
        configure_app(FastAPI())


def fast_app() -> object:
    def crash(scope: dict) -> list[int]:
        raise RuntimeError("secret detail")

    def refuse(scope: dict) -> list[int]:
        raise HttpError(429, "Slow down.", headers={"Retry-After": "1"})

    app = configure_app(FastAPI(title="fast", docs_url=None, redoc_url=None))
    routes = {
        "/ok": JsonEndpoint(lambda scope: [1, 2]),
        "/crash": JsonEndpoint(crash),
        "/refuse": JsonEndpoint(refuse),
    }
    return with_fast_lane(app, routes)


async def ask_fast(method: str, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=fast_app())  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(method, path)


async def test_fast_lane_answers_json_and_errors_in_the_common_shape() -> None:
    assert (await ask_fast("GET", "/ok")).json() == [1, 2]
    crashed = await ask_fast("GET", "/crash")
    assert crashed.status_code == 500
    assert crashed.json()["error"]["code"] == "internal_error"
    assert "secret" not in crashed.text
    refused = await ask_fast("GET", "/refuse")
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "1")
    assert refused.json()["error"]["code"] == "too_many_requests"


async def test_fast_lane_leaves_other_methods_and_paths_to_the_app() -> None:
    wrong_method = await ask_fast("POST", "/ok")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"
    assert (await ask_fast("GET", "/elsewhere")).json()["error"]["code"] == "not_found"
