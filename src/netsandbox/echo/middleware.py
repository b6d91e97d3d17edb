"""Two plain ASGI middlewares that give every route what httpbin's Flask app gives it for free.

* ``HeadAsGet``: HEAD is answered by the GET route, with the headers and no body (Flask adds
  HEAD to every GET route; FastAPI does not, and would answer 405).
* ``Cors``: the CORS headers httpbin adds to every response, and answers to preflight
  ``OPTIONS`` requests, so ``fetch()`` from a page on another origin works as with httpbin.org.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFLIGHT_METHODS = b"GET, POST, PUT, DELETE, PATCH, OPTIONS"


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # A copy: the server keeps its own scope, where the method is still HEAD.
        await self.app({**scope, "method": "GET"}, receive, send_without_body)


class Cors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        allow = [
            (b"access-control-allow-origin", request_headers.get("origin", "*").encode("latin-1")),
            (b"access-control-allow-credentials", b"true"),
        ]
        if scope["method"] == "OPTIONS":
            await self._preflight(request_headers, allow, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *allow]}
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    async def _preflight(
        request_headers: Headers, allow: list[tuple[bytes, bytes]], send: Send
    ) -> None:
        headers = [
            *allow,
            (b"access-control-allow-methods", PREFLIGHT_METHODS),
            (b"access-control-max-age", b"3600"),
            (b"allow", b"HEAD, " + PREFLIGHT_METHODS),
            (b"content-length", b"0"),
        ]
        requested = request_headers.get("access-control-request-headers")
        if requested is not None:
            headers.append((b"access-control-allow-headers", requested.encode("latin-1")))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
