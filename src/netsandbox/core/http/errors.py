"""Every HTTP error as JSON in the common shape, produced here for every app.

``install_error_handlers(app)`` turns what the framework raises (404 and 405 from routing,
422 from validation, ``HTTPException``), our own ``HttpError`` and any crash (500, the
traceback goes to the server log only) into ``{"error": {"code", "message", ...}}``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

import fastapi.routing
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from netsandbox.core.errors import ServiceError
from netsandbox.core.http.error_shape import error_code, error_json

log = logging.getLogger("netsandbox.http")

JSON = "application/json"


class HttpError(ServiceError):
    """A request a route refuses, with its HTTP status (``code`` defaults from the status)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(code or error_code(status), message, **details)
        self.status = status
        self.headers = headers


def invalid_parameter(
    parameter: str, rule: str, message: str, *, location: str = "query", value: Any = None
) -> HttpError:
    """The 422 for one bad parameter: which one, which rule it broke, and a sentence."""
    problem = {"parameter": parameter, "location": location, "rule": rule}
    if value is not None:
        problem["input"] = value
    return HttpError(422, message, **problem, errors=[{**problem, "message": message}])


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers; call once per app (``configure_app`` does)."""
    app.add_exception_handler(HTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HttpError, _http_error)
    app.add_exception_handler(ClientDisconnect, _client_gone)
    app.add_exception_handler(Exception, _crash)


def _json(
    status: int, message: str, headers: dict[str, str] | None = None, **details: Any
) -> Response:
    return Response(error_json(status, message, **details), status, headers, media_type=JSON)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HttpError)
    return _json(exc.status, exc.message, exc.headers, code=exc.code, **exc.details)


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    headers = exc.headers
    if status == 405:
        headers = _with_every_allowed_method(request, headers or {})
    detail = exc.detail if isinstance(exc.detail, str) else None
    if detail is None or detail == HTTPStatus(status).phrase:
        detail = _default_message(request, status, headers or {})
    if status in (204, 304):  # no body allowed
        return Response(status_code=status, headers=headers)
    return _json(status, detail, headers)


def _with_every_allowed_method(request: Request, headers: dict[str, str]) -> dict[str, str]:
    """``headers`` with an ``Allow`` that lists the methods of every route on this path.

    Routing answers 405 from the first route whose path matches, so its ``Allow`` names only
    that route's methods (``GET`` for a path whose ``POST`` is another route), and a client
    (or a conformance checker) is told that a documented method does not exist.
    """
    given = headers.get("Allow") or headers.get("allow") or ""
    methods = {method.strip() for method in given.split(",") if method.strip()}
    path = request.scope["path"].removeprefix(request.scope.get("root_path", "")) or "/"
    for route in _every_route(request.scope.get("router")):
        route_methods = getattr(route, "methods", None)
        path_regex = getattr(route, "path_regex", None)
        if route_methods and path_regex is not None and path_regex.match(path):
            methods |= route_methods
    if not methods:
        return headers
    others = {name: value for name, value in headers.items() if name.lower() != "allow"}
    return {**others, "Allow": ", ".join(sorted(methods))}


def _every_route(router: object) -> Iterable[object]:
    """The app's routes, those of included routers too (FastAPI keeps them nested)."""
    routes = getattr(router, "routes", ())
    flatten = getattr(fastapi.routing, "iter_route_contexts", None)
    return flatten(routes) if flatten is not None else routes  # older FastAPI: already flat


def _default_message(request: Request, status: int, headers: dict[str, str]) -> str:
    target = f"{request.method} {request.url.path}"
    if status == 404:
        app = request.scope.get("app")
        index = getattr(getattr(app, "state", None), "index_path", "/")
        nothing = f"Nothing at {request.url.path}."
        return f"{nothing} GET {index} lists the endpoints; /docs documents them."
    if status == 405:
        allowed = headers.get("Allow") or headers.get("allow") or "see /docs"
        return f"{target} is not allowed; this path accepts: {allowed}."
    try:
        return f"{target}: {HTTPStatus(status).phrase}."
    except ValueError:
        return f"{target} failed with status {status}."


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [_describe(error) for error in exc.errors()] or [
        {"parameter": "request", "location": "body", "rule": "invalid", "message": "Invalid."}
    ]
    first = {**problems[0]}
    message = first.pop("message")
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem(s), listed in 'errors')"
    return _json(422, message, **first, errors=problems)


def _describe(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic error as ``{parameter, location, rule, message[, input]}``."""
    location, *path = [str(part) for part in error.get("loc", ())] or ["request"]
    parameter = ".".join(path) or location
    rule = error.get("type", "invalid")
    reason = error.get("msg", "invalid value")
    problem: dict[str, Any] = {"parameter": parameter, "location": location, "rule": rule}
    value = error.get("input")
    if rule == "missing":
        problem["message"] = f"{parameter} ({location}) is required."
    elif isinstance(value, str | int | float | bool):
        problem["message"] = f"{parameter} ({location}): {reason}; got {value!r}."
        problem["input"] = value
    else:
        problem["message"] = f"{parameter} ({location}): {reason}."
    return problem


async def _client_gone(request: Request, exc: Exception) -> Response:
    # The client left (or was cut at a limit) while its body was read: nobody to answer.
    return Response(status_code=499)


async def _crash(request: Request, exc: Exception) -> Response:
    # The traceback is logged by the server; the client learns only that it failed.
    return _json(
        500,
        f"The server failed while answering {request.method} {request.url.path}; "
        "the details are in its log.",
    )
