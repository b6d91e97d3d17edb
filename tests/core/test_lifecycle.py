"""Start, stop and survive: signals, parent exit, port reuse, running out of descriptors."""

from __future__ import annotations

import contextlib
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, StartService, launch, wait_for_ready


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_closed(port: int, timeout: float) -> float:
    """Seconds until nothing accepts on ``port`` any more (raises if still open at timeout)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            return time.monotonic() - started
        time.sleep(0.02)
    raise AssertionError(f"port {port} still accepting after {timeout}s")


def ask_hello(port: int, message: bytes = b"hi") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(message)
        chunks = []
        while chunk := s.recv(1024):
            chunks.append(chunk)
    return b"".join(chunks)


def test_sigterm_stops_cleanly_and_port_is_reusable_at_once(start_service: StartService) -> None:
    hello = start_service("hello")
    assert ask_hello(hello.port) == b"data received by the server: hi\n"
    assert hello.stop(signal.SIGTERM, timeout=5) == 0
    assert "hello stopped" in hello.log_text()
    with socket.socket() as again:  # rebinding works despite connections in TIME_WAIT
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", hello.port))


def test_sigint_stops_cleanly(start_service: StartService) -> None:
    hello = start_service("hello")
    assert hello.stop(signal.SIGINT, timeout=5) == 0


def test_port_in_use_is_a_clear_error(start_service: StartService, tmp_path: Path) -> None:
    hello = start_service("hello")
    result = subprocess.run(
        [sys.executable, "-m", "netsandbox", "serve", "hello", "--port", str(hello.port)],
        capture_output=True, text=True, timeout=20,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{hello.port} for hello" in result.stderr
    assert "--port" in result.stderr


def notebook_style_start(
    launcher: str, port_variable: str, port: int, tmp_path: Path, keep_shell: bool
) -> subprocess.Popen[bytes]:
    """Start a launcher the way the notebook does: through a shell, from a folder beside it.

    ``keep_shell`` appends a no-op so that the shell cannot exec the command and stays the
    parent, as Debian's /bin/sh does.
    """
    notebook_dir = tmp_path / "notebooks"
    notebook_dir.mkdir(exist_ok=True)
    sandbox = ROOT / "sandbox"
    command = f"{sys.executable} {sandbox / launcher}" + ("; true" if keep_shell else "")
    env = {port_variable: str(port), "NETSANDBOX_DATA_DIR": str(tmp_path / "data")}
    log = tmp_path / f"{launcher}.log"
    process = launch(command, log, env, shell=True, cwd=notebook_dir)
    wait_for_ready(process, log)
    return process


def test_terminated_shell_parent_stops_the_server_within_a_second(tmp_path: Path) -> None:
    port = free_port()
    shell = notebook_style_start(
        "server_socket_tcp.py", "NETSANDBOX_HELLO_PORT", port, tmp_path, keep_shell=True
    )
    assert ask_hello(port) == b"data received by the server: hi\n"
    shell.terminate()  # reaches only the shell, like proc.terminate() in the notebook
    shell.wait(5)
    assert wait_closed(port, timeout=1.0) < 1.0
    # Re-running the cell works straight away on the same port.
    again = notebook_style_start(
        "server_socket_tcp.py", "NETSANDBOX_HELLO_PORT", port, tmp_path, keep_shell=False
    )
    try:
        assert ask_hello(port, b"again") == b"data received by the server: again\n"
    finally:
        again.terminate()
        again.wait(5)
    wait_closed(port, timeout=2.0)


def limit_open_files(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    return apply


def test_flood_of_silent_connections_is_survived(tmp_path: Path) -> None:
    """With few descriptors, a flood is refused (logged at most once a second), then served."""
    log = tmp_path / "hello.log"
    command = [
        sys.executable,
        "-m",
        "netsandbox",
        "serve",
        "hello",
        "--port",
        "0",
        "--idle-timeout",
        "30",
    ]
    process = launch(command, log, preexec_fn=limit_open_files(256))
    try:
        port = int(wait_for_ready(process, log).group(3))
        flood = []
        with contextlib.ExitStack() as stack:
            for _ in range(220):  # the server keeps 64 of its 256 descriptors spare
                flood.append(stack.enter_context(socket.create_connection(("127.0.0.1", port))))
            # The server has no room left: a newcomer is told so instead of hanging.
            assert b"server busy" in ask_hello(port)
            time.sleep(0.5)
            assert process.poll() is None
            warnings = [line for line in log.read_text().splitlines() if "the limit" in line]
            assert 1 <= len(warnings) <= 2
        # The flood closed its connections: the server serves again at once.
        deadline = time.monotonic() + 2
        while (reply := ask_hello(port)).startswith(b"server busy"):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert reply == b"data received by the server: hi\n"
    finally:
        process.terminate()
        process.wait(5)
