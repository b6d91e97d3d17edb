"""The reference chat clients: the async one in-process, the blocking one on a real server."""

from __future__ import annotations

import httpx
import pytest

from netsandbox.chat.settings import ChatSettings
from netsandbox.clients.chat import AsyncChatClient, ChatClient, ChatError, Message, User
from tests.chat.conftest import (  # noqa: F401 - fixtures
    PASSWORD,
    Student,
    app,
    make_user,
    password_hash,
)
from tests.conftest import ServiceProcess


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'chat.sqlite3'}"


@pytest.fixture
def settings(database_url: str, tmp_path) -> ChatSettings:
    # No rate limit: these tests send hundreds of messages as fast as they can.
    return ChatSettings(service="chat", port=0, data_dir=tmp_path, database_url=database_url,
                        rate_limit="off")  # fmt: skip


@pytest.fixture
async def chat(app):  # noqa: F811
    async with AsyncChatClient("http://chat.test", transport=httpx.ASGITransport(app=app)) as c:
        yield c


async def test_async_client_does_the_exercise(chat: AsyncChatClient, make_user) -> None:  # noqa: F811
    ada: Student = await make_user("ada", "Ada Lovelace")
    bob: Student = await make_user("bob", "Bob Kahn")
    await chat.login("ada", PASSWORD)
    me = await chat.me()
    assert isinstance(me, User) and me.id == ada.id
    found = [user async for user in chat.users(search="kahn")]
    assert [u.id for u in found] == [bob.id]
    assert (await chat.set_status("busy")).status == "busy"
    sent = await chat.send(found[0], "hi bob")
    assert isinstance(sent, Message) and (sent.sender, sent.to) == (ada.id, bob.id)
    await chat.login("bob", PASSWORD)
    inbox = [m async for m in chat.inbox(unread=True)]
    assert [m.body for m in inbox] == ["hi bob"]
    assert (await chat.mark_read(inbox[0])).read_at is not None
    assert [m async for m in chat.inbox(unread=True)] == []
    [conversation] = [c async for c in chat.conversations()]
    assert (conversation.user.id, conversation.unread_count) == (ada.id, 0)
    assert [m.body async for m in chat.conversation(ada.id)] == ["hi bob"]


async def test_iterators_follow_every_page(chat: AsyncChatClient, make_user) -> None:  # noqa: F811
    ada = await make_user("ada")
    chat.token = ada.token
    for n in range(250):  # more than one page of 200
        await chat.send(ada.id, f"note {n}")
    bodies = [m.body async for m in chat.inbox()]
    assert len(bodies) == 250
    assert bodies[0] == "note 249" and bodies[-1] == "note 0"


async def test_errors_carry_status_code_and_message(chat: AsyncChatClient, make_user) -> None:  # noqa: F811
    with pytest.raises(ChatError) as caught:
        await chat.me()
    assert caught.value.status == 401
    assert "POST /api/auth/token" in caught.value.message
    ada = await make_user("ada")
    chat.token = ada.token
    with pytest.raises(ChatError) as caught:
        await chat.send(ada.id, " ")
    assert (caught.value.status, caught.value.code) == (422, "invalid_parameter")


class LoseFirstAnswer(httpx.AsyncBaseTransport):
    """Delivers every request, but the first answer is lost on the way back (a timeout)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.lost == 0:
            self.lost += 1
            raise httpx.ReadTimeout("answer lost", request=request)
        return response


async def test_send_retries_a_lost_answer_without_sending_twice(app, make_user) -> None:  # noqa: F811
    ada = await make_user("ada")
    flaky = LoseFirstAnswer(httpx.ASGITransport(app=app))
    async with AsyncChatClient("http://chat.test", token=ada.token, transport=flaky) as chat:
        sent = await chat.send(ada.id, "exactly once")
        assert flaky.lost == 1
        assert [m.id async for m in chat.inbox()] == [sent.id]


def test_blocking_client_against_a_real_server(start_service) -> None:
    server: ServiceProcess = start_service("chat", "--registration", "open")
    with ChatClient(f"http://{server.host}:{server.port}") as chat:
        chat.register("ada", "long-password", display_name="Ada")
        bob = chat.register("bob", "long-password")
        chat.login("ada", "long-password")
        assert chat.me().display_name == "Ada"
        assert chat.set_status("here").status == "here"
        chat.send(bob, "hello")
        chat.login("bob", "long-password")
        [message] = list(chat.inbox())
        assert message.body == "hello"
        assert chat.mark_read(message).read_at is not None
        assert [u.username for u in chat.users()] == ["ada", "bob"]
        chat.logout()
        with pytest.raises(ChatError) as caught:
            chat.me()
        assert caught.value.status == 401


def test_unreachable_server_is_a_chat_error() -> None:
    with ChatClient("http://127.0.0.1:9", timeout=2, retries=0) as chat, \
            pytest.raises(ChatError) as caught:  # fmt: skip
        chat.login("ada", "x")
    assert caught.value.status == 0
    assert caught.value.code == "connection_error"
