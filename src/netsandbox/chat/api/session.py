"""/api/session: the web client signs in (a session cookie), asks who it is, signs out.

Scripts use bearer tokens (``/api/auth/token``); the browser keeps a session in an HttpOnly
cookie that its scripts cannot read, and proves each change it asks for with the session's
CSRF token (see ``web_session.py``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from netsandbox.chat.api.auth import credentials_body, password_login
from netsandbox.chat.api.common import errors, json_response
from netsandbox.chat.context import ChatContext
from netsandbox.chat.deps import Chat, SessionCaller
from netsandbox.chat.schemas import SessionOut
from netsandbox.chat.security import csrf_token
from netsandbox.chat.web_session import (
    COOKIE_NAME,
    check_origin,
    cleared_cookie,
    invalid_session,
    session_cookie,
)

router = APIRouter(prefix="/api/session", tags=["session"])

NO_STORE = "no-store"  # the body holds the CSRF token: no cache keeps it
SET_COOKIE = {
    "Set-Cookie": {
        "description": f"{COOKIE_NAME}=<session>; HttpOnly; SameSite=Strict; Path=/ "
        "(and Secure over https).",
        "schema": {"type": "string"},
    }
}
# JSON first: the web client sends JSON; a form works too, as for POST /api/auth/token.
SESSION_REQUEST_BODY = credentials_body(("application/json", "application/x-www-form-urlencoded"))


@router.post(
    "",
    summary="Sign in the web client (sets the session cookie)",
    response_model=SessionOut,
    responses={200: {"headers": SET_COOKIE}, **errors(400, 401, 403, 422)},
    openapi_extra={"requestBody": SESSION_REQUEST_BODY},
)
async def sign_in(request: Request, chat: Chat) -> Response:
    """Send `username` and `password` (JSON, or form fields), as for POST /api/auth/token and
    with the same limits. The answer sets an HttpOnly session cookie, which the browser then
    sends with every request (the event stream included), and gives the `csrf_token` to send
    as the `X-CSRF-Token` header with every POST, PUT, PATCH and DELETE. A request from a
    page of another site (its `Origin` header) is refused."""
    check_origin(request)
    session = await password_login(request, chat, "session")
    body = await _session_body(chat, await chat.auth.session_user(session), session)
    headers = {"Set-Cookie": session_cookie(session, request), "Cache-Control": NO_STORE}
    return json_response(body, headers=headers)


@router.get(
    "", summary="The web client's session: who is signed in", response_model=SessionOut,
    responses=errors(401),
)  # fmt: skip
async def read_session(chat: Chat, caller: SessionCaller) -> Response:
    """With the session cookie: the signed-in user and the session's `csrf_token` (a page
    calls it on load). Without one, or once signed out: 401."""
    body = await _session_body(chat, caller.user_id, caller.credential)
    return json_response(body, headers={"Cache-Control": NO_STORE})


@router.delete(
    "", summary="Sign out the web client", status_code=204,
    responses={204: {"headers": SET_COOKIE}, **errors(401, 403)},
)  # fmt: skip
async def sign_out(request: Request, chat: Chat, caller: SessionCaller) -> Response:
    """Needs the cookie and the `X-CSRF-Token` header. The session ends at once (its cookie
    stops working, and its open event streams end with `closed` / `logged_out`) and the
    cookie is cleared. API tokens made with POST /api/tokens keep working."""
    await chat.revoke(caller.credential)
    return Response(status_code=204, headers={"Set-Cookie": cleared_cookie(request)})


async def _session_body(chat: ChatContext, user_id: int, session: str) -> dict[str, Any]:
    user = await chat.store.get_user(user_id)
    if user is None:  # the account was deleted after the session was checked
        raise invalid_session()
    return {"user": chat.presence.annotate(user), "csrf_token": csrf_token(session)}
