"""The course's exercise against a real server process, done with requests by two students."""

from __future__ import annotations

import csv
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from tests.conftest import ServiceProcess


@pytest.fixture
def chat(start_service, database_url: str) -> ServiceProcess:
    return start_service("chat", "--registration", "open", "--database-url", database_url)


def url(service: ServiceProcess, path: str) -> str:
    return f"http://{service.host}:{service.port}{path}"


def log_in(service: ServiceProcess, username: str, password: str) -> dict[str, str]:
    response = requests.post(
        url(service, "/api/auth/token"), data={"username": username, "password": password},
        timeout=10,
    )  # fmt: skip
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_two_students_do_the_exercise(chat: ServiceProcess) -> None:
    students = {}
    for name in ("alice", "bruno"):
        created = requests.post(
            url(chat, "/api/auth/register"),
            json={"username": name, "password": f"{name}-secret-pw"}, timeout=10,
        )  # fmt: skip
        assert created.status_code == 201
        students[name] = log_in(chat, name, f"{name}-secret-pw")

    # 1. find my id with a GET
    everyone = requests.get(url(chat, "/api/users"), headers=students["alice"], timeout=10).json()
    ids = {user["username"]: user["id"] for user in everyone["items"]}
    me = requests.get(url(chat, "/api/users/me"), headers=students["alice"], timeout=10).json()
    assert me["id"] == ids["alice"]

    # 2. update my status with a PATCH
    patched = requests.patch(
        url(chat, f"/api/users/{ids['alice']}"), json={"status": "En train de coder"},
        headers=students["alice"], timeout=10,
    )  # fmt: skip
    assert patched.status_code == 200
    seen = requests.get(url(chat, f"/api/users/{ids['alice']}"), headers=students["bruno"],
                        timeout=10).json()  # fmt: skip
    assert seen["status"] == "En train de coder"

    # 3. send each other messages, and read the ones sent to me
    for sender, recipient, text in (("alice", "bruno", "Salut Bruno !"),
                                    ("bruno", "alice", "Salut Alice, ça marche")):  # fmt: skip
        sent = requests.post(
            url(chat, "/api/messages"), json={"to": ids[recipient], "body": text},
            headers={**students[sender], "Idempotency-Key": str(uuid.uuid4())}, timeout=10,
        )  # fmt: skip
        assert sent.status_code == 201
    inbox = requests.get(url(chat, "/api/messages"), headers=students["alice"], timeout=10).json()
    assert [(m["from"], m["body"]) for m in inbox["items"]] == [
        (ids["bruno"], "Salut Alice, ça marche")
    ]
    message_id = inbox["items"][0]["id"]
    read = requests.post(url(chat, f"/api/messages/{message_id}/read"),
                         headers=students["alice"], timeout=10)  # fmt: skip
    assert read.json()["read_at"] is not None

    # and nobody reads or changes what is not theirs
    not_mine = requests.patch(url(chat, f"/api/users/{ids['bruno']}"), json={"status": "x"},
                              headers=students["alice"], timeout=10)  # fmt: skip
    assert not_mine.status_code == 403
    assert "error" in not_mine.json()


def test_stops_cleanly_and_keeps_messages_across_a_restart(start_service, tmp_path) -> None:
    chat = start_service("chat", "--registration", "open")
    for name in ("alice", "bruno"):
        requests.post(url(chat, "/api/auth/register"),
                      json={"username": name, "password": "long-password"}, timeout=10)  # fmt: skip
    alice = log_in(chat, "alice", "long-password")
    bruno_id = requests.get(url(chat, "/api/users?search=bruno"), headers=alice,
                            timeout=10).json()["items"][0]["id"]  # fmt: skip
    sent = requests.post(url(chat, "/api/messages"), json={"to": bruno_id, "body": "kept"},
                         headers=alice, timeout=10).json()  # fmt: skip
    assert chat.stop(signal.SIGTERM) == 0
    assert "chat stopped" in chat.log_text()

    again = start_service("chat", data_dir=chat.data_dir)
    bruno = log_in(again, "bruno", "long-password")
    inbox = requests.get(url(again, "/api/messages"), headers=bruno, timeout=10).json()
    assert [m["id"] for m in inbox["items"]] == [sent["id"]]
    closed = requests.post(url(again, "/api/auth/register"),
                           json={"username": "carl", "password": "long-password"}, timeout=10)
    assert closed.status_code == 403  # registration is closed unless asked for


def test_teacher_imports_a_roster_and_students_log_in(start_service, tmp_path: Path) -> None:
    data = tmp_path / "data"
    roster = tmp_path / "roster.csv"
    roster.write_text("display_name;role\nÉlise Müller;student\nJean Dupont;teacher\n")
    result = subprocess.run(
        [sys.executable, "-m", "netsandbox", "chat", "users", "import", str(roster),
         "--data-dir", str(data)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    credentials_file = tmp_path / "roster-credentials.csv"
    assert credentials_file.stat().st_mode & 0o777 == 0o600
    with credentials_file.open(newline="", encoding="utf-8") as handle:
        credentials = list(csv.DictReader(handle))
    assert [c["username"] for c in credentials] == ["elise.muller", "jean.dupont"]

    again = subprocess.run(
        [sys.executable, "-m", "netsandbox", "chat", "users", "import", str(roster),
         "--data-dir", str(data)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert again.returncode == 2
    assert "already exists" in again.stderr

    chat = start_service("chat", data_dir=data)
    for account in credentials:
        headers = log_in(chat, account["username"], account["password"])
        me = requests.get(url(chat, "/api/users/me"), headers=headers, timeout=10).json()
        assert (me["display_name"], me["role"]) == (account["display_name"], account["role"])


def test_users_add_prints_a_password_that_works(start_service, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-m", "netsandbox", "chat", "users", "add", "ada", "--role", "teacher",
         "--display-name", "Ada Lovelace", "--data-dir", str(data)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    password = result.stdout.rsplit("password: ", 1)[1].strip()
    chat = start_service("chat", data_dir=data)
    me = requests.get(url(chat, "/api/users/me"), headers=log_in(chat, "ada", password),
                      timeout=10).json()  # fmt: skip
    assert me["role"] == "teacher"
