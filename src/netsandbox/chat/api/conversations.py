"""/api/conversations: who I talk with, and one conversation in both directions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response

from netsandbox.chat.api.common import (
    CursorParam,
    LimitParam,
    clamp,
    errors,
    id_path,
    json_response,
)
from netsandbox.chat.deps import Chat, CurrentUserId
from netsandbox.chat.errors import not_found
from netsandbox.chat.models import ID_MAX
from netsandbox.chat.schemas import (
    DEFAULT_LIMIT,
    ConversationPage,
    ConversationRead,
    MarkedRead,
    MessagePage,
)

router = APIRouter(prefix="/api/conversations", tags=["conversations"])


@router.get(
    "", summary="My conversations", response_model=ConversationPage, responses=errors(401, 422)
)
async def list_conversations(
    chat: Chat, me: CurrentUserId, limit: LimitParam = DEFAULT_LIMIT, cursor: CursorParam = None
) -> Response:
    """One item per person I exchanged messages with: the last message either way and how
    many of theirs I have not read; most recent first."""
    items, next_cursor = await chat.store.conversations(me, clamp(limit), cursor)
    for item in items:
        chat.presence.annotate(item["user"])
    return json_response({"items": items, "next_cursor": next_cursor})


@router.get(
    "/{user_id}", summary="My conversation with one user", response_model=MessagePage,
    responses=errors(401, 404, 422),
)  # fmt: skip
async def read_conversation(
    user_id: Annotated[int, id_path("other user")],
    chat: Chat,
    me: CurrentUserId,
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Response:
    """Messages both ways between me and this user, newest first."""
    if await chat.store.get_user(user_id) is None:
        raise not_found("user", user_id)
    items, next_cursor = await chat.store.conversation(me, user_id, clamp(limit), cursor)
    return json_response({"items": items, "next_cursor": next_cursor})


@router.post(
    "/{user_id}/read", summary="Mark a conversation read (the messages this user sent me)",
    response_model=MarkedRead, responses=errors(400, 401, 404, 422, 429),
)  # fmt: skip
async def mark_conversation_read(
    user_id: Annotated[int, id_path("other user")],
    chat: Chat,
    me: CurrentUserId,
    read: ConversationRead | None = None,
) -> Response:
    """Sets `read_at` on every unread message this user sent me (up to `up_to` when given),
    in one request: what a client does when a conversation is opened. Each message marked
    is also sent as a `message.read` event, as `POST /api/messages/{id}/read` does."""
    if await chat.store.get_user(user_id) is None:
        raise not_found("user", user_id)
    up_to = read.up_to if read is not None and read.up_to is not None else ID_MAX
    marked = await chat.store.mark_conversation_read(me, user_id, up_to)
    for message in marked:
        chat.events.message_read(message)
    return json_response({"items": marked})
