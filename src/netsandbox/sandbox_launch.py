"""What the ``sandbox/`` launchers call: run one service with the course's defaults."""

from __future__ import annotations

import sys

from netsandbox.core.settings import SettingsError
from netsandbox.services import SERVICES


def launch(name: str) -> int:
    """Run service ``name`` on its default port, stopping when the parent process exits.

    Settings still come from NETSANDBOX_* variables, so a teacher can move a port without
    touching the notebook.
    """
    try:
        settings = SERVICES[name].settings(exit_with_parent=True)
    except SettingsError as exc:
        print(f"netsandbox: {exc}", file=sys.stderr)
        return 2
    return SERVICES[name].server()(settings)
