"""What the echo service shows of a request, in httpbin's shape.

httpbin's fields: ``args``, ``headers``, ``origin``, ``url``, ``method``, and for a body
``form``, ``files``, ``data`` and ``json``. A key sent once maps to a string, a key sent
several times to the list of its values. Header names are shown title-cased
(``User-Agent``) because that is how httpbin.org prints them, and the course's output
should look the same whichever server answered.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from netsandbox.core.http import HttpError

FORM_URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

Flattened = dict[str, str | list[str]]

# What reverse proxies add to a request (httpbin's list, title-cased as shown).
PROXY_HEADERS = (
    "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Protocol", "X-Forwarded-Ssl",
    "X-Forwarded-Port", "X-Forwarded-Host", "X-Real-Ip", "X-Request-Id", "X-Request-Start",
    "Via", "Forwarded",
)  # fmt: skip


def flatten(pairs: Iterable[tuple[str, str]]) -> Flattened:
    """Pairs to a dict; a key seen more than once keeps all its values, in order, in a list."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key not in result:
            result[key] = value
        elif isinstance(result[key], list):
            result[key].append(value)
        else:
            result[key] = [result[key], value]
    return result


def title_case_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Header names title-cased; a header sent twice shows its values joined by commas."""
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").title()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]},{text}" if key in headers else text
    return headers


def json_safe(data: bytes, content_type: str = "application/octet-stream") -> str:
    """UTF-8 text as is; anything else as a ``data:`` URL in base64, as httpbin shows binary."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        encoded = base64.b64encode(data).decode("ascii")
        return f"data:{content_type};base64,{encoded}"


def parse_json(data: bytes) -> Any:
    """The body parsed as JSON whatever its Content-Type (as httpbin does), else ``None``.

    NaN and Infinity are refused: they are not JSON, and echoing them would send invalid JSON.
    """
    if not data:
        return None
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def media_type(request: Request) -> str:
    """The Content-Type without its parameters, lower-cased (``""`` when absent)."""
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def origin(request: Request) -> str:
    """The client's address; behind a trusted proxy the runner has already put the real one."""
    return request.client.host if request.client else ""


def url(request: Request) -> str:
    return str(request.url)


def args(request: Request) -> Flattened:
    return flatten(request.query_params.multi_items())


def headers(request: Request) -> dict[str, str]:
    """The request's headers; behind a trusted proxy, without those the proxy added.

    httpbin hides them (unless ``?show_env=1``) so that the echo shows what the client
    sent. Without a trusted proxy every header came from the client, so all are shown.
    """
    shown = title_case_headers(request.headers.raw)
    if request.app.state.behind_proxy and "show_env" not in request.query_params:
        for name in PROXY_HEADERS:
            shown.pop(name, None)
    return shown


def basics(request: Request) -> dict[str, Any]:
    """The fields every echo shows: ``args``, ``headers``, ``origin``, ``url`` (httpbin's /get)."""
    return {
        "args": args(request),
        "headers": headers(request),
        "origin": origin(request),
        "url": url(request),
    }


@dataclass(slots=True)
class BodyEcho:
    """The body as httpbin reports it: a form goes to ``form``/``files``, anything else to
    ``data`` (and ``json`` when it parses)."""

    form: Flattened = field(default_factory=dict)
    files: Flattened = field(default_factory=dict)
    data: str = ""
    json: Any = None

    def fields(self) -> dict[str, Any]:
        return {"form": self.form, "files": self.files, "data": self.data, "json": self.json}


async def read_body(request: Request) -> BodyEcho:
    """Read and sort the body. The server has already refused bodies over the service's cap."""
    body = await request.body()
    kind = media_type(request)
    if kind == FORM_URLENCODED:
        text = body.decode("utf-8", errors="replace")
        return BodyEcho(form=flatten(parse_qsl(text, keep_blank_values=True, errors="replace")))
    if kind == MULTIPART:
        return await _read_multipart(request)
    if not body:
        return BodyEcho()
    return BodyEcho(data=json_safe(body), json=parse_json(body))


async def _read_multipart(request: Request) -> BodyEcho:
    form_fields: list[tuple[str, str]] = []
    file_fields: list[tuple[str, str]] = []
    try:
        form = await request.form()
    except HTTPException as exc:  # Starlette's word for a malformed body: keep its reason
        message = f"The multipart/form-data body is malformed: {exc.detail}"
        raise HttpError(400, message, code="invalid_multipart") from None
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                content_type = value.content_type or "application/octet-stream"
                file_fields.append((name, json_safe(await value.read(), content_type)))
            else:
                form_fields.append((name, value))
    finally:
        await form.close()
    return BodyEcho(form=flatten(form_fields), files=flatten(file_fields))


async def full_echo(request: Request, *, method: bool = False) -> dict[str, Any]:
    """Everything httpbin shows for a request with a body (/post, /put, /anything...)."""
    echo = basics(request)
    echo.update((await read_body(request)).fields())
    if method:
        echo["method"] = request.method
    return echo
