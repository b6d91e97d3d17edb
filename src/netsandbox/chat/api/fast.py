"""The three requests every student's loop makes, answered without FastAPI's machinery.

``GET /api/users``, ``GET /api/messages`` and ``POST /api/messages`` are most of a class's
traffic. Through FastAPI each pays for dependency injection, parameter models and response
classes: more than the work itself once that work is fast (see ``pages.py`` and the grouped
commits of ``db.py``). ``FastLane``, a plain ASGI middleware, answers them directly when
they are ordinary: a valid token, parameters it reads with certainty, a JSON body the
model accepts. Anything else (no token, an odd parameter, a body the model refuses, HEAD)
goes on to the routes in ``users.py`` and ``messages.py``, which answer with their
documented errors. Both ways call the same ``Pages`` and ``ChatStore`` methods, so they
answer the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

import orjson
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from netsandbox.chat.api.common import clamp
from netsandbox.chat.api.messages import IDEMPOTENCY_KEY_PATTERN
from netsandbox.chat.context import ChatContext
from netsandbox.chat.models import ID_MAX
from netsandbox.chat.schemas import DEFAULT_LIMIT, MessageCreate
from netsandbox.core.http.error_shape import error_json
from netsandbox.core.http.errors import HttpError

JSON_TYPE = (b"content-type", b"application/json")
POSITIVE = re.compile(r"[1-9][0-9]{0,15}")
BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)
# Headers the lane reads; a request carrying one of them twice goes to the routes.
WANTED = (b"authorization", b"content-type", b"content-length", b"idempotency-key")

Headers = dict[bytes, bytes]
# A handler answers and returns True, or returns False to leave the request to the routes.
Handler = Callable[["Lane", Scope, Headers, "_Replay", Send], Awaitable[bool]]


class Lane:
    """What a handler needs: the running service, and the body size the routes accept."""

    def __init__(self, chat: ChatContext, max_body_bytes: int) -> None:
        self.chat = chat
        self.max_body_bytes = max_body_bytes


class FastLane:
    """ASGI middleware in front of the routes; ``chat_of()`` gives the running service."""

    def __init__(
        self, app: ASGIApp, chat_of: Callable[[], ChatContext | None], max_body_bytes: int
    ) -> None:
        self.app = app
        self._chat_of = chat_of
        self._max_body_bytes = max_body_bytes
        self._lane: Lane | None = None
        self._handlers: dict[tuple[str, str], Handler] = {
            ("GET", "/api/users"): list_users,
            ("GET", "/api/messages"): inbox,
            ("POST", "/api/messages"): send_message,
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            handler = self._handlers.get((scope["method"], scope["path"]))
            lane = self._current_lane() if handler is not None else None
            if handler is not None and lane is not None:
                headers = _headers(scope)
                if headers is not None:
                    replay = _Replay(receive)
                    if await handler(lane, scope, headers, replay, send):
                        return
                    receive = replay.again
        await self.app(scope, receive, send)

    def _current_lane(self) -> Lane | None:
        chat = self._chat_of()
        if chat is None:  # not started (or stopped)
            return None
        if self._lane is None or self._lane.chat is not chat:
            self._lane = Lane(chat, self._max_body_bytes)
        return self._lane


async def list_users(
    lane: Lane, scope: Scope, headers: Headers, receive: _Replay, send: Send
) -> bool:
    chat = lane.chat
    query = _query(scope, ("limit", "cursor"))
    if query is None or await _user(chat, headers) is None:
        return False
    limit, cursor = _positive(query, "limit", DEFAULT_LIMIT), _positive(query, "cursor")
    if limit is None or cursor is None:
        return False
    after = cursor or None
    await _answer(send, 200, await chat.pages.users(None, clamp(limit), after))
    return True


async def inbox(lane: Lane, scope: Scope, headers: Headers, receive: _Replay, send: Send) -> bool:
    chat = lane.chat
    query = _query(scope, ("unread", "from", "limit", "cursor"))
    if query is None or (user := await _user(chat, headers)) is None:
        return False
    unread = BOOLEANS.get(query.get("unread", "false"))
    sender, limit = _positive(query, "from"), _positive(query, "limit", DEFAULT_LIMIT)
    cursor = _positive(query, "cursor")
    if unread is None or sender is None or limit is None or cursor is None:
        return False
    page = await chat.pages.inbox(
        user, unread=unread, sender=sender or None, limit=clamp(limit), before=cursor or None
    )
    await _answer(send, 200, page)
    return True


async def send_message(
    lane: Lane, scope: Scope, headers: Headers, receive: _Replay, send: Send
) -> bool:
    chat = lane.chat
    key = headers.get(b"idempotency-key")
    content_type = headers.get(b"content-type")
    length = headers.get(b"content-length", b"")
    if (
        scope["query_string"]
        or not length.isdigit()
        or int(length) > lane.max_body_bytes
        or (content_type is not None and _media_type(content_type) != "application/json")
        or (key is not None and not IDEMPOTENCY_KEY.fullmatch(key.decode("latin-1")))
        or (user := await _user(chat, headers)) is None
    ):
        return False
    body = await receive.body()
    if body is None:
        return True  # the client left: nobody to answer
    try:
        message = MessageCreate.model_validate(orjson.loads(body))
    except (orjson.JSONDecodeError, ValidationError):
        return False
    try:
        stored, replayed = await chat.store.send_message(
            user, message.to, message.body, key.decode("latin-1") if key is not None else None
        )
    except HttpError as exc:
        await _error(send, exc)
        return True
    extra = [(b"location", b"/api/messages/%d" % stored["id"])]
    if replayed:
        extra.append((b"idempotent-replayed", b"true"))
    else:
        chat.events.message_created(stored)
    await _answer(send, 201, orjson.dumps(stored), extra)
    return True


# --- reading the request ---------------------------------------------------------------


def _headers(scope: Scope) -> Headers | None:
    """The headers the lane reads; None if one of them comes twice."""
    found: Headers = {}
    for name, value in scope["headers"]:
        if name in WANTED:
            if name in found:
                return None
            found[name] = value
    return found


async def _user(chat: ChatContext, headers: Headers) -> int | None:
    authorization = headers.get(b"authorization")
    if authorization is None:  # the session cookie, say: the routes check its CSRF token
        return None
    return await chat.auth.known_user(authorization.decode("latin-1"))


def _query(scope: Scope, allowed: tuple[str, ...]) -> dict[str, str] | None:
    """The query parameters, if each is one of ``allowed`` and given once; else None."""
    raw = scope["query_string"]
    if not raw:
        return {}
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    query = dict(pairs)
    if len(query) != len(pairs) or not query.keys() <= set(allowed):
        return None
    return query


def _positive(query: dict[str, str], name: str, default: int = 0) -> int | None:
    """An id-sized positive integer parameter (``default`` when absent); None if odd."""
    text = query.get(name)
    if text is None:
        return default
    if not POSITIVE.fullmatch(text) or int(text) > ID_MAX:
        return None
    return int(text)


def _media_type(content_type: bytes) -> str:
    return content_type.decode("latin-1").split(";", 1)[0].strip().lower()


class _Replay:
    """``receive`` that remembers the body it read, to hand it again to the routes."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._body: bytes | None = None

    async def __call__(self) -> Message:
        return await self._receive()

    async def body(self) -> bytes | None:
        """The whole request body; None if the client disconnected first."""
        chunks = []
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                return None
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        self._body = b"".join(chunks)
        return self._body

    async def again(self) -> Message:
        if self._body is not None:
            body, self._body = self._body, None
            return {"type": "http.request", "body": body, "more_body": False}
        return await self._receive()


# --- answering -------------------------------------------------------------------------


async def _answer(
    send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [JSON_TYPE, (b"content-length", b"%d" % len(body))]
    if extra:
        headers += extra
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _error(send: Send, exc: HttpError) -> None:
    """The error as the app's handlers would answer it (``core/http/errors.py``)."""
    body = error_json(exc.status, exc.message, code=exc.code, **exc.details)
    extra = [(k.lower().encode(), v.encode()) for k, v in (exc.headers or {}).items()]
    await _answer(send, exc.status, body, extra)
