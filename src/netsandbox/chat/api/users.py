"""/api/users: find people (and your own id), read a profile, change your status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

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
from netsandbox.chat.errors import forbidden, invalid, not_found
from netsandbox.chat.schemas import DEFAULT_LIMIT, UserOut, UserPage, UserPatch

NO_NUL_PATTERN = "^[^\\u0000]*$"

router = APIRouter(prefix="/api/users", tags=["users"])

UserIdPath = Annotated[int, id_path("user")]


@router.get("", summary="List users", response_model=UserPage, responses=errors(401, 422))
async def list_users(
    chat: Chat,
    _me: CurrentUserId,
    search: Annotated[
        str | None,
        Query(
            max_length=64,
            pattern=NO_NUL_PATTERN,
            description="Part of a username or display name (any case).",
            examples=["ada"],
        ),
    ] = None,
    limit: LimitParam = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Response:
    """Users in the order they joined. Find your own id here (or with GET /api/users/me)."""
    return json_bytes_response(await chat.pages.users(search or None, clamp(limit), cursor))


@router.get("/me", summary="My own profile", response_model=UserOut, responses=errors(401))
async def read_me(chat: Chat, me: CurrentUserId) -> Response:
    """The user the token belongs to: the quickest way to learn your id."""
    return json_response(await _existing(chat, me))


@router.patch(
    "/me", summary="Change my status or display name", response_model=UserOut,
    responses=errors(400, 401, 422),
)  # fmt: skip
async def update_me(patch: UserPatch, chat: Chat, me: CurrentUserId) -> Response:
    """The same as PATCH /api/users/{your id}."""
    return await _apply(patch, chat, me)


@router.get("/{user_id}", summary="One user", response_model=UserOut, responses=errors(401, 404))
async def read_user(user_id: UserIdPath, chat: Chat, _me: CurrentUserId) -> Response:
    """Anyone's public profile: username, display name, status, role, when they joined and
    were last seen."""
    return json_response(await _existing(chat, user_id))


@router.patch(
    "/{user_id}",
    summary="Change a status or display name (your own only)",
    response_model=UserOut,
    responses=errors(400, 401, 403, 404, 422),
)
async def update_user(
    user_id: UserIdPath, patch: UserPatch, chat: Chat, me: CurrentUserId
) -> Response:
    """Send `status` and/or `display_name`; every other field (`role`, `id`...) is refused
    with a 422. Only the user themself may do it."""
    if user_id != me:
        await _existing(chat, user_id)
        raise forbidden(
            f"You can change only your own profile: your id is {me}, so send "
            f"PATCH /api/users/{me} (or PATCH /api/users/me)."
        )
    return await _apply(patch, chat, me)


async def _apply(patch: UserPatch, chat: Chat, me: int) -> Response:
    changes = patch.changes()
    if not changes:
        raise invalid("body", "send at least one of status, display_name", rule="missing")
    if "display_name" in changes:
        changes["display_name"] = changes["display_name"].strip()
    user = await chat.store.update_user(me, changes)
    assert user is not None  # the token's user exists
    chat.events.user_changed(user)
    return json_response(chat.presence.annotate(user))


async def _existing(chat: Chat, user_id: int) -> dict:
    user = await chat.store.get_user(user_id)
    if user is None:
        raise not_found("user", user_id)
    return chat.presence.annotate(user)
