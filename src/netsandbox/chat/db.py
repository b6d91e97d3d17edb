"""The database: prepared reads, grouped durable writes, and the engine for the rest.

Every query of the chat service is a SQLAlchemy Core statement, compiled once per database
into a ``Query`` (SQL text plus how to bind its parameters) and run straight on the driver:
SQLAlchemy's per-execution work (compiling, result processing) would cost more than the
query itself on the hot paths. Two ways to run them:

* ``fetch(query, ...)``: a read, on a connection that sees every committed write;
* ``write(job)``: a job (an async function of a ``Transaction``) run in the next batch of
  the ``CommitBatcher`` and answered once that batch is committed, durably.

The one place that knows which database is behind the URL is this module: everything
SQLite-specific is in the section marked below, and other databases go through
SQLAlchemy's async engine (``exec_driver_sql``, savepoints with ``begin_nested``).
The engine also runs the migrations, the reads that may take long (``scan``) and
maintenance (``reading()``, ``writing()``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import ClauseElement

from netsandbox.chat.commits import CommitBatcher, Outcome
from netsandbox.core.datadir import ensure_data_dir

T = TypeVar("T")
Row = Sequence[Any]

# How long a SQLite writer waits for another process's write lock (the CLI adding users
# while the server runs) before giving up, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 10_000
# RETURNING (3.35) gives the ids of new rows the same way PostgreSQL does.
SQLITE_MIN_VERSION = (3, 35, 0)
# The reader's page cache (SQLite's default is 2 MiB).
READER_CACHE_KIB = 64 * 1024
# How often, at most, the WAL is copied into the database file while writes go on.
CHECKPOINT_SECONDS = 1.0

log = logging.getLogger("netsandbox.chat")


class Conflict(Exception):
    """A write broke a uniqueness or foreign-key rule (the driver's error is the cause)."""


class Query:
    """A Core statement compiled once per dialect: its SQL and its parameters in order.

    Parameters are passed by name to ``bind``; values go through the column types' own
    conversions (so a datetime is stored exactly as SQLAlchemy would store it).
    """

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[str, list[tuple[str, Any, Callable | None]]]] = {}

    def bind(self, dialect: Dialect, params: Mapping[str, Any]) -> tuple[str, tuple]:
        compiled = self._compiled.get(dialect.name) or self._compile(dialect)
        sql, binds = compiled
        values = []
        for name, default, convert in binds:
            value = params.get(name, default)
            values.append(convert(value) if convert is not None and value is not None else value)
        return sql, tuple(values)

    def _compile(self, dialect: Dialect) -> tuple[str, list]:
        compiled = self.statement.compile(dialect=dialect)
        if compiled.positiontup is None:
            raise ValueError(f"{dialect.name}: a driver with positional parameters is needed")
        binds = []
        for name in compiled.positiontup:
            parameter = compiled.binds[name]
            convert = parameter.type.dialect_impl(dialect).bind_processor(dialect)
            binds.append((name, parameter.value, convert))
        self._compiled[dialect.name] = (compiled.string, binds)
        return self._compiled[dialect.name]


class Transaction(Protocol):
    """What a write job sees: one transaction (its own savepoint within the batch)."""

    async def execute(self, query: Query, **params: Any) -> list[Row]:
        """Run ``query``; its rows (a RETURNING clause's, for a write), maybe none."""
        ...


Job = Callable[[Transaction], Awaitable[T]]


