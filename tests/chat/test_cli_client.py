"""``netsandbox chat login|users|status|send|inbox|conversation|watch|logout``, run as a student
would:
the real command in its own process, against a real server, with its own home folder."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.chat.live import base_url
from tests.conftest import ServiceProcess

PASSWORDS = {"ada": "ada-secret-pw", "bob": "bob-secret-pw"}


@dataclass
class Shell:
    """One student's shell: a home folder of their own, pointed at the server."""

    home: Path
    url: str

    @property
    def token_file(self) -> Path:
        return self.home / "config" / "netsandbox" / "chat-token.json"

    def run(
        self, *args: str, stdin: str = "", env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "netsandbox", "chat", *args], input=stdin,
            env=self.environment(env), capture_output=True, text=True, timeout=60,
            start_new_session=True,  # no terminal: a password prompt reads standard input
        )  # fmt: skip

    def start(self, *args: str) -> subprocess.Popen[str]:
        """A command left running (``watch``), its output read at the end."""
        return subprocess.Popen(
            [sys.executable, "-m", "netsandbox", "chat", *args], env=self.environment(None),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True,
        )  # fmt: skip

    def environment(self, env: dict[str, str] | None) -> dict[str, str]:
        environment = {
            key: value for key, value in os.environ.items()
            if not key.startswith("NETSANDBOX_") and key not in ("HOME", "XDG_CONFIG_HOME")
        }  # fmt: skip
        environment |= {
            "HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / "config"),
            "NETSANDBOX_CHAT_URL": self.url, "COLUMNS": "200", **(env or {}),
        }  # fmt: skip
        return environment

    def ok(self, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> str:
        result = self.run(*args, stdin=stdin, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def saved_token(self) -> str:
        return json.loads(self.token_file.read_text())[self.url]["token"]


@pytest.fixture
def chat(start_service) -> ServiceProcess:
    service = start_service("chat", "--registration", "open")
    for username, password in PASSWORDS.items():
        requests.post(f"{base_url(service)}/api/auth/register",
                      json={"username": username, "password": password,
                            "display_name": username.title() + " Student"},
                      timeout=10).raise_for_status()  # fmt: skip
    return service


def shell(chat: ServiceProcess, home: Path) -> Shell:
    home.mkdir()
    return Shell(home, base_url(chat))


def test_two_students_chat_from_the_command_line(chat: ServiceProcess, tmp_path: Path) -> None:
    ada, bob = shell(chat, tmp_path / "ada"), shell(chat, tmp_path / "bob")

    logged_in = ada.ok("login", "ada", "--password-stdin", stdin=PASSWORDS["ada"] + "\n")
    assert "logged in" in logged_in and "as ada (id 1)" in logged_in
    assert stat.S_IMODE(ada.token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(ada.token_file.parent.stat().st_mode) == 0o700

    listing = ada.ok("users")
    assert "2 users" in listing
    assert "Ada Student" in listing and "Bob Student" in listing
    assert ada.ok("users", "--search", "BOB").count("Student") == 1

    assert "status of ada: On step 3" in ada.ok("status", "On step 3")
    assert "sent message 1 to bob (id 2)" in ada.ok("send", "bob", "Salut Bob !")
    assert "sent message 2 to bob" in ada.ok("send", "2", "[b]not markup[/b]")
    nobody = ada.run("send", "nobody", "hi")
    assert nobody.returncode == 1 and "no user named 'nobody'" in nobody.stderr

    bob.ok("login", "bob", "--password-stdin", stdin=PASSWORDS["bob"] + "\n")
    inbox = bob.ok("inbox", "--unread", "--mark-read")
    assert "Salut Bob !" in inbox and "[b]not markup[/b]" in inbox
    assert inbox.index("not markup") < inbox.index("Salut Bob")  # newest first
    assert "marked 2 message(s) read" in inbox
    assert "no unread messages" in bob.ok("inbox", "--unread")
    bob.ok("send", "@ada", "Salut Ada, ça marche")
    conversation = ada.ok("conversation", "bob")
    assert conversation.index("Salut Bob") < conversation.index("ça marche")  # oldest first

    token = ada.saved_token()
    assert "logged out" in ada.ok("logout")
    assert ada.url not in json.loads(ada.token_file.read_text())
    revoked = requests.get(f"{ada.url}/api/users/me",
                           headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip
    assert revoked.status_code == 401


def test_watch_prints_the_live_events(chat: ServiceProcess, tmp_path: Path) -> None:
    ada, bob = shell(chat, tmp_path / "ada"), shell(chat, tmp_path / "bob")
    ada.ok("login", "ada", "--password-stdin", stdin=PASSWORDS["ada"] + "\n")
    bob.ok("login", "bob", "--password-stdin", stdin=PASSWORDS["bob"] + "\n")
    watching = bob.start("watch", "--count", "1")
    # The watcher's stream opens at some moment: change the status until it has seen one.
    for attempt in range(300):
        ada.ok("status", f"Step {attempt}")
        try:
            watching.wait(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            continue
    output, errors = watching.communicate(timeout=10)
    assert watching.returncode == 0, errors
    assert "ada is now 'Ada Student', status 'Step" in output


def test_login_asks_for_the_password(chat: ServiceProcess, tmp_path: Path) -> None:
    ada = shell(chat, tmp_path / "ada")
    result = ada.run("login", "ada", stdin=PASSWORDS["ada"] + "\n")
    assert result.returncode == 0, result.stderr
    assert "Password" in result.stdout + result.stderr
    assert PASSWORDS["ada"] not in result.stdout + result.stderr
    assert ada.saved_token()


def test_wrong_password_and_missing_token_say_what_to_do(
    chat: ServiceProcess, tmp_path: Path
) -> None:
    ada = shell(chat, tmp_path / "ada")
    not_logged_in = ada.run("inbox")
    assert not_logged_in.returncode == 1
    assert "netsandbox chat login" in not_logged_in.stderr

    wrong = ada.run("login", "ada", "--password-stdin", stdin="not-the-password\n")
    assert wrong.returncode == 1
    assert "Wrong username or password" in wrong.stderr
    assert not ada.token_file.exists()


def test_a_revoked_token_is_reported_as_expired_or_revoked(
    chat: ServiceProcess, tmp_path: Path
) -> None:
    ada = shell(chat, tmp_path / "ada")
    ada.ok("login", "ada", "--password-stdin", stdin=PASSWORDS["ada"] + "\n")
    revoke = {"Authorization": f"Bearer {ada.saved_token()}"}
    requests.delete(f"{ada.url}/api/auth/token", headers=revoke, timeout=10).raise_for_status()
    refused = ada.run("inbox")
    assert refused.returncode == 1
    assert "expired or was revoked" in refused.stderr
    assert "netsandbox chat login ada" in refused.stderr


def test_url_and_token_from_the_environment(chat: ServiceProcess, tmp_path: Path) -> None:
    ada = shell(chat, tmp_path / "ada")
    credentials = {"username": "ada", "password": PASSWORDS["ada"]}
    login = requests.post(f"{ada.url}/api/auth/token", data=credentials, timeout=10)
    token = login.json()["access_token"]
    listing = ada.ok("users", env={"NETSANDBOX_TOKEN": token})  # the URL: NETSANDBOX_CHAT_URL
    assert "Bob Student" in listing
    assert not ada.token_file.exists()

    elsewhere = ada.run("users", "--url", "http://127.0.0.1:1", env={"NETSANDBOX_TOKEN": token})
    assert elsewhere.returncode == 1
    assert "cannot reach the chat server at http://127.0.0.1:1" in elsewhere.stderr
    bad = ada.run("users", env={"NETSANDBOX_TOKEN": "not-a-token"})
    assert "NETSANDBOX_TOKEN" in bad.stderr and "revoked" in bad.stderr
