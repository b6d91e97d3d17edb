"""Grouped commits: writes that arrive together share one transaction, so one fsync.

A durable commit waits for the disk (an fsync: from a fraction of a millisecond to several
on a small server), and one commit per write caps a database at a few hundred writes per
second whatever the processor. ``CommitBatcher`` runs writes in batches instead: while one
batch commits, the writes that arrive queue up, and the next batch takes them all. A write
alone (a quiet server) is committed at once; under load a batch holds every write that came
in during the previous commit. Each write is still acknowledged only after the commit of
its batch, so an acknowledged write is as durable as if it had been committed alone.

The batcher knows nothing of databases: ``run_batch`` (from ``db.py``) opens the
transaction, runs each job in a savepoint of its own and commits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger("netsandbox.chat")

# A batch this large commits even if more writes wait: it bounds how long a transaction
# holds the write lock and how long the first write of the batch waits.
MAX_BATCH = 500


@dataclass(slots=True)
class Outcome(Generic[T]):
    """What one job of a batch gave: its result, or the exception it raised (its savepoint
    was rolled back; the other jobs of the batch are not affected)."""

    result: T | None = None
    error: BaseException | None = None


@dataclass(slots=True)
class Pending:
    """A job waiting for its batch, the future its caller awaits, and what to do once the
    job's batch is committed (before any caller hears of it)."""

    job: Callable[[Any], Awaitable[Any]]
    future: asyncio.Future
    on_commit: Callable[[Any], None] | None = None


RunBatch = Callable[[list[Callable[[Any], Awaitable[Any]]]], Awaitable[list[Outcome]]]


@dataclass
class CommitBatcher:
    """Queues jobs and runs them in batches, one batch at a time, in arrival order."""

    run_batch: RunBatch
    max_batch: int = MAX_BATCH
    _queue: list[Pending] = field(default_factory=list)
    _worker: asyncio.Task | None = None
    _closed: bool = False

    async def submit(
        self,
        job: Callable[[Any], Awaitable[T]],
        on_commit: Callable[[T], None] | None = None,
    ) -> T:
        """Run ``job(transaction)`` in the next batch; its result once that batch committed.

        ``on_commit(result)`` runs right after the commit, before the result is handed back
        (so it cannot be skipped by a caller that gives up waiting).
        """
        if self._closed:
            raise RuntimeError("the database is closed")
        future = asyncio.get_running_loop().create_future()
        self._queue.append(Pending(job, future, on_commit))
        if self._worker is None:
            self._worker = asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def close(self) -> None:
        """Refuse new jobs and wait for the queued ones to be committed."""
        self._closed = True
        if self._worker is not None:
            await asyncio.shield(self._worker)

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = self._queue[: self.max_batch]
                del self._queue[: self.max_batch]
                await self._run(batch)
        finally:
            self._worker = None

    async def _run(self, batch: list[Pending]) -> None:
        try:
            outcomes = await self.run_batch([pending.job for pending in batch])
        except BaseException as exc:
            # The commit failed (or never ran): nothing in this batch is acknowledged.
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for pending, outcome in zip(batch, outcomes, strict=True):
            if outcome.error is None and pending.on_commit is not None:
                try:
                    pending.on_commit(outcome.result)
                except Exception:  # the write is committed: its caller still gets its answer
                    log.exception("a commit hook failed")
        for pending, outcome in zip(batch, outcomes, strict=True):
            if pending.future.done():  # the caller gave up waiting (cancelled)
                continue
            if outcome.error is not None:
                pending.future.set_exception(outcome.error)
            else:
                pending.future.set_result(outcome.result)
