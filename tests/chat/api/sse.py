"""A small reader of server-sent events for the tests: the wire format read line by line,
independently of the reference client."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

READ_TIMEOUT = 10.0  # a test that waits for an event that never comes fails, not hangs


@dataclass
class Received:
    type: str
    id: int | None
    data: dict[str, Any]


@dataclass
class EventStreamReader:
    response: httpx.Response
    comments: list[str] = field(default_factory=list)
    retry: int | None = None

    def __post_init__(self) -> None:
        self._lines = self.response.iter_lines()

    def next(self) -> Received | None:
        """The next event; None when the server ends the stream."""
        kind, event_id, data = "message", None, []
        for line in self._lines:
            if not line:
                if data:
                    return Received(kind, event_id, json.loads("\n".join(data)))
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if not name:
                self.comments.append(value)
            elif name == "event":
                kind = value
            elif name == "data":
                data.append(value)
            elif name == "id":
                event_id = int(value)
            elif name == "retry":
                self.retry = int(value)
        return None

    def until(self, kind: str, **fields: Any) -> tuple[Received, list[Received]]:
        """The first event of type ``kind`` whose data has ``fields``, and those before it."""
        skipped = []
        while (event := self.next()) is not None:
            if event.type == kind and all(event.data.get(k) == v for k, v in fields.items()):
                return event, skipped
            skipped.append(event)
        raise AssertionError(f"the stream ended before a {kind} {fields}; got {skipped}")


@contextlib.contextmanager
def open_events(
    base_url: str, token: str, last_event_id: int | None = None
) -> Iterator[EventStreamReader]:
    headers = {"Authorization": f"Bearer {token}"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    timeout = httpx.Timeout(10.0, read=READ_TIMEOUT)
    with (
        httpx.Client(base_url=base_url, timeout=timeout) as http,
        http.stream("GET", "/api/events", headers=headers) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        yield EventStreamReader(response)
