"""One open stream as the broker sees it, and the heartbeats of the streams written directly.

A subscription starts with a bounded queue: the events it must get before its response is
under way (the replay after a reconnect) wait there. Then the stream either reads the queue
from its own task (any ASGI server), or, under our HTTP runner, ``attach``es the response
handed over by the server (``core/http/push.py``) and its task ends: from then on
``offer`` writes each event, framed once per event for every stream, straight to the
socket from ``publish()``, with no task to wake, and ``close`` ends the response.

Either way a subscriber too slow to take its events is closed rather than allowed to hold
memory: in the queue, when it is full; on a connection, when more than
``WRITE_BUFFER_LIMIT`` bytes wait beyond what the socket's buffer (``SOCKET_SEND_BUFFER``)
took.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable

from netsandbox.chat.events.model import CLOSED, HEARTBEAT, TOO_SLOW, encode
from netsandbox.core.http.push import PushedResponse, chunk

WRITE_BUFFER_LIMIT = 256 * 1024
# The kernel's share, per stream: without a cap it grows to megabytes for a reader that
# stalls, which then takes that long to be found too slow.
SOCKET_SEND_BUFFER = 64 * 1024
FRAMED_HEARTBEAT = chunk(HEARTBEAT)
TICKS_PER_HEARTBEAT = 4  # a silent stream is checked four times per interval
_CLOSED = b""  # put in a queue to wake its reader: the stream is over


class Subscription:
    """One open stream: its user, and where its events go (a queue, or the connection)."""

    __slots__ = (
        "_heartbeats", "_on_end", "_push", "_transport", "closed", "queue", "quiet_ticks", "user"
    )  # fmt: skip

    def __init__(self, user: int, queue_size: int, heartbeats: Heartbeats) -> None:
        self.user = user
        self.queue: asyncio.Queue[bytes] | None = asyncio.Queue(queue_size)
        self.closed = False
        self.quiet_ticks = 0
        self._heartbeats = heartbeats
        self._push: PushedResponse | None = None
        self._transport: asyncio.WriteTransport | None = None  # the push's, at hand
        self._on_end: Callable[[], None] | None = None

    def offer(self, block: bytes, framed: bytes | None = None) -> bool:
        """Deliver one encoded event (``framed``: the same as an HTTP chunk, if at hand);
        False (and closed) if the subscriber cannot keep up."""
        if self.closed:
            return False
        transport = self._transport
        if transport is None:
            try:
                self.queue.put_nowait(block)  # type: ignore[union-attr]
            except asyncio.QueueFull:
                self.close(TOO_SLOW)
                return False
            return True
        if transport.get_write_buffer_size() > WRITE_BUFFER_LIMIT:
            self.close(TOO_SLOW)
            return False
        transport.write(framed or chunk(block))
        self.quiet_ticks = 0
        return True

    def attach(self, push: PushedResponse, heartbeat: float, on_end: Callable[[], None]) -> None:
        """Write this stream's events to the connection from now on (what the queue holds
        first), with a heartbeat after ``heartbeat`` seconds of silence. ``on_end`` is
        called soon after the stream is over: closed by the broker, or the client gone."""
        if self.closed:
            raise RuntimeError("attach() after close(): read the queue to its end instead")
        queue, self.queue = self.queue, None
        self._push = push
        self._transport = push.transport
        self._on_end = on_end
        sock = push.transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_SEND_BUFFER)
        while queue is not None and not queue.empty():
            if not self.offer(queue.get_nowait()):
                return  # too slow for its own replay: closed
        self._heartbeats.add(self, heartbeat)

    def lost(self) -> None:
        """The client went away: the stream is over, nothing more is written."""
        self._push = self._transport = None
        self.close()

    def close(self, reason: str | None = None) -> None:
        """End the stream: a ``closed`` event saying ``reason`` is the last thing written
        (what was still queued is dropped), and its reader wakes up or its response ends."""
        if self.closed:
            return
        self.closed = True
        closing = encode(CLOSED, None, {"reason": reason}) if reason is not None else None
        if self.queue is not None:
            while not self.queue.empty():
                self.queue.get_nowait()
            if closing is not None:
                self.queue.put_nowait(closing)
            self.queue.put_nowait(_CLOSED)
        push, self._push, self._transport = self._push, None, None
        if push is not None:
            if closing is not None and not push.transport.is_closing():
                push.transport.write(chunk(closing))
            push.end(keep_alive=reason != TOO_SLOW)  # it may never read what is buffered
        self._heartbeats.discard(self)
        on_end, self._on_end = self._on_end, None
        if on_end is not None:  # later: close() may run inside a loop over the streams
            asyncio.get_running_loop().call_soon(on_end)

    async def next_chunk(self) -> bytes:
        """The next chunk to write (queue mode); ``b""`` once the stream is closed."""
        return await self.queue.get()  # type: ignore[union-attr]


class Heartbeats:
    """One timer for every directly written stream of a broker, instead of one per stream.

    It ticks ``TICKS_PER_HEARTBEAT`` times per interval; a stream silent for that many
    ticks gets a heartbeat. So a silent stream gets one every interval, one written to
    within the last interval none, and the writes of a tick fall on the streams that
    were last written at about the same time, not on all of them at once.
    """

    def __init__(self) -> None:
        self._streams: set[Subscription] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._period = 0.0

    def add(self, subscription: Subscription, interval: float) -> None:
        self._streams.add(subscription)
        if self._timer is None:
            self._period = interval / TICKS_PER_HEARTBEAT
            self._timer = asyncio.get_running_loop().call_later(self._period, self._tick)

    def discard(self, subscription: Subscription) -> None:
        self._streams.discard(subscription)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._streams.clear()

    def _tick(self) -> None:
        self._timer = None
        for subscription in list(self._streams):
            subscription.quiet_ticks += 1
            if subscription.quiet_ticks >= TICKS_PER_HEARTBEAT:
                subscription.offer(HEARTBEAT, FRAMED_HEARTBEAT)
        if self._streams:
            self._timer = asyncio.get_running_loop().call_later(self._period, self._tick)
