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
        "Content-Length": "40",
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


# OpenAPI pieces that let "Try it out" send what httpbin's users send.
FREE_QUERY = {
    "name": "args",
    "in": "query",
    "required": False,
    "description": "Any query parameters: they come back in `args`.",
    "schema": {"type": "object", "additionalProperties": {"type": "string"}},
    "style": "form",
    "explode": True,
    "example": {"a": "10", "b": "100"},
}

ANY_BODY = {
    "required": False,
    "description": "Any body: a form, uploaded files, JSON or plain text.",
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "additionalProperties": {"type": "string"}},
            "example": {"name": "Ada Lovelace", "mail": "ada@example.org"},
        },
        "application/json": {"schema": {}, "example": {"done": True}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "title": {"type": "string", "example": "notes"},
                    "notes": {"type": "string", "format": "binary"},
                },
            }
        },
        "text/plain": {"schema": {"type": "string"}, "example": "just text"},
    },
}


def with_query(example: str | None = None, description: str | None = None) -> dict[str, Any]:
    """``openapi_extra`` documenting free query parameters (and a URL to try, if given)."""
    query = FREE_QUERY if description is None else {**FREE_QUERY, "description": description}
    extra: dict[str, Any] = {"parameters": [query]}
    if example:
        extra["x-example"] = example
    return extra


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
