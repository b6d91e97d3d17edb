"""Start-up of the HTTP launchers: from spawn until a TCP connect to the port succeeds.

Timed the same way as the TCP launchers (``common.launch``), with the naive ``http.server``
script as the floor: the interpreter's own start-up.
"""

from __future__ import annotations

import sys
from pathlib import Path

from common import launch
from common.launch import Launcher
from common.procs import BASELINES, ROOT
from common.quiet import wait_until_alone

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
    """Interleaved launches of each launcher; the first of each (cold file cache) not counted.

    Each round first waits for other benchmarks: their load would slow the launches down.
    """
    return launch.measure(ALL, launches, core, data_dir, before_round=wait_until_alone)
