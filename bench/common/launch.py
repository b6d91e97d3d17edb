"""Launch-to-listening: from spawning a server process until a client can connect to it."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from common.procs import clean_environment, free_port, spawn_pinned, wait_listening


@dataclass(frozen=True, slots=True)
class Launcher:
    name: str
    argv: tuple[str, ...]  # may use {port}
    port_variable: str | None  # for launchers that take their port from the environment


def time_one(launcher: Launcher, core: int, data_dir: Path) -> float:
    """Milliseconds from spawn until a connect succeeds (polled every millisecond)."""
    port = free_port()
    env = clean_environment()
    env["NETSANDBOX_DATA_DIR"] = str(data_dir)
    if launcher.port_variable:
        env[launcher.port_variable] = str(port)
    argv = [part.format(port=port) for part in launcher.argv]
    started = time.monotonic()
    process = spawn_pinned(argv, core, None, env=env)
    try:
        listening = wait_listening(port, process, timeout=10.0)
    finally:
        process.terminate()
        process.wait(10)
    if listening is None:
        raise RuntimeError(f"{launcher.name} never listened (exit status {process.returncode})")
    return (listening - started) * 1000


def measure(
    launchers: Sequence[Launcher],
    launches: int,
    core: int,
    data_dir: Path,
    before_round: Callable[[], object] | None = None,
) -> dict[str, dict]:
    """Interleaved launches of each launcher; the first of each is not counted.

    The first creates any database and warms the file cache. ``before_round`` runs before
    each round (to wait for other benchmarks, say).
    """
    times: dict[str, list[float]] = {launcher.name: [] for launcher in launchers}
    for round_ in range(launches + 1):
        if before_round is not None:
            before_round()
        for launcher in launchers:
            elapsed = time_one(launcher, core, data_dir)
            if round_:
                times[launcher.name].append(elapsed)
    return {
        name: {
            "median_ms": statistics.median(values),
            "min_ms": min(values),
            "max_ms": max(values),
            "runs_ms": [round(value, 2) for value in values],
        }
        for name, values in times.items()
    }


def table(launches: dict[str, dict], *, decimals: int = 1, count: str = "runs") -> str:
    """A Markdown table of ``measure``'s figures, one launcher a row."""
    lines = [f"| launched | median ms | min ms | max ms | {count} |", "|---|--:|--:|--:|--:|"]
    for name, figures in launches.items():
        lines.append(
            f"| `{name}` | {figures['median_ms']:.{decimals}f} | {figures['min_ms']:.{decimals}f} "
            f"| {figures['max_ms']:.{decimals}f} | {len(figures['runs_ms'])} |"
        )
    return "\n".join(lines)
