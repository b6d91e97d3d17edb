"""The TCP server runner shared by the one-request-per-connection services (hello, contacts).

A service supplies only its request logic (a ``RequestReader`` per connection, working on
bytes); this module moves the bytes: it caps what it reads, enforces the request deadline,
limits open connections, writes one access-log line per request and shuts down gracefully.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Literal, Protocol

from netsandbox.core.connections import ConnectionTracker
from netsandbox.core.logs import BatchedAccessLines, ThrottledLog, access_logger, peer_text

log = logging.getLogger("netsandbox.tcp")

EndReason = Literal["eof", "deadline", "overflow"]

# How long a replied connection waits for the client to close before it is cut (see _finish).
LINGER_SECONDS = 2.0

# Descriptors kept free for everything that is not a client connection (database, logs...).
RESERVED_DESCRIPTORS = 64


@dataclass(frozen=True, slots=True)
class Reply:
    """What to send back, and how to describe the exchange in the access log."""

    data: bytes
    request: str
    outcome: str = "ok"
    # True when the reply comes before the request ended (an error spotted early): the
    # client may still be sending, so the connection must not be closed under its feet.
    early: bool = False


class RequestReader(Protocol):
    """Assembles one request from the bytes of one connection. Pure: no sockets here."""

    def feed(self, data: bytes) -> Reply | Awaitable[Reply] | None:
        """Take more bytes; return the reply once the request is complete, else None."""

    def end(self, reason: EndReason) -> Reply | Awaitable[Reply] | None:
        """The request cannot grow (EOF, deadline, size cap); reply, or None to just close."""


class OneShotService(Protocol):
    """A service that reads one request per connection, replies once and closes."""

    name: str
    max_request_bytes: int

    def reader(self) -> RequestReader:
        """A fresh reader for a new connection."""

    def busy_reply(self) -> bytes:
        """Sent to a connection refused because the server has no room for it."""

    async def close(self) -> None:
        """Release what the service holds (a database...) once the last reply is sent."""


class OneShotProtocol(asyncio.Protocol):
    """Reads one request (capped, within a deadline), writes the reply, closes."""

    # One object per connection, tens of thousands a second: slots make it cheaper to build.
    __slots__ = (
        "_access",
        "_client_closed",
        "_cut_short",
        "_done",
        "_peer",
        "_reader",
        "_received",
        "_refusals",
        "_replied",
        "_service",
        "_started",
        "_timer",
        "_tracker",
        "_transport",
    )

    def __init__(
        self,
        service: OneShotService,
        tracker: ConnectionTracker,
        access: BatchedAccessLines | None,
        refusals: ThrottledLog,
    ) -> None:
        self._service = service
        self._tracker = tracker
        self._access = access
        self._refusals = refusals
        self._reader = service.reader()
        self._transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None  # the linger timer (see _write_and_close)
        self._received = 0
        self._done = False
        self._replied = False
        self._client_closed = False
        self._cut_short = False  # the request was cut (size cap, deadline): more may follow
        self._started = 0.0
        self._peer: object = None  # the peername, only fetched for the access log

    @property
    def answered(self) -> bool:
        """True once the request is answered, dropped or refused: no deadline applies."""
        return self._done

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]
        self._started = time.monotonic()
        if self._access is not None:
            self._peer = transport.get_extra_info("peername")
        if len(self._tracker.open) >= self._tracker.limit:
            self._done = True
            self._refusals.warning(
                f"{self._service.name}: {len(self._tracker.open)} connections open, the limit; "
                "refusing new ones until some close"
            )
            self._write_and_close(self._service.busy_reply(), linger=True)
            return
        self._tracker.add(self, self._started)

    def data_received(self, data: bytes) -> None:
        if self._done:
            return
        room = self._service.max_request_bytes - self._received
        self._received += len(data)
        if len(data) > room:
            self._cut_short = True
            if room > 0:
                self._settle(self._reader.feed(data[:room]))
            if not self._done:
                self._settle(self._reader.end("overflow"))
            return
        self._settle(self._reader.feed(data))

    def eof_received(self) -> bool:
        self._client_closed = True
        if not self._done:
            self._settle(self._reader.end("eof"))
        elif self._replied and self._transport is not None:
            self._transport.close()  # the client has read our reply and closed its side
        return True  # keep the transport open until our reply is written

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timer()
        self._tracker.discard(self)
        if not self._done:
            self._done = True
            self._log("-", "client closed before a complete request")

    def close_if_waiting(self) -> None:
        """At shutdown: close if unanswered (nothing acknowledged) or already answered."""
        if self._transport is not None and (not self._done or self._replied):
            self._done = True
            self._transport.close()

    def deadline_passed(self) -> None:
        """Called by the tracker: the request's time is up."""
        if not self._done:
            self._cut_short = True
            self._settle(self._reader.end("deadline"))
            if not self._done:  # the reader chose to just drop the connection
                self._finish(None)

    def _settle(self, outcome: Reply | Awaitable[Reply] | None) -> None:
        if outcome is None:
            return
        self._done = True
        if type(outcome) is Reply:  # cheaper than inspect.isawaitable on the hot path
            self._finish(outcome)
            return
        task = asyncio.ensure_future(self._send_later(outcome))
        self._tracker.replying.add(task)
        task.add_done_callback(self._tracker.replying.discard)

    async def _send_later(self, pending: Awaitable[Reply]) -> None:
        try:
            reply = await pending
        except Exception:
            log.exception("%s: request from %s failed", self._service.name, peer_text(self._peer))
            reply = None
        self._finish(reply)

    def _finish(self, reply: Reply | None) -> None:
        self._done = True
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        if reply is None:
            self._log("-", "dropped: no complete request before the deadline")
            transport.abort()
            return
        self._log(reply.request, reply.outcome)
        self._write_and_close(reply.data, linger=self._cut_short or reply.early)

    def _write_and_close(self, data: bytes, *, linger: bool) -> None:
        """Write the reply and close; with ``linger``, close only once the client has closed.

        Closing while bytes from the client are still unread (the rest of an oversized
        request) makes the kernel reset the connection, which can destroy the reply before
        the client reads it. So when such bytes may be pending, half-close and wait for the
        client's own close, cutting a client that never closes after ``LINGER_SECONDS``.
        A request read in full is answered with a plain close: it is the common case, and
        waiting for the client would cost a third of the server's throughput.
        """
        transport = self._transport
        assert transport is not None
        transport.write(data)
        self._replied = True
        if not linger or self._client_closed or not transport.can_write_eof():
            transport.close()
            return
        transport.write_eof()
        self._timer = asyncio.get_running_loop().call_later(LINGER_SECONDS, transport.abort)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _log(self, request: str, outcome: str) -> None:
        if self._access is not None:
            self._access.record(self._peer, request, outcome, self._started)


