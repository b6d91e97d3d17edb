"""Database: prepared queries store values as SQLAlchemy would; grouped writes are answered
after their commit, one failing job leaves the others; reads see what was answered."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from netsandbox.chat.db import Database, Query, iso
from netsandbox.chat.migrations import upgrade_to_head
from netsandbox.chat.models import users
from netsandbox.chat.store import ChatStore, UsernameTaken

# How SQLAlchemy writes a moment into SQLite's text column.
SQLITE_MOMENT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await upgrade_to_head(db.engine)
    yield db
    await db.close()


async def test_moments_are_stored_the_way_sqlalchemy_stores_them(database: Database) -> None:
    ours = await ChatStore(database).create_user("ada", "Ada", "hash")
    async with database.writing() as conn:  # the same kind of row, written by SQLAlchemy
        await conn.execute(insert(users).values(
            username="bob", display_name="Bob", status="", role="student", password_hash="h",
            created_at=datetime(2025, 1, 31, 9, 30, 0, 120000, tzinfo=UTC),
        ))  # fmt: skip
    raw = await database.fetch(Query(select(users.c.created_at).order_by(users.c.id)))
    (mine,), (theirs,) = raw
    assert type(mine) is type(theirs)
    if isinstance(mine, str):
        assert SQLITE_MOMENT.fullmatch(mine) and SQLITE_MOMENT.fullmatch(theirs)
    assert database.moment_text(theirs) == "2025-01-31T09:30:00.120Z"
    async with database.reading() as conn:
        back = await conn.scalar(select(users.c.created_at).where(users.c.id == ours["id"]))
    assert iso(back) == ours["created_at"]  # what the 201 said is what is stored


async def test_reads_see_a_write_as_soon_as_it_is_answered(database: Database) -> None:
    store = ChatStore(database)
    user = await store.create_user("ada", "Ada", "hash")
    await store.update_user(user["id"], {"status": "here"})
    assert (await store.get_user(user["id"]))["status"] == "here"


async def test_a_failing_write_leaves_the_others_of_its_batch(database: Database) -> None:
    store = ChatStore(database)
    results = await asyncio.gather(
        store.create_user("ada", "Ada", "hash"),
        store.create_user("ada", "Ada again", "hash"),
        store.create_user("bob", "Bob", "hash"),
        return_exceptions=True,
    )
    assert isinstance(results[1], UsernameTaken)
    assert await store.user_id_by_username("ada") == results[0]["id"]
    assert await store.user_id_by_username("bob") == results[2]["id"]


async def test_many_writes_at_once_are_all_stored(database: Database) -> None:
    store = ChatStore(database)
    ada = await store.create_user("ada", "Ada", "hash")
    bob = await store.create_user("bob", "Bob", "hash")
    sent = await asyncio.gather(
        *(store.send_message(ada["id"], bob["id"], f"message {n}", key=f"k{n}") for n in range(200))
    )
    items, _ = await store.inbox(bob["id"], unread=False, sender=None, limit=200, before=None)
    assert sorted(m["id"] for m in items) == sorted(message["id"] for message, _ in sent)


async def test_the_change_count_sees_other_connections_commits(
    database: Database, database_url: str
) -> None:
    before = database.change_count()
    if not database.is_sqlite:  # no cheap counter: None, and the user list is never kept
        assert before is None
        return
    other = Database(database_url)  # another process, as the command line would be
    try:
        await ChatStore(other).create_user("ada", "Ada", "hash")
    finally:
        await other.close()
    assert database.change_count() != before


async def test_writes_after_close_are_refused(database_url: str) -> None:
    db = Database(database_url)
    await upgrade_to_head(db.engine)
    await db.close()
    with pytest.raises(RuntimeError):
        await ChatStore(db).create_user("ada", "Ada", "hash")
