"""``netsandbox random ...`` against a running server: the JSON array, or a clear error."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ServiceProcess


def run_cli(random_api: ServiceProcess, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "netsandbox", "random", *args]
    command += ["--port", str(random_api.port)]
    return subprocess.run(command, capture_output=True, text=True, timeout=30)


def test_int_prints_the_array(random_api: ServiceProcess) -> None:
    result = run_cli(random_api, "int", "-n", "5")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert len(values) == 5 and all(0 <= value < 100 for value in values)


def test_float_with_options_and_seed_is_reproducible(random_api: ServiceProcess) -> None:
    first = run_cli(random_api, "float", "-n", "3", "--min", "2", "--max", "3", "--seed", "9")
    again = run_cli(random_api, "float", "-n", "3", "--min", "2", "--max", "3", "--seed", "9")
    assert first.stdout == again.stdout
    assert all(2 <= value < 3 for value in json.loads(first.stdout))


def test_choice(random_api: ServiceProcess) -> None:
    result = run_cli(random_api, "choice", "heads,tails", "-n", "4")
    assert set(json.loads(result.stdout)) <= {"heads", "tails"}


def test_bad_parameter_prints_the_servers_message(random_api: ServiceProcess) -> None:
    result = run_cli(random_api, "int", "-n", "0")
    assert result.returncode == 1
    assert "n must be at least 1" in result.stderr
    assert result.stdout == ""


def test_no_server_is_a_clear_error(random_api: ServiceProcess) -> None:
    command = [sys.executable, "-m", "netsandbox", "random", "int", "--port", "1"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "error" in result.stderr.lower()
