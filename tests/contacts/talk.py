"""Ways of talking to a contacts server over a real socket, as students' code does."""

from __future__ import annotations

import json
import socket
from typing import Any

Address = tuple[str, int]


def notebook_command(address: Address, cmd: str, **args: Any) -> dict[str, Any]:
    """The course notebook's client, behaviour for behaviour; returns the whole reply.

    One ``send`` of the JSON with no delimiter, no half-close, then ``recv(1024)`` with each
    chunk decoded on its own until an empty string comes back.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(10)
    with sock:
        sock.connect(address)
        sock.send(json.dumps({"cmd": cmd, "args": args}).encode())
        text = piece = sock.recv(1024).decode()
        while piece != "":
            piece = sock.recv(1024).decode()
            text += piece
    return json.loads(text)


def recv_all(sock: socket.socket) -> bytes:
    """Read until the server closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def exchange(address: Address, payload: bytes, *, half_close: bool = False) -> bytes:
    """Send ``payload`` (then EOF if ``half_close``, like nc at end of input); the raw reply."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(payload)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        return recv_all(sock)


def send_json(address: Address, payload: bytes, **options: bool) -> dict[str, Any]:
    """``exchange`` and decode the reply, checking it is one JSON line."""
    raw = exchange(address, payload, **options)
    assert raw.endswith(b"\n") and raw.count(b"\n") == 1, raw
    return json.loads(raw)
