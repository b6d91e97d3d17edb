"""``netsandbox contacts ...`` run as a command against a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import ServiceProcess, StartService


@pytest.fixture
def contacts(start_service: StartService) -> ServiceProcess:
    return start_service("contacts")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netsandbox", "contacts", *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def test_list_prints_a_table(contacts: ServiceProcess) -> None:
    result = run_cli("list", "--port", str(contacts.port))
    assert result.returncode == 0, result.stderr
    assert "2 contacts" in result.stdout
    assert "Alice Martin" in result.stdout
    assert "bruno.petit@example.org" in result.stdout


def test_add_get_search_remove(contacts: ServiceProcess) -> None:
    port = ("--port", str(contacts.port))
    added = run_cli("add", "Zoé [bold]", "zoe@example.org", *port)
    assert added.returncode == 0, added.stderr
    assert "contact 'Zoé [bold]' added" in added.stdout
    got = run_cli("get", "Zoé [bold]", *port)
    assert "Zoé [bold]" in got.stdout  # shown as typed, not taken as Rich markup
    assert "zoe@example.org" in got.stdout
    found = run_cli("search", "ZOE", *port)
    assert "1 matching 'ZOE'" in found.stdout
    assert "Zoé" in found.stdout
    removed = run_cli("remove", "Zoé [bold]", *port)
    assert removed.returncode == 0
    assert "removed" in removed.stdout


def test_port_comes_from_the_environment_when_not_given(contacts: ServiceProcess) -> None:
    result = run_cli("list", env={"NETSANDBOX_CONTACTS_PORT": str(contacts.port)})
    assert result.returncode == 0, result.stderr
    assert "Alice Martin" in result.stdout


def test_server_error_is_printed_and_exits_1(contacts: ServiceProcess) -> None:
    result = run_cli("add", "Zoé", "not-a-mail", "--port", str(contacts.port))
    assert result.returncode == 1
    assert "error:" in result.stderr
    assert "'not-a-mail' is not an e-mail address" in result.stderr
    assert result.stdout == ""


def test_no_server_is_reported_and_exits_1() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli("get", "Zoé", "--port", str(port))
    assert result.returncode == 1
    assert f"no contacts server at 127.0.0.1:{port}" in result.stderr
    assert "netsandbox serve contacts" in result.stderr