class Database:
    """The chat service's database: fast reads, grouped durable writes, and the engine."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        parsed = make_url(url)
        self.backend = parsed.get_backend_name()
        self.is_sqlite = self.backend == "sqlite"
        if self.is_sqlite:
            _sqlite_prepare_file(parsed.database)
        self.engine: AsyncEngine = create_async_engine(parsed, **engine_options)
        self.dialect = self.engine.dialect
        self._driver: _Driver
        if self.is_sqlite:
            _sqlite_only(self.engine)
            self._driver = _SqliteDriver(parsed.database or ":memory:", self.dialect)
        else:
            self._driver = _EngineDriver(self.engine)
        self._batcher = CommitBatcher(self._driver.run_batch)

    async def fetch(self, query: Query, **params: Any) -> list[Row]:
        """The rows of a read. Keep these short and indexed: on SQLite they run at once, on
        the caller's thread (a few microseconds, less than handing them to a thread)."""
        return await self._driver.fetch(*query.bind(self.dialect, params))

    async def write(self, job: Job[T], on_commit: Callable[[T], None] | None = None) -> T:
        """Run ``job`` in the next grouped commit; its result once committed (durably).

        An exception from the job rolls back that job alone and is raised here; a failed
        commit raises here for every job of the batch. ``on_commit(result)`` runs just after
        the commit, before any caller is answered (to drop what a cache holds, say).
        """
        return await self._batcher.submit(job, on_commit)

    async def scan(self, query: Query, **params: Any) -> list[Row]:
        """The rows of a read that may take a while (it groups many rows): it runs on the
        engine, which on SQLite means on the driver's thread, not holding up the loop."""
        sql, args = query.bind(self.dialect, params)
        async with self.engine.connect() as connection:
            return list((await connection.exec_driver_sql(sql, args)).all())

    def moment_text(self, value: Any) -> str | None:
        """A stored moment, as the driver returns it, in the API's ISO 8601 form."""
        return self._driver.moment_text(value)

    def change_count(self) -> int | None:
        """A number that changes whenever any connection, of any process, has committed
        since it was last read; None when the database offers no such thing cheaply."""
        return self._driver.change_count()

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        """An engine connection for reads that are neither hot nor short (it does not hold
        up the event loop on SQLite: the driver runs in a thread)."""
        async with self.engine.connect() as connection:
            yield connection

    @contextlib.asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncConnection]:
        """A transaction on the engine, outside the grouped commits, committed when the block
        ends: for bulk loads and maintenance. The service's own writes use ``write``."""
        async with self.engine.begin() as connection:
            yield connection

    async def close(self) -> None:
        await self._batcher.close()
        await self._driver.close()
        await self.engine.dispose()


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, to the millisecond: ``2025-01-31T09:30:00.123Z``."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Driver(Protocol):
    async def fetch(self, sql: str, args: tuple) -> list[Row]: ...
    async def run_batch(self, jobs: list[Job[Any]]) -> list[Outcome]: ...
    def moment_text(self, value: Any) -> str | None: ...
    def change_count(self) -> int | None: ...
    async def close(self) -> None: ...


async def _run_jobs(
    transaction: Transaction,
    jobs: list[Job[Any]],
    savepoint: Callable[[], contextlib.AbstractAsyncContextManager],
) -> list[Outcome]:
    """Each job in a savepoint of its own: one that fails leaves the others intact."""
    outcomes = []
    for job in jobs:
        try:
            async with savepoint():
                outcomes.append(Outcome(result=await job(transaction)))
        except Exception as exc:
            outcomes.append(Outcome(error=exc))
    return outcomes


# --- Any database, through SQLAlchemy's async engine ------------------------------------


class _EngineTransaction:
    def __init__(self, connection: AsyncConnection, dialect: Dialect) -> None:
        self._connection = connection
        self._dialect = dialect

    async def execute(self, query: Query, **params: Any) -> list[Row]:
        sql, args = query.bind(self._dialect, params)
        try:
            result = await self._connection.exec_driver_sql(sql, args)
        except IntegrityError as exc:
            raise Conflict(str(exc.orig)) from exc
        return list(result.all()) if result.returns_rows else []


