"""CPU seconds used so far by a process and its descendants (gunicorn's worker counts)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return None
    return text[text.rindex(")") + 2 :].split()  # after "pid (comm) "


def tree_cpu_seconds(root: int) -> float:
    """utime + stime of ``root`` and every process below it, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat_fields(int(entry.name))):
            parents[int(entry.name)] = int(fields[1])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    total = 0
    for pid in tree:
        if fields := _stat_fields(pid):
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / _TICKS


_CORE_FIELDS = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def core_seconds(core: int) -> dict[str, float]:
    """Time ``core`` has spent in each state since boot, from /proc/stat."""
    prefix = f"cpu{core} "
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(prefix):
            values = [int(value) / _TICKS for value in line.split()[1 : len(_CORE_FIELDS) + 1]]
            return dict(zip(_CORE_FIELDS, values, strict=True))
    raise LookupError(f"no cpu{core} in /proc/stat")


def core_share(before: dict[str, float], after: dict[str, float], wall: float) -> dict[str, float]:
    """Percent of ``wall`` the core spent busy, idle and stolen between two readings."""
    delta = {name: after[name] - before[name] for name in _CORE_FIELDS}
    idle = delta["idle"] + delta["iowait"]
    return {
        "busy_pct": 100 * (sum(delta.values()) - idle - delta["steal"]) / wall,
        "idle_pct": 100 * idle / wall,
        "steal_pct": 100 * delta["steal"] / wall,
        "softirq_pct": 100 * delta["softirq"] / wall,
    }


def with_server_cpu(pid: int, core: int, run: Callable[[], dict]) -> dict:
    """``run()``'s figures (with ``wall_s``), plus the CPU the server and its core used meanwhile.

    Adds ``server_cpu_pct`` (the process tree of ``pid``), ``server_core`` (busy, idle,
    stolen shares of ``core``) and ``others_on_core_pct``: the core busy with anything but
    the server, which tells a run disturbed by other work.
    """
    cpu_before = tree_cpu_seconds(pid)
    core_before = core_seconds(core)
    figures = run()
    share = core_share(core_before, core_seconds(core), figures["wall_s"])
    cpu_used = tree_cpu_seconds(pid) - cpu_before
    figures["server_cpu_pct"] = 100 * cpu_used / figures["wall_s"]
    figures["server_core"] = share
    figures["others_on_core_pct"] = max(0.0, share["busy_pct"] - figures["server_cpu_pct"])
    return figures