class TcpServer:
    """Listens for a ``OneShotService``; ``port=0`` picks a free port, read back in ``.port``."""

    def __init__(
        self,
        service: OneShotService,
        host: str,
        port: int,
        *,
        deadline: float,
        max_connections: int,
    ) -> None:
        self.service = service
        self.host = host
        self.port = port
        self._tracker = ConnectionTracker(max_connections, deadline)
        self._server: asyncio.Server | None = None
        self._access = BatchedAccessLines(access_logger(service.name))
        self._refusals = ThrottledLog(logging.getLogger(f"netsandbox.{service.name}"))

    async def start(self) -> None:
        """Bind and start accepting; a taken port raises ``OSError`` with a clear message."""
        loop = asyncio.get_running_loop()
        try:
            self._server = await loop.create_server(
                self._protocol, self.host, self.port, reuse_address=True, backlog=4096
            )
        except OSError as exc:
            raise OSError(
                exc.errno,
                f"cannot listen on {self.host}:{self.port} for {self.service.name}: "
                f"{exc.strerror} (is another server using this port? stop it or pick "
                "another with --port)",
            ) from None
        self.port = self._server.sockets[0].getsockname()[1]

    def _protocol(self) -> OneShotProtocol:
        access = self._access if self._access.enabled() else None
        return OneShotProtocol(self.service, self._tracker, access, self._refusals)

    async def stop(self, timeout: float) -> None:
        """Stop accepting, finish the replies under way (up to ``timeout``), close the rest."""
        if self._server is not None:
            self._server.close()
        self._tracker.stop()
        for connection in list(self._tracker.open):
            connection.close_if_waiting()
        if self._tracker.replying:
            _, late = await asyncio.wait(set(self._tracker.replying), timeout=timeout)
            if late:
                log.warning(
                    "%s: %d replies still pending at shutdown", self.service.name, len(late)
                )
        if self._server is not None:
            await asyncio.wait_for(self._server.wait_closed(), timeout=1.0)
        self._access.flush()
