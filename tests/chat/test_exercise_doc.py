"""docs/chat-exercise.md cannot rot: its Python snippets run, in order, against a real server.

The page is written for one student; here two students follow it, each with their own
settings (the names the first snippet defines), then the server is asked what happened.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.chat.live import base_url, running_chat
from tests.conftest import ROOT, ServiceProcess

PAGE = ROOT / "docs" / "chat-exercise.md"
SETTINGS = ("BASE_URL", "USERNAME", "PASSWORD", "FRIEND")
STUDENTS = {"ada": "ada-secret-pw", "bob": "bob-secret-pw"}


def python_blocks(page: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", page.read_text(encoding="utf-8"), re.M | re.S)


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    with running_chat(tmp_path_factory.mktemp("chat-exercise"), "--registration", "open") as s:
        for username, password in STUDENTS.items():
            requests.post(f"{base_url(s)}/api/auth/register",
                          json={"username": username, "password": password},
                          timeout=10).raise_for_status()  # fmt: skip
        yield s


def follow_the_page(settings: dict[str, str]) -> tuple[dict[str, Any], str]:
    """Run every Python block of the page in one namespace, as one session would; the first
    block's settings are replaced by ``settings``. Returns the namespace and what it printed."""
    first, *rest = python_blocks(PAGE)
    namespace: dict[str, Any] = {"__name__": "chat_exercise"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(first, f"{PAGE.name} block 1", "exec"), namespace)
        assert set(SETTINGS) <= set(namespace), "the first block defines the settings"
        namespace.update(settings)
        for number, block in enumerate(rest, start=2):
            exec(compile(block, f"{PAGE.name} block {number}", "exec"), namespace)
    return namespace, printed.getvalue()


def test_the_page_has_the_whole_exercise() -> None:
    code = "\n".join(python_blocks(PAGE))
    for call in ("requests.post(", "requests.get(", "requests.patch(", "requests.delete("):
        assert call in code
    for path in ("/api/auth/token", "/api/users/me", "/api/users/{my_id}", "/api/messages",
                 "/read"):  # fmt: skip
        assert path in code


def test_two_students_follow_the_page(chat: ServiceProcess) -> None:
    url = base_url(chat)
    ada, ada_said = follow_the_page(
        {"BASE_URL": url, "USERNAME": "ada", "PASSWORD": STUDENTS["ada"], "FRIEND": "bob"}
    )
    assert f"my id is {ada['my_id']}" in ada_said
    bob, bob_said = follow_the_page(
        {"BASE_URL": url, "USERNAME": "bob", "PASSWORD": STUDENTS["bob"], "FRIEND": "ada"}
    )
    assert "Hello bob! Did step 3 work for you?" in bob_said  # bob read ada's message
    assert f"from {ada['my_id']}" in bob_said

    # What the server now holds: both statuses set, both messages stored, bob's read.
    token = requests.post(f"{url}/api/auth/token",
                          data={"username": "ada", "password": STUDENTS["ada"]}, timeout=10)
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}  # fmt: skip
    for student in (ada, bob):
        profile = requests.get(f"{url}/api/users/{student['my_id']}", headers=headers,
                               timeout=10).json()  # fmt: skip
        assert profile["status"] == "Working on the chat exercise"
    conversation = requests.get(f"{url}/api/conversations/{bob['my_id']}", headers=headers,
                                timeout=10).json()["items"]  # fmt: skip
    assert [(m["from"], m["read_at"] is not None) for m in conversation] == [
        (bob["my_id"], False),  # bob's, sent after ada's turn: still unread
        (ada["my_id"], True),  # ada's, read and marked read by bob
    ]
    # Each student logged out at the end: their tokens are revoked.
    for student in (ada, bob):
        me = requests.get(f"{url}/api/users/me", headers=student["headers"], timeout=10)
        assert me.status_code == 401
