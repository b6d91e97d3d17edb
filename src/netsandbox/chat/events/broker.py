"""Delivers events to the open streams: a broker interface, chosen by URL, and the
in-memory broker for one server process.

Fan-out is the cost that grows with the audience, so an event is encoded once, and framed
once as an HTTP chunk, and the same bytes go to every subscriber: written straight to its
socket, or put in its queue (see ``subscription.py``); publishing never waits. A subscriber
too slow to take its events is closed rather than allowed to hold memory or slow anyone
else; its client reconnects with ``Last-Event-ID`` and gets what it missed from the replay
buffer (the last ``replay_size`` events), or a ``reset`` event when it has been away longer
than that.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from typing import Any, Protocol

from netsandbox.chat.events.model import RESET, SHUTDOWN, TOO_MANY_STREAMS, Audience, Event, encode
from netsandbox.chat.events.subscription import Heartbeats, Subscription
from netsandbox.core.http.push import chunk

__all__ = ["Broker", "MemoryBroker", "Subscription", "broker_from_url"]

REPLAY_SIZE = 1000
QUEUE_SIZE = 256
MAX_STREAMS_PER_USER = 5


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
        self._everyone: dict[Subscription, None] = {}  # every stream, oldest first
        self._heartbeats = Heartbeats()

    @property
    def last_id(self) -> int:
        return self._last_id

    def publish(self, event_type: str, data: dict[str, Any], audience: Audience = None) -> Event:
        self._last_id += 1
        block = encode(event_type, self._last_id, data)
        event = Event(event_type, self._last_id, data, audience, block)
        self._replay.append(event)
        framed = chunk(block)
        for subscription in self._audience(audience):
            subscription.offer(block, framed)
        return event

    def subscribe(self, user: int, last_event_id: int | None = None) -> Subscription:
        """A new stream for ``user`` (closing their oldest beyond the limit), with the events
        after ``last_event_id`` already queued (or a ``reset`` if they are gone)."""
        subscription = Subscription(user, self._queue_size, self._heartbeats)
        streams = self._by_user.setdefault(user, [])
        streams.append(subscription)
        self._everyone[subscription] = None
        while len(streams) > self._max_streams:
            oldest = streams.pop(0)
            self._everyone.pop(oldest, None)
            oldest.close(TOO_MANY_STREAMS)
        if last_event_id is not None:
            for block in self._missed(user, last_event_id):
                if not subscription.offer(block):
                    break
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        subscription.close()
        self._everyone.pop(subscription, None)
        streams = self._by_user.get(subscription.user, [])
        if subscription in streams:
            streams.remove(subscription)
        if not streams:
            self._by_user.pop(subscription.user, None)

    def streams_of(self, user: int) -> int:
        return len(self._by_user.get(user, ()))

    def close_all(self) -> None:
        for subscription in list(self._everyone):
            subscription.close(SHUTDOWN)
        self._everyone.clear()
        self._by_user.clear()
        self._heartbeats.stop()

    def _audience(self, audience: Audience) -> list[Subscription]:
        """Who gets an event, as a copy: delivering may close a stream, and closing one
        may soon change these collections."""
        if audience is None:
            return list(self._everyone)
        return [stream for user in audience for stream in self._by_user.get(user, ())]

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
