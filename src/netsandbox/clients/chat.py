"""A client for the chat service: the reference solution to compare yours against.

``ChatClient`` (blocking) and ``AsyncChatClient`` (asyncio) have the same methods; both
build requests and read answers through the same functions below, so they behave alike.
Lists are iterators that fetch the next page when needed::

    with ChatClient("http://127.0.0.1:3004") as chat:
        chat.login("ada", "her-password")
        me = chat.me()
        chat.set_status("Working on the exercise")
        for user in chat.users(search="bob"):
            chat.send(user.id, "Hello!")
        for message in chat.inbox(unread=True):
            print(message.sender, message.body)
            chat.mark_read(message.id)
        for event in chat.events():  # live, forever (reconnects by itself)
            print(event.type, event.data)
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

__all__ = [
    "AsyncChatClient", "ChatClient", "ChatError", "Conversation", "Event", "Message", "User",
]  # fmt: skip

DEFAULT_URL = "http://127.0.0.1:3004"
PAGE_SIZE = 200
EVENTS_READ_TIMEOUT = 60.0  # a few missed heartbeats (15 s): the connection is dead


class ChatError(Exception):
    """A call that failed: ``status`` is the HTTP status (0 if the server could not be
    reached), ``code`` a word for programs, ``message`` the server's sentence for people."""

    def __init__(self, status: int, code: str, message: str, retry_after: float | None = None):
        super().__init__(f"{status} {code}: {message}" if status else message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    status: str
    role: str
    created_at: datetime
    last_seen_at: datetime | None
    presence: str = "offline"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> User:
        return cls(
            data["id"], data["username"], data["display_name"], data["status"], data["role"],
            _time(data["created_at"]), _time(data.get("last_seen_at")),
            data.get("presence", "offline"),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    sender: int  # "from" in the JSON
    to: int
    body: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Message:
        return cls(data["id"], data["from"], data["to"], data["body"],
                   _time(data["created_at"]), _time(data.get("read_at")))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Conversation:
    user: User
    last_message: Message
    unread_count: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Conversation:
        return cls(User.from_json(data["user"]), Message.from_json(data["last_message"]),
                   data["unread_count"])  # fmt: skip


@dataclass(frozen=True, slots=True)
class Event:
    """One event of ``events()``: ``type`` (``message.created``...), ``id``, ``data``."""

    type: str
    id: int | None
    data: dict[str, Any]

    @property
    def message(self) -> Message | None:
        return Message.from_json(self.data) if self.type.startswith("message.") else None

    @property
    def user(self) -> User | None:
        return User.from_json(self.data) if self.type in ("user.created", "user.status") else None


# Reasons a stream is closed for good: another of my streams took its place, or its token was
# revoked (logged out). After "too_slow" or "shutdown", reconnecting is right.
FINAL_CLOSES = ("too_many_streams", "logged_out")


class _EventReader:
    """Reads server-sent event lines; remembers the last id (for reconnecting), the retry
    delay the server asked for, and whether the server said not to come back."""

    def __init__(self, last_event_id: int | None) -> None:
        self.last_id = last_event_id
        self.retry = 2.0
        self.done = False
        self._type, self._data = "message", []

    def request(self, token: str | None) -> dict[str, str]:
        headers = {"Accept": "text/event-stream"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if self.last_id is not None:
            headers["Last-Event-ID"] = str(self.last_id)
        return headers

    def feed(self, line: str) -> Event | None:
        """The event a blank line completes; None otherwise."""
        if not line:
            if not self._data:
                return None
            data = json.loads("\n".join(self._data))
            event = Event(self._type, self.last_id, data)
            self._type, self._data = "message", []
            if event.type == "closed" and data.get("reason") in FINAL_CLOSES:
                self.done = True  # coming back would be refused or close another stream
            return event
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "event":
            self._type = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and value.isdigit():
            self.last_id = int(value)
        elif name == "retry" and value.isdigit():
            self.retry = int(value) / 1000
        return None


def _events_timeout(timeout: float) -> httpx.Timeout:
    return httpx.Timeout(timeout, read=EVENTS_READ_TIMEOUT)


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# --- what both clients share: requests as data, answers checked in one place -------------


@dataclass(frozen=True, slots=True)
class _Call:
    method: str
    path: str
    params: dict[str, Any] | None = None
    json: Any = None
    data: dict[str, str] | None = None
    headers: dict[str, str] | None = None


def _check(response: httpx.Response) -> Any:
    """The JSON of a successful answer; a ``ChatError`` with the server's message otherwise."""
    if response.is_success:
        return response.json() if response.content else None
    try:
        error = response.json()["error"]
        code, message = error["code"], error["message"]
    except (ValueError, KeyError, TypeError):
        code, message = "http_error", response.text[:200] or response.reason_phrase
    retry_after = response.headers.get("Retry-After")
    raise ChatError(response.status_code, code, message,
                    float(retry_after) if retry_after else None)  # fmt: skip


def _unreachable(base_url: str, exc: httpx.TransportError) -> ChatError:
    return ChatError(0, "connection_error", f"cannot reach {base_url}: {exc!r}")


def _page_params(params: dict[str, Any], cursor: int | None) -> dict[str, Any]:
    params = {k: v for k, v in params.items() if v is not None}
    params["limit"] = PAGE_SIZE
    if cursor is not None:
        params["cursor"] = cursor
    return params


def _send_call(to: int, body: str, key: str) -> _Call:
    return _Call("POST", "/api/messages", json={"to": to, "body": body},
                 headers={"Idempotency-Key": key})  # fmt: skip


def _login_call(username: str, password: str) -> _Call:
    return _Call("POST", "/api/auth/token", data={"username": username, "password": password})


def _register_call(username: str, password: str, display_name: str | None,
                   join_code: str | None) -> _Call:  # fmt: skip
    account = {"username": username, "password": password}
    if display_name is not None:
        account["display_name"] = display_name
    if join_code is not None:
        account["join_code"] = join_code
    return _Call("POST", "/api/auth/register", json=account)


def _id(user: int | User) -> int:
    return user.id if isinstance(user, User) else user


class ChatClient:
    """Talks to a chat server, blocking. ``transport`` lets tests run it against the app."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        token: str | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url
        self.token = token
        self.retries = retries
        self._http = httpx.Client(base_url=base_url, timeout=timeout, transport=transport)

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _do(self, call: _Call, attempts: int = 1) -> Any:
        headers = dict(call.headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(attempts):
            try:
                response = self._http.request(
                    call.method, call.path, params=call.params, json=call.json, data=call.data,
                    headers=headers,
                )  # fmt: skip
            except httpx.TransportError as exc:
                if attempt + 1 < attempts:
                    continue
                raise _unreachable(self.base_url, exc) from None
            return _check(response)

    def _pages(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        cursor = None
        while True:
            page = self._do(_Call("GET", path, params=_page_params(params, cursor)))
            yield from page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                return

    def login(self, username: str, password: str) -> str:
        """Get a token (kept for the next calls) and return it."""
        self.token = self._do(_login_call(username, password))["access_token"]
        return self.token

    def logout(self) -> None:
        """Revoke the token on the server."""
        self._do(_Call("DELETE", "/api/auth/token"))
        self.token = None

    def register(self, username: str, password: str, *, display_name: str | None = None,
                 join_code: str | None = None) -> User:  # fmt: skip
        return User.from_json(self._do(_register_call(username, password, display_name,
                                                      join_code)))  # fmt: skip

    def me(self) -> User:
        return User.from_json(self._do(_Call("GET", "/api/users/me")))

    def users(self, search: str | None = None) -> Iterator[User]:
        return (User.from_json(u) for u in self._pages("/api/users", search=search))

    def user(self, user_id: int) -> User:
        return User.from_json(self._do(_Call("GET", f"/api/users/{user_id}")))

    def set_status(self, status: str) -> User:
        return User.from_json(self._do(_Call("PATCH", "/api/users/me", json={"status": status})))

    def set_display_name(self, name: str) -> User:
        call = _Call("PATCH", "/api/users/me", json={"display_name": name})
        return User.from_json(self._do(call))

    def send(self, to: int | User, body: str, *, idempotency_key: str | None = None) -> Message:
        """Send a message. Safe to retry: a lost answer is retried with the same key, and
        the server returns the message it stored instead of storing it twice."""
        call = _send_call(_id(to), body, idempotency_key or str(uuid.uuid4()))
        return Message.from_json(self._do(call, attempts=1 + self.retries))

    def inbox(self, unread: bool = False, *, sender: int | User | None = None) -> Iterator[Message]:
        """Messages sent to me, newest first."""
        pages = self._pages("/api/messages", unread="true" if unread else None,
                            **{"from": _id(sender) if sender is not None else None})  # fmt: skip
        return (Message.from_json(m) for m in pages)

    def events(self, last_event_id: int | None = None) -> Iterator[Event]:
        """Live events, as they happen, until the loop stops. A dropped connection is opened
        again (with ``Last-Event-ID``, so nothing is missed)."""
        reader = _EventReader(last_event_id)
        while not reader.done:
            try:
                headers = reader.request(self.token)
                timeout = _events_timeout(self._http.timeout.connect or 10.0)
                with self._http.stream(
                    "GET", "/api/events", headers=headers, timeout=timeout
                ) as response:
                    if not response.is_success:
                        response.read()
                        _check(response)
                    for line in response.iter_lines():
                        if (event := reader.feed(line)) is not None:
                            yield event
            except httpx.TransportError:
                pass
            if not reader.done:
                time.sleep(reader.retry)

    def message(self, message_id: int) -> Message:
        return Message.from_json(self._do(_Call("GET", f"/api/messages/{message_id}")))

    def mark_read(self, message: int | Message) -> Message:
        message_id = message.id if isinstance(message, Message) else message
        return Message.from_json(self._do(_Call("POST", f"/api/messages/{message_id}/read")))

    def conversations(self) -> Iterator[Conversation]:
        return (Conversation.from_json(c) for c in self._pages("/api/conversations"))

    def conversation(self, user: int | User) -> Iterator[Message]:
        """Messages between me and ``user``, both ways, newest first."""
        pages = self._pages(f"/api/conversations/{_id(user)}")
        return (Message.from_json(m) for m in pages)


class AsyncChatClient:
    """``ChatClient`` for asyncio: the same methods, awaited; lists are async iterators."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        token: str | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url
        self.token = token
        self.retries = retries
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    async def __aenter__(self) -> AsyncChatClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._http.aclose()

    async def _do(self, call: _Call, attempts: int = 1) -> Any:
        headers = dict(call.headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(attempts):
            try:
                response = await self._http.request(
                    call.method, call.path, params=call.params, json=call.json, data=call.data,
                    headers=headers,
                )  # fmt: skip
            except httpx.TransportError as exc:
                if attempt + 1 < attempts:
                    continue
                raise _unreachable(self.base_url, exc) from None
            return _check(response)

    async def _pages(self, path: str, **params: Any) -> AsyncIterator[dict[str, Any]]:
        cursor = None
        while True:
            page = await self._do(_Call("GET", path, params=_page_params(params, cursor)))
            for item in page["items"]:
                yield item
            cursor = page["next_cursor"]
            if cursor is None:
                return

    async def login(self, username: str, password: str) -> str:
        self.token = (await self._do(_login_call(username, password)))["access_token"]
        return self.token

    async def logout(self) -> None:
        await self._do(_Call("DELETE", "/api/auth/token"))
        self.token = None

    async def register(self, username: str, password: str, *, display_name: str | None = None,
                       join_code: str | None = None) -> User:  # fmt: skip
        call = _register_call(username, password, display_name, join_code)
        return User.from_json(await self._do(call))

    async def me(self) -> User:
        return User.from_json(await self._do(_Call("GET", "/api/users/me")))

    async def users(self, search: str | None = None) -> AsyncIterator[User]:
        async for user in self._pages("/api/users", search=search):
            yield User.from_json(user)

    async def user(self, user_id: int) -> User:
        return User.from_json(await self._do(_Call("GET", f"/api/users/{user_id}")))

    async def set_status(self, status: str) -> User:
        call = _Call("PATCH", "/api/users/me", json={"status": status})
        return User.from_json(await self._do(call))

    async def set_display_name(self, name: str) -> User:
        call = _Call("PATCH", "/api/users/me", json={"display_name": name})
        return User.from_json(await self._do(call))

    async def send(
        self, to: int | User, body: str, *, idempotency_key: str | None = None
    ) -> Message:
        call = _send_call(_id(to), body, idempotency_key or str(uuid.uuid4()))
        return Message.from_json(await self._do(call, attempts=1 + self.retries))

    async def inbox(
        self, unread: bool = False, *, sender: int | User | None = None
    ) -> AsyncIterator[Message]:
        params = {"unread": "true" if unread else None,
                  "from": _id(sender) if sender is not None else None}  # fmt: skip
        async for message in self._pages("/api/messages", **params):
            yield Message.from_json(message)

    async def events(self, last_event_id: int | None = None) -> AsyncIterator[Event]:
        """Live events (see ``ChatClient.events``)."""
        reader = _EventReader(last_event_id)
        while not reader.done:
            try:
                headers = reader.request(self.token)
                timeout = _events_timeout(self._http.timeout.connect or 10.0)
                async with self._http.stream(
                    "GET", "/api/events", headers=headers, timeout=timeout
                ) as response:
                    if not response.is_success:
                        await response.aread()
                        _check(response)
                    async for line in response.aiter_lines():
                        if (event := reader.feed(line)) is not None:
                            yield event
            except httpx.TransportError:
                pass
            if not reader.done:
                await asyncio.sleep(reader.retry)

    async def message(self, message_id: int) -> Message:
        return Message.from_json(await self._do(_Call("GET", f"/api/messages/{message_id}")))

    async def mark_read(self, message: int | Message) -> Message:
        message_id = message.id if isinstance(message, Message) else message
        return Message.from_json(await self._do(_Call("POST", f"/api/messages/{message_id}/read")))

    async def conversations(self) -> AsyncIterator[Conversation]:
        async for conversation in self._pages("/api/conversations"):
            yield Conversation.from_json(conversation)

    async def conversation(self, user: int | User) -> AsyncIterator[Message]:
        async for message in self._pages(f"/api/conversations/{_id(user)}"):
            yield Message.from_json(message)
