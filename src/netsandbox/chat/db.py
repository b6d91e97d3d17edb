"""The database connection: an async engine built from the URL, and how to read and write.

Every query in the chat service is portable SQL through SQLAlchemy. The one place that
knows which database is behind the URL is this module (see ``_sqlite_only``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from netsandbox.core.datadir import ensure_data_dir

# How long a SQLite writer waits for another process's write lock (the CLI adding users
# while the server runs) before giving up, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 10_000


class Database:
    """An engine plus the rules for using it: many readers, writes one at a time on SQLite."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        parsed = make_url(url)
        self.backend = parsed.get_backend_name()
        self.is_sqlite = self.backend == "sqlite"
        if self.is_sqlite:
            _sqlite_prepare_file(parsed.database)
        self.engine: AsyncEngine = create_async_engine(parsed, **engine_options)
        if self.is_sqlite:
            _sqlite_only(self.engine)
        # SQLite has one writer at a time; queueing writers here, in order, costs nothing,
        # where SQLite's own busy handler would make them sleep and poll. Other databases
        # take concurrent writers.
        self._write_lock: asyncio.Lock | None = asyncio.Lock() if self.is_sqlite else None

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection for queries that change nothing."""
        async with self.engine.connect() as connection:
            yield connection

    @contextlib.asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncConnection]:
        """A transaction, committed (durably) when the block ends without error."""
        if self._write_lock is None:
            async with self.engine.begin() as connection:
                yield connection
            return
        async with self._write_lock, self.engine.begin() as connection:
            yield connection

    async def close(self) -> None:
        await self.engine.dispose()


# --- SQLite only -----------------------------------------------------------------------
# Everything specific to SQLite lives below this line and nowhere else in the chat service.


def _sqlite_prepare_file(database: str | None) -> None:
    """Create the folder of a file database (the data directory on first start)."""
    if database and database != ":memory:" and not database.startswith("file:"):
        ensure_data_dir(Path(database).expanduser().resolve().parent)


def _sqlite_only(engine: AsyncEngine) -> None:
    """Pragmas set on every new SQLite connection.

    - ``journal_mode=WAL``: readers never block the writer nor each other.
    - ``synchronous=FULL``: with WAL, each commit is fsynced before it returns, so a 201
      survives a power loss (``NORMAL`` survives only a process crash).
    - ``busy_timeout``: wait for another process's write lock instead of failing at once.
    - ``foreign_keys=ON``: SQLite leaves foreign keys unchecked unless asked.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def id_column_type() -> Any:
    """The type of every id column: 64-bit, and on SQLite the rowid alias it must be to
    number rows by itself (SQLite autoincrements only a column declared ``INTEGER``)."""
    from sqlalchemy import BigInteger, Integer

    return BigInteger().with_variant(Integer(), "sqlite")
