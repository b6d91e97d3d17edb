"""The frame of every bench/run_*.py: pin itself, describe the machine, save the figures."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
S = TypeVar("S")

OUT = Path(__file__).resolve().parent.parent / "out"


def pin_runner(server_core: int, load_core: int) -> None:
    """Check both cores are ours, then keep the runner script off the servers' core."""
    if not {server_core, load_core} <= os.sched_getaffinity(0):
        raise SystemExit(
            f"the benchmark needs cores {server_core} and {load_core} (servers and load)"
        )
    os.sched_setaffinity(0, {load_core})


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def machine(packages: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    """The machine and software a run was measured on; ``packages``' versions under "versions"."""
    info: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }
    if packages:
        info["versions"] = {name: importlib.metadata.version(name) for name in packages}
    info.update(extra)
    info["load_average_at_start"] = os.getloadavg()
    return info


def command_line() -> str:
    """How the run was started, for the record."""
    return " ".join([Path(sys.executable).name, *sys.argv])


def save(result: dict[str, Any], suite: str, stamp: str | None = None) -> Path:
    """Write the raw figures to ``bench/out/<suite>-<time>.json``; the path."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{suite}-{stamp or time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=1))
    return path


def saved_line(path: Path, elapsed_s: float) -> str:
    return f"\nraw figures: {path.relative_to(OUT.parent.parent)} ({elapsed_s} s)"


def logs_folder() -> Path:
    """``bench/out/logs``, where the servers' stderr goes."""
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    return logs


def start_each(targets: Iterable[T], start: Callable[[T], S], name: Callable[[T], str]) -> list[S]:
    """``start(target)`` for each target; one that fails to start is said and skipped."""
    servers = []
    for target in targets:
        try:
            servers.append(start(target))
        except RuntimeError as exc:
            print(f"skipping {name(target)}: {exc}", file=sys.stderr)
    return servers


def finish(result: dict[str, Any], suite: str, stamp: str, parts: list[str]) -> Path:
    """Save the raw figures, then print ``parts`` (tables, verdicts) and where they went."""
    path = save(result, suite, stamp)
    print("\n\n".join(part for part in parts if part))
    print(saved_line(path, result["elapsed_s"]))
    return path
