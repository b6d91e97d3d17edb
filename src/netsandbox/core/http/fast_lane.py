"""A fast lane in front of a FastAPI app, for the few endpoints that must be quick.

FastAPI's middleware stack and routing cost about 30 µs a request, more than the whole
answer of a simple endpoint. ``FastLane`` sends ``GET``/``HEAD`` requests for a few exact
paths straight to a ``JsonEndpoint`` and everything else to the app. The same endpoints
are also registered in the app, so other methods still get a JSON 405 and the endpoints
still appear in the route list; their OpenAPI description is added with
``document_operations``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import orjson
from fastapi import FastAPI
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from netsandbox.core.http.error_shape import error_json
from netsandbox.core.http.errors import HttpError

log = logging.getLogger("netsandbox.http")

_JSON_TYPE = (b"content-type", b"application/json")


class JsonEndpoint:
    """A bare ASGI endpoint: ``handler(scope)``'s result as JSON.

    ``HttpError`` becomes its JSON error; any other exception is logged with its traceback
    and answered 500, as the app's own handlers would.
    """

    def __init__(self, handler: Callable[[Scope], Any]) -> None:
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [_JSON_TYPE]
        try:
            status, body = 200, orjson.dumps(self.handler(scope))
        except HttpError as exc:
            status = exc.status
            body = error_json(status, exc.message, code=exc.code, **exc.details)
            headers += [(k.lower().encode(), v.encode()) for k, v in (exc.headers or {}).items()]
        except Exception:
            log.exception("%s %s failed", scope["method"], scope["path"])
            status = 500
            body = error_json(
                500,
                f"The server failed while answering {scope['method']} {scope['path']}; "
                "the details are in its log.",
            )
        headers.append((b"content-length", b"%d" % len(body)))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class FastLane:
    """Plain ASGI: exact-path ``GET``/``HEAD`` requests to ``routes``, the rest to ``app``."""

    def __init__(self, app: FastAPI, routes: Mapping[str, ASGIApp]) -> None:
        self.app = app
        self.routes = dict(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            endpoint = self.routes.get(scope["path"])
            if endpoint is not None:
                await endpoint(scope, receive, send)
                return
        await self.app(scope, receive, send)


def with_fast_lane(app: FastAPI, routes: Mapping[str, ASGIApp]) -> FastLane:
    """Register ``routes`` (path -> endpoint) in ``app`` and serve them on the fast lane."""
    for path, endpoint in routes.items():
        app.router.routes.append(Route(path, endpoint, methods=["GET"]))
    return FastLane(app, routes)
