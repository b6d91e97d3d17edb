"""Delivers events to the open streams: a broker interface, chosen by URL, and the
in-memory broker for one server process.

Fan-out is the cost that grows with the audience, so an event is encoded once and the same
bytes go into every subscriber's queue (``put_nowait``: publishing never waits). A
subscriber too slow to drain its bounded queue is closed rather than allowed to hold memory
or slow anyone else; its client reconnects with ``Last-Event-ID`` and gets what it missed
from the replay buffer (the last ``replay_size`` events), or a ``reset`` event when it has
been away longer than that.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Iterator
from typing import Any, Protocol

from netsandbox.chat.events.model import (
    CLOSED,
    RESET,
    SHUTDOWN,
    TOO_MANY_STREAMS,
    TOO_SLOW,
    Audience,
    Event,
    encode,
)

REPLAY_SIZE = 1000
QUEUE_SIZE = 256
MAX_STREAMS_PER_USER = 5
_CLOSED = b""  # put in a queue to wake its reader: the stream is over


class Subscription:
    """One open stream: its user, and a bounded queue of encoded chunks to write."""

    def __init__(self, user: int, queue_size: int) -> None:
        self.user = user
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(queue_size)
        self.closed = False

    def offer(self, chunk: bytes) -> bool:
        """Queue ``chunk``; False (and closed) if the queue is full."""
        if self.closed:
            return False
        try:
            self.queue.put_nowait(chunk)
        except asyncio.QueueFull:
            self.close(TOO_SLOW)
            return False
        return True

    def close(self, reason: str | None = None) -> None:
        """End the stream: what was queued is dropped, a ``closed`` event saying ``reason``
        is the last thing written, and the reader wakes up."""
        if self.closed:
            return
        self.closed = True
        while not self.queue.empty():
            self.queue.get_nowait()
        if reason is not None:
            self.queue.put_nowait(encode(CLOSED, None, {"reason": reason}))
        self.queue.put_nowait(_CLOSED)

    async def next_chunk(self) -> bytes:
        """The next chunk to write; ``b""`` once the stream is closed."""
        return await self.queue.get()


class Broker(Protocol):
    """What the stream and the publisher need from any broker."""

    def publish(
        self, event_type: str, data: dict[str, Any], audience: Audience = None
    ) -> Event: ...

    def subscribe(self, user: int, last_event_id: int | None = None) -> Subscription: ...

    def unsubscribe(self, subscription: Subscription) -> None: ...

    def streams_of(self, user: int) -> int: ...

    def close_all(self) -> None: ...


class MemoryBroker:
    """The broker of one process. Event ids start at the start-up time in milliseconds, so
    they keep increasing across restarts and an id from before one is seen as too old."""

    def __init__(
        self,
        replay_size: int = REPLAY_SIZE,
        queue_size: int = QUEUE_SIZE,
        max_streams_per_user: int = MAX_STREAMS_PER_USER,
    ) -> None:
        self._replay: deque[Event] = deque(maxlen=replay_size)
        self._queue_size = max(queue_size, 2)  # room for the closing event
        self._max_streams = max_streams_per_user
        self._first_id = int(time.time() * 1000)
        self._last_id = self._first_id - 1
        self._by_user: dict[int, list[Subscription]] = {}

    @property
    def last_id(self) -> int:
        return self._last_id

    def publish(self, event_type: str, data: dict[str, Any], audience: Audience = None) -> Event:
        self._last_id += 1
        chunk = encode(event_type, self._last_id, data)
        event = Event(event_type, self._last_id, data, audience, chunk)
        self._replay.append(event)
        for subscription in self._audience(audience):
            subscription.offer(chunk)
        return event

    def subscribe(self, user: int, last_event_id: int | None = None) -> Subscription:
        """A new stream for ``user`` (closing their oldest beyond the limit), with the events
        after ``last_event_id`` already queued (or a ``reset`` if they are gone)."""
        subscription = Subscription(user, self._queue_size)
        streams = self._by_user.setdefault(user, [])
        streams.append(subscription)
        while len(streams) > self._max_streams:
            streams.pop(0).close(TOO_MANY_STREAMS)
        if last_event_id is not None:
            for chunk in self._missed(user, last_event_id):
                if not subscription.offer(chunk):
                    break
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        subscription.close()
        streams = self._by_user.get(subscription.user, [])
        if subscription in streams:
            streams.remove(subscription)
        if not streams:
            self._by_user.pop(subscription.user, None)

    def streams_of(self, user: int) -> int:
        return len(self._by_user.get(user, ()))

    def close_all(self) -> None:
        for streams in self._by_user.values():
            for subscription in streams:
                subscription.close(SHUTDOWN)
        self._by_user.clear()

    def _audience(self, audience: Audience) -> Iterator[Subscription]:
        if audience is None:
            for streams in list(self._by_user.values()):
                yield from list(streams)
        else:
            for user in audience:
                yield from list(self._by_user.get(user, ()))

    def _missed(self, user: int, last_event_id: int) -> Iterator[bytes]:
        oldest = self._replay[0].id if self._replay else self._last_id + 1
        if last_event_id > self._last_id or last_event_id < oldest - 1:
            yield encode(RESET, self._last_id, {"reason": "missed events: fetch state again"})
            return
        for event in self._replay:
            if event.id > last_event_id and event.concerns(user):
                yield event.chunk


def broker_from_url(url: str, max_streams_per_user: int = MAX_STREAMS_PER_USER) -> MemoryBroker:
    """The broker a URL names; only ``memory://`` (one process) exists for now."""
    if url == "memory://":
        return MemoryBroker(max_streams_per_user=max_streams_per_user)
    raise ValueError(f"unknown event broker URL {url!r}: use memory://")
