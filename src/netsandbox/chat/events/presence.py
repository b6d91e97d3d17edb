"""Who is online: a user with an open stream, or who made a request in the last ``grace``
seconds (so a closed tab or a finished script shows offline a little later, and a stream
that reconnects does not flicker).

Everything is in memory and cheap: a request costs one clock read and one dict write; a
sweep every fraction of the grace period finds who went quiet. ``version`` moves on each
transition, so cached pages that show presence know when to rebuild.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from netsandbox.chat.models import utc_now
from netsandbox.chat.store import iso

ONLINE = "online"
OFFLINE = "offline"

# Called on each transition with the user id and the new state.
Transition = Callable[[int, str], None]


class Presence:
    def __init__(self, grace: float, on_change: Transition | None = None) -> None:
        self.grace = grace
        self.version = 0
        self._on_change = on_change
        self._streams: dict[int, int] = {}
        self._until: dict[int, float] = {}  # user -> monotonic time they turn offline

    def of(self, user: int) -> str:
        return ONLINE if user in self._until or user in self._streams else OFFLINE

    def seen(self, user: int) -> None:
        """A request from ``user``: online for at least the grace period."""
        was_online = user in self._until or user in self._streams
        self._until[user] = time.monotonic() + self.grace
        if not was_online:
            self._changed(user, ONLINE)

    def stream_opened(self, user: int) -> None:
        was_online = user in self._until or user in self._streams
        self._streams[user] = self._streams.get(user, 0) + 1
        if not was_online:
            self._changed(user, ONLINE)

    def stream_closed(self, user: int) -> None:
        left = self._streams.get(user, 0) - 1
        if left > 0:
            self._streams[user] = left
            return
        self._streams.pop(user, None)
        self._until[user] = max(self._until.get(user, 0.0), time.monotonic() + self.grace)

    def sweep(self) -> None:
        """Turn offline who has no stream and no request within the grace period."""
        now = time.monotonic()
        expired = [user for user, until in self._until.items() if until <= now]
        for user in expired:
            del self._until[user]
            if user not in self._streams:
                self._changed(user, OFFLINE)

    def annotate(self, user: dict[str, Any]) -> dict[str, Any]:
        """A user resource with its ``presence`` field."""
        user["presence"] = self.of(user["id"])
        return user

    def _changed(self, user: int, state: str) -> None:
        self.version += 1
        if self._on_change is not None:
            self._on_change(user, state)


def presence_data(user: int, state: str) -> dict[str, Any]:
    """The ``user.presence`` event's data."""
    return {"id": user, "presence": state, "at": iso(utc_now())}
