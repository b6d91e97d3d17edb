"""The servers under test: how to start each one pinned to a core, check it, and stop it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BASELINES = ROOT / "bench" / "baselines"

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


def clean_environment() -> dict[str, str]:
    """The environment without NETSANDBOX_* settings, so our servers run with their defaults."""
    return {k: v for k, v in os.environ.items() if not k.startswith("NETSANDBOX_")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pinned(core: int):
    """A ``preexec_fn`` that pins the child to ``core`` (what ``taskset -c`` does)."""
    return lambda: os.sched_setaffinity(0, {core})


def spawn_pinned(argv: list[str] | tuple[str, ...], core: int, log: Path) -> subprocess.Popen:
    """Start a server pinned to ``core``, from the repository root, stdout and stderr to ``log``."""
    with log.open("wb") as err:
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
            env=clean_environment(),
            preexec_fn=pinned(core),
            cwd=ROOT,
        )


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if the process has not exited within 10 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_listening(port: int, process: subprocess.Popen, timeout: float) -> float | None:
    """Poll connect every millisecond; the monotonic time it succeeded, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1.0):
                return time.monotonic()
        except OSError:
            if process.poll() is not None:
                return None
            time.sleep(0.001)
    return None


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
