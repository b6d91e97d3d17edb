"""A client for the contacts service: the reference solution to compare yours against.

The whole protocol: open a TCP connection, send one JSON object ``{"cmd": ..., "args": {...}}``,
read until the server closes the connection, decode the JSON reply
``{"status": ..., "msg": ..., "data": ...}``. One connection per command.
"""

from __future__ import annotations

import json
import socket
from typing import Any


class ContactClientError(Exception):
    """Base class: anything that stops a command from succeeding."""


class ContactConnectionError(ContactClientError):
    """The server cannot be reached, or did not answer in time."""


class ContactError(ContactClientError):
    """The server answered ``status: false``; ``code`` says why in one word."""

    def __init__(self, message: str, code: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ContactClient:
    """Talks to a contacts server; ``timeout`` bounds the connect and each read, in seconds."""

    def __init__(self, host: str = "127.0.0.1", port: int = 3001, *, timeout: float = 5.0) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout

    def command(self, cmd: str, **args: str) -> tuple[str, Any]:
        """Send one command; return ``(msg, data)`` or raise ``ContactError``."""
        reply = self._exchange(json.dumps({"cmd": cmd, "args": args}).encode("utf-8"))
        if reply.get("status") is not True:
            error = reply.get("error") or {}
            raise ContactError(str(reply.get("msg")), code=error.get("code", "error"))
        return reply.get("msg", ""), reply.get("data")

    def help(self) -> dict[str, Any]:
        """Every command with its arguments and what it does."""
        return self.command("help")[1]

    def list(self) -> dict[str, str]:
        """Every contact, ``{name: mail}``."""
        return self.command("list")[1]

    def add(self, name: str, mail: str) -> str:
        """Add a contact, or change its mail; return the server's message (added/updated)."""
        return self.command("add", name=name, mail=mail)[0]

    def get(self, name: str) -> str:
        """The mail of ``name``; ``ContactError`` (code ``not_found``) if there is none."""
        data = self.command("get", name=name)[1]
        return next(iter(data.values()))

    def remove(self, name: str) -> str:
        """Delete a contact; return the server's message."""
        return self.command("remove", name=name)[0]

    def search(self, query: str) -> dict[str, str]:
        """Contacts whose name or mail contains ``query``, ignoring case."""
        return self.command("search", query=query)[1]

    def _exchange(self, request: bytes) -> dict[str, Any]:
        address = f"{self.host}:{self.port}"
        chunks = []
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
                sock.sendall(request)
                while chunk := sock.recv(4096):  # the server closes once it has replied
                    chunks.append(chunk)
        except ConnectionRefusedError:
            raise ContactConnectionError(
                f"no contacts server at {address} — start it with `netsandbox serve contacts`"
            ) from None
        except TimeoutError:
            raise ContactConnectionError(
                f"the contacts server at {address} did not answer within {self.timeout:g} s"
            ) from None
        except OSError as exc:
            raise ContactConnectionError(f"cannot talk to {address}: {exc}") from None
        try:
            reply = json.loads(b"".join(chunks).decode("utf-8"))  # decode once, at the end
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            raise ContactClientError(f"{address} did not reply with a JSON object: is it contacts?")
        return reply
