"""ConnectionTracker: one timer ends every connection's request at its own deadline."""

from __future__ import annotations

import asyncio
import time

from netsandbox.core.connections import DEADLINE_SLACK, ConnectionTracker


class Waiting:
    """A connection as the tracker sees it: answered or not, told when its time is up."""

    def __init__(self) -> None:
        self.answered = False
        self.started = time.monotonic()
        self.ended: float | None = None
        self.told = asyncio.Event()

    def deadline_passed(self) -> None:
        self.ended = time.monotonic()
        self.told.set()

    def close_if_waiting(self) -> None:
        """Not needed here."""


async def test_each_connection_is_ended_at_its_own_deadline() -> None:
    tracker = ConnectionTracker(limit=10, deadline=0.3)
    first = Waiting()
    tracker.add(first, first.started)
    await asyncio.sleep(0.1)
    second, answered = Waiting(), Waiting()
    tracker.add(second, second.started)
    tracker.add(answered, answered.started)
    answered.answered = True
    await asyncio.wait_for(second.told.wait(), timeout=5)
    for connection in (first, second):
        assert connection.ended is not None
        assert connection.ended - connection.started >= 0.3 - DEADLINE_SLACK
    assert first.ended is not None and second.ended is not None
    assert first.ended < second.ended
    assert answered.ended is None
    tracker.stop()


async def test_a_closed_connection_is_forgotten_and_stop_cancels_the_timer() -> None:
    tracker = ConnectionTracker(limit=10, deadline=0.05)
    gone, stays = Waiting(), Waiting()
    tracker.add(gone, gone.started)
    tracker.add(stays, stays.started)
    tracker.discard(gone)
    assert list(tracker.open) == [stays]
    await asyncio.wait_for(stays.told.wait(), timeout=5)
    assert gone.ended is None
    late = Waiting()
    tracker.add(late, late.started)
    tracker.stop()
    await asyncio.sleep(0.1)
    assert late.ended is None
