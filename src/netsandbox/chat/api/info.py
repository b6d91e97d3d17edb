"""/api/info: what a client should know about this server before signing in (no token)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from netsandbox import __version__
from netsandbox.chat.api.common import json_response
from netsandbox.chat.deps import Chat
from netsandbox.chat.models import BODY_MAX, DISPLAY_NAME_MAX, STATUS_MAX
from netsandbox.chat.schemas import InfoOut

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/info", summary="About this server", response_model=InfoOut)
async def info(chat: Chat) -> Response:
    """No token needed: the service and its version, whether self-registration is open
    (`open`), needs a join code (`code`) or is `closed`, and the longest message, status and
    display name it accepts (so a client can count characters before sending)."""
    return json_response(
        {
            "service": "netsandbox chat",
            "version": __version__,
            "registration": chat.settings.registration_mode.kind,
            "max_message_length": BODY_MAX,
            "max_status_length": STATUS_MAX,
            "max_display_name_length": DISPLAY_NAME_MAX,
        }
    )
