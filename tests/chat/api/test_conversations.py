"""/api/conversations: one row per correspondent, and a conversation both ways."""

from __future__ import annotations

import pytest

from tests.chat.api.test_messages import send
from tests.chat.conftest import Student

pytestmark = pytest.mark.usefixtures("app")


async def test_one_row_per_correspondent_with_unread_counts(client, ada, bob, make_user):
    carol = await make_user("carol")
    await send(client, bob, ada.id, "bob 1")
    await send(client, bob, ada.id, "bob 2")
    await send(client, ada, carol.id, "to carol")
    await send(client, ada, bob.id, "reply to bob")
    page = (await client.get("/api/conversations", headers=ada.headers)).json()
    rows = [(c["user"]["username"], c["last_message"]["body"], c["unread_count"])
            for c in page["items"]]  # fmt: skip
    assert rows == [("bob", "reply to bob", 2), ("carol", "to carol", 0)]
    assert page["next_cursor"] is None
    bobs_view = (await client.get("/api/conversations", headers=bob.headers)).json()
    assert [(c["user"]["id"], c["unread_count"]) for c in bobs_view["items"]] == [(ada.id, 1)]


async def test_conversations_page_by_last_message(client, ada, make_user) -> None:
    others = [await make_user(f"friend{n}") for n in range(5)]
    for other in others:
        await send(client, other, ada.id, f"hi from {other.username}")
    names: list[str] = []
    url = "/api/conversations?limit=2"
    while url:
        page = (await client.get(url, headers=ada.headers)).json()
        names += [c["user"]["username"] for c in page["items"]]
        cursor = page["next_cursor"]
        url = f"/api/conversations?limit=2&cursor={cursor}" if cursor else ""
    assert names == [f"friend{n}" for n in reversed(range(5))]


async def test_a_conversation_holds_both_directions_newest_first(
    client, ada: Student, bob: Student, make_user
) -> None:
    carol = await make_user("carol")
    await send(client, ada, bob.id, "a1")
    await send(client, bob, ada.id, "b1")
    await send(client, carol, ada.id, "not this one")
    await send(client, ada, bob.id, "a2")
    page = (await client.get(f"/api/conversations/{bob.id}?limit=2", headers=ada.headers)).json()
    assert [m["body"] for m in page["items"]] == ["a2", "b1"]
    older = await client.get(
        f"/api/conversations/{bob.id}?limit=2&cursor={page['next_cursor']}", headers=ada.headers
    )
    assert [m["body"] for m in older.json()["items"]] == ["a1"]
    assert older.json()["next_cursor"] is None


async def test_conversation_with_an_unknown_user(client, ada: Student) -> None:
    assert (await client.get("/api/conversations/999", headers=ada.headers)).status_code == 404
    too_big = await client.get(f"/api/conversations/{10**30}", headers=ada.headers)
    assert too_big.status_code == 422


async def test_no_conversations_yet(client, ada: Student) -> None:
    page = (await client.get("/api/conversations", headers=ada.headers)).json()
    assert page == {"items": [], "next_cursor": None}
