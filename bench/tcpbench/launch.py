"""Launch-to-listening: from spawning a server process until a client can connect to it."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tcpbench.targets import BASELINES, ROOT, clean_environment, free_port, pinned, wait_listening

OURS_LAUNCHER = ROOT / "sandbox" / "server_contact.py"


@dataclass(frozen=True, slots=True)
class Launcher:
    name: str
    argv: tuple[str, ...]  # may use {port}
    port_variable: str | None  # for launchers that take their port from the environment


OURS = Launcher(
    "python sandbox/server_contact.py",
    (sys.executable, str(OURS_LAUNCHER)),
    "NETSANDBOX_CONTACTS_PORT",
)
NAIVE = Launcher(
    "python bench/baselines/naive_contacts.py",
    (sys.executable, str(BASELINES / "naive_contacts.py"), "--port", "{port}"),
    None,
)


def time_one(launcher: Launcher, core: int, data_dir: Path) -> float:
    """Milliseconds from spawn until a connect succeeds (polled every millisecond)."""
    port = free_port()
    env = clean_environment()
    env["NETSANDBOX_DATA_DIR"] = str(data_dir)
    if launcher.port_variable:
        env[launcher.port_variable] = str(port)
    argv = [part.format(port=port) for part in launcher.argv]
    started = time.monotonic()
    process = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        preexec_fn=pinned(core),
    )
    try:
        listening = wait_listening(port, process, timeout=10.0)
    finally:
        process.terminate()
        process.wait(10)
    if listening is None:
        raise RuntimeError(f"{launcher.name} never listened (exit status {process.returncode})")
    return (listening - started) * 1000


def measure(launches: int, core: int, data_dir: Path) -> dict[str, dict]:
    """Interleave launches of ours and the naive one; the first of each is not counted."""
    times: dict[str, list[float]] = {OURS.name: [], NAIVE.name: []}
    for round_ in range(launches + 1):
        for launcher in (OURS, NAIVE):
            elapsed = time_one(launcher, core, data_dir)
            if round_:  # the first creates the database and warms the file cache
                times[launcher.name].append(elapsed)
    return {
        name: {
            "median_ms": statistics.median(values),
            "min_ms": min(values),
            "max_ms": max(values),
            "runs_ms": values,
        }
        for name, values in times.items()
    }
