"""sandbox/server_http_echo.py, started like the notebook starts its servers."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

import requests

from tests.conftest import ROOT, launch, wait_for_ready


def test_launcher_serves_the_notebook_and_stops_with_its_shell(tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    command = f"{sys.executable} {ROOT / 'sandbox' / 'server_http_echo.py'}; true"
    env = {"NETSANDBOX_ECHO_PORT": "0", "NETSANDBOX_DATA_DIR": str(tmp_path / "data")}
    log = tmp_path / "echo.log"
    shell = launch(command, log, env, shell=True, cwd=notebooks)
    port = int(wait_for_ready(shell, log).group(3))
    out = requests.get(f"http://127.0.0.1:{port}/get?a=10&b=100", timeout=5)
    assert out.json()["args"] == {"a": "10", "b": "100"}

    shell.terminate()  # reaches only the shell, like proc.terminate() in the notebook
    shell.wait(5)
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            return
        time.sleep(0.02)
    raise AssertionError(f"the echo server still listens on {port} after its parent exited")
