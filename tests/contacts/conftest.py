"""A contacts server shared by the tests of a module that only read or send bad input."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from tests.conftest import ServiceProcess, launch, wait_for_ready


@pytest.fixture(scope="module")
def shared_contacts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    """One server per module (starting one per test would triple the suite's time)."""
    folder = tmp_path_factory.mktemp("contacts")
    data, log = folder / "data", folder / "contacts.log"
    command = [
        sys.executable, "-m", "netsandbox", "serve", "contacts",
        "--port", "0", "--data-dir", str(data), "--idle-timeout", "5",
    ]  # fmt: skip
    process = launch(command, log)
    try:
        match = wait_for_ready(process, log)
        yield ServiceProcess("contacts", match.group(2), int(match.group(3)), process, log, data)
    finally:
        process.kill()
        process.wait()
