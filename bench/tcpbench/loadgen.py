"""The C load generator: compiled on demand into bench/bin/, run pinned to its own core."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
SOURCE = BENCH / "loadgen" / "tcp_oneshot.c"
BINARY = BENCH / "bin" / "tcp_oneshot"


def build() -> Path:
    """Compile the generator when the binary is missing or older than its source."""
    if BINARY.exists() and BINARY.stat().st_mtime >= SOURCE.stat().st_mtime:
        return BINARY
    compiler = _compiler()
    BINARY.parent.mkdir(exist_ok=True)
    subprocess.run([compiler, "-O2", "-Wall", "-o", str(BINARY), str(SOURCE), "-lm"], check=True)
    return BINARY


def _compiler() -> str:
    """cc or gcc; on Debian as root, install gcc when there is none (as scripts/test does)."""
    found = shutil.which("cc") or shutil.which("gcc")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "gcc", "libc6-dev"], check=True, env=env)
        found = shutil.which("gcc")
    if found is None:
        raise SystemExit("the benchmark needs a C compiler: on Debian, apt-get install gcc")
    return found


@dataclass(frozen=True, slots=True)
class Load:
    """One run of the generator: what to send and how hard."""

    payload: bytes
    concurrency: int
    duration: float
    warmup: float
    timeout: float = 2.0
    idle: int = 0
    expect: bytes | None = None


def run(load: Load, port: int, server_pid: int, core: int) -> dict:
    """Run ``load`` against 127.0.0.1:``port`` on ``core``; return the generator's JSON."""
    command = [
        str(BINARY),
        "--port", str(port),
        "--concurrency", str(load.concurrency),
        "--duration", str(load.duration),
        "--warmup", str(load.warmup),
        "--timeout", str(load.timeout),
        "--idle", str(load.idle),
        "--payload", load.payload.decode(),
        "--watch-pid", str(server_pid),
    ]  # fmt: skip
    if load.expect:
        command += ["--expect", load.expect.decode()]
    budget = load.warmup + load.duration + load.timeout + 30
    done = subprocess.run(
        command,
        capture_output=True,
        check=True,
        timeout=budget,
        preexec_fn=lambda: os.sched_setaffinity(0, {core}),
    )
    return json.loads(done.stdout)
