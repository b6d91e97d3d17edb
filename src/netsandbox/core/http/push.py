"""Responses that outlive their request's task: the body written straight to the connection.

An ASGI app writes a body by awaiting ``send()`` in its request's task. For an endless
response such as an event stream, that keeps a task, and the frames of every middleware
and router it runs under, alive as long as the stream; and one event for thousands of
streams is thousands of task wake-ups before the last byte moves.

Our HTTP runner (``protocol.py``) offers every GET request ``scope["extensions"][PUSH]``, a
callable ``open(scope, on_lost)``. Called once the app has started a chunked response
through ``send()`` (the head is written), it hands the rest of the response over: it
returns a ``PushedResponse``, the app's task may return at once, and from then on the app
writes body parts to ``push.transport`` itself, each framed with ``chunk()``, from any
callback. ``push.end()`` writes the last chunk and gives the connection back to the server
(kept alive for the next request, or closed; ``end(keep_alive=False)`` always closes it).
If the client goes away first, ``on_lost`` is called instead. Flow control is the app's:
the transport buffers what the socket does not take, and
``transport.get_write_buffer_size()`` says how much. When the server stops, a response
still handed over is cut: an app ends its own first (the runner calls the app's
``state.before_shutdown()`` for that).

``open`` returns None when the response cannot be handed over (not chunked, the
connection closing, not the connection's current request), and other servers (and httpx's
in-process ``ASGITransport``) offer no such extension: the app then goes on with ``send()``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

PUSH = "netsandbox.push"
LAST_CHUNK = b"0\r\n\r\n"


class PushedResponse:
    """A response body the app writes directly; ``end()`` once, or ``on_lost`` is called."""

    __slots__ = ("_end", "on_lost", "transport")

    def __init__(
        self,
        transport: asyncio.WriteTransport,
        on_lost: Callable[[], None] | None,
        end: Callable[[PushedResponse, bool], None],
    ) -> None:
        self.transport = transport
        self.on_lost = on_lost
        self._end: Callable[[PushedResponse, bool], None] | None = end

    def end(self, keep_alive: bool = True) -> None:
        """Write the last chunk; the connection goes on as after any response (unless
        ``keep_alive`` is False: then it is closed once what is buffered is written)."""
        end, self._end, self.on_lost = self._end, None, None
        if end is not None:
            end(self, keep_alive)

    def lost(self) -> None:
        """Called by the server when the client went away before ``end()``."""
        on_lost, self._end, self.on_lost = self.on_lost, None, None
        if on_lost is not None:
            on_lost()


class OpenPush(Protocol):
    def __call__(
        self, scope: dict[str, Any], on_lost: Callable[[], None]
    ) -> PushedResponse | None: ...


def push_opener(scope: dict[str, Any]) -> OpenPush | None:
    """The server's ``open(scope, on_lost)`` for this request, if it offers one."""
    extensions = scope.get("extensions")
    return extensions.get(PUSH) if extensions else None


def chunk(data: bytes) -> bytes:
    """``data`` framed as one HTTP/1.1 chunk, as the server frames a body part."""
    return b"%x\r\n%s\r\n" % (len(data), data)
