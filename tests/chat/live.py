"""A chat server process shared by a module's tests (``start_service`` starts one per test).

For tests that only read, or whose writes do not disturb each other: the docs, the OpenAPI
document, the fuzzing run, the exercise page.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.conftest import ServiceProcess, launch, wait_for_ready


@contextmanager
def running_chat(folder: Path, *args: str) -> Iterator[ServiceProcess]:
    """``netsandbox serve chat --port 0 ARGS`` with its data in ``folder``; killed at the end."""
    log = folder / "chat.log"
    command = [
        sys.executable, "-m", "netsandbox", "serve", "chat",
        "--port", "0", "--data-dir", str(folder / "data"), *args,
    ]  # fmt: skip
    process = launch(command, log)
    match = wait_for_ready(process, log)
    try:
        yield ServiceProcess("chat", match.group(2), int(match.group(3)), process, log, folder)
    finally:
        process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)


def base_url(service: ServiceProcess) -> str:
    return f"http://{service.host}:{service.port}"


def register_and_log_in(service: ServiceProcess, username: str, password: str) -> str:
    """A new account on a server with open registration; returns its token."""
    url = base_url(service)
    account = {"username": username, "password": password}
    requests.post(f"{url}/api/auth/register", json=account, timeout=10).raise_for_status()
    token = requests.post(f"{url}/api/auth/token", data=account, timeout=10)
    token.raise_for_status()
    return token.json()["access_token"]
