"""An event of the live stream, and its text/event-stream encoding (the SSE wire format)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

# Who receives an event: these user ids, or everyone (None).
Audience = frozenset[int] | None

MESSAGE_CREATED = "message.created"
MESSAGE_READ = "message.read"
USER_CREATED = "user.created"
USER_STATUS = "user.status"
USER_PRESENCE = "user.presence"
RESET = "reset"
CLOSED = "closed"  # the last event of a stream the server ends; data says why
EVENT_TYPES = (
    MESSAGE_CREATED, MESSAGE_READ, USER_CREATED, USER_STATUS, USER_PRESENCE, RESET, CLOSED
)  # fmt: skip
# Why a stream was closed; a client should not reconnect after the first.
TOO_MANY_STREAMS = "too_many_streams"
TOO_SLOW = "too_slow"
SHUTDOWN = "shutdown"
LOGGED_OUT = "logged_out"  # the token or session the stream was opened with was revoked

HEARTBEAT = b": heartbeat\n\n"


@dataclass(frozen=True, slots=True)
class Event:
    """``type`` names what happened, ``id`` orders events (increasing), ``data`` is JSON."""

    type: str
    id: int
    data: dict[str, Any]
    audience: Audience = None
    chunk: bytes = field(default=b"", compare=False)

    def concerns(self, user: int) -> bool:
        return self.audience is None or user in self.audience


def encode(event_type: str, event_id: int | None, data: dict[str, Any]) -> bytes:
    """One SSE block: ``id:``, ``event:`` and a single ``data:`` line (JSON has no newline)."""
    head = b"id: %d\n" % event_id if event_id is not None else b""
    return b"%sevent: %s\ndata: %s\n\n" % (head, event_type.encode(), orjson.dumps(data))


def retry_hint(milliseconds: int) -> bytes:
    """Tells an EventSource how long to wait before reconnecting."""
    return b"retry: %d\n\n" % milliseconds
