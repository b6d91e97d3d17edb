"""Other benchmarks on the same cores: wait for them to finish first.

The bench suites (TCP, HTTP, chat) all pin servers to core 0 and their load tool to core 1;
two at once measure each other. Before each measured run, this one waits while another
suite's runner script (``bench/run_*.py``) or a load generator is running.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

LOAD_GENERATORS = frozenset({"wrk", "tcp_oneshot"})


def _describe(entry: Path) -> str | None:
    """``pid what`` when the process is another benchmark, else None."""
    try:
        name = (entry / "comm").read_text().strip()
        argv = (entry / "cmdline").read_bytes().split(b"\0")
    except OSError:  # gone meanwhile
        return None
    if name in LOAD_GENERATORS:
        return f"{entry.name} {name}"
    for arg in argv[:3]:
        script = Path(arg.decode(errors="replace"))
        if script.parent.name == "bench" and script.name.startswith("run_"):
            return f"{entry.name} {script.name}"
    return None


def running() -> list[str]:
    """Every other benchmark running now (ours is not: we wait for our own wrk)."""
    mine = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != mine and (what := _describe(entry)):
            found.append(what)
    return found


def wait_until_alone(limit: float = 900.0) -> float:
    """Block while another benchmark runs (at most ``limit`` s); seconds waited."""
    started = time.monotonic()
    announced = False
    while (busy := running()) and time.monotonic() - started < limit:
        if not announced:
            print(f"waiting for another benchmark to finish ({', '.join(busy)})", file=sys.stderr)
            announced = True
        time.sleep(2.0)
    return time.monotonic() - started
