"""Fixtures that run real netsandbox services on free ports, as separate processes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytest_plugins = ["tests.browser"]  # browser fixtures: browser, offline_page

READY = re.compile(r"(\w+) listening on (\S+):(\d+)")
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ServiceProcess:
    """A service running in its own process; ``log`` is its stderr, read back for checks."""

    name: str
    host: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    data_dir: Path
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def address(self) -> tuple[str, int]:
        return (self.host, self.port)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Send ``sig`` and wait for the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout)


def wait_for_ready(process: subprocess.Popen[bytes], log: Path, timeout: float = 15.0):
    """Wait for the 'NAME listening on HOST:PORT' line; return its match."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = READY.search(log.read_text(errors="replace")) if log.exists() else None
        if match:
            return match
        if process.poll() is not None:
            raise RuntimeError(f"service exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.01)
    process.kill()
    raise RuntimeError(f"service did not start within {timeout}s:\n{log.read_text()}")


def launch(
    command: list[str],
    log: Path,
    env: dict[str, str] | None = None,
    **popen: object,
) -> subprocess.Popen[bytes]:
    """Start ``command`` with stderr going to ``log`` (a pipe could fill up and block it)."""
    full_env = {**os.environ, **(env or {})}
    with log.open("wb") as err:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=err, stderr=err, env=full_env, **popen
        )


StartService = Callable[..., ServiceProcess]


@pytest.fixture
def start_service(tmp_path: Path) -> Iterator[StartService]:
    """Start ``netsandbox serve NAME --port 0 ...``; every process is stopped at teardown."""
    started: list[ServiceProcess] = []

    def start(
        name: str, *args: str, data_dir: Path | None = None, env: dict[str, str] | None = None
    ) -> ServiceProcess:
        data = data_dir or tmp_path / "data"
        log = tmp_path / f"{name}-{len(started)}.log"
        command = [
            sys.executable, "-m", "netsandbox", "serve", name,
            "--port", "0", "--data-dir", str(data), *args,
        ]  # fmt: skip
        process = launch(command, log, env)
        match = wait_for_ready(process, log)
        service = ServiceProcess(name, match.group(2), int(match.group(3)), process, log, data)
        started.append(service)
        return service

    yield start
    for service in started:
        if service.process.poll() is None:
            service.process.kill()
            service.process.wait()
