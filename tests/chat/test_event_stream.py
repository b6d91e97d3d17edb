"""The event stream's two ways of writing, without a server process.

Elsewhere than under our HTTP runner (no push extension) the stream's task reads its queue
and sends each event. Under the runner the subscription writes to the connection itself;
here that connection is a real loopback socket whose far end reads, or does not.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest

from netsandbox.chat.events.broker import MemoryBroker
from netsandbox.chat.events.model import HEARTBEAT
from netsandbox.chat.events.stream import EventStream
from netsandbox.chat.events.subscription import SOCKET_SEND_BUFFER, WRITE_BUFFER_LIMIT
from netsandbox.core.http.push import PushedResponse, chunk


async def test_without_the_runner_the_task_sends_each_event() -> None:
    broker = MemoryBroker()
    subscription = broker.subscribe(1)
    closed: list[bool] = []
    stream = EventStream(subscription, heartbeat=30.0, on_close=lambda: closed.append(True))
    sent: list[dict] = []
    left = asyncio.Event()

    async def receive() -> dict:
        await left.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    async def sent_count(count: int) -> None:
        while len(sent) < count:
            await asyncio.sleep(0.001)

    task = asyncio.create_task(stream({"type": "http", "method": "GET"}, receive, send))
    await asyncio.wait_for(sent_count(2), 5)  # the head and the retry line
    event = broker.publish("user.status", {"id": 2})
    await asyncio.wait_for(sent_count(3), 5)
    broker.close_all()
    await asyncio.wait_for(task, 5)
    bodies = [message.get("body") for message in sent[1:]]
    assert sent[0]["type"] == "http.response.start"
    assert bodies[0].startswith(b"retry: ") and bodies[1] == event.chunk
    assert b'"reason":"shutdown"' in bodies[2] and sent[-1]["more_body"] is False
    assert closed == [True]


class Connection:
    """Both ends of a loopback TCP connection: the server's transport, the client's socket."""

    def __init__(self, transport: asyncio.Transport, client: socket.socket) -> None:
        self.transport = transport
        self.client = client
        self.ends: list[bool] = []  # keep_alive of each end() of the pushed response

    def push(self) -> PushedResponse:
        return PushedResponse(self.transport, None, lambda _, keep: self.ends.append(keep))

    async def read_until(self, wanted: bytes) -> bytes:
        data = b""
        while wanted not in data:
            received = asyncio.get_running_loop().sock_recv(self.client, 65536)
            data += await asyncio.wait_for(received, 5)
        return data


@pytest.fixture
async def connection() -> AsyncIterator[Connection]:
    accepted: asyncio.Future[asyncio.Transport] = asyncio.get_running_loop().create_future()

    class Server(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            accepted.set_result(transport)  # type: ignore[arg-type]

    server = await asyncio.get_running_loop().create_server(Server, "127.0.0.1", 0)
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a reader that stalls soon
    client.setblocking(False)
    await asyncio.get_running_loop().sock_connect(client, server.sockets[0].getsockname())
    transport = await accepted
    yield Connection(transport, client)
    transport.abort()
    client.close()
    server.close()


async def test_events_go_straight_to_the_connection_framed_once(connection: Connection) -> None:
    broker = MemoryBroker()
    replayed = broker.publish("user.status", {"id": 2})
    subscription = broker.subscribe(1, last_event_id=replayed.id - 1)
    ended: list[bool] = []
    subscription.attach(connection.push(), 30.0, lambda: ended.append(True))
    event = broker.publish("user.status", {"id": 3})
    data = await connection.read_until(event.chunk)
    assert data == chunk(replayed.chunk) + chunk(event.chunk)  # the replay first
    broker.close_all()
    closing = await connection.read_until(b'"shutdown"')
    assert b"event: closed\n" in closing
    assert connection.ends == [True]  # kept alive for another request
    await asyncio.sleep(0)
    assert ended == [True] and subscription.closed


async def test_a_silent_stream_gets_heartbeats(connection: Connection) -> None:
    subscription = MemoryBroker().subscribe(1)
    subscription.attach(connection.push(), 0.2, lambda: None)
    assert (await connection.read_until(chunk(HEARTBEAT))).startswith(chunk(HEARTBEAT))
    subscription.close()


async def test_a_reader_that_stops_reading_is_closed_as_too_slow(connection: Connection) -> None:
    broker = MemoryBroker()
    subscription = broker.subscribe(1)
    ended: list[bool] = []
    subscription.attach(connection.push(), 30.0, lambda: ended.append(True))
    big = {"text": "x" * 10_000}
    sent = 0
    limit = 4 * (WRITE_BUFFER_LIMIT + 2 * SOCKET_SEND_BUFFER) // 10_000  # with room to spare
    while not subscription.closed and sent < limit:
        broker.publish("message.created", big, frozenset((1,)))
        sent += 1
    assert subscription.closed, f"still open after {sent} events of 10 kB"
    assert connection.ends == [False]  # closed once what is buffered is written
    await asyncio.sleep(0)
    assert ended == [True]
    assert b'"too_slow"' in await connection.read_until(b'"too_slow"')
