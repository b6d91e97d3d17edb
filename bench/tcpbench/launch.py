"""Launch-to-listening of the contacts launcher against the naive contacts server."""

from __future__ import annotations

import sys
from pathlib import Path

from common import launch
from common.launch import Launcher, time_one  # noqa: F401 (importable from here, as before)
from common.procs import BASELINES, ROOT

OURS_LAUNCHER = ROOT / "sandbox" / "server_contact.py"

OURS = Launcher(
    "python sandbox/server_contact.py",
    (sys.executable, str(OURS_LAUNCHER)),
    "NETSANDBOX_CONTACTS_PORT",
)
NAIVE = Launcher(
    "python bench/baselines/naive_contacts.py",
    (sys.executable, str(BASELINES / "naive_contacts.py"), "--port", "{port}"),
    None,
)


def measure(launches: int, core: int, data_dir: Path) -> dict[str, dict]:
    """Interleave launches of ours and the naive one; the first of each is not counted."""
    return launch.measure((OURS, NAIVE), launches, core, data_dir)
