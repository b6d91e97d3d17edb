"""``netsandbox up`` starts every service, prints where they are, and stops them together."""

from __future__ import annotations

import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from netsandbox.services import SERVICES
from tests.conftest import launch
from tests.core.test_lifecycle import free_port, wait_closed


@pytest.fixture
def ports() -> dict[str, int]:
    return {name: free_port() for name in SERVICES}


def start_up(tmp_path: Path, ports: dict[str, int]):
    env = {f"NETSANDBOX_{name.upper()}_PORT": str(port) for name, port in ports.items()}
    env["COLUMNS"] = "200"  # keep Rich's table on one line per service
    log = tmp_path / "up.log"
    command = [sys.executable, "-m", "netsandbox", "up", "--data-dir", str(tmp_path / "data")]
    process = launch(command, log, env)
    deadline = time.monotonic() + 30
    while "services running" not in log.read_text():
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)
    return process, log


def test_up_starts_every_service_and_sigterm_stops_all(
    tmp_path: Path, ports: dict[str, int]
) -> None:
    process, log = start_up(tmp_path, ports)
    output = log.read_text()
    for name, port in ports.items():
        assert name in output
        assert f"127.0.0.1:{port}" in output
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    assert "demo-ada" in output  # chat on loopback: demo accounts with their passwords
    process.send_signal(signal.SIGTERM)
    assert process.wait(15) == 0
    for port in ports.values():
        wait_closed(port, timeout=1.0)


def test_services_stop_when_up_is_killed(tmp_path: Path, ports: dict[str, int]) -> None:
    process, _ = start_up(tmp_path, ports)
    process.kill()  # no chance to clean up: the children notice their parent is gone
    process.wait(5)
    for port in ports.values():
        wait_closed(port, timeout=2.0)
