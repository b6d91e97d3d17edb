"""Start-up of the HTTP launchers: from spawn until a TCP connect to the port succeeds.

Timed the same way as the TCP launchers (``tcpbench.launch.time_one``), with the naive
``http.server`` script as the floor: the interpreter's own start-up.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from tcpbench.launch import Launcher, time_one

from httpbench import others
from httpbench.targets import BASELINES, ROOT

RANDOM = Launcher(
    "python sandbox/server_http_random.py",
    (sys.executable, str(ROOT / "sandbox" / "server_http_random.py")),
    "NETSANDBOX_RANDOM_PORT",
)
ECHO = Launcher(
    "python sandbox/server_http_echo.py",
    (sys.executable, str(ROOT / "sandbox" / "server_http_echo.py")),
    "NETSANDBOX_ECHO_PORT",
)
NAIVE = Launcher(
    "python bench/baselines/naive_http_random.py",
    (sys.executable, str(BASELINES / "naive_http_random.py"), "--port", "{port}"),
    None,
)
ALL = (RANDOM, ECHO, NAIVE)


def measure(launches: int, core: int, data_dir: Path) -> dict[str, dict]:
    """Interleaved launches of each launcher; the first of each (cold file cache) not counted."""
    times: dict[str, list[float]] = {launcher.name: [] for launcher in ALL}
    for round_ in range(launches + 1):
        others.wait_until_alone()  # another benchmark's load would slow the launches down
        for launcher in ALL:
            elapsed = time_one(launcher, core, data_dir)
            if round_:
                times[launcher.name].append(elapsed)
    return {
        name: {
            "median_ms": statistics.median(values),
            "min_ms": min(values),
            "max_ms": max(values),
            "runs_ms": [round(value, 1) for value in values],
        }
        for name, values in times.items()
    }
