"""/api/events: the live event stream of the calling user (server-sent events)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header

from netsandbox.chat.api.common import errors
from netsandbox.chat.deps import Chat, StreamCaller
from netsandbox.chat.events.model import EVENT_TYPES
from netsandbox.chat.events.stream import EventStream

router = APIRouter(prefix="/api/events", tags=["events"])

STREAM_DESCRIPTION = """A `text/event-stream` (server-sent events) that stays open and
carries, as they happen: `message.created` (a message to you, or one you sent from another
session), `message.read` (one of your messages was read), `user.created`, `user.status`
(a status or display name changed) and `user.presence` (someone came online or went
offline). Each event has an `id:`, an `event:` type and one `data:` line of JSON; a comment
line (`: heartbeat`) comes every 15 s while nothing else does.

Authenticate with `Authorization: Bearer <token>` (read the stream with `fetch` or
`httpx.stream`, not a URL with the token in it), or, in a browser, with the session cookie
that POST /api/session sets (an `EventSource` sends it by itself). Logging out ends the
streams opened with that token or session (`closed` / `logged_out`). After a dropped
connection, reconnect with the header `Last-Event-ID: <the last id you got>`: the events you
missed (the last 1,000 kept) come first; if yours is older, a `reset` event tells you to
fetch the state again.
A user may have 5 streams open: a sixth closes the oldest. See docs/events.md."""

# One event of the stream, as an SSE reader hands it over (every field is text).
EVENT_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "description": "Send it back as Last-Event-ID."},
        "event": {"type": "string", "enum": list(EVENT_TYPES)},
        "data": {"type": "string", "contentMediaType": "application/json"},
        "retry": {"type": "integer"},
    },
}

LastEventIdHeader = Annotated[
    str | None,
    Header(
        alias="Last-Event-ID",
        description="The id of the last event received, to get the ones missed since.",
        examples=["1764061200001"],
    ),
]


@router.get(
    "",
    summary="Live events (server-sent events)",
    status_code=200,
    description=STREAM_DESCRIPTION,
    response_class=EventStream,  # type: ignore[arg-type]
    responses={
        200: {
            "description": "An endless event stream.",
            "content": {"text/event-stream": {"schema": EVENT_SCHEMA, "example": (
                'id: 1764061200001\nevent: user.status\ndata: {"id": 2, "status": "Lunch"}\n\n'
            )}},
        },
        **errors(401),
    },
)  # fmt: skip
async def events(
    chat: Chat, caller: StreamCaller, last_event_id: LastEventIdHeader = None
) -> EventStream:
    me = caller.user_id
    after = int(last_event_id) if last_event_id and last_event_id.isdigit() else None
    subscription = chat.broker.subscribe(me, after)
    chat.presence.stream_opened(me)
    chat.streams.opened(caller.credential, subscription)

    def closed() -> None:
        chat.streams.closed(caller.credential, subscription)
        chat.broker.unsubscribe(subscription)
        chat.presence.stream_closed(me)

    return EventStream(subscription, chat.settings.heartbeat, closed)
