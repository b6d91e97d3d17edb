"""The ceiling: a bare uvloop ``asyncio.Protocol`` that replies a fixed line to any data and closes.

Nothing a real service needs (no parsing, no deadline, no logging, no size cap): what the
event loop itself can do on one core, so our services' figures can be read as a share of it.
"""

from __future__ import annotations

import argparse
import asyncio

import uvloop

REPLY = b"data received by the server: hello\n"


class ReplyAndClose(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.transport.write(REPLY)  # type: ignore[attr-defined]
        self.transport.close()


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(ReplyAndClose, "127.0.0.1", port, backlog=4096)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    uvloop.run(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
