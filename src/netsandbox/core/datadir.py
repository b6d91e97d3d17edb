"""Where services keep their files (contacts database, chat database, ...)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path


def default_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$NETSANDBOX_DATA_DIR``, else the platform's per-user data folder.

    Linux: ``$XDG_DATA_HOME/netsandbox`` (``~/.local/share/netsandbox``); macOS:
    ``~/Library/Application Support/netsandbox``; Windows: ``%LOCALAPPDATA%\\netsandbox``.
    """
    env = os.environ if environ is None else environ
    if env.get("NETSANDBOX_DATA_DIR"):
        return Path(env["NETSANDBOX_DATA_DIR"]).expanduser()
    home = Path(env.get("HOME") or Path.home())
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "netsandbox"
    if sys.platform == "win32" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / "netsandbox"
    base = env.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(base) / "netsandbox"


def default_config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the client commands keep per-user settings (saved tokens).

    Linux: ``$XDG_CONFIG_HOME/netsandbox`` (``~/.config/netsandbox``); macOS:
    ``~/Library/Application Support/netsandbox``; Windows: ``%APPDATA%\\netsandbox``.
    """
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME") or Path.home())
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "netsandbox"
    if sys.platform == "win32" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "netsandbox"
    base = env.get("XDG_CONFIG_HOME") or str(home / ".config")
    return Path(base) / "netsandbox"


def ensure_data_dir(path: Path) -> Path:
    """Create the folder (private to the user) if needed and return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
