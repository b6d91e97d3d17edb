"""The contact book on disk: examples on first start, durable writes, concurrent writers."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from netsandbox.contacts.store import EXAMPLES, ContactStore, StoreError


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "contacts.sqlite3"


async def test_first_start_has_the_two_examples(path: Path) -> None:
    store = ContactStore.open(path)
    assert store.all() == EXAMPLES
    assert all(mail.endswith("@example.org") for mail in EXAMPLES.values())
    await store.close()


async def test_writes_survive_reopening(path: Path) -> None:
    store = ContactStore.open(path)
    assert await store.put("Zoé", "zoe@example.org") is None
    assert await store.remove("Alice Martin") == EXAMPLES["Alice Martin"]
    await store.close()
    reopened = ContactStore.open(path)
    assert reopened.all() == {"Bruno Petit": "bruno.petit@example.org", "Zoé": "zoe@example.org"}
    await reopened.close()


async def test_examples_are_not_added_again_once_removed(path: Path) -> None:
    store = ContactStore.open(path)
    for name in EXAMPLES:
        await store.remove(name)
    await store.close()
    reopened = ContactStore.open(path)
    assert reopened.all() == {}
    await reopened.close()


async def test_put_returns_the_previous_mail(path: Path) -> None:
    store = ContactStore.open(path)
    assert await store.put("Zoé", "old@example.org") is None
    assert await store.put("Zoé", "new@example.org") == "old@example.org"
    assert store.get("Zoé") == "new@example.org"
    await store.close()


async def test_remove_of_an_unknown_name_returns_none(path: Path) -> None:
    store = ContactStore.open(path)
    assert await store.remove("Nobody") is None
    assert len(store) == len(EXAMPLES)
    await store.close()


async def test_reads_are_sorted_and_search_ignores_case(path: Path) -> None:
    store = ContactStore.open(path)
    await store.put("zed", "z@EXAMPLE.net")
    await store.put("Anna", "anna@example.net")
    assert list(store.all())[:2] == ["Alice Martin", "Anna"]
    assert store.search("example.NET") == {"Anna": "anna@example.net", "zed": "z@EXAMPLE.net"}
    assert store.search("MARTIN") == {"Alice Martin": EXAMPLES["Alice Martin"]}
    assert store.name_like("ZED") == "zed"
    await store.close()


async def test_fifty_concurrent_puts_are_all_kept(path: Path) -> None:
    store = ContactStore.open(path)
    await asyncio.gather(*(store.put(f"person {i}", f"p{i}@example.org") for i in range(50)))
    assert len(store) == 52
    await store.close()
    reopened = ContactStore.open(path)
    assert len(reopened) == 52
    await reopened.close()


async def test_the_database_is_in_wal_mode(path: Path) -> None:
    store = ContactStore.open(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    await store.close()


def test_a_file_that_is_not_a_database_is_reported(path: Path) -> None:
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot use the contacts database"):
        ContactStore.open(path)


def test_a_database_from_a_newer_version_is_refused(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer netsandbox"):
        ContactStore.open(path)
