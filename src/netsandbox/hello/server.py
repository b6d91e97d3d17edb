"""The hello service: echo the first message back with a prefix, then close."""

from __future__ import annotations

from netsandbox.core.runner import run_tcp_service
from netsandbox.core.settings import ServiceSettings
from netsandbox.core.tcp import EndReason, Reply

MAX_MESSAGE_BYTES = 64 * 1024
REPLY_PREFIX = "data received by the server: "
# A first read this large may be only part of what the client is sending: the reply then
# waits for the client to close, so the rest arriving cannot reset the connection.
MAY_CONTINUE_BYTES = 4096
# Replies kept for messages seen before: at most this many, for messages up to this long.
KNOWN_MESSAGES = 256
KNOWN_MESSAGE_BYTES = 1024


def reply_to(message: bytes) -> Reply:
    """The reply to ``message``: prefixed, newline-terminated so line-based clients see an end."""
    text = message.decode("utf-8", errors="replace")
    line = REPLY_PREFIX + text
    if not line.endswith("\n"):
        line += "\n"
    preview = text.strip()[:40]
    return Reply(line.encode("utf-8"), request=f"{len(message)}B {preview!r}")


class HelloReader:
    """Answers whatever the first read brings; a silent client is simply dropped."""

    def __init__(self, known: dict[bytes, Reply]) -> None:
        self._known = known

    def feed(self, data: bytes) -> Reply:
        reply = self._known.get(data)
        if reply is not None:
            return reply
        reply = reply_to(data)
        if len(data) >= MAY_CONTINUE_BYTES:
            return Reply(reply.data, reply.request, reply.outcome, early=True)
        if len(data) <= KNOWN_MESSAGE_BYTES:
            if len(self._known) >= KNOWN_MESSAGES:
                self._known.clear()
            self._known[data] = reply
        return reply

    def end(self, reason: EndReason) -> Reply | None:
        # EOF before any byte: answer the empty message. Deadline: drop the silent client.
        return reply_to(b"") if reason == "eof" else None


class HelloService:
    """The hello service as the TCP runner sees it."""

    name = "hello"
    max_request_bytes = MAX_MESSAGE_BYTES

    def __init__(self) -> None:
        # The reply is a function of the message alone, and clients (the course's notebook
        # above all) send the same few messages: a repeated one costs a look-up.
        self._known: dict[bytes, Reply] = {}

    def reader(self) -> HelloReader:
        return HelloReader(self._known)

    def busy_reply(self) -> bytes:
        return b"server busy: too many open connections, try again in a moment\n"

    async def close(self) -> None:
        """Nothing to release."""


def serve(settings: ServiceSettings) -> int:
    """Run the hello service until stopped; return the exit status."""
    return run_tcp_service(HelloService(), settings)
