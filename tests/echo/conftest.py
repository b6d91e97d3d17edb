"""One echo server for the whole package: it holds no state, and starting it costs ~0.5 s."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.conftest import ServiceProcess, launch, wait_for_ready


@pytest.fixture(scope="package")
def echo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    """``netsandbox serve echo`` on a free port, as a separate process."""
    folder = tmp_path_factory.mktemp("echo")
    log = folder / "echo.log"
    command = [
        sys.executable, "-m", "netsandbox", "serve", "echo",
        "--port", "0", "--data-dir", str(folder / "data"),
    ]  # fmt: skip
    process = launch(command, log)
    match = wait_for_ready(process, log)
    service = ServiceProcess("echo", match.group(2), int(match.group(3)), process, log, folder)
    try:
        yield service
    finally:
        try:
            status = service.stop(signal.SIGTERM)
        except subprocess.TimeoutExpired:
            process.kill()
            status = process.wait()
    assert status == 0, f"echo exited with {status}:\n{service.log_text()}"


@pytest.fixture
def base_url(echo: ServiceProcess) -> str:
    return f"http://{echo.host}:{echo.port}"
