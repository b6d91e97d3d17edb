"""Two plain ASGI middlewares that give every route what httpbin's Flask app gives it for free.

* ``HeadAsGet``: HEAD is answered by the GET route, with the headers and no body (Flask adds
  HEAD to every GET route; FastAPI does not, and would answer 405).
* ``Cors``: the CORS headers httpbin adds to every response, and answers to preflight
  ``OPTIONS`` requests, so ``fetch()`` from a page on another origin works as with httpbin.org.
* ``Isolation``: what the echo reflects cannot run as a page nor show the chat's session.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from netsandbox.core.http.cookies import CHAT_SESSION_COOKIE

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


class Isolation:
    """Keeps what the echo reflects from being used against the other services of the host.

    The echo sends back whatever a request asks for, on purpose: any header
    (``/response-headers?Content-Type=text/html&X=<script>...``), any body (``/base64``), the
    request's cookies. A page built that way would run as the echo's origin, and browsers
    share cookies between the ports of one host, so it could read the chat's session cookie.
    Two rules close that: every echoed response carries ``Content-Security-Policy: sandbox``
    (a page the echo reflects runs no script and gets no origin of its own; a policy a
    request adds can only tighten it), and the chat's session cookie is removed from the
    request before any route sees it, so no endpoint can show it. The echo's own pages (its
    index and docs) keep the policies they set.
    """

    def __init__(self, app: ASGIApp, own_pages: frozenset[str]) -> None:
        self.app = app
        self._own_pages = own_pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope["headers"] = _without_chat_session(scope["headers"])
        if scope["path"] in self._own_pages:
            await self.app(scope, receive, send)
            return

        async def send_sandboxed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), SANDBOX]}
            await send(message)

        await self.app(scope, receive, send_sandboxed)


SANDBOX = (b"content-security-policy", b"sandbox; default-src 'none'")
_SESSION_PREFIX = CHAT_SESSION_COOKIE.encode() + b"="


def _without_chat_session(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with the chat's session cookie taken out of every ``Cookie`` header (and a
    header left empty by that dropped)."""
    if not any(name == b"cookie" and _SESSION_PREFIX in value for name, value in headers):
        return headers  # the usual case: nothing to copy
    kept = []
    for name, value in headers:
        if name == b"cookie" and _SESSION_PREFIX in value:
            pairs = [p for p in value.split(b";") if not p.strip().startswith(_SESSION_PREFIX)]
            value = b";".join(pairs).strip()
            if not value:
                continue
        kept.append((name, value))
    return kept
