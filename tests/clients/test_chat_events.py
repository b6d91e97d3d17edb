"""``ChatClient.events()`` and ``AsyncChatClient.events()`` against a real server: typed
events, ``Last-Event-ID`` given back, and a reconnection across a server restart."""

from __future__ import annotations

import asyncio
import signal

from netsandbox.clients.chat import AsyncChatClient, ChatClient, Event
from tests.conftest import ServiceProcess, StartService

PASSWORD = "long-password"


def url(server: ServiceProcess) -> str:
    return f"http://{server.host}:{server.port}"


def test_events_are_typed_and_resume_after_an_id(start_service: StartService) -> None:
    server = start_service("chat", "--registration", "open")
    with ChatClient(url(server)) as ada, ChatClient(url(server)) as bob:
        ada.register("ada", PASSWORD)
        bob_user = ada.register("bob", PASSWORD)
        ada.login("ada", PASSWORD)
        bob.login("bob", PASSWORD)
        stream = bob.events(last_event_id=1)  # long gone: a reset says where things stand
        mark = next(stream)
        stream.close()
        assert mark.type == "reset" and mark.id is not None
        ada.set_status("typing")
        sent = ada.send(bob_user, "hello")
        stream = bob.events(last_event_id=mark.id)
        status = next(e for e in stream if e.type == "user.status")
        assert status.user is not None and status.user.status == "typing"
        created = next(e for e in stream if e.type == "message.created")
        stream.close()
        assert created.message == sent and created.id is not None and created.id > status.id


async def test_the_async_client_reconnects_after_a_restart(start_service: StartService) -> None:
    server = start_service("chat", "--registration", "open")
    async with AsyncChatClient(url(server)) as ada, AsyncChatClient(url(server)) as bob:
        await ada.register("ada", PASSWORD)
        bob_user = await ada.register("bob", PASSWORD)
        await ada.login("ada", PASSWORD)
        await bob.login("bob", PASSWORD)
        received: asyncio.Queue[Event] = asyncio.Queue()

        async def listen() -> None:
            async for event in bob.events():
                await received.put(event)

        async def next_of(kind: str) -> Event:
            while (event := await asyncio.wait_for(received.get(), 15)).type != kind:
                pass
            return event

        listener = asyncio.create_task(listen())
        try:
            await ada.set_status("first")
            assert (await next_of("user.status")).data["status"] == "first"
            server.stop(signal.SIGTERM, timeout=5)
            assert (await next_of("closed")).data == {"reason": "shutdown"}
            start_service("chat", "--registration", "open", "--port", str(server.port))
            await next_of("reset")  # the new process has not kept the old events
            sent = await ada.send(bob_user, "after the restart")
            assert (await next_of("message.created")).message == sent
        finally:
            listener.cancel()


def test_the_stream_ends_when_its_token_is_revoked(start_service: StartService) -> None:
    server = start_service("chat", "--registration", "open")
    with ChatClient(url(server)) as ada:
        ada.register("ada", PASSWORD)
        ada.login("ada", PASSWORD)
        stream = ada.events(last_event_id=1)
        assert next(stream).type == "reset"  # the stream is open
        ada.logout()
        rest = list(stream)  # ends: no reconnection with a revoked token (that would be a 401)
        assert [(e.type, e.data) for e in rest] == [("closed", {"reason": "logged_out"})]
