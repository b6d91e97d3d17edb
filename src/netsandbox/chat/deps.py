"""Dependencies declared once for every route: the chat context and the calling user.

A caller proves who they are with a bearer token (``Authorization: Bearer``: scripts, the
CLI, the docs' "Authorize" button) or with the web client's session cookie (see
``web_session.py``). When a request carries both, the header wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, OAuth2PasswordBearer

from netsandbox.chat.context import ChatContext
from netsandbox.chat.errors import GET_A_TOKEN, unauthorized
from netsandbox.chat.web_session import COOKIE_NAME, check_csrf, missing_session, read_session

TOKEN_URL = "/api/auth/token"


def get_chat(request: Request) -> ChatContext:
    return request.app.state.chat


Chat = Annotated[ChatContext, Depends(get_chat)]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who made the request, and with which credential (revoking it ends their streams)."""

    user_id: int
    credential: str
    by_cookie: bool


class BearerScheme(OAuth2PasswordBearer):
    """The bearer token as the OpenAPI document shows it (the docs get their "Authorize"
    button). The header itself is read by ``get_caller``, which knows about the cookie."""

    async def __call__(self, request: Request) -> None:  # type: ignore[override]
        return None


class SessionScheme(APIKeyCookie):
    """The session cookie as the OpenAPI document shows it; read by ``get_caller``."""

    async def __call__(self, request: Request) -> None:  # type: ignore[override]
        return None


bearer_scheme = BearerScheme(tokenUrl=TOKEN_URL, scheme_name="token")
session_scheme = SessionScheme(
    name=COOKIE_NAME,
    scheme_name="session",
    description="The web client's session: set by POST /api/session (HttpOnly, SameSite="
    "Strict). Requests that change something (POST, PUT, PATCH, DELETE) made with it must "
    "also send the header X-CSRF-Token with the session's csrf_token.",
    auto_error=False,
)
DocumentedBearer = Annotated[None, Depends(bearer_scheme)]
DocumentedSession = Annotated[None, Depends(session_scheme)]


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header; a 401 that explains how to
    send one when it is missing or malformed."""
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


async def _by_cookie(request: Request, chat: ChatContext, session: str) -> Caller:
    """The session's user, once the request shows it comes from our own pages (CSRF)."""
    user_id = await chat.auth.session_user(session)
    check_csrf(request, session)
    return Caller(user_id, session, by_cookie=True)


async def get_caller(
    request: Request, chat: Chat, _bearer: DocumentedBearer, _session: DocumentedSession
) -> Caller:
    """The token of the ``Authorization`` header; without one, the session cookie (checked
    for CSRF when the request changes something); a 401 that says how to send a token."""
    header = request.headers.get("authorization")
    if not header and (session := read_session(request)) is not None:
        return await _by_cookie(request, chat, session)
    token = bearer_token(header)
    return Caller(await chat.auth.user_id(token), token, by_cookie=False)


CurrentCaller = Annotated[Caller, Depends(get_caller)]


async def get_current_user_id(caller: CurrentCaller) -> int:
    return caller.user_id


CurrentUserId = Annotated[int, Depends(get_current_user_id)]


async def get_session_caller(request: Request, chat: Chat, _session: DocumentedSession) -> Caller:
    """The caller of the session routes, which are about the cookie alone."""
    session = read_session(request)
    if session is None:
        raise missing_session()
    return await _by_cookie(request, chat, session)


SessionCaller = Annotated[Caller, Depends(get_session_caller)]
# The event stream accepts what every route does: a browser's EventSource cannot send
# headers but sends the cookie, and fetch-based readers and scripts send the bearer token.
StreamCaller = CurrentCaller
