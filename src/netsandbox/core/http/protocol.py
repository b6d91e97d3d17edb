"""uvicorn's httptools protocol with the limits uvicorn lacks.

uvicorn (0.54) parses with httptools, which already answers 400 to a request carrying both
Content-Length and Transfer-Encoding. What it does not do, and this subclass adds:

* **request deadline**: a connection must deliver each complete request (head and body)
  within ``request_timeout`` seconds, counted from the connection for the first request and
  from its first byte for the next ones. When it passes, a client that sent part of a
  request gets 408, a silent one is simply closed. (Between requests, uvicorn's keep-alive
  timeout applies.) The timer is lazy: a request only notes its deadline; the connection's
  one timer, when it fires, re-arms itself for the current deadline if that is later. So
  a busy keep-alive connection costs no timer per request.
* **header cap**: request line plus headers over ``max_header_bytes`` get 431: summed
  exactly once the head is parsed, and counted raw while it is still arriving, so one
  endless header line is cut without being buffered.
* **body cap**: a Content-Length over ``max_body_bytes`` gets 413 before the app runs or
  any body byte is read; a chunked body is counted as it streams and cut the same way.

Every rejection is JSON in the common error shape, sent with ``Connection: close``. Each
request, answered or rejected, gets one access-log line, written here (see ``Exchange``).
Every GET request may also hand its response over to the app (see ``push.py``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from netsandbox.core.http.error_shape import error_json
from netsandbox.core.http.exchange import Exchange
from netsandbox.core.http.push import LAST_CHUNK, PUSH, PushedResponse
from netsandbox.core.logs import BatchedLines

log = logging.getLogger("netsandbox.http")

MAX_HEADER_BYTES = 16 * 1024

# After a rejection, how long the rest of the request is read and dropped before closing.
LINGER_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """What one request may take: time to arrive, size of its head, size of its body."""

    request_timeout: float
    max_body_bytes: int
    max_header_bytes: int = MAX_HEADER_BYTES


class _Rejected(Exception):
    """Raised in a parser callback, after the rejection is sent, to stop the parser."""


def error_response(
    status: int, message: str, default_headers: list[tuple[bytes, bytes]]
) -> bytes:
    """A complete HTTP/1.1 error response in the common shape, closing the connection."""
    body = error_json(status, message)
    head = [STATUS_LINE[status]]
    for name, value in default_headers:
        head += [name, b": ", value, b"\r\n"]
    head += [
        b"content-type: application/json\r\n",
        b"content-length: %d\r\n" % len(body),
        b"connection: close\r\n\r\n",
    ]
    return b"".join(head) + body


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """One client connection; ``limits`` is set on the subclass made by ``guarded_protocol``."""

    limits: ClassVar[HttpLimits]
    access: ClassVar[BatchedLines]

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._timer: asyncio.TimerHandle | None = None
        self._due = False  # a request is due before ``_deadline``
        self._deadline = 0.0
        self._in_request = False  # between the first byte of a request and its last
        self._reading_head = False
        self._head_bytes = 0  # raw bytes received while the head was incomplete
        self._body_bytes = 0
        self._rejected = False
        self._push: PushedResponse | None = None  # a response the app writes directly
        self._push_exchange: Exchange | None = None  # its log line
        self._push_keep_alive = False
        self._push_interrupted = False  # the client sent more while it was open
        super().connection_made(transport)
        self._client_text = f"{self.client[0]}:{self.client[1]}" if self.client else "-"
        self._expect_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timer()
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete and not self._rejected:
            exchange = cycle.transport
            if isinstance(exchange, Exchange) and self.access.enabled():
                note = " (the client left before the response was complete)"
                self.access.add(exchange.log_line() + note)
        super().connection_lost(exc)
        if self.scope is not None:  # the bound method there points back here
            self.scope.pop("extensions", None)
        push, self._push = self._push, None
        if push is not None:
            if self._push_exchange is not None and self.access.enabled():
                note = " (the client left during the response)"
                self.access.add(self._push_exchange.log_line() + note)
            self._push_exchange = None
            push.lost()

    def data_received(self, data: bytes) -> None:
        # uvicorn's own version, plus the raw head count and our error responses.
        if self._rejected:
            return  # what a rejected client still sends is dropped
        if self._push is not None:  # a request behind an endless response: never answered
            self._push_interrupted = True
            return
        self._unset_keepalive_if_required()
        if self._reading_head:
            self._head_bytes += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError as exc:
            if not self._rejected:
                reason = str(exc).strip() or "malformed request"
                self._reject(400, f"Invalid HTTP request: {reason}.")
            return
        if self._reading_head and self._head_bytes > self.limits.max_header_bytes:
            self._reject_head()

    def _unsupported_upgrade_warning(self) -> None:
        # uvicorn would warn twice per request and suggest installing a library; a service
        # without WebSockets just answers such a request as plain HTTP.
        log.debug("%s asked to upgrade the connection; answering in plain HTTP", self.client)

    def handle_websocket_upgrade(self) -> None:
        self._stop_timer()  # the WebSocket protocol keeps its own time from here on
        super().handle_websocket_upgrade()

    # Parser callbacks

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_request = self._reading_head = True
        self._head_bytes = self._body_bytes = 0
        if not self._due:  # the first request's deadline counts from the connection
            self._expect_request()

    def on_headers_complete(self) -> None:
        self._reading_head = False
        # Sizes are summed here, once, rather than in per-header callbacks: this runs on
        # every request, and the raw count in data_received already stops endless heads.
        size = len(self.url)
        length = None
        for name, value in self.headers:  # names are lower-cased by uvicorn's on_header
            size += len(name) + len(value) + 4
            if name == b"content-length":
                length = value
        if size > self.limits.max_header_bytes:
            self._reject_head()
            raise _Rejected
        # A malformed length is left to the parser, which answers 400.
        declared = int(length) if length and len(length) < 20 and length.isdigit() else 0
        if declared > self.limits.max_body_bytes:
            self._reject_body(declared)
            raise _Rejected
        previous = self.cycle
        super().on_headers_complete()
        cycle = self.cycle
        if cycle is not previous:  # a new request/response cycle (not an upgrade)
            exchange = Exchange(self.transport, self.loop, self.scope, self.url)
            cycle.transport = exchange  # type: ignore[assignment]
            cycle.on_response = lambda: self._response_done(exchange)
            if self.scope["method"] == "GET":
                self.scope["extensions"] = {PUSH: self._open_push}

    def _open_push(
        self, scope: dict[str, Any], on_lost: Callable[[], None]
    ) -> PushedResponse | None:
        """Hand the current response's body over to the app (see push.py)."""
        cycle = self.cycle
        if (
            self._push is not None
            or cycle is None
            or cycle.scope is not scope
            or not cycle.response_started
            or cycle.response_complete
            or cycle.disconnected
            or not cycle.chunked_encoding
            or self.transport.is_closing()
        ):
            return None
        exchange = cycle.transport
        if not isinstance(exchange, Exchange):
            return None
        exchange.flush()  # the head, if still held, goes before anything written directly
        # From here uvicorn sees the response as complete: the app's task may return (its
        # run_asgi, receive and send leave the connection alone) and it ends in _end_push.
        cycle.response_complete = True
        # Nothing here keeps the request's scope (what the framework hung there for the
        # request goes with the app's task) nor its cycle: a handed-over response may stay
        # open for hours, thousands at once. What the log line needs is kept.
        kept = {"client": scope.get("client"), "method": scope["method"]}
        cycle.scope = exchange.scope = self.scope = kept  # type: ignore[assignment]
        self.cycle = None  # type: ignore[assignment]
        self._push_exchange = exchange
        self._push_keep_alive = cycle.keep_alive
        self._push_interrupted = False
        self._push = PushedResponse(self.transport, on_lost, self._end_push)
        return self._push

    def _end_push(self, push: PushedResponse, keep_alive: bool) -> None:
        """The last chunk, then the connection goes on as after any response."""
        if self._push is not push:
            return
        self._push = None
        exchange, self._push_exchange = self._push_exchange, None
        if not self.transport.is_closing():
            self.transport.write(LAST_CHUNK)
            if not (keep_alive and self._push_keep_alive) or self._push_interrupted:
                self.transport.close()
        if exchange is not None:
            self._response_done(exchange)  # its log line; then the next request, if any

    def _response_done(self, exchange: Exchange) -> None:
        if self.access.enabled():
            self.access.add(exchange.log_line())
        self.on_response_complete()

    def on_body(self, body: bytes) -> None:
        self._body_bytes += len(body)
        if self._body_bytes > self.limits.max_body_bytes:
            self._reject_body(self._body_bytes)
            raise _Rejected
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._due = self._in_request = False
        super().on_message_complete()

    # Deadline

    def _expect_request(self) -> None:
        self._due = True
        self._deadline = self.loop.time() + self.limits.request_timeout
        if self._timer is None:
            self._timer = self.loop.call_at(self._deadline, self._on_timer)

    def _stop_timer(self) -> None:
        self._due = False
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _on_timer(self) -> None:
        self._timer = None
        if not self._due or self.transport.is_closing():
            return
        if self.loop.time() < self._deadline:  # a later request moved the deadline
            self._timer = self.loop.call_at(self._deadline, self._on_timer)
            return
        if self._in_request:
            self._reject(
                408,
                f"The request was not complete within {self.limits.request_timeout:g} s; "
                "send the whole request at once.",
            )
        else:
            self._due = False
            self._log_rejection("-", "closed: no request before the deadline")
            self.transport.close()

    # Rejections

    def _reject_head(self) -> None:
        self._reject(
            431,
            f"The request line and headers exceed {self.limits.max_header_bytes} bytes.",
        )

    def _reject_body(self, size: int) -> None:
        self._reject(
            413,
            f"The request body ({size} bytes or more) exceeds this service's limit of "
            f"{self.limits.max_body_bytes} bytes.",
        )

    def _reject(self, status: int, message: str) -> None:
        """Answer ``status`` (unless a response is under way) and close the connection."""
        self._rejected = True
        self._in_request = self._reading_head = False
        self._stop_timer()
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            # The app is running: from now on it sees a disconnect and its sends are dropped.
            cycle.disconnected = True
            cycle.message_event.set()
            if cycle.response_started:
                self.transport.close()
                return
        self.transport.write(error_response(status, message, self.server_state.default_headers))
        self._log_rejection(str(status), message)
        if not self.transport.can_write_eof():
            self.transport.close()
            return
        # Closing with request bytes still unread makes the kernel reset the connection,
        # which can destroy the reply before the client reads it. So: end our side, drop
        # whatever still comes, and cut the connection if the client does not close.
        self.transport.write_eof()
        self.flow.resume_reading()
        self.loop.call_later(LINGER_SECONDS, self.transport.abort)

    def _log_rejection(self, status: str, message: str) -> None:
        if self.access.enabled():
            self.access.add(f"{self._client_text} - {status} {message}")


def guarded_protocol(
    limits: HttpLimits, access: BatchedLines
) -> type[GuardedHttpToolsProtocol]:
    """The protocol class uvicorn should instantiate for each connection, with these limits."""
    return type(
        "GuardedHttpToolsProtocol",
        (GuardedHttpToolsProtocol,),
        {"limits": limits, "access": access},
    )
