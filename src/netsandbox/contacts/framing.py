"""Framing for the contacts protocol: where the one JSON object of a connection ends.

The course's client sends its JSON object with no delimiter and without half-closing, so a
request ends when its top-level object closes. Pure: bytes in, bytes out, no sockets.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from netsandbox.core.errors import ServiceError

if TYPE_CHECKING:
    from netsandbox.core.tcp import EndReason

MAX_REQUEST_BYTES = 64 * 1024
MAX_DEPTH = 32
EXAMPLE = '{"cmd": "list", "args": {}}'

_WHITESPACE = b" \t\r\n"
_NON_WHITESPACE = re.compile(rb"[^ \t\r\n]")
# Outside a string only brackets and quotes matter; inside one, only the quote and backslash.
_STRUCTURE = re.compile(rb'[{}\[\]"]')
_STRING_END_OR_ESCAPE = re.compile(rb'["\\]')
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_CLOSER_OF = {ord("{"): ord("}"), ord("["): ord("]")}


class RequestFramer:
    """Finds where the one JSON object of a connection ends, as its bytes arrive.

    Linear in the bytes received: each ``feed`` scans only the new bytes, jumping from one
    bracket or quote to the next, so a client dripping bytes costs no more than one sending
    them at once. JSON is only parsed once the object is complete.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._started = False
        self._scan_from = 0  # may point past the end, after a backslash that ends a chunk
        self._open: list[int] = []  # closing bytes still expected, innermost last
        self._in_string = False
        self._utf8 = codecs.getincrementaldecoder("utf-8")()

    def feed(self, data: bytes) -> bytes | None:
        """Take more bytes; return the complete object's bytes, or None to wait for more."""
        start = len(self._buffer)
        self._buffer += data
        if not self._started:
            first = _NON_WHITESPACE.search(self._buffer, start)
            if first is None:
                return None
            if self._buffer[first.start()] != ord("{"):
                raise not_an_object(bytes(self._buffer[first.start() : first.start() + 40]))
            self._started = True
            self._scan_from = first.start()
        self._check_utf8(data, final=False)
        end = self._scan()
        if end is None:
            return None
        if self._buffer[end:].strip(_WHITESPACE):
            raise ServiceError(
                "one_object_per_connection",
                "received more bytes after the end of the JSON object: send one JSON object "
                "per connection, then read the reply (open a new connection for the next one)",
            )
        return bytes(self._buffer[:end])

    def end(self, reason: EndReason, deadline: float) -> ServiceError:
        """The error to reply when the request stops growing before it is complete."""
        if reason == "overflow":
            return ServiceError(
                "request_too_large",
                f"the request is larger than {MAX_REQUEST_BYTES // 1024} KiB "
                f"({MAX_REQUEST_BYTES} bytes), the most this server reads: send one small "
                f"JSON object like {EXAMPLE}",
                limit=MAX_REQUEST_BYTES,
            )
        if reason == "eof":
            try:
                self._check_utf8(b"", final=True)  # a character cut short by the end
            except ServiceError as exc:
                return exc
            nothing = "the connection was closed before any request arrived"
            partial = "the connection was closed before the JSON object was complete"
        else:
            allowed = f"{deadline:g} s after connecting (the time each request is given)"
            nothing = f"nothing arrived {allowed}"
            partial = f"the JSON object was still incomplete {allowed}"
        if not self._buffer.strip(_WHITESPACE):
            return ServiceError(
                "incomplete_request", f"{nothing}: send one JSON object like {EXAMPLE}"
            )
        return ServiceError(
            "incomplete_request",
            f"{partial}: received {len(self._buffer)} bytes ({_preview(self._buffer)}), "
            f"still missing {self._missing()}",
            received=len(self._buffer),
        )

    def _scan(self) -> int | None:
        """Advance over the new bytes; the end offset once the top-level object closes."""
        buffer, position = self._buffer, self._scan_from
        while position < len(buffer):
            if self._in_string:
                found = _STRING_END_OR_ESCAPE.search(buffer, position)
                if found is None:
                    position = len(buffer)
                    break
                index = found.start()
                if buffer[index] == _BACKSLASH:
                    position = index + 2  # skip the escaped byte, even in the next chunk
                    continue
                self._in_string = False
                position = index + 1
                continue
            found = _STRUCTURE.search(buffer, position)
            if found is None:
                position = len(buffer)
                break
            index = found.start()
            byte = buffer[index]
            position = index + 1
            if byte == _QUOTE:
                self._in_string = True
            elif byte in _CLOSER_OF:
                self._open.append(_CLOSER_OF[byte])
                if len(self._open) > MAX_DEPTH:
                    raise ServiceError(
                        "too_deep",
                        f"the JSON is nested more than {MAX_DEPTH} levels deep: a request is "
                        f"a flat object like {EXAMPLE}",
                        limit=MAX_DEPTH,
                    )
            elif byte != self._open[-1]:
                raise ServiceError(
                    "invalid_json",
                    f"invalid JSON: {chr(byte)!r} at byte {index + 1} where "
                    f"{chr(self._open[-1])!r} was expected to close the open bracket",
                )
            else:
                self._open.pop()
                if not self._open:
                    self._scan_from = position
                    return position
        self._scan_from = position
        return None

    def _check_utf8(self, data: bytes, *, final: bool) -> None:
        try:
            self._utf8.decode(data, final=final)
        except UnicodeDecodeError as exc:
            raise ServiceError(
                "invalid_utf8",
                f"the request is not valid UTF-8 text ({exc.reason}): JSON must be sent as "
                "UTF-8, for example json.dumps(request).encode()",
            ) from None

    def _missing(self) -> str:
        parts = ['a closing " for the string that is still open'] if self._in_string else []
        parts += [repr(chr(closer)) for closer in reversed(self._open)]
        return ", then ".join(parts)


def not_an_object(head: bytes) -> ServiceError:
    """The error for a request whose first byte is not ``{``; ``head`` is how it starts."""
    if head[:1] == b"\x80" and (len(head) == 1 or 1 <= head[1] <= 5):
        return ServiceError(
            "pickle_not_accepted",
            "this looks like a pickle: this server only accepts JSON, never pickle (unpickling "
            "data from the network would let the sender run code on the server); send "
            f"json.dumps(request).encode() with a request like {EXAMPLE}",
        )
    if head.startswith(codecs.BOM_UTF8):
        return ServiceError(
            "invalid_json",
            f"the request starts with a UTF-8 byte order mark (BOM): remove it and send only "
            f"the JSON object, like {EXAMPLE}",
        )
    kind = _json_kind(head)
    if head[0] >= 0x80 or (head[0] < 0x20 and head[:1] not in _WHITESPACE):
        received = "binary data, not JSON text"
    elif kind is not None:
        received = f"a JSON {kind} ({_preview(head)})"
    else:
        received = f"text that is not JSON ({_preview(head)})"
    return ServiceError(
        "not_a_json_object",
        f"received {received}: a request must be one JSON object like {EXAMPLE}",
    )


def _json_kind(head: bytes) -> str | None:
    """What JSON value ``head`` starts, if any (to tell the student what they sent)."""
    if head[:1] == b"[":
        return "array"
    if head[:1] == b'"':
        return "string"
    if head[:1] == b"-" or head[:1].isdigit():
        return "number"
    if head.startswith((b"true", b"false", b"null")):
        return "literal"
    return None


def _preview(data: bytes | bytearray, limit: int = 40) -> str:
    text = bytes(data[:limit]).decode("utf-8", errors="replace")
    return repr(text) + ("..." if len(data) > limit else "")
