"""The HTTP flavour of the one error shape: a stable ``code`` for each status, and JSON bytes.

Kept free of the web framework so the connection-level protocol (which answers 400, 408,
413 and 431 before any app runs) builds exactly the same bodies as the app's handlers.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from netsandbox.core.errors import error_body

# Words clients can test for; the rest follow the reason phrase ("Not Implemented" -> ...).
_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_parameter",
    429: "too_many_requests",
    431: "headers_too_large",
    500: "internal_error",
    503: "unavailable",
}


def error_code(status: int) -> str:
    """The ``code`` field for an error answered with ``status``."""
    if status in _CODES:
        return _CODES[status]
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "error"
    return phrase.lower().replace(" ", "_").replace("-", "_")


def error_json(status: int, message: str, *, code: str | None = None, **details: Any) -> bytes:
    """``error_body`` for ``status`` as UTF-8 JSON, ready to write on the wire."""
    body = error_body(code or error_code(status), message, **details)
    try:
        return json.dumps(body, ensure_ascii=False, default=str).encode()
    except UnicodeEncodeError:  # a lone surrogate quoted from the request: escape it
        return json.dumps(body, ensure_ascii=True, default=str).encode()
