"""The benchmark's data set, written once through the chat service's own code.

100 users (one token each) and 10,000 messages between them, with the same content also
as ``db.json`` for json-server. The same seed gives the same data on every run.
"""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from netsandbox.chat.context import open_chat
from netsandbox.chat.db import iso
from netsandbox.chat.models import messages
from netsandbox.chat.security import Passwords, new_token, token_digest
from netsandbox.chat.settings import ChatSettings

SEED = 20261125
PASSWORD = "bench-password"
CHUNK = 20_000  # rows per INSERT batch
SAMPLE_TEXT = (
    "salut ça va le serveur répond bien tu as fini l'exercice trois envoie moi ton id je "
    "teste la requête GET puis le PATCH du statut merci à demain on se voit en TP"
)
WORDS = SAMPLE_TEXT.split()


@dataclass(frozen=True, slots=True)
class DataSet:
    """Where a seeded data set lives: the data directory, ``db.json``, and the tokens file
    (one ``<user id> <token>`` line per user, read by the wrk script)."""

    data_dir: Path
    db_json: Path
    tokens: Path
    users: int
    messages: int


def message_body(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 30)))


def message_rows(users: int, count: int, start: datetime) -> list[dict]:
    """``count`` messages between ``users`` users, one every few seconds, about half read."""
    rng = random.Random(SEED)
    rows = []
    for number in range(count):
        sender = rng.randint(1, users)
        recipient = rng.randint(1, users - 1)
        recipient += recipient >= sender  # never to oneself
        created = start + timedelta(seconds=3 * number)
        read = created + timedelta(minutes=5) if rng.random() < 0.5 else None
        rows.append({"sender_id": sender, "recipient_id": recipient, "body": message_body(rng),
                     "created_at": created, "read_at": read})  # fmt: skip
    return rows


async def _seed_database(
    settings: ChatSettings, users: int, count: int
) -> tuple[list[dict], list[tuple[int, str]], list[dict]]:
    password_hash = Passwords().hash_now(PASSWORD)  # one hash for all: logins are not measured
    accounts = [
        {"username": f"student{number:03d}", "display_name": f"Student {number:03d}",
         "role": "student", "password_hash": password_hash}
        for number in range(1, users + 1)
    ]  # fmt: skip
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=3 * count + 3600)
    async with open_chat(settings) as chat:
        created = await chat.store.create_users(accounts)
        tokens = []
        for user in created:
            token = new_token()
            await chat.store.add_token(user["id"], token_digest(token))
            tokens.append((user["id"], token))
        rows = message_rows(users, count, start)
        for first in range(0, len(rows), CHUNK):
            async with chat.db.writing() as conn:
                await conn.execute(insert(messages), rows[first : first + CHUNK])
    return created, tokens, rows


def seed(folder: Path, *, users: int = 100, count: int = 10_000) -> DataSet:
    """Write the data set under ``folder`` (created); return where each part is."""
    data_dir = folder / "data"
    settings = ChatSettings(service="chat", port=0, data_dir=data_dir)
    created, tokens, rows = asyncio.run(_seed_database(settings, users, count))
    tokens_file = folder / "tokens.txt"
    tokens_file.write_text("".join(f"{user_id} {token}\n" for user_id, token in tokens))
    db_json = folder / "db.json"
    db_json.write_text(json.dumps(json_server_data(created, rows), ensure_ascii=False))
    return DataSet(data_dir, db_json, tokens_file, users, count)


def json_server_data(users: list[dict], rows: list[dict]) -> dict:
    """The same users and messages in json-server's shape: one array per resource."""
    return {
        "users": users,
        "messages": [
            {"id": number, "from": row["sender_id"], "to": row["recipient_id"],
             "body": row["body"], "created_at": iso(row["created_at"]),
             "read_at": iso(row["read_at"])}
            for number, row in enumerate(rows, 1)
        ],
    }  # fmt: skip
