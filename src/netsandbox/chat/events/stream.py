"""One subscriber's events written as ``text/event-stream``, until the client leaves, the
broker closes the subscription (too slow, too many streams, shutdown), or forever.

A plain ASGI response: the route authenticates first (so errors are ordinary JSON), then
hands the subscription over. Between events a comment line is sent every ``heartbeat``
seconds, so proxies and clients see the connection alive.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from netsandbox.chat.events.broker import Subscription
from netsandbox.chat.events.model import HEARTBEAT, retry_hint

RETRY_MILLISECONDS = 2000
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
]


class EventStream(Response):
    """A Response (so routes may return it and document it) that streams its events."""

    media_type = "text/event-stream"

    def __init__(
        self, subscription: Subscription, heartbeat: float, on_close: Callable[[], None]
    ) -> None:
        self.status_code = 200
        self.background = None
        self.raw_headers = list(HEADERS)
        self.subscription = subscription
        self.heartbeat = heartbeat
        self._on_close = on_close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        watcher = asyncio.ensure_future(self._watch_disconnect(receive))
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            await self._write(send, retry_hint(RETRY_MILLISECONDS))
            while True:
                try:
                    async with asyncio.timeout(self.heartbeat):
                        chunk = await self.subscription.next_chunk()
                except TimeoutError:
                    chunk = HEARTBEAT
                if not chunk:
                    break
                await self._write(send, chunk)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            self._on_close()

    async def _write(self, send: Send, chunk: bytes) -> None:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})

    async def _watch_disconnect(self, receive: Receive) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        self.subscription.close()
