"""A 201 (or a 200 for a status change) means stored: the server is killed with SIGKILL
while clients write, restarted on the same data, and every acknowledged write is there.

Several clients send messages and change their status as fast as they can; the server is
killed at a random moment, several times. Each client notes what was acknowledged, and
the send that was under way when the connection broke; after each restart that send is
retried with its Idempotency-Key, as the Python client does: it must be stored once,
whether or not the first attempt had been. At the end the database must hold every
acknowledged message, each user's last acknowledged status (or a later one that was under
way), no duplicate, and SQLite's integrity check must pass.
"""

from __future__ import annotations

import asyncio
import random
import signal
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.conftest import ServiceProcess

WRITERS = 4
ROUNDS = 5
PASSWORD = "durability-test-pw"


@dataclass
class Writer:
    """One client: what the server acknowledged to it, and the send under way, if any."""

    name: str
    user_id: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    messages: dict[int, str] = field(default_factory=dict)  # message id -> body
    status_sent: int = 0  # highest status number sent (acknowledged or not)
    status_acknowledged: int = 0
    pending: tuple[str, int, str] | None = None  # (key, to, body) of an unanswered send
    sends: int = 0
    failure: BaseException | None = None  # an unexpected answer, raised in the test thread


def url(chat: ServiceProcess, path: str) -> str:
    return f"http://{chat.host}:{chat.port}{path}"


def write_until_killed(chat: ServiceProcess, writer: Writer, others: list[int]) -> None:
    try:
        _write_until_killed(chat, writer, others)
    except BaseException as exc:
        writer.failure = exc


def _write_until_killed(chat: ServiceProcess, writer: Writer, others: list[int]) -> None:
    """Send messages (and every fifth time a status) until the server goes away."""
    with requests.Session() as http:
        while True:
            writer.sends += 1
            if writer.sends % 5 == 0:
                number = writer.status_sent = writer.status_sent + 1
                try:
                    response = http.patch(
                        url(chat, "/api/users/me"), headers=writer.headers,
                        json={"status": f"status {number}"}, timeout=10,
                    )  # fmt: skip
                except requests.RequestException:
                    return
                assert response.status_code == 200, response.text
                writer.status_acknowledged = number
                continue
            key, to = str(uuid.uuid4()), random.choice(others)
            body = f"{writer.name} message {writer.sends} ({key})"
            writer.pending = (key, to, body)
            try:
                response = http.post(url(chat, "/api/messages"), json={"to": to, "body": body},
                                     headers={**writer.headers, "Idempotency-Key": key},
                                     timeout=10)  # fmt: skip
            except requests.RequestException:
                return  # the send stays pending: retried after the restart
            assert response.status_code == 201, response.text
            writer.messages[response.json()["id"]] = body
            writer.pending = None


def retry_pending(chat: ServiceProcess, writer: Writer) -> None:
    """The send the crash interrupted, again with its key: stored exactly once."""
    if writer.pending is None:
        return
    key, to, body = writer.pending
    response = requests.post(
        url(chat, "/api/messages"), json={"to": to, "body": body},
        headers={**writer.headers, "Idempotency-Key": key}, timeout=10,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    writer.messages[response.json()["id"]] = body
    writer.pending = None


def register(chat: ServiceProcess, writers: list[Writer]) -> None:
    for writer in writers:
        created = requests.post(url(chat, "/api/auth/register"), timeout=10,
                                json={"username": writer.name, "password": PASSWORD})  # fmt: skip
        writer.user_id = created.json()["id"]
        token = requests.post(url(chat, "/api/auth/token"), timeout=10,
                              data={"username": writer.name, "password": PASSWORD})  # fmt: skip
        writer.headers = {"Authorization": f"Bearer {token.json()['access_token']}"}


def stored_state(database_url: str) -> tuple[dict[int, str], dict[int, str], list[str]]:
    """(message id -> body, user id -> status, integrity check result) read directly."""
    if database_url.startswith("sqlite"):
        path = database_url.split(":///", 1)[1]
        with sqlite3.connect(path) as db:
            messages = dict(db.execute("SELECT id, body FROM messages"))
            statuses = dict(db.execute("SELECT id, status FROM users"))
            integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
        return messages, statuses, integrity
    return asyncio.run(_postgres_state(database_url))


async def _postgres_state(database_url: str) -> tuple[dict[int, str], dict[int, str], list[str]]:
    import asyncpg

    db = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        messages = dict(await db.fetch("SELECT id, body FROM messages"))
        statuses = dict(await db.fetch("SELECT id, status FROM users"))
        orphans = await db.fetchval(
            "SELECT count(*) FROM idempotency_keys k LEFT JOIN messages m "
            "ON m.id = k.message_id WHERE m.id IS NULL"
        )
    finally:
        await db.close()
    return messages, statuses, ["ok" if orphans == 0 else f"{orphans} orphan keys"]


@pytest.mark.timeout(180)
def test_acknowledged_writes_survive_repeated_kill_9(
    start_service, database_url: str, tmp_path: Path
) -> None:
    seed = random.randrange(1_000_000)
    random.seed(seed)  # printed on failure: the kill moments can be replayed
    options = ("--database-url", database_url, "--registration", "open", "--rate-limit", "off")
    data = tmp_path / "data"
    writers = [Writer(f"writer{number}") for number in range(WRITERS)]
    killed_mid_write = 0

    for round_ in range(ROUNDS):
        chat = start_service("chat", *options, data_dir=data)
        if round_ == 0:
            register(chat, writers)
        for writer in writers:
            retry_pending(chat, writer)
        threads = [
            threading.Thread(
                target=write_until_killed,
                args=(chat, writer, [w.user_id for w in writers if w is not writer]),
            )
            for writer in writers
        ]
        before = sum(writer.sends for writer in writers)
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(0.3, 1.2))  # the random moment of the crash, not a wait
        chat.process.send_signal(signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=30)
        for writer in writers:
            if writer.failure is not None:
                raise writer.failure
        assert chat.process.wait(10) == -signal.SIGKILL
        assert sum(writer.sends for writer in writers) > before, "no write was under way"
        killed_mid_write += sum(writer.pending is not None for writer in writers)

    chat = start_service("chat", *options, data_dir=data)
    for writer in writers:
        retry_pending(chat, writer)
    assert chat.stop() == 0

    messages, statuses, integrity = stored_state(database_url)
    context = f"(random seed {seed})"
    assert integrity == ["ok"], context
    for writer in writers:
        missing = [body for i, body in writer.messages.items() if messages.get(i) != body]
        assert not missing, (
            f"{writer.name} lost {len(missing)} of {len(writer.messages)} acknowledged "
            f"messages, such as {missing[:3]} {context}"
        )
        stored = int(statuses[writer.user_id].removeprefix("status ") or 0)
        assert writer.status_acknowledged <= stored <= writer.status_sent, (writer, context)
    bodies = list(messages.values())
    assert len(bodies) == len(set(bodies)), f"a retried send was stored twice {context}"
    acknowledged = sum(len(writer.messages) for writer in writers)
    assert len(messages) == acknowledged, context  # and nothing unacknowledged lingers
    assert killed_mid_write > 0, "the kills never caught a send under way"
