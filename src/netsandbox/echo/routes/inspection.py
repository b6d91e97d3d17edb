"""Request and response inspection: /headers, /ip, /user-agent, /response-headers."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from netsandbox.core.http import HttpError
from netsandbox.echo import examples
from netsandbox.echo.request_echo import args, headers, origin
from netsandbox.echo.responses import EchoJSON

# RFC 9110 token characters for names; printable Latin-1 (no CR/LF) for values.
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
HEADER_VALUE = re.compile(r"[\t\x20-\x7e\xa0-\xff]*")
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})

router = APIRouter(tags=["Request inspection"])


@router.get(
    "/headers",
    summary="The request's headers",
    description="Returns the headers the server received, names title-cased like httpbin.",
    responses=examples.example_response({"headers": examples.HEADERS}),
)
async def view_headers(request: Request) -> Response:
    return EchoJSON({"headers": headers(request)})


@router.get(
    "/ip",
    summary="The client's IP address",
    description=(
        "Returns the address the request came from. Behind a reverse proxy it is the "
        "original client's only when the server was told to trust that proxy."
    ),
    responses=examples.example_response({"origin": "127.0.0.1"}),
)
async def view_ip(request: Request) -> Response:
    return EchoJSON({"origin": origin(request)})


@router.get(
    "/user-agent",
    summary="The request's User-Agent header",
    description="Returns the `User-Agent` header: the name the client gives itself.",
    responses=examples.example_response({"user-agent": "python-requests/2.32.3"}),
)
async def view_user_agent(request: Request) -> Response:
    return EchoJSON({"user-agent": request.headers.get("user-agent")})


@router.get(
    "/response-headers",
    openapi_extra=examples.with_query(
        "/response-headers?X-Course=http", "The headers to send back, as name=value pairs."
    ),
    summary="Set response headers from the query string",
    description=(
        "Every query parameter becomes a response header, and the body lists the response's "
        "headers. Try `/response-headers?Server=netsandbox&X-Course=http`."
    ),
    responses=examples.example_response(
        {"Content-Type": "application/json", "X-Course": "http"},
        description="The headers of this response.",
    ),
    tags=["Response inspection"],
)
async def response_headers(request: Request) -> Response:
    chosen = request.query_params.multi_items()
    for name, value in chosen:
        problem = _header_problem(name, value)
        if problem:
            raise HttpError(400, problem, code="invalid_header", header=name)
    response = EchoJSON(_listing(args(request)))
    for name, value in chosen:
        if name.lower() == "content-type":
            response.headers["content-type"] = value
        else:
            response.headers.append(name, value)
    return response


def _listing(chosen: dict[str, Any]) -> dict[str, Any]:
    """The headers as the body lists them, Content-Length included (it counts itself)."""
    listed = {"Content-Length": "0", "Content-Type": "application/json", **chosen}
    for _ in range(3):
        length = str(len(EchoJSON(listed).body))
        if listed["Content-Length"] == length:
            break
        listed["Content-Length"] = length
    return listed


def _header_problem(name: str, value: str) -> str | None:
    """Why ``name: value`` cannot be sent as a response header, or ``None`` if it can."""
    if not HEADER_NAME.fullmatch(name):
        return f"{name!r} is not a valid header name: use letters, digits and - only."
    if name.lower() in FRAMING_HEADERS:
        return f"{name} is set by the server itself, to frame the response; pick another header."
    if not HEADER_VALUE.fullmatch(value):
        return f"The value of {name} holds a line break or a character HTTP headers cannot carry."
    return None
