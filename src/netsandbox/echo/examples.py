"""Example bodies shown in the OpenAPI docs, and the helper that attaches them to a route."""

from __future__ import annotations

from typing import Any

from netsandbox.core.errors import error_body
from netsandbox.core.http.openapi import error_response

HEADERS = {
    "Accept": "*/*",
    "Accept-Encoding": "gzip, deflate",
    "Connection": "keep-alive",
    "Host": "127.0.0.1:3002",
    "User-Agent": "python-requests/2.32.3",
}

GET = {
    "args": {"a": "10", "b": "100"},
    "headers": HEADERS,
    "origin": "127.0.0.1",
    "url": "http://127.0.0.1:3002/get?a=10&b=100",
}

FORM_POST = {
    "args": {},
    "data": "",
    "files": {},
    "form": {"mail": "ada@example.org", "name": "Ada Lovelace"},
    "headers": {
        **HEADERS,
        "Content-Length": "45",
        "Content-Type": "application/x-www-form-urlencoded",
    },
    "json": None,
    "origin": "127.0.0.1",
    "url": "http://127.0.0.1:3002/post",
}

JSON_PUT = {
    "args": {},
    "data": '{"done": true}',
    "files": {},
    "form": {},
    "headers": {**HEADERS, "Content-Length": "14", "Content-Type": "application/json"},
    "json": {"done": True},
    "origin": "127.0.0.1",
    "url": "http://127.0.0.1:3002/put",
}

FILE_PATCH = {
    "args": {},
    "data": "",
    "files": {"notes": "first line\n"},
    "form": {"title": "notes"},
    "headers": {
        **HEADERS,
        "Content-Length": "253",
        "Content-Type": "multipart/form-data; boundary=4b1c0a6e1ac3e1a0d1c5b2e3f4a5b6c7",
    },
    "json": None,
    "origin": "127.0.0.1",
    "url": "http://127.0.0.1:3002/patch",
}

DELETE = {
    "args": {},
    "data": "",
    "files": {},
    "form": {},
    "headers": {**HEADERS, "Content-Length": "0"},
    "json": None,
    "origin": "127.0.0.1",
    "url": "http://127.0.0.1:3002/delete",
}

ANYTHING = {**JSON_PUT, "method": "PUT", "url": "http://127.0.0.1:3002/anything/tasks/7"}


def example_response(
    example: Any,
    description: str = "What the request looked like to the server.",
    media_type: str = "application/json",
    status_code: int = 200,
) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` argument of a route whose answer is ``example``."""
    return {
        status_code: {"description": description, "content": {media_type: {"example": example}}}
    }


def error_example(
    status_code: int, description: str, code: str, message: str
) -> dict[int | str, dict[str, Any]]:
    """An error response in the project's error shape (schema and example), for the docs."""
    return {status_code: error_response(description, error_body(code, message))}
