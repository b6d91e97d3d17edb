"""Other benchmarks on the same cores: wait until none is generating load.

Every suite under bench/ pins its servers to core 0 and its load tool to core 1, so two
measuring at once spoil each other's figures. Before each measured run this one waits while
a load generator of another suite is running. It waits for load generators only, never for
another suite's runner script: two runners each waiting for the other would wait forever.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

LOAD_GENERATORS = frozenset({"wrk", "tcp_oneshot"})


def load_generators() -> list[str]:
    """``pid name`` of every load generator running now."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
        except OSError:  # gone meanwhile
            continue
        if name in LOAD_GENERATORS:
            found.append(f"{entry.name} {name}")
    return found


def wait_for_quiet(limit: float = 600.0) -> float:
    """Block while another suite generates load (at most ``limit`` s); seconds waited."""
    started = time.monotonic()
    announced = False
    while (busy := load_generators()) and time.monotonic() - started < limit:
        if not announced:
            print(f"waiting for another benchmark's load ({', '.join(busy)})", file=sys.stderr)
            announced = True
        time.sleep(0.2)
    return time.monotonic() - started
