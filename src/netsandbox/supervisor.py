"""``netsandbox up``: run every service, each in its own process, and stop them together.

One process per service keeps a hammered service from slowing the others and uses every
core; each child also watches this process, so none outlives it even after a ``kill -9``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from netsandbox.core.settings import ServiceSettings
from netsandbox.services import ServiceInfo

READY_TIMEOUT = 15.0


@dataclass
class Child:
    """A running service process and the settings it was started with."""

    info: ServiceInfo
    settings: ServiceSettings
    process: subprocess.Popen[bytes]


def command_for(settings: ServiceSettings) -> list[str]:
    """The command line that runs one service with exactly these settings."""
    return [
        sys.executable, "-m", "netsandbox", "serve", settings.service,
        "--host", settings.host,
        "--port", str(settings.port),
        "--data-dir", str(settings.data_dir),
        "--idle-timeout", str(settings.idle_timeout),
        "--log-level", settings.log_level,
        "--exit-with-parent",
        *_service_specific_flags(settings),
    ]  # fmt: skip


def _service_specific_flags(settings: ServiceSettings) -> list[str]:
    """``--name value`` for each setting a service adds to the shared ones (chat's
    ``registration``...); ``netsandbox serve`` has a flag of the same name for each."""
    shared = {f.name for f in dataclasses.fields(ServiceSettings)}
    flags: list[str] = []
    for setting in dataclasses.fields(settings):
        value = getattr(settings, setting.name)
        if setting.name not in shared and value is not None:
            flags += ["--" + setting.name.replace("_", "-"), str(value)]
    return flags


def start_all(plan: Sequence[tuple[ServiceInfo, ServiceSettings]]) -> list[Child]:
    """Start every service and wait until each listens; stop them all if one cannot."""
    children = [
        Child(info, settings, subprocess.Popen(command_for(settings), stdin=subprocess.DEVNULL))
        for info, settings in plan
    ]
    deadline = time.monotonic() + READY_TIMEOUT
    for child in children:
        if not _wait_listening(child, deadline):
            stop_all(children, timeout=5.0)
            raise RuntimeError(
                f"{child.info.name} did not start on {child.settings.host}:{child.settings.port}"
                " (see the error above)"
            )
    return children


def _wait_listening(child: Child, deadline: float) -> bool:
    host = "127.0.0.1" if child.settings.host in ("0.0.0.0", "") else child.settings.host
    host = "::1" if host == "::" else host
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            return False
        with contextlib.suppress(OSError), socket.create_connection(
            (host, child.settings.port), timeout=0.5
        ):
            return True
        time.sleep(0.05)
    return False


def wait_for_stop(children: Sequence[Child]) -> int:
    """Block until SIGINT/SIGTERM or until a service exits on its own; return an exit status."""
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    while not stopping:
        for child in children:
            code = child.process.poll()
            if code is not None:
                print(
                    f"netsandbox: {child.info.name} exited with status {code}; stopping the others",
                    file=sys.stderr,
                )
                return code or 1
        time.sleep(0.2)
    return 0


def stop_all(children: Sequence[Child], timeout: float) -> None:
    """SIGTERM every child, then SIGKILL those still running after ``timeout`` seconds."""
    for child in children:
        if child.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in children:
        try:
            child.process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.process.pid, signal.SIGKILL)
            child.process.wait()
