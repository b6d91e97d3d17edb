"""How the chat's OpenAPI document shows the two ways to authenticate, and their errors.

FastAPI lists each security scheme a route depends on as an alternative: a bearer token
(``token``) or the session cookie (``session``). What it cannot say is that a change made
with the cookie also needs the ``X-CSRF-Token`` header: here those operations get the
requirement ``session`` *and* ``csrf``, and the 401s and 403s the cookie can cause are added
to the examples, with the bodies the server sends.
"""

from __future__ import annotations

from typing import Any

from netsandbox.chat.errors import ChatError
from netsandbox.chat.web_session import (
    CSRF_HEADER,
    foreign_origin,
    invalid_session,
    malformed_session,
    missing_csrf,
    missing_session,
    wrong_csrf,
)
from netsandbox.core.errors import error_body
from netsandbox.core.http.openapi import error_response

UNSAFE = ("post", "put", "patch", "delete")
SESSION_ROUTES = ("/api/session",)
LOGIN = ("/api/auth/token", "post")
CSRF_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": CSRF_HEADER,
    "description": "With the session cookie, every POST, PUT, PATCH and DELETE must send the "
    "session's csrf_token (from POST or GET /api/session) in this header. Not needed with a "
    "bearer token.",
}
CSRF_TOKEN = "5f0c8e6a1d2b4c7e9f3a6b8d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f"
ADA = {
    "id": 1, "username": "ada", "display_name": "Ada Lovelace", "status": "Working on the exercise",
    "role": "student", "created_at": "2026-09-07T08:12:03.512Z",
    "last_seen_at": "2026-09-07T09:41:00.000Z", "presence": "online",
}  # fmt: skip
RESPONSE_EXAMPLES = {
    "SessionOut": {"user": ADA, "csrf_token": CSRF_TOKEN},
    "InfoOut": {
        "service": "netsandbox chat", "version": "0.1.0", "registration": "open",
        "max_message_length": 2000, "max_status_length": 140, "max_display_name_length": 64,
    },
}  # fmt: skip


def _body(error: ChatError) -> dict[str, Any]:
    return error_body(error.code, error.message, **error.details)


FORGED = {"foreign_origin": _body(foreign_origin("https://elsewhere.example"))}
CSRF_ERRORS = {
    "csrf_missing": _body(missing_csrf()),
    "csrf_wrong": _body(wrong_csrf()),
    **FORGED,
}
COOKIE_ERRORS = {
    "invalid_session": _body(invalid_session()),
    "malformed_session": _body(malformed_session()),
}
SESSION_ONLY_ERRORS = {"missing_session": _body(missing_session()), **COOKIE_ERRORS}


def document_auth(schema: dict[str, Any]) -> None:
    """Add the CSRF scheme and requirements, and the cookie's errors, to ``schema`` (in
    place, after the other examples are set)."""
    components = schema.setdefault("components", {})
    components.setdefault("securitySchemes", {})["csrf"] = CSRF_SCHEME
    for name, example in RESPONSE_EXAMPLES.items():
        if name in components.get("schemas", {}):
            components["schemas"][name].setdefault("example", example)
    paths = schema.get("paths", {})
    for path, operations in paths.items():
        for method, operation in operations.items():
            security = operation.get("security") or []
            if not any("session" in requirement for requirement in security):
                continue
            if method in UNSAFE:
                operation["security"] = [
                    {**requirement, "csrf": []} if "session" in requirement else requirement
                    for requirement in security
                ]
                _add_examples(operation, 403, CSRF_ERRORS)
            if path in SESSION_ROUTES:
                _replace_examples(operation, 401, SESSION_ONLY_ERRORS)
            else:
                _add_examples(operation, 401, COOKIE_ERRORS)
    sign_in = paths.get("/api/session", {}).get("post")
    login = paths.get(LOGIN[0], {}).get(LOGIN[1])
    if sign_in is not None and login is not None:
        # The same credentials, checks and limits as the token route, plus the Origin check.
        for status, response in login["responses"].items():
            if status in sign_in["responses"] and status.isdigit() and int(status) >= 400:
                sign_in["responses"][status] = response
        _replace_examples(sign_in, 403, FORGED)


def _add_examples(operation: dict[str, Any], status: int, examples: dict[str, Any]) -> None:
    response = operation.setdefault("responses", {}).setdefault(
        str(status), error_response("Not allowed: the message says why.", {})
    )
    content = response.setdefault("content", {}).setdefault("application/json", {})
    content.pop("example", None)
    content["examples"] = {**content.get("examples", {}), **_named(examples)}


def _replace_examples(operation: dict[str, Any], status: int, examples: dict[str, Any]) -> None:
    response = operation.get("responses", {}).get(str(status))
    if response is not None:
        content = response.setdefault("content", {}).setdefault("application/json", {})
        content.pop("example", None)
        content["examples"] = _named(examples)


def _named(examples: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {"summary": body["error"]["message"][:80], "value": body}
        for name, body in examples.items()
    }
