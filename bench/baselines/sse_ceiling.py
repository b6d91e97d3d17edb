"""The fan-out ceiling: a bare uvloop protocol that holds event streams and writes one
pre-encoded chunk to every one of them.

``GET`` (any path) opens a stream: the response head and a ``retry:`` line, then nothing
until an event. ``PATCH`` (any path) with a JSON body ``{"status": ...}`` is the trigger:
the event is encoded and framed as an HTTP/1.1 chunk once, written to every open stream,
and the trigger gets a 204. Nothing a real service needs (no authentication, no routing, no
flow control, no heartbeats, no logging): what the event loop itself can do on one core.
"""

from __future__ import annotations

import argparse
import asyncio
import json

import uvloop

HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
    b"cache-control: no-store\r\ntransfer-encoding: chunked\r\n\r\n"
)
RETRY = b"retry: 2000\n\n"
STREAMS: set[asyncio.Transport] = set()


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


class Stream(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.received = b""

    def data_received(self, data: bytes) -> None:
        self.received += data
        head, found, body = self.received.partition(b"\r\n\r\n")
        if not found:
            return
        if head.startswith(b"GET "):
            self.transport.write(HEAD + chunk(RETRY))
            STREAMS.add(self.transport)
            return
        length = next(
            (int(line.split(b":")[1]) for line in head.split(b"\r\n")
             if line.lower().startswith(b"content-length:")),
            0,
        )  # fmt: skip
        if len(body) < length:
            return
        status = json.loads(body[:length])["status"]
        event = b"event: user.status\ndata: %s\n\n" % json.dumps({"status": status}).encode()
        framed = chunk(event)
        for stream in STREAMS:
            stream.write(framed)
        self.transport.write(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        STREAMS.discard(self.transport)


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Stream, "127.0.0.1", port, backlog=4096)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    uvloop.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
