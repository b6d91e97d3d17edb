"""One subscriber's events written as ``text/event-stream``, until the client leaves, the
broker closes the subscription (too slow, too many streams, shutdown), or forever.

A plain ASGI response: the route authenticates first (so errors are ordinary JSON), then
hands the subscription over. Between events a comment line is sent every ``heartbeat``
seconds, so proxies and clients see the connection alive.

Under our HTTP runner the response head and the ``retry:`` line go out through ``send()``,
then the server hands the response over (``core/http/push.py``): the subscription writes
the events straight to the connection and ends the response, and this task returns, so an
idle stream holds no task and no frames. Elsewhere (another server, tests in-process) this
task reads the subscription's queue and sends each event itself.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from netsandbox.chat.events.broker import Subscription
from netsandbox.chat.events.model import HEARTBEAT, retry_hint
from netsandbox.core.http.push import PushedResponse, push_opener

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
        handed_over = False
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            await self._write(send, retry_hint(RETRY_MILLISECONDS))
            push = self._hand_over(scope)
            if push is not None:  # the subscription writes and ends the response; _on_close
                self.subscription.attach(push, self.heartbeat, self._on_close)  # follows
                handed_over = True
                return
            await self._from_queue(receive, send)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            if not handed_over:
                self._on_close()

    def _hand_over(self, scope: Scope) -> PushedResponse | None:
        """The rest of the response, if the server hands it over (see core/http/push.py)."""
        open_push = push_opener(scope)
        if open_push is None or self.subscription.closed:
            return None
        return open_push(scope, self.subscription.lost)

    async def _from_queue(self, receive: Receive, send: Send) -> None:
        watcher = asyncio.ensure_future(self._watch_disconnect(receive))
        try:
            while True:
                try:
                    async with asyncio.timeout(self.heartbeat):
                        chunk = await self.subscription.next_chunk()
                except TimeoutError:
                    chunk = HEARTBEAT
                if not chunk:
                    break
                await self._write(send, chunk)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    async def _write(self, send: Send, chunk: bytes) -> None:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})

    async def _watch_disconnect(self, receive: Receive) -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        self.subscription.close()
