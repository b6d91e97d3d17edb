"""CommitBatcher: writes that arrive together share one commit, each answered after it."""

from __future__ import annotations

import asyncio

import pytest

from netsandbox.chat.commits import CommitBatcher, Outcome


class FakeDatabase:
    """Runs each batch's jobs in order, then 'commits' after a pause (the fsync)."""

    def __init__(self, fail_commit: bool = False) -> None:
        self.batches: list[int] = []
        self.committed: list[object] = []
        self.fail_commit = fail_commit
        self.events: list[str] = []

    async def run_batch(self, jobs) -> list[Outcome]:
        self.batches.append(len(jobs))
        outcomes = []
        for job in jobs:
            try:
                outcomes.append(Outcome(result=await job(self)))
            except Exception as exc:
                outcomes.append(Outcome(error=exc))
        await asyncio.sleep(0.01)  # the commit's fsync: more writes arrive meanwhile
        if self.fail_commit:
            raise OSError("disk full")
        self.committed += [o.result for o in outcomes if o.error is None]
        self.events.append("commit")
        return outcomes


def value(result: object):
    async def job(_db: FakeDatabase) -> object:
        return result

    return job


async def fails(_db: FakeDatabase) -> object:
    raise ValueError("refused")


async def test_a_write_alone_is_committed_at_once() -> None:
    db = FakeDatabase()
    batcher = CommitBatcher(db.run_batch)
    assert await batcher.submit(value(1)) == 1
    assert db.batches == [1]


async def test_writes_arriving_during_a_commit_share_the_next_one() -> None:
    db = FakeDatabase()
    batcher = CommitBatcher(db.run_batch)
    first = asyncio.ensure_future(batcher.submit(value(0)))
    await asyncio.sleep(0)  # the first batch is committing
    rest = [asyncio.ensure_future(batcher.submit(value(n))) for n in range(1, 50)]
    assert await asyncio.gather(first, *rest) == list(range(50))
    assert db.batches == [1, 49]
    assert db.committed == list(range(50))  # in arrival order


async def test_a_failing_job_fails_alone() -> None:
    db = FakeDatabase()
    batcher = CommitBatcher(db.run_batch)
    results = await asyncio.gather(
        batcher.submit(value("a")), batcher.submit(fails), batcher.submit(value("b")),
        return_exceptions=True,
    )  # fmt: skip
    assert results[0] == "a" and results[2] == "b"
    assert isinstance(results[1], ValueError)
    assert db.committed == ["a", "b"]


async def test_nothing_is_acknowledged_when_the_commit_fails() -> None:
    db = FakeDatabase(fail_commit=True)
    batcher = CommitBatcher(db.run_batch)
    results = await asyncio.gather(
        batcher.submit(value(1)), batcher.submit(value(2)), return_exceptions=True
    )
    assert all(isinstance(result, OSError) for result in results)
    # and the batcher goes on with the next writes
    db.fail_commit = False
    assert await batcher.submit(value(3)) == 3


async def test_on_commit_runs_after_the_commit_and_before_the_answer() -> None:
    db = FakeDatabase()
    batcher = CommitBatcher(db.run_batch)
    result = await batcher.submit(value(7), on_commit=lambda r: db.events.append(f"after {r}"))
    db.events.append(f"answered {result}")
    assert db.events == ["commit", "after 7", "answered 7"]


async def test_on_commit_is_skipped_for_a_failed_job_and_a_failing_hook_harms_no_one() -> None:
    db = FakeDatabase()
    batcher = CommitBatcher(db.run_batch)

    def broken(_result: object) -> None:
        raise RuntimeError("hook")

    results = await asyncio.gather(
        batcher.submit(fails, on_commit=lambda r: db.events.append("never")),
        batcher.submit(value(1), on_commit=broken),
        batcher.submit(value(2)),
        return_exceptions=True,
    )
    assert isinstance(results[0], ValueError)
    assert results[1:] == [1, 2]
    assert "never" not in db.events


async def test_a_closed_batcher_finishes_queued_writes_and_refuses_new_ones() -> None:
    db = FakeDatabase()
    batcher = CommitBatcher(db.run_batch)
    queued = [asyncio.ensure_future(batcher.submit(value(n))) for n in range(3)]
    await asyncio.sleep(0)
    await batcher.close()
    assert [task.result() for task in queued] == [0, 1, 2]
    with pytest.raises(RuntimeError):
        await batcher.submit(value(4))
