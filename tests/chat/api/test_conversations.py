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


async def test_marking_a_conversation_read_marks_only_its_messages_to_me(
    client, ada: Student, bob: Student, make_user
) -> None:
    carol = await make_user("carol")
    first = (await send(client, bob, ada.id, "b1")).json()
    second = (await send(client, bob, ada.id, "b2")).json()
    await send(client, carol, ada.id, "from carol")
    await send(client, ada, bob.id, "mine to bob")
    newest = (await send(client, bob, ada.id, "b3 (not shown yet)")).json()
    url = f"/api/conversations/{bob.id}/read"
    marked = await client.post(url, json={"up_to": second["id"]}, headers=ada.headers)
    assert marked.status_code == 200
    items = marked.json()["items"]
    assert [m["id"] for m in items] == [first["id"], second["id"]]
    assert all(m["read_at"] is not None for m in items)
    unread = (await client.get("/api/messages?unread=true", headers=ada.headers)).json()
    assert sorted(m["body"] for m in unread["items"]) == ["b3 (not shown yet)", "from carol"]
    rest = await client.post(url, headers=ada.headers)  # no body: everything
    assert [m["id"] for m in rest.json()["items"]] == [newest["id"]]
    again = await client.post(url, headers=ada.headers)
    assert again.json() == {"items": []}  # already read: nothing changes, read_at kept
    bobs = (await client.get(f"/api/conversations/{ada.id}", headers=bob.headers)).json()
    assert next(m for m in bobs["items"] if m["body"] == "mine to bob")["read_at"] is None


@pytest.mark.parametrize(
    "payload", [{"up_to": 0}, {"up_to": "3"}, {"up_to": 10**30}, {"upto": 3}, [1], "all"]
)
async def test_marking_read_refuses_bad_bodies(client, ada: Student, bob: Student, payload):
    url = f"/api/conversations/{bob.id}/read"
    response = await client.post(url, json=payload, headers=ada.headers)
    assert response.status_code == 422
    assert response.json()["error"]["message"]


async def test_marking_read_needs_a_known_user_and_a_token(client, ada: Student) -> None:
    assert (
        await client.post("/api/conversations/999/read", headers=ada.headers)
    ).status_code == 404
    assert (await client.post(f"/api/conversations/{ada.id}/read")).status_code == 401
