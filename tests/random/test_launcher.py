"""sandbox/server_http_random.py, started exactly as the course notebook starts it."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

import requests

from tests.conftest import ROOT, launch, wait_for_ready


def test_launcher_serves_the_notebook_and_stops_with_its_shell(tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"  # the notebook runs from a folder beside sandbox/
    notebooks.mkdir()
    # "; true" keeps the shell alive as the parent, as Debian's /bin/sh does anyway.
    command = f"{sys.executable} {ROOT / 'sandbox' / 'server_http_random.py'}; true"
    env = {"NETSANDBOX_RANDOM_PORT": "0", "NETSANDBOX_DATA_DIR": str(tmp_path / "data")}
    log = tmp_path / "random.log"
    shell = launch(command, log, env, shell=True, cwd=notebooks)
    port = int(wait_for_ready(shell, log).group(3))
    out = requests.get(f"http://localhost:{port}/api/random/int?n=20", timeout=5)
    assert len(out.json()) == 20

    shell.terminate()  # reaches only the shell, like proc.terminate() in the notebook
    shell.wait(5)
    stopped = time.monotonic()
    while time.monotonic() - stopped < 2:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            break
        time.sleep(0.02)
    else:
        raise AssertionError(f"the random API still listens on {port} after its parent exited")
    with socket.socket() as again:  # the port is free again at once
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
