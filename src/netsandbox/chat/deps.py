"""Dependencies declared once for every route: the chat context and the calling user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from netsandbox.chat.context import ChatContext
from netsandbox.chat.errors import GET_A_TOKEN, unauthorized

TOKEN_URL = "/api/auth/token"


def get_chat(request: Request) -> ChatContext:
    return request.app.state.chat


Chat = Annotated[ChatContext, Depends(get_chat)]


class BearerToken(OAuth2PasswordBearer):
    """Reads ``Authorization: Bearer <token>``; a missing or malformed header gets a 401 that
    explains how to send one (and the OpenAPI docs get their "Authorize" button)."""

    async def __call__(self, request: Request) -> str:  # type: ignore[override]
        header = request.headers.get("authorization")
        if not header:
            raise unauthorized("missing_token", "This endpoint needs a token. " + GET_A_TOKEN)
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise unauthorized(
                "malformed_authorization",
                "The Authorization header must be 'Bearer <token>' (the word Bearer, a space, "
                "then the access_token from POST /api/auth/token).",
            )
        return token


bearer_token = BearerToken(tokenUrl=TOKEN_URL, scheme_name="token")
Token = Annotated[str, Depends(bearer_token)]


async def get_current_user_id(chat: Chat, token: Token) -> int:
    return await chat.auth.user_id(token)


CurrentUserId = Annotated[int, Depends(get_current_user_id)]


async def get_stream_user_id(request: Request, chat: Chat) -> int:
    """The user of an event stream, from the first credential the request carries.

    Today that is the bearer token (a ``fetch``-based reader and the Python client send it).
    A browser's ``EventSource`` cannot send headers: a session cookie becomes one more
    source here, and the stream route does not change.
    """
    return await chat.auth.user_id(await bearer_token(request))


StreamUserId = Annotated[int, Depends(get_stream_user_id)]
