"""The migrations build exactly the schema models.py declares, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from netsandbox.chat.db import Database
from netsandbox.chat.migrations import upgrade_to_head
from netsandbox.chat.models import Base


async def test_migrated_schema_matches_the_models(database_url: str) -> None:
    database = Database(database_url)
    try:
        await upgrade_to_head(database.engine)
        await upgrade_to_head(database.engine)  # a second start finds nothing to do
        async with database.engine.connect() as conn:
            differences = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
    finally:
        await database.close()
    assert differences == []
    assert len(version) == 1


async def test_sqlite_runs_in_wal_with_full_sync(tmp_path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'new' / 'chat.sqlite3'}")
    try:
        async with database.reading() as conn:
            pragmas = [
                (await conn.execute(text(f"PRAGMA {name}"))).scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys")
            ]
    finally:
        await database.close()
    assert pragmas == ["wal", 2, 1]  # synchronous=2 is FULL


async def test_0002_keeps_existing_tokens_as_api_tokens(database_url: str) -> None:
    """A database made before sessions existed: its tokens become API tokens (kind bearer),
    and going back drops the sessions with the column."""
    from alembic import command

    from netsandbox.chat.migrations import alembic_config

    def run(connection, action, revision: str) -> None:
        action(alembic_config(connection), revision)

    database = Database(database_url)
    try:
        async with database.engine.begin() as conn:
            await conn.run_sync(run, command.upgrade, "0001")
            await conn.execute(text(
                "INSERT INTO users (id, username, display_name, status, role, password_hash, "
                "created_at) VALUES (1, 'ada', 'Ada', '', 'student', 'x', CURRENT_TIMESTAMP)"
            ))  # fmt: skip
            await conn.execute(text(
                "INSERT INTO tokens (user_id, token_hash, created_at) "
                "VALUES (1, 'old', CURRENT_TIMESTAMP)"
            ))  # fmt: skip
        await upgrade_to_head(database.engine)
        async with database.engine.begin() as conn:
            kinds = (await conn.execute(text("SELECT token_hash, kind FROM tokens"))).all()
            await conn.execute(text(
                "INSERT INTO tokens (user_id, token_hash, created_at, kind) "
                "VALUES (1, 'new', CURRENT_TIMESTAMP, 'session')"
            ))  # fmt: skip
        async with database.engine.begin() as conn:
            await conn.run_sync(run, command.downgrade, "0001")
            left = (await conn.execute(text("SELECT token_hash FROM tokens"))).all()
        await upgrade_to_head(database.engine)  # and forward again
    finally:
        await database.close()
    assert [tuple(row) for row in kinds] == [("old", "bearer")]
    assert [tuple(row) for row in left] == [("old",)]


async def test_a_token_kind_is_bearer_or_session(database_url: str) -> None:
    from sqlalchemy.exc import IntegrityError

    database = Database(database_url)
    try:
        await upgrade_to_head(database.engine)
        async with database.engine.begin() as conn:
            await conn.execute(text(
                "INSERT INTO users (id, username, display_name, status, role, password_hash, "
                "created_at) VALUES (1, 'ada', 'Ada', '', 'student', 'x', CURRENT_TIMESTAMP)"
            ))  # fmt: skip
        async with database.engine.begin() as conn:
            with pytest.raises(IntegrityError):
                await conn.execute(text(
                    "INSERT INTO tokens (user_id, token_hash, created_at, kind) "
                    "VALUES (1, 'h', CURRENT_TIMESTAMP, 'cookie')"
                ))  # fmt: skip
    finally:
        await database.close()
