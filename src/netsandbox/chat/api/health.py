"""/api/health: is the service up and its database reachable (no token needed)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from netsandbox.chat.api.common import errors, json_response
from netsandbox.chat.deps import Chat
from netsandbox.chat.errors import ChatError
from netsandbox.chat.schemas import HealthOut

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", summary="Service health", response_model=HealthOut, responses=errors(503))
async def health(chat: Chat) -> Response:
    """No token needed: 200 when the service answers and its database too, 503 otherwise.
    A script can poll it to wait for the server to be up."""
    try:
        async with chat.db.reading() as conn:
            await conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError):
        raise ChatError(503, "database_unavailable", "The database cannot be reached.") from None
    return json_response({"status": "ok", "database": chat.db.backend})
