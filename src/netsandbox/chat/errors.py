"""The chat service's one error type: an ``HttpError`` (status + the shared error shape).

Raised anywhere below the routes (store, auth, limits) and turned into JSON by the shared
HTTP error handlers at the edge of the app.
"""

from __future__ import annotations

from typing import Any

from netsandbox.core.http.errors import HttpError

GET_A_TOKEN = (
    "Get a token with POST /api/auth/token (form fields username and password), then send "
    "it in the header 'Authorization: Bearer <token>'."
)
SIGN_IN_AGAIN = (
    "Sign in again with POST /api/session (username and password), as the web client's "
    "sign-in form does; scripts use a bearer token instead."
)


class ChatError(HttpError):
    """A request the chat service refuses, with the HTTP status to answer."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(status, message, code=code, headers=headers, **details)


def unauthorized(code: str, message: str) -> ChatError:
    return ChatError(401, code, message, headers={"WWW-Authenticate": "Bearer"})


def not_found(what: str, ident: int) -> ChatError:
    return ChatError(404, "not_found", f"No {what} with id {ident}.", id=ident)


def forbidden(message: str) -> ChatError:
    return ChatError(403, "forbidden", message)


def invalid(
    parameter: str,
    message: str,
    *,
    rule: str = "invalid",
    location: str = "body",
    code: str = "invalid_parameter",
) -> ChatError:
    """A 422 about one part of the request, in the same shape as the schema's 422s."""
    text = f"{parameter} ({location}): {message}."
    problem = {"parameter": parameter, "location": location, "rule": rule, "message": text}
    return ChatError(
        422, code, text, parameter=parameter, location=location, rule=rule, errors=[problem]
    )
