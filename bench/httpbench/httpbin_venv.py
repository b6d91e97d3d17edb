"""httpbin under gunicorn, in a venv of its own (bench/.venv-httpbin, not committed).

httpbin 0.10 requires greenlet<3, which our venv cannot take; a separate venv keeps the
reference out of the project's dependencies. Created on first use, re-created when the
pinned versions change.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent.parent / ".venv-httpbin"
PINS = {"httpbin": "0.10.4", "gunicorn": "23.0.0"}
GUNICORN = VENV / "bin" / "gunicorn"
PYTHON = VENV / "bin" / "python"

_VERSIONS = (
    "import importlib.metadata as m, json, sys; "
    "print(json.dumps({name: m.version(name) for name in sys.argv[1:]}))"
)


def installed_versions(names: list[str]) -> dict[str, str] | None:
    """Versions of ``names`` in the venv, or None when it or one of them is missing."""
    if not PYTHON.exists():
        return None
    done = subprocess.run([str(PYTHON), "-c", _VERSIONS, *names], capture_output=True, text=True)
    return json.loads(done.stdout) if done.returncode == 0 else None


def ensure() -> dict[str, str]:
    """Create or update the venv so it holds the pinned versions; return them."""
    if installed_versions(list(PINS)) == PINS:
        return PINS
    print(f"installing httpbin and gunicorn into {VENV} ...", file=sys.stderr)
    if not PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    requirements = [f"{name}=={version}" for name, version in PINS.items()]
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check", *requirements],
        check=True,
    )
    found = installed_versions(list(PINS))
    if found != PINS:
        raise SystemExit(f"{VENV}: expected {PINS}, found {found}")
    return PINS
