"""Other benchmarks on the same cores: wait until they are done before measuring.

Every suite under bench/ pins its servers to core 0 and its load tool to core 1, so two
measuring at once spoil each other's figures. Two ways to wait, before each measured run:

* ``wait_for_quiet`` waits while a load generator of another suite runs, never for another
  suite's runner script (two runners each waiting for the other would wait forever);
* ``wait_until_alone`` also waits while another runner script (``bench/run_*.py``) runs,
  for suites whose runner does its own work between load runs.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

# Every suite's load tool: wrk (HTTP, chat), tcp_oneshot (TCP), sse_fanout (event streams).
LOAD_GENERATORS = frozenset({"wrk", "tcp_oneshot", "sse_fanout"})


def _ancestry() -> set[str]:
    """This process and the ones that started it (``make``, a shell): never waited for."""
    pids, pid = set(), os.getpid()
    while pid > 1:
        pids.add(str(pid))
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        pid = int(stat[stat.rindex(")") + 2 :].split()[1])
    return pids


def _processes() -> list[tuple[Path, str]]:
    """(``/proc/PID``, command name) of every process but this one and its ancestors."""
    mine = _ancestry()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name in mine:
            continue
        try:
            found.append((entry, (entry / "comm").read_text().strip()))
        except OSError:  # gone meanwhile
            continue
    return found


def load_generators() -> list[str]:
    """``pid name`` of every load generator running now."""
    return [f"{entry.name} {name}" for entry, name in _processes() if name in LOAD_GENERATORS]


def _runner_script(entry: Path) -> str | None:
    """The ``bench/run_*.py`` script the process runs, if any."""
    try:
        argv = (entry / "cmdline").read_bytes().split(b"\0")
    except OSError:  # gone meanwhile
        return None
    for arg in argv[:3]:
        script = Path(arg.decode(errors="replace"))
        if script.parent.name == "bench" and script.name.startswith("run_"):
            return script.name
    return None


def running() -> list[str]:
    """Every other benchmark running now: load generators and runner scripts."""
    found = []
    for entry, name in _processes():
        if name in LOAD_GENERATORS:
            found.append(f"{entry.name} {name}")
        elif script := _runner_script(entry):
            found.append(f"{entry.name} {script}")
    return found


def _wait(busy_now, limit: float, pause: float, what: str) -> float:
    started = time.monotonic()
    announced = False
    while (busy := busy_now()) and time.monotonic() - started < limit:
        if not announced:
            print(f"waiting for {what} ({', '.join(busy)})", file=sys.stderr)
            announced = True
        time.sleep(pause)
    return time.monotonic() - started


def wait_for_quiet(limit: float = 600.0) -> float:
    """Block while another suite generates load (at most ``limit`` s); seconds waited."""
    return _wait(load_generators, limit, 0.2, "another benchmark's load")


def wait_until_alone(limit: float = 900.0) -> float:
    """Block while another benchmark runs (at most ``limit`` s); seconds waited."""
    return _wait(running, limit, 2.0, "another benchmark to finish")
