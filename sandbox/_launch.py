"""Shared by the launchers in this folder: find netsandbox, run one service."""

import sys
from pathlib import Path

try:
    import netsandbox  # noqa: F401
except ImportError:  # a checkout that was not installed: use the sources beside this folder
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from netsandbox.sandbox_launch import launch

__all__ = ["launch"]
