"""The servers under test: how to start each one pinned to a core, check it, and stop it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# ROOT, clean_environment and pinned stay importable from here (scripts import them so).
from common.procs import (  # noqa: F401
    BASELINES,
    ROOT,
    clean_environment,
    free_port,
    pinned,
    spawn_pinned,
    stop_process,
    wait_listening,
)

HELLO_REQUEST = b"Hello server"  # what the course's notebook sends
CONTACTS_REQUEST = json.dumps({"cmd": "list", "args": {}}).encode()  # as its ContactClient does


@dataclass(frozen=True, slots=True)
class Target:
    """A server to measure. ``command`` may use ``{port}`` and ``{data_dir}``."""

    name: str
    role: str  # "ceiling", "ours" or "naive"
    request: bytes
    command: tuple[str, ...]
    # A thread per connection: the main thread's run-queue wait is mostly its own threads'
    # doing, so it cannot tell that other work disturbed the run.
    threaded: bool = False

    def argv(self, port: int, data_dir: Path) -> list[str]:
        return [part.format(port=port, data_dir=data_dir) for part in self.command]


def _ours(service: str) -> tuple[str, ...]:
    # Default log level (info: one access-log line per request), as in real use.
    cmd = (sys.executable, "-m", "netsandbox", "serve", service, "--port", "{port}")
    return (*cmd, "--data-dir", "{data_dir}")


def _baseline(script: str) -> tuple[str, ...]:
    return (sys.executable, str(BASELINES / script), "--port", "{port}")


CEILING = Target("ceiling", "ceiling", HELLO_REQUEST, _baseline("ceiling.py"))
HELLO = Target("hello", "ours", HELLO_REQUEST, _ours("hello"))
NAIVE_HELLO = Target(
    "naive hello", "naive", HELLO_REQUEST, _baseline("naive_hello.py"), threaded=True
)
CONTACTS = Target("contacts list", "ours", CONTACTS_REQUEST, _ours("contacts"))
NAIVE_CONTACTS = Target("naive contacts", "naive", CONTACTS_REQUEST, _baseline("naive_contacts.py"))
ALL = (CEILING, HELLO, NAIVE_HELLO, CONTACTS, NAIVE_CONTACTS)


def ask(port: int, request: bytes) -> bytes:
    """One request the way the course's clients make it: send, read until EOF."""
    with socket.create_connection(("127.0.0.1", port), timeout=5.0) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def reply_is_right(target: Target, reply: bytes) -> bool:
    """A sanity check before loading a server: does it answer this request properly?"""
    if target.request == HELLO_REQUEST:
        return reply.startswith(b"data received by the server: ")
    try:
        answer = json.loads(reply)
    except ValueError:
        return False
    return answer.get("status") is True and isinstance(answer.get("data"), dict)


@dataclass
class RunningServer:
    target: Target
    port: int
    process: subprocess.Popen
    log: Path
    reply: bytes

    def stop(self) -> None:
        stop_process(self.process)


def start(target: Target, core: int, data_dir: Path, log: Path) -> RunningServer:
    """Start ``target`` on a free port pinned to ``core``; stderr goes to ``log``."""
    port = free_port()
    process = spawn_pinned(target.argv(port, data_dir), core, log)
    if wait_listening(port, process, timeout=15.0) is None:
        process.kill()
        process.wait()
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{target.name} did not start listening:\n{tail}")
    server = RunningServer(target, port, process, log, b"")
    server.reply = ask(port, target.request)
    if not reply_is_right(target, server.reply):
        server.stop()
        raise RuntimeError(f"{target.name} answered {server.reply[:200]!r}")
    return server
