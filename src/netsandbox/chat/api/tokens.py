"""/api/tokens: a new API token for the signed-in user (the web client's "use the API" panel).

The web client never shows its session (page scripts cannot read it); a user who wants to
call the API from a script asks for a token here, separate from the session: signing out of
the web client leaves it working, and ``DELETE /api/auth/token`` revokes it.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from netsandbox.chat.api.common import errors, json_response
from netsandbox.chat.deps import Chat, CurrentCaller
from netsandbox.chat.schemas import TokenOut

router = APIRouter(prefix="/api/tokens", tags=["auth"])


@router.post(
    "", summary="Get a new API token", status_code=201, response_model=TokenOut,
    responses=errors(401, 403),
)  # fmt: skip
async def create_api_token(chat: Chat, caller: CurrentCaller) -> Response:
    """A new bearer token for the caller (signed in with the session cookie, which needs
    the `X-CSRF-Token` header, or with another token). Send it as
    `Authorization: Bearer <access_token>`; it stays valid until revoked with
    DELETE /api/auth/token, whatever happens to the session."""
    token = await chat.auth.issue(caller.user_id, "bearer")
    return json_response(
        {"access_token": token, "token_type": "bearer"},
        status_code=201,
        headers={"Cache-Control": "no-store"},
    )
