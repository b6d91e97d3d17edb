"""Pieces every route module uses: JSON responses, paging parameters, documented errors."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Path, Query
from starlette.responses import Response

from netsandbox.chat.errors import GET_A_TOKEN
from netsandbox.chat.models import ID_MAX
from netsandbox.chat.schemas import DEFAULT_LIMIT, MAX_LIMIT
from netsandbox.core.errors import error_body
from netsandbox.core.http.openapi import error_response

JSON_TYPE = "application/json"


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """Rows are already in their JSON shape: send them without another validation pass."""
    return Response(orjson.dumps(content), status_code, headers, media_type=JSON_TYPE)


def json_bytes_response(body: bytes) -> Response:
    """A page already serialized (see ``pages.py``)."""
    return Response(body, media_type=JSON_TYPE)


LimitParam = Annotated[
    int,
    Query(
        ge=1,
        description=f"How many items per page (default {DEFAULT_LIMIT}); "
        f"values above {MAX_LIMIT} are treated as {MAX_LIMIT}.",
    ),
]
CursorParam = Annotated[
    int | None,
    Query(
        ge=1,
        le=ID_MAX,
        description="The next_cursor of the previous page; leave it out for the first page.",
    ),
]


def clamp(limit: int) -> int:
    return min(limit, MAX_LIMIT)


def id_path(what: str) -> Any:
    return Path(ge=1, le=ID_MAX, description=f"The {what}'s id.", examples=[1])


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer, all in the one error shape
    (a route that needs a token can also answer 429: the per-user rate limit)."""
    if 401 in statuses:
        statuses = (*statuses, 429)
    return {status: ERRORS[status] for status in sorted(set(statuses))}


ERRORS: dict[int, dict[str, Any]] = {
    400: error_response(
        "The body could not be read at all (not UTF-8 text, for example).",
        error_body("bad_request", "There was an error parsing the body"),
    ),
    401: error_response(
        "No token, or an unknown or revoked one: the message says how to get one.",
        error_body("missing_token", f"This endpoint needs a token. {GET_A_TOKEN}"),
    ),
    403: error_response(
        "Not allowed: the message says why.",
        error_body("forbidden", "You can change only your own profile: your id is 3, so "
                   "send PATCH /api/users/3 (or PATCH /api/users/me)."),
    ),
    404: error_response("No such resource.", error_body("not_found", "No user with id 7.", id=7)),
    409: error_response(
        "Conflicts with existing data.",
        error_body("username_taken", "The username 'ada' is taken: choose another."),
    ),
    422: error_response("The request breaks a rule: the message names the field and the rule.",
                        error_body("invalid_parameter", "body (body): a JSON object is required.")),
    429: error_response(
        "Over a rate limit: wait the Retry-After seconds, and slow down.",
        error_body("too_many_requests", "Too many requests: each user may make 20 per second "
                   "(bursts of 60). Slow your loop down (for example with time.sleep(0.1)). "
                   "Try again in 1 s.", retry_after=1),
    ),
    503: error_response(
        "The database cannot be reached.",
        error_body("database_unavailable", "The database cannot be reached."),
    ),
}  # fmt: skip
