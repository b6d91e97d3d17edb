"""The one error shape every service puts on the wire.

Contacts (TCP), every HTTP API and the chat event stream all describe a failure with the
same object, built here and nowhere else::

    {"error": {"code": "unknown_command", "message": "what went wrong and how to fix it"}}

``code`` is a stable machine-readable word; ``message`` is a sentence for a student. Extra
fields (``field``, ``allowed``...) may follow. Services wrap it in their own envelope where
their protocol needs one (contacts adds ``status``/``msg``/``data`` for the course's client).
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request that cannot be served; turned into ``error_body`` at the edge of a service."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, **self.details)


def error_body(code: str, message: str, **details: Any) -> dict[str, Any]:
    """The error object sent to clients: ``{"error": {"code", "message", ...details}}``."""
    return {"error": {"code": code, "message": message, **details}}
