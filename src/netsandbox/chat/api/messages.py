"""/api/messages: send a message, read my inbox, read one message, mark it read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from netsandbox.chat.api.common import (
    CursorParam,
    LimitParam,
    clamp,
    errors,
    id_path,
    json_bytes_response,
    json_response,
)
from netsandbox.chat.deps import Chat, CurrentUserId
from netsandbox.chat.errors import forbidden, not_found
from netsandbox.chat.models import ID_MAX
from netsandbox.chat.schemas import DEFAULT_LIMIT, MessageCreate, MessageOut, MessagePage

router = APIRouter(prefix="/api/messages", tags=["messages"])

MessageIdPath = Annotated[int, id_path("message")]
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"  # printable ASCII, no spaces


@router.post(
    "",
    summary="Send a message",
    status_code=201,
    response_model=MessageOut,
    responses=errors(400, 401, 422),
)
async def send_message(
    message: MessageCreate,
    chat: Chat,
    me: CurrentUserId,
    idempotency_key: Annotated[
        str | None,
        Header(
            pattern=IDEMPOTENCY_KEY_PATTERN,
            description="Any unique string (a UUID): a retry with the same key within 24 h "
            "returns the message already stored instead of sending it twice. The same key "
            "with a different message is refused (422).",
        ),
    ] = None,
) -> Response:
    """Sent as the token's user, to the user id `to`. Answers 201 with the stored message
    (and `Idempotent-Replayed: true` when a retry returned an earlier send)."""
    stored, replayed = await chat.store.send_message(me, message.to, message.body, idempotency_key)
    if not replayed:
        chat.events.message_created(stored)
    headers = {"Location": f"/api/messages/{stored['id']}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return json_response(stored, status_code=201, headers=headers)


@router.get(
    "", summary="My inbox: messages sent to me", response_model=MessagePage,
    responses=errors(401, 422),
)  # fmt: skip
async def inbox(
    chat: Chat,
    me: CurrentUserId,
    unread: Annotated[bool, Query(description="Only messages not yet marked read.")] = False,
    sender: Annotated[
        int | None,
        Query(alias="from", ge=1, le=ID_MAX, description="Only messages from this user id."),
    ] = None,
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Response:
    """Newest first. Follow `next_cursor` for older messages."""
    return json_bytes_response(
        await chat.pages.inbox(me, unread=unread, sender=sender, limit=clamp(limit), before=cursor)
    )


@router.get(
    "/{message_id}", summary="One message (sender or recipient only)", response_model=MessageOut,
    responses=errors(401, 403, 404),
)  # fmt: skip
async def read_message(message_id: MessageIdPath, chat: Chat, me: CurrentUserId) -> Response:
    """A message you sent or received (403 for anyone else's); reading it does not mark it
    read: POST /api/messages/{message_id}/read does."""
    message = await _existing(chat, message_id)
    if me not in (message["from"], message["to"]):
        raise forbidden("You can read only messages you sent or received.")
    return json_response(message)


@router.post(
    "/{message_id}/read", summary="Mark a message read (recipient only)",
    response_model=MessageOut, responses=errors(401, 403, 404),
)  # fmt: skip
async def mark_read(message_id: MessageIdPath, chat: Chat, me: CurrentUserId) -> Response:
    """Sets `read_at` (the first time only) and returns the message."""
    message = await _existing(chat, message_id)
    if me != message["to"]:
        raise forbidden(
            "Only the recipient can mark a message read."
            if me == message["from"]
            else "You can mark read only messages sent to you."
        )
    if message["read_at"] is None:
        await chat.store.mark_read(message_id)
        message = await _existing(chat, message_id)
        chat.events.message_read(message)
    return json_response(message)


async def _existing(chat: Chat, message_id: int) -> dict:
    message = await chat.store.get_message(message_id)
    if message is None:
        raise not_found("message", message_id)
    return message
