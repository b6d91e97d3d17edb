"""The migrations build exactly the schema models.py declares, on SQLite and PostgreSQL."""

from __future__ import annotations

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
