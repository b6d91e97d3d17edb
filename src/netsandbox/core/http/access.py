"""One access-log line per HTTP request, in place of uvicorn's: client, request, status, time."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from netsandbox.core.logs import BatchedLines


class AccessLog:
    """Plain ASGI middleware; costs one wrapper per request, nothing when INFO is off.

    The line reads like the TCP services' (``client request outcome duration``)::

        127.0.0.1:51234 "GET /api/random/int?n=5" 200 0.4ms
    """

    def __init__(self, app: ASGIApp, lines: BatchedLines) -> None:
        self.app = app
        self.lines = lines

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.lines.enabled():
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            client = scope.get("client")
            # The raw target, still %-escaped: a decoded one could carry a newline into the log.
            target = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
            query = scope.get("query_string")
            if query:
                target += "?" + query.decode("latin-1")
            self.lines.add(
                f'{f"{client[0]}:{client[1]}" if client else "-"} "{scope["method"]} {target}" '
                f"{status or '-'} {(time.perf_counter() - started) * 1000:.1f}ms"
            )
