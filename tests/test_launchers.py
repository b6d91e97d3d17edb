"""Every launcher in sandbox/, started as the course notebook starts it, stops with its shell."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from netsandbox.clients import ContactClient
from tests.core.test_lifecycle import ask_hello, free_port, notebook_style_start, wait_closed


def hello_answers(port: int) -> None:
    assert ask_hello(port) == b"data received by the server: hi\n"


def contacts_answer(port: int) -> None:
    assert isinstance(ContactClient("127.0.0.1", port).list(), dict)


def echo_answers(port: int) -> None:
    out = requests.get(f"http://localhost:{port}/get?a=10&b=100", timeout=5)
    assert out.json()["args"] == {"a": "10", "b": "100"}


def random_answers(port: int) -> None:
    assert len(requests.get(f"http://localhost:{port}/api/random/int?n=20", timeout=5).json()) == 20


@pytest.mark.parametrize(
    ("launcher", "service", "probe"),
    [
        ("server_socket_tcp.py", "hello", hello_answers),
        ("server_contact.py", "contacts", contacts_answer),
        ("server_http_echo.py", "echo", echo_answers),
        ("server_http_random.py", "random", random_answers),
    ],
)
def test_launcher_serves_then_stops_with_its_shell(
    launcher: str, service: str, probe, tmp_path: Path
) -> None:
    port = free_port()
    shell = notebook_style_start(
        launcher, f"NETSANDBOX_{service.upper()}_PORT", port, tmp_path, keep_shell=True
    )
    probe(port)
    shell.terminate()  # reaches only the shell, like proc.terminate() in the notebook
    shell.wait(5)
    assert wait_closed(port, timeout=1.0) < 1.0
