"""wrk, the load tool: installed from Debian when missing, run pinned to its own core.

Its figures come from ``wrk_report.lua`` as one JSON line, and its own CPU time from the
kernel (``wait4``), so each run shows whether wrk was the bottleneck.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

REPORT_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
MARKER = "WRK_JSON "


def ensure_installed() -> str:
    """The path of wrk; on Debian as root, install it when missing (as scripts/test does)."""
    found = shutil.which("wrk")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
        found = shutil.which("wrk")
    if found is None:
        raise SystemExit("the HTTP benchmark needs wrk: on Debian, sudo apt-get install wrk")
    return found


def version(binary: str) -> str:
    done = subprocess.run([binary, "-v"], capture_output=True, text=True)
    return (done.stdout or done.stderr).splitlines()[0].split(" Copyright")[0]


@dataclass(frozen=True, slots=True)
class Load:
    """One wrk run: ``wrk -t{threads} -c{connections} -d{duration}s --latency URL``."""

    url: str
    connections: int = 50
    threads: int = 1
    duration: float = 5.0

    def argv(self, binary: str) -> list[str]:
        return [
            binary,
            f"-t{self.threads}",
            f"-c{self.connections}",
            f"-d{self.duration:g}s",
            "--latency",
            "-s", str(REPORT_SCRIPT),
            self.url,
        ]  # fmt: skip


def run(binary: str, load: Load, core: int) -> dict:
    """Run ``load`` pinned to ``core``: wrk's figures plus its wall and CPU time."""
    started = time.monotonic()
    process = subprocess.Popen(
        load.argv(binary),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: os.sched_setaffinity(0, {core}),
    )
    assert process.stdout is not None
    output = process.stdout.read()  # until wrk exits and closes it
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in output.splitlines() if line.startswith(MARKER)]
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed (exit status {process.returncode}):\n{output}")
    figures = json.loads(lines[-1][len(MARKER) :])
    seconds = figures["duration_us"] / 1e6
    figures["rps"] = figures["requests"] / seconds
    figures["errors_total"] = sum(figures["errors"].values())
    figures["wrk_cpu_pct"] = 100 * (usage.ru_utime + usage.ru_stime) / wall
    figures["wrk_user_pct"] = 100 * usage.ru_utime / wall
    figures["wall_s"] = wall
    return figures
