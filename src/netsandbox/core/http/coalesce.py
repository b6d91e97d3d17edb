"""Sends a response's head and its body in one write, so they arrive together.

uvicorn writes the head of a response as soon as the app starts it, and the body in a
second write: two TCP segments. A client that reads once, as the course's raw-socket
example does (``client.recv(100*4096)``), then sees the headers and no body. One write
also means one system call instead of two.
"""

from __future__ import annotations

import asyncio


class HeadWithBody:
    """Stands in for the transport of one request/response cycle.

    The cycle's first write (the head, or a ``100 Continue``) is held until the next write,
    a close, or the end of the current event-loop turn, whichever comes first: a response
    that streams its body late still gets its head out at once.
    """

    __slots__ = ("_first", "_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None
        self._first = True

    def write(self, data: bytes) -> None:
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