class _EngineDriver:
    """PostgreSQL (and any other async driver): pooled connections; a batch is one
    transaction on one of them (the server's WAL flush at commit makes it durable)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def fetch(self, sql: str, args: tuple) -> list[Row]:
        async with self._engine.connect() as connection:
            return list((await connection.exec_driver_sql(sql, args)).all())

    async def run_batch(self, jobs: list[Job[Any]]) -> list[Outcome]:
        async with self._engine.begin() as connection:
            transaction = _EngineTransaction(connection, self._engine.dialect)

            @contextlib.asynccontextmanager
            async def savepoint() -> AsyncIterator[None]:
                async with connection.begin_nested():
                    yield

            return await _run_jobs(transaction, jobs, savepoint)

    def moment_text(self, value: Any) -> str | None:
        return iso(value)

    def change_count(self) -> int | None:
        return None

    async def close(self) -> None:
        pass


# --- SQLite only -----------------------------------------------------------------------
# Everything specific to SQLite lives below this line and nowhere else in the chat service.


def _sqlite_prepare_file(database: str | None) -> None:
    """Create the folder of a file database (the data directory on first start)."""
    if database and database != ":memory:" and not database.startswith("file:"):
        ensure_data_dir(Path(database).expanduser().resolve().parent)


SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys=ON",
)


def _sqlite_only(engine: AsyncEngine) -> None:
    """Pragmas set on every new SQLite connection (the engine's, and ours below).

    - ``journal_mode=WAL``: readers never block the writer nor each other.
    - ``synchronous=FULL``: with WAL, each commit is fsynced before it returns, so a 201
      survives a power loss (``NORMAL`` survives only a process crash).
    - ``busy_timeout``: wait for another process's write lock instead of failing at once.
    - ``foreign_keys=ON``: SQLite leaves foreign keys unchecked unless asked.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()


class _SqliteTransaction:
    def __init__(self, connection: sqlite3.Connection, dialect: Dialect) -> None:
        self._connection = connection
        self._dialect = dialect

    async def execute(self, query: Query, **params: Any) -> list[Row]:
        try:
            return self._connection.execute(*query.bind(self._dialect, params)).fetchall()
        except sqlite3.IntegrityError as exc:
            raise Conflict(str(exc)) from exc


class _SqliteDriver:
    """Connections of the standard library's driver, opened on first use.

    - The reader runs queries at once on the event loop's thread. They are short and
      indexed; a thread hop per query (what aiosqlite does) costs more than the query.
      In WAL mode it never waits for the writer and sees each commit as soon as it is done.
    - The writer runs each batch's statements on the event loop's thread too (they only
      touch the page cache), and its ``COMMIT``, where SQLite writes and fsyncs the WAL,
      on a thread of its own, so the event loop serves other requests meanwhile. Taking
      the write lock (``BEGIN IMMEDIATE``) is tried without waiting; if another process
      holds it, the wait happens on that thread too.
    - Checkpoints (copying the WAL into the database file, with an fsync) would happen
      inside a commit every thousand pages and hold back the writes queued behind it.
      The writer never checkpoints; a third connection does, on a thread of its own, at
      most every ``CHECKPOINT_SECONDS`` after a commit: a passive checkpoint runs beside
      the writer and the readers without blocking them.
    """

    def __init__(self, path: str, dialect: Dialect) -> None:
        if sqlite3.sqlite_version_info < SQLITE_MIN_VERSION:
            raise RuntimeError(
                f"the chat service needs SQLite {'.'.join(map(str, SQLITE_MIN_VERSION))} or "
                f"newer (for RETURNING); this Python has {sqlite3.sqlite_version}"
            )
        self._path = path
        self._dialect = dialect
        self._reader: sqlite3.Connection | None = None
        self._writer: sqlite3.Connection | None = None
        self._checkpointer: sqlite3.Connection | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chat-commit")
        self._checkpoints = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chat-wal")
        self._checkpoint_due: float | None = None  # loop time; None: not yet planned
        self._checkpointing = False
        self._busy_timeout = SQLITE_BUSY_TIMEOUT_MS

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions; we say BEGIN and COMMIT.
        connection = sqlite3.connect(
            self._path,
            isolation_level=None,
            check_same_thread=False,
            uri=self._path.startswith("file:"),
        )
        for pragma in SQLITE_PRAGMAS:
            connection.execute(pragma)
        return connection

    @property
    def reader(self) -> sqlite3.Connection:
        if self._reader is None:
            self._reader = self._connect()
            self._reader.execute("PRAGMA query_only=ON")
            # Pages read stay in memory: an inbox page reads ~50 rows spread over the file.
            self._reader.execute(f"PRAGMA cache_size=-{READER_CACHE_KIB}")
        return self._reader

    @property
    def writer(self) -> sqlite3.Connection:
        if self._writer is None:
            self._writer = self._connect()
            self._writer.execute("PRAGMA wal_autocheckpoint=0")
        return self._writer

    async def fetch(self, sql: str, args: tuple) -> list[Row]:
        return self.reader.execute(sql, args).fetchall()

    async def run_batch(self, jobs: list[Job[Any]]) -> list[Outcome]:
        writer = self.writer
        await self._begin(writer)
        try:
            transaction = _SqliteTransaction(writer, self._dialect)
            outcomes = await _run_jobs(transaction, jobs, lambda: _Savepoint(writer))
            await asyncio.get_running_loop().run_in_executor(self._thread, _commit, writer)
        except BaseException:
            if writer.in_transaction:
                writer.execute("ROLLBACK")
            raise
        self._checkpoint_soon()
        return outcomes

    async def _begin(self, writer: sqlite3.Connection) -> None:
        self._set_busy_timeout(writer, 0)
        try:
            writer.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # locked by another process: wait off the loop
            self._set_busy_timeout(writer, SQLITE_BUSY_TIMEOUT_MS)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(self._thread, writer.execute, "BEGIN IMMEDIATE")

    def _set_busy_timeout(self, writer: sqlite3.Connection, milliseconds: int) -> None:
        if self._busy_timeout != milliseconds:
            writer.execute(f"PRAGMA busy_timeout={milliseconds}")
            self._busy_timeout = milliseconds

    def _checkpoint_soon(self) -> None:
        """After a commit: start a checkpoint if one is due and none is running."""
        if self._checkpointing:
            return
        now = asyncio.get_running_loop().time()
        if self._checkpoint_due is None:
            self._checkpoint_due = now + CHECKPOINT_SECONDS
        elif now >= self._checkpoint_due:
            self._checkpointing = True
            running = asyncio.get_running_loop().run_in_executor(
                self._checkpoints, self._checkpoint
            )
            running.add_done_callback(self._checkpoint_done)

    def _checkpoint(self) -> None:
        if self._checkpointer is None:
            self._checkpointer = self._connect()
        self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _checkpoint_done(self, running: asyncio.Future) -> None:
        if not running.cancelled() and running.exception() is not None:
            log.warning("WAL checkpoint failed (retried later): %s", running.exception())
        self._checkpointing = False
        self._checkpoint_due = asyncio.get_running_loop().time() + CHECKPOINT_SECONDS

    def moment_text(self, value: Any) -> str | None:
        # SQLAlchemy stores moments as text, 'YYYY-MM-DD HH:MM:SS.ffffff' (in UTC here).
        if value is None:
            return None
        if isinstance(value, str) and len(value) == 26 and value[10] == " ":
            return f"{value[:10]}T{value[11:23]}Z"
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return iso(value)

    def change_count(self) -> int | None:
        # data_version moves when another connection (ours included) committed.
        return self.reader.execute("PRAGMA data_version").fetchone()[0]

    async def close(self) -> None:
        self._thread.shutdown(wait=True)
        self._checkpoints.shutdown(wait=True)
        for connection in (self._reader, self._writer, self._checkpointer):
            if connection is not None:
                connection.close()
        self._reader = self._writer = self._checkpointer = None


class _Savepoint:
    """``async with``: a savepoint around one job, rolled back if the job raises."""

    __slots__ = ("_connection",)

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    async def __aenter__(self) -> None:
        self._connection.execute("SAVEPOINT job")

    async def __aexit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self._connection.execute("ROLLBACK TO job")
        self._connection.execute("RELEASE job")


def _commit(connection: sqlite3.Connection) -> None:
    connection.execute("COMMIT")


def id_column_type() -> Any:
    """The type of every id column: 64-bit, and on SQLite the rowid alias it must be to
    number rows by itself (SQLite autoincrements only a column declared ``INTEGER``)."""
    from sqlalchemy import BigInteger, Integer

    return BigInteger().with_variant(Integer(), "sqlite")
