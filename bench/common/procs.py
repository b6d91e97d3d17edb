"""Server processes of a benchmark: spawned pinned to a core, waited for, stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BASELINES = ROOT / "bench" / "baselines"


def clean_environment() -> dict[str, str]:
    """The environment without NETSANDBOX_* settings, so our servers run with their defaults."""
    return {k: v for k, v in os.environ.items() if not k.startswith("NETSANDBOX_")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pinned(core: int) -> Callable[[], None]:
    """A ``preexec_fn`` that pins the child to ``core`` (what ``taskset -c`` does)."""
    return lambda: os.sched_setaffinity(0, {core})


def spawn_pinned(
    argv: list[str] | tuple[str, ...],
    core: int,
    log: Path | None,
    *,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
) -> subprocess.Popen:
    """Start a server pinned to ``core``, stdout and stderr to ``log`` (None: discarded).

    ``env`` defaults to ``clean_environment()``; ``cwd`` to the repository root.
    """
    env = clean_environment() if env is None else env
    if log is None:
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            preexec_fn=pinned(core),
            cwd=cwd,
        )
    with log.open("wb") as err:
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
            env=env,
            preexec_fn=pinned(core),
            cwd=cwd,
        )


def stop_process(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if the process has not exited within ``timeout`` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
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
