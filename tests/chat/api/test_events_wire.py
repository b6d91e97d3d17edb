"""GET /api/events byte by byte, over a raw socket to a real server: the events the server
writes straight to the connection are valid HTTP/1.1 chunks, a stream the server ends is
ended properly (the connection then serves another request), and a reader that stops
reading is closed as too slow."""

from __future__ import annotations

import socket

from tests.chat.api.sse import open_events
from tests.chat.api.test_events import Person, api, chat, join  # noqa: F401
from tests.chat.live import base_url
from tests.conftest import ServiceProcess


def open_raw(chat: ServiceProcess, person: Person, receive_buffer: int = 0) -> socket.socket:  # noqa: F811
    sock = socket.socket()
    if receive_buffer:  # set before connecting, so the window offered is small from the start
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.settimeout(10)
    sock.connect(chat.address)
    sock.sendall(
        b"GET /api/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n"
        % person.token.encode()
    )
    return sock


class ChunkReader:
    """Reads an HTTP/1.1 response with a chunked body, one chunk at a time, strictly."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.data = sock, b""
        self.head = self._until(b"\r\n\r\n")

    def _more(self) -> None:
        data = self.sock.recv(65536)
        assert data, "the connection closed in the middle of the response"
        self.data += data

    def _until(self, mark: bytes) -> bytes:
        while mark not in self.data:
            self._more()
        part, _, self.data = self.data.partition(mark)
        return part

    def chunk(self) -> bytes:
        """The next chunk's data; b"" for the last chunk."""
        size = int(self._until(b"\r\n"), 16)
        while len(self.data) < size + 2:
            self._more()
        data, end, self.data = self.data[:size], self.data[size : size + 2], self.data[size + 2 :]
        assert end == b"\r\n", f"a chunk of {size} bytes is not followed by CRLF"
        return data

    def until(self, text: bytes) -> list[bytes]:
        chunks = []
        while not chunks or text not in chunks[-1]:
            chunks.append(self.chunk())
            assert chunks[-1], f"the response ended before {text!r}"
        return chunks


def test_a_stream_ended_by_the_server_leaves_the_connection_usable(chat, api) -> None:  # noqa: F811
    bob = join(chat, api, "bob")
    with open_raw(chat, bob) as sock:
        stream = ChunkReader(sock)
        assert stream.head.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"transfer-encoding: chunked" in stream.head.lower()
        assert stream.chunk().startswith(b"retry: ")
        api.patch("/api/users/me", json={"status": "one"}, headers=bob.headers)
        assert b'"status":"one"' in stream.until(b"event: user.status")[-1]
        newer = [open_events(base_url(chat), bob.token) for _ in range(5)]  # a sixth stream
        for other in newer:
            other.__enter__()
        try:
            closing = stream.until(b"event: closed")[-1]
            assert b'"too_many_streams"' in closing
            assert stream.chunk() == b""  # the last chunk: the response is complete
            assert stream.data == b""  # and nothing follows it
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")  # the same connection
            assert ChunkReader(sock).head.startswith(b"HTTP/1.1 200 OK\r\n")
        finally:
            for other in newer:
                other.__exit__(None, None, None)


def test_a_reader_that_stops_reading_is_closed_as_too_slow(chat, api) -> None:  # noqa: F811
    ada, bob = join(chat, api, "ada"), join(chat, api, "bob")
    body = "x" * 2000  # the longest message: about 2.3 kB an event
    with open_raw(chat, bob, receive_buffer=4096) as sock:
        stream = ChunkReader(sock)
        assert stream.chunk().startswith(b"retry: ")
        # Bob reads nothing more: the server's buffers fill (a few hundred kB), then it
        # closes his stream. Far more than that is sent, then his side is read.
        for _ in range(400):
            sent = api.post("/api/messages", json={"to": bob.id, "body": body}, headers=ada.headers)
            assert sent.status_code == 201
        chunks = stream.until(b"event: closed")
        assert b'"too_slow"' in chunks[-1]
        assert len([c for c in chunks if b"message.created" in c]) < 400
        assert stream.chunk() == b""
