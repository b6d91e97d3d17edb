"""The in-memory broker and presence, in-process: fan-out, audiences, slow subscribers,
replay, the stream limit, and presence transitions."""

from __future__ import annotations

import pytest

from netsandbox.chat.events.broker import MemoryBroker, Subscription, broker_from_url
from netsandbox.chat.events.model import encode
from netsandbox.chat.events.presence import OFFLINE, ONLINE, Presence


def drain(subscription: Subscription) -> list[bytes]:
    chunks = []
    while not subscription.queue.empty():
        chunks.append(subscription.queue.get_nowait())
    return chunks


async def test_one_encoded_chunk_is_shared_by_every_subscriber() -> None:
    broker = MemoryBroker()
    subscribers = [broker.subscribe(user) for user in (1, 2, 3)]
    event = broker.publish("user.status", {"id": 1, "status": "hi"})
    chunks = [drain(s) for s in subscribers]
    assert all(c == [event.chunk] and c[0] is event.chunk for c in chunks)
    assert event.chunk == encode("user.status", event.id, {"id": 1, "status": "hi"})


async def test_an_audience_limits_who_receives() -> None:
    broker = MemoryBroker()
    ada, bob, eve = (broker.subscribe(user) for user in (1, 2, 3))
    broker.publish("message.created", {"id": 9}, frozenset((1, 2)))
    assert len(drain(ada)) == len(drain(bob)) == 1
    assert drain(eve) == []


async def test_ids_increase() -> None:
    broker = MemoryBroker()
    ids = [broker.publish("user.status", {}).id for _ in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3


async def test_a_subscriber_with_a_full_queue_is_closed_not_waited_for() -> None:
    broker = MemoryBroker(queue_size=2)
    slow, fast = broker.subscribe(1), broker.subscribe(2)
    for _ in range(3):
        broker.publish("user.status", {})
        drain(fast)
    assert slow.closed
    assert drain(slow)[-1] == b""  # after the closing event: the end
    broker.publish("user.status", {})
    assert len(drain(fast)) == 1


async def test_replay_sends_what_concerns_the_user_after_the_id() -> None:
    broker = MemoryBroker()
    first = broker.publish("user.status", {"n": 1})
    broker.publish("message.created", {"n": 2}, frozenset((5, 6)))
    mine = broker.publish("message.created", {"n": 3}, frozenset((1, 2)))
    again = broker.subscribe(1, last_event_id=first.id)
    assert drain(again) == [mine.chunk]


async def test_an_id_older_than_the_buffer_gets_a_reset() -> None:
    broker = MemoryBroker(replay_size=2)
    first = broker.publish("user.status", {})
    for _ in range(3):
        broker.publish("user.status", {})
    [chunk] = drain(broker.subscribe(1, last_event_id=first.id))
    assert b"event: reset\n" in chunk
    assert drain(broker.subscribe(1, last_event_id=broker.last_id)) == []


async def test_beyond_the_limit_the_oldest_stream_is_closed() -> None:
    broker = MemoryBroker(max_streams_per_user=2)
    oldest, _, _ = (broker.subscribe(1) for _ in range(3))
    assert oldest.closed and broker.streams_of(1) == 2
    assert b'"too_many_streams"' in drain(oldest)[0]


async def test_close_all_ends_every_stream() -> None:
    broker = MemoryBroker()
    streams = [broker.subscribe(user) for user in (1, 1, 2)]
    broker.close_all()
    assert all(s.closed for s in streams) and broker.streams_of(1) == 0


def test_only_memory_urls_are_known() -> None:
    assert isinstance(broker_from_url("memory://"), MemoryBroker)
    with pytest.raises(ValueError, match="memory://"):
        broker_from_url("redis://localhost")


def test_presence_transitions() -> None:
    changes: list[tuple[int, str]] = []
    presence = Presence(grace=0.0, on_change=lambda user, state: changes.append((user, state)))
    presence.stream_opened(1)
    presence.seen(1)
    presence.sweep()
    assert presence.of(1) == ONLINE and changes == [(1, ONLINE)]
    presence.stream_closed(1)
    presence.sweep()
    assert presence.of(1) == OFFLINE and changes == [(1, ONLINE), (1, OFFLINE)]
    presence.seen(2)
    assert presence.annotate({"id": 2}) == {"id": 2, "presence": ONLINE}
    presence.sweep()
    assert changes[-1] == (2, OFFLINE)


def test_presence_stays_online_within_the_grace_period() -> None:
    presence = Presence(grace=60.0)
    presence.stream_opened(1)
    presence.stream_closed(1)
    presence.sweep()
    assert presence.of(1) == ONLINE
