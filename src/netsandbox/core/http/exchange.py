"""One request/response exchange on a connection, as the protocol writes and logs it.

``Exchange`` stands in for the transport of uvicorn's request/response cycle, for two jobs:

* **one write per small response.** uvicorn writes a response's head as soon as the app
  starts it and the body in a second write: two TCP segments. A client that reads once,
  as the course's raw-socket example does (``client.recv(100*4096)``), would see the
  headers and no body. The first write is held until the next write, a close, or the end
  of the current event-loop turn (so a body streamed later does not hold the head back).
  It also saves a system call per response.
* **the access log.** It notes the status as the head goes out, so the protocol writes
  the one-line-per-request log with no ASGI middleware around the app (that wrapper cost
  as much as the log line itself).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any


class Exchange:
    """The transport as one request/response cycle sees it, plus what its log line needs."""

    __slots__ = ("_first", "_held", "_loop", "_transport", "scope", "started", "status", "target")

    def __init__(
        self,
        transport: asyncio.Transport,
        loop: asyncio.AbstractEventLoop,
        scope: dict[str, Any],
        target: bytes,
    ) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None
        self._first = True
        self.scope = scope  # read when logging: a trusted proxy may have set the client
        self.target = target
        self.started = time.perf_counter()
        self.status = 0  # the final status once the head is written; 0 before

    def write(self, data: bytes) -> None:
        if not self.status and data.startswith(b"HTTP/1.1 ") and data[9:10] != b"1":
            self.status = int(data[9:12])  # the head, not a "100 Continue"
        if self._held is not None:
            data, self._held = self._held + data, None
        elif self._first:
            self._first = False
            self._held = data
            self._loop.call_soon(self.flush)
            return
        self._transport.write(data)

    def flush(self) -> None:
        if self._held is not None:
            data, self._held = self._held, None
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def log_line(self) -> str:
        """``client "METHOD target" status duration``, the target as sent (still %-escaped)."""
        client = self.scope.get("client")
        elapsed = (time.perf_counter() - self.started) * 1000
        return (
            f'{f"{client[0]}:{client[1]}" if client else "-"} '
            f'"{self.scope["method"]} {self.target.decode("latin-1")}" '
            f"{self.status or '-'} {elapsed:.1f}ms"
        )
