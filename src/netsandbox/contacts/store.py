"""The contact book: SQLite on disk for durability, a copy in memory for fast reads.

Reads (list, get, search) are answered from memory on the event loop, never waiting for the
disk. Writes go one at a time through a single writer thread, are acknowledged only once
committed (WAL, ``synchronous=FULL``: a reply saying "added" survives a crash or power cut)
and reach the memory copy after the commit, so nobody reads a change that could be lost.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

FILENAME = "contacts.sqlite3"
SCHEMA_VERSION = 1
EXAMPLES = {
    "Alice Martin": "alice.martin@example.org",
    "Bruno Petit": "bruno.petit@example.org",
}

T = TypeVar("T")


class StoreError(Exception):
    """The database cannot be opened or used; the message says which file and why."""


class ContactStore:
    """Contacts by name. Open with ``ContactStore.open(path)``; ``await close()`` when done."""

    def __init__(self, connection: sqlite3.Connection, contacts: dict[str, str]) -> None:
        self._db = connection
        self._contacts = _sorted(contacts)
        self.revision = 0  # grows with every change, so readers can cache what they built
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="contacts-writer")

    @classmethod
    def open(cls, path: Path) -> ContactStore:
        """Open (or create, with two example contacts) the database at ``path``."""
        try:
            # Used only by the writer thread once open; isolation_level=None: we say BEGIN.
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            _migrate(db)
            contacts = dict(db.execute("SELECT name, mail FROM contacts"))
        except sqlite3.Error as exc:
            raise StoreError(f"cannot use the contacts database {path}: {exc}") from None
        return cls(db, contacts)

    # Reads: from memory, on the caller's thread.

    def __len__(self) -> int:
        return len(self._contacts)

    def all(self) -> dict[str, str]:
        """Every contact, ``{name: mail}``, sorted by name."""
        return dict(self._contacts)

    def get(self, name: str) -> str | None:
        """The mail of ``name``, or None."""
        return self._contacts.get(name)

    def name_like(self, name: str) -> str | None:
        """A stored name equal to ``name`` but for case (to suggest it), or None."""
        wanted = name.casefold()
        return next((known for known in self._contacts if known.casefold() == wanted), None)

    def search(self, query: str) -> dict[str, str]:
        """Contacts whose name or mail contains ``query``, ignoring case."""
        wanted = query.casefold()
        return {
            name: mail
            for name, mail in self._contacts.items()
            if wanted in name.casefold() or wanted in mail.casefold()
        }

    # Writes: on the writer thread, answered after the commit.

    async def put(self, name: str, mail: str) -> str | None:
        """Add ``name`` or change its mail; return the previous mail (None if it is new)."""
        previous = await self._write(self._put, name, mail)
        self._contacts = _sorted({**self._contacts, name: mail})
        self.revision += 1
        return previous

    async def remove(self, name: str) -> str | None:
        """Delete ``name``; return its mail, or None if there was no such contact."""
        removed = await self._write(self._remove, name)
        if removed is not None:
            self._contacts = {k: v for k, v in self._contacts.items() if k != name}
            self.revision += 1
        return removed

    async def close(self) -> None:
        """Finish the writes under way, then close the database."""
        await self._write(self._db.close)
        self._writer.shutdown(wait=True)

    async def _write(self, operation: Callable[..., T], *args: object) -> T:
        # One writer thread runs operations in order and their results come back to the
        # event loop in that same order, so the memory copy follows the commit order.
        return await asyncio.get_running_loop().run_in_executor(self._writer, operation, *args)

    def _put(self, name: str, mail: str) -> str | None:
        with _transaction(self._db):
            row = self._db.execute("SELECT mail FROM contacts WHERE name = ?", (name,)).fetchone()
            self._db.execute(
                "INSERT INTO contacts (name, mail) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET mail = excluded.mail",
                (name, mail),
            )
        return row[0] if row else None

    def _remove(self, name: str) -> str | None:
        with _transaction(self._db):
            row = self._db.execute("DELETE FROM contacts WHERE name = ? RETURNING mail", (name,))
            removed = row.fetchone()
        return removed[0] if removed else None


def _sorted(contacts: dict[str, str]) -> dict[str, str]:
    return dict(sorted(contacts.items(), key=lambda item: (item[0].casefold(), item[0])))


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK if anything fails."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _migrate(db: sqlite3.Connection) -> None:
    """Bring the schema to ``SCHEMA_VERSION``; a new database gets the example contacts."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(
            f"it has schema version {version}, made by a newer netsandbox (this one knows "
            f"{SCHEMA_VERSION}); upgrade netsandbox or use another --data-dir"
        )
    if version < 1:
        with _transaction(db):
            db.execute("CREATE TABLE contacts (name TEXT PRIMARY KEY, mail TEXT NOT NULL)")
            db.executemany("INSERT INTO contacts (name, mail) VALUES (?, ?)", EXAMPLES.items())
            db.execute("PRAGMA user_version = 1")
