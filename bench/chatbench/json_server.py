"""json-server 0.17, the reference: installed from npm into bench/node_modules (not committed).

``bench/package.json`` pins the version and ``bench/package-lock.json`` the whole tree, so
``npm ci`` installs the same thing on every machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
VERSION = "0.17.4"
PACKAGE = BENCH / "node_modules" / "json-server"
CLI = PACKAGE / "lib" / "cli" / "bin.js"
# json-server serves /users and /messages; this maps the chat API's paths onto them.
ROUTES = {"/api/*": "/$1"}


def installed_version() -> str | None:
    try:
        return json.loads((PACKAGE / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def ensure() -> dict[str, str]:
    """Install json-server when missing; return the versions of node and json-server."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if (node is None or npm is None) and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "nodejs", "npm"], check=True, env=env)
        node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise RuntimeError("json-server needs node and npm (on Debian: apt-get install npm)")
    if installed_version() != VERSION:
        print(f"installing json-server {VERSION} into {PACKAGE.parent} ...", file=sys.stderr)
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=BENCH, check=True
        )
    found = installed_version()
    if found != VERSION:
        raise RuntimeError(f"expected json-server {VERSION} in {PACKAGE}, found {found}")
    node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    return {"node": node_version.strip(), "json-server": found}


def command(node: str = "node") -> tuple[str, ...]:
    """json-server over ``db.json`` in the current folder (its default: logs every request)."""
    return (node, str(CLI), "--host", "127.0.0.1", "--port", "{port}",
            "--routes", "routes.json", "db.json")  # fmt: skip


def write_routes(folder: Path) -> None:
    (folder / "routes.json").write_text(json.dumps(ROUTES))
