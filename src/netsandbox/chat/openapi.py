"""Examples in the chat API's OpenAPI document: what /docs shows before anyone sends a request.

The routes declare their parameters, bodies and the error statuses they can answer; this
module adds, in one place, a value to try for each parameter, realistic answers, and for
each error the bodies the server really sends (one named example per case), so a student
reading /docs sees what a mistake looks like and what to do about it.

The ``Idempotency-Key`` header has no example on purpose: a key is meant to be new for each
message, and tools that send the documented example (the docs' "Try it out", API fuzzers)
would otherwise reuse one key for different messages.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from netsandbox.chat.errors import GET_A_TOKEN
from netsandbox.chat.openapi_auth import document_auth
from netsandbox.core.errors import error_body

Body = dict[str, Any]

# (location, name) -> a value to try.
PARAMETER_EXAMPLES: dict[tuple[str, str], Any] = {
    ("query", "search"): "ada",
    ("query", "limit"): 20,
    ("query", "cursor"): 41,
    ("query", "unread"): True,
    ("query", "from"): 2,
    ("path", "user_id"): 2,
    ("path", "message_id"): 42,
}

ADA = {
    "id": 1, "username": "ada", "display_name": "Ada Lovelace", "status": "Working on the exercise",
    "role": "student", "created_at": "2026-09-07T08:12:03.512Z",
    "last_seen_at": "2026-09-07T09:41:00.000Z", "presence": "online",
}  # fmt: skip
BOB = {
    "id": 2, "username": "bob", "display_name": "Bob Kahn", "status": "", "role": "student",
    "created_at": "2026-09-07T08:13:44.020Z", "last_seen_at": None, "presence": "offline",
}  # fmt: skip
MESSAGE = {
    "id": 42, "from": 1, "to": 2, "body": "Hello! Did step 3 work for you?",
    "created_at": "2026-09-07T09:40:12.301Z", "read_at": None,
}  # fmt: skip
REPLY = {**MESSAGE, "id": 43, "from": 2, "to": 1, "body": "Yes, with json= instead of data=."}

# components/schemas name -> an example answer.
RESPONSE_EXAMPLES: dict[str, Body] = {
    "UserOut": ADA,
    "UserPage": {"items": [ADA, BOB], "next_cursor": None},
    "MessageOut": MESSAGE,
    "MessagePage": {"items": [REPLY, MESSAGE], "next_cursor": 42},
    "ConversationOut": {"user": BOB, "last_message": REPLY, "unread_count": 1},
    "ConversationPage": {
        "items": [{"user": BOB, "last_message": REPLY, "unread_count": 1}],
        "next_cursor": None,
    },
    "TokenOut": {
        "access_token": "kq3V0hJ2pX8yQ4tB6mN1cR7wZ5eL9sA0dF2gH4jK6lM",
        "token_type": "bearer",
    },
    "HealthOut": {"status": "ok", "database": "sqlite"},
}


def invalid(parameter: str, location: str, rule: str, message: str, **extra: Any) -> Body:
    """A 422 body as the server builds it: the first problem, repeated in ``errors``."""
    problem = {"parameter": parameter, "location": location, "rule": rule, **extra}
    text = f"{parameter} ({location}): {message}"
    return error_body("invalid_parameter", text, **problem,
                      errors=[{**problem, "message": text}])  # fmt: skip


TOO_FAST = error_body(
    "too_many_requests",
    "Too many requests: each user may make 20 per second (bursts of 60). Slow your loop down "
    "(for example with time.sleep(0.1)). Try again in 1 s.",
    retry_after=1,
)

# status -> {name: body}: for every route that answers the status, unless overridden below.
ERROR_EXAMPLES: dict[int, dict[str, Body]] = {
    400: {"not_utf8": error_body("bad_request", "There was an error parsing the body")},
    401: {
        "missing_token": error_body("missing_token", f"This endpoint needs a token. {GET_A_TOKEN}"),
        "invalid_token": error_body(
            "invalid_token",
            f"This token is unknown or was revoked (logged out). {GET_A_TOKEN}",
        ),
        "malformed_authorization": error_body(
            "malformed_authorization",
            "The Authorization header must be 'Bearer <token>' (the word Bearer, a space, then "
            "the access_token from POST /api/auth/token).",
        ),
    },
    404: {"not_found": error_body("not_found", "No user with id 99.", id=99)},
    422: {
        "out_of_range": invalid(
            "limit", "query", "greater_than_equal",
            "Input should be greater than or equal to 1; got '0'.", input="0",
        ),
        "not_a_number": invalid(
            "cursor", "query", "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer; got 'abc'.",
            input="abc",
        ),
    },
    429: {"too_many_requests": TOO_FAST},
    503: {
        "database_unavailable": error_body(
            "database_unavailable", "The database cannot be reached."
        )
    },
}

NOT_JSON = invalid(
    "body", "body", "json_object",
    "must be a JSON object: with requests, send it as json={...} (not data=...).",
)  # fmt: skip
MESSAGE_NOT_FOUND = {"not_found": error_body("not_found", "No message with id 99.", id=99)}

# (method, path) -> {status: {name: body}}: the errors particular to one route.
ROUTE_ERROR_EXAMPLES: dict[tuple[str, str], dict[int, dict[str, Body]]] = {
    ("post", "/api/auth/token"): {
        400: {"broken_multipart": error_body("bad_request", "Invalid multipart data.")},
        401: {
            "invalid_credentials": error_body(
                "invalid_credentials",
                "Wrong username or password. Check both (usernames are lowercase); ask your "
                "teacher if you do not have an account.",
            )
        },
        422: {
            "missing_field": invalid("password", "body", "missing",
                                     "is required (a non-empty string)."),
            "unknown_field": invalid("user", "body", "extra_forbidden",
                                     "unknown field: send only username and password."),
        },
        429: {
            "too_many_failed_logins": error_body(
                "too_many_requests",
                "Too many failed logins for 'ada' from your address: check the username and "
                "password (ask your teacher if you lost it). Try again in 900 s.",
                retry_after=900,
            )
        },
    },
    ("post", "/api/auth/register"): {
        403: {
            "registration_closed": error_body(
                "registration_closed",
                "This server does not take self-registration: ask your teacher for an account.",
            ),
            "wrong_join_code": error_body(
                "wrong_join_code",
                "This join code is not the right one: check it with your teacher.",
            ),
        },
        409: {
            "username_taken": error_body(
                "username_taken", "The username 'ada' is taken: choose another.", field="username"
            )
        },
        422: {
            "bad_username": invalid(
                "username", "body", "string_pattern_mismatch",
                "String should match pattern '^[a-z0-9_.-]{2,32}$'; got 'Ada!'.", input="Ada!",
            ),
            "short_password": invalid("password", "body", "string_too_short",
                                      "String should have at least 8 characters; got 'x'.",
                                      input="x"),
        },
        429: {
            "too_many_accounts": error_body(
                "too_many_requests",
                "Too many accounts created from your address. Try again in 9 s.",
                retry_after=9,
            )
        },
    },
    ("patch", "/api/users/{user_id}"): {
        403: {
            "not_yours": error_body(
                "forbidden",
                "You can change only your own profile: your id is 2, so send "
                "PATCH /api/users/2 (or PATCH /api/users/me).",
            )
        },
    },
    ("post", "/api/messages"): {
        422: {
            "blank_body": invalid("body", "body", "blank",
                                  "must not be blank (only spaces); got '   '.", input="   "),
            "unknown_recipient": invalid("to", "body", "unknown_recipient",
                                         "no user with id 99; find ids with GET /api/users."),
            "sent_as_a_form": NOT_JSON,
            "idempotency_key_reused": error_body(
                "idempotency_key_reused",
                "Idempotency-Key 'k1' was already used in the last 24 hours for a different "
                "message (other 'to' or 'body'); use a new key for each new message and the "
                "same key only to retry the same one.",
                parameter="Idempotency-Key", location="header", rule="idempotency_key_reused",
            ),
        },
    },
    ("get", "/api/messages"): {
        422: {
            "bad_sender": invalid("from", "query", "greater_than_equal",
                                  "Input should be greater than or equal to 1; got '0'.",
                                  input="0"),
            "bad_boolean": invalid(
                "unread", "query", "bool_parsing",
                "Input should be a valid boolean, unable to interpret input; got 'maybe'.",
                input="maybe",
            ),
        },
    },
    ("get", "/api/messages/{message_id}"): {
        403: {"not_yours": error_body("forbidden",
                                      "You can read only messages you sent or received.")},
        404: MESSAGE_NOT_FOUND,
    },
    ("post", "/api/messages/{message_id}/read"): {
        403: {
            "sender": error_body("forbidden", "Only the recipient can mark a message read."),
            "not_yours": error_body("forbidden", "You can mark read only messages sent to you."),
        },
        404: MESSAGE_NOT_FOUND,
    },
}  # fmt: skip

LONG_NAME = "Ada Augusta King, Countess of Lovelace, author of the first program"
PROFILE_ERRORS = {
    422: {
        "read_only_field": invalid(
            "role", "body", "read_only",
            "is read-only: only status and display_name can be changed; got 'teacher'.",
            input="teacher",
        ),
        "too_long": invalid("display_name", "body", "string_too_long",
                            f"String should have at most 64 characters; got {LONG_NAME!r}.",
                            input=LONG_NAME),
        "nothing_to_change": invalid("body", "body", "missing",
                                     "send at least one of status, display_name."),
        "sent_as_a_form": NOT_JSON,
    }
}  # fmt: skip
ROUTE_ERROR_EXAMPLES[("patch", "/api/users/{user_id}")].update(PROFILE_ERRORS)
ROUTE_ERROR_EXAMPLES[("patch", "/api/users/me")] = PROFILE_ERRORS


def install_examples(app: FastAPI) -> None:
    """Add the examples to ``app``'s OpenAPI document each time it is (re)built."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()  # generate() caches the document in app.openapi_schema
            add_examples(schema)
            document_auth(schema)  # the session cookie and its CSRF header
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def add_examples(schema: dict[str, Any]) -> None:
    """Fill in the examples a document lacks (in place); what a route set itself is kept."""
    components = schema.get("components", {}).get("schemas", {})
    for name, example in RESPONSE_EXAMPLES.items():
        if name in components:
            components[name].setdefault("example", example)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                _add_parameter_example(parameter)
            overrides = ROUTE_ERROR_EXAMPLES.get((method, path), {})
            for status, response in operation.get("responses", {}).items():
                if status.isdigit() and int(status) >= 400:
                    examples = overrides.get(int(status)) or ERROR_EXAMPLES.get(int(status))
                    if examples:
                        _set_error_examples(response, examples)


def _add_parameter_example(parameter: dict[str, Any]) -> None:
    key = (parameter.get("in", ""), parameter.get("name", ""))
    places = (parameter, parameter.get("schema", {}))
    documented = any("example" in place or "examples" in place for place in places)
    if not documented and key in PARAMETER_EXAMPLES:
        parameter["example"] = PARAMETER_EXAMPLES[key]


def _set_error_examples(response: dict[str, Any], examples: dict[str, Body]) -> None:
    content = response.setdefault("content", {}).setdefault("application/json", {})
    content.setdefault("schema", {"$ref": "#/components/schemas/Error"})
    content.pop("example", None)
    content["examples"] = {
        name: {"summary": body["error"]["message"][:80], "value": body}
        for name, body in examples.items()
    }
