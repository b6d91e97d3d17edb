"""/api/messages: sending (with safe retries), the inbox, one message, read marks."""

from __future__ import annotations

import asyncio

import pytest

from tests.chat.conftest import Student

pytestmark = pytest.mark.usefixtures("app")


async def send(client, sender: Student, to: int, body: str, key: str | None = None):
    headers = dict(sender.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post("/api/messages", json={"to": to, "body": body}, headers=headers)


async def test_send_returns_201_with_the_stored_message(client, ada: Student, bob: Student):
    response = await send(client, ada, bob.id, "Hello Bob")
    assert response.status_code == 201
    message = response.json()
    assert message["from"] == ada.id
    assert message["to"] == bob.id
    assert message["body"] == "Hello Bob"
    assert message["read_at"] is None
    assert message["created_at"].endswith("Z")
    assert response.headers["location"] == f"/api/messages/{message['id']}"


async def test_the_sender_is_always_the_tokens_user(client, ada: Student, bob: Student):
    response = await client.post(
        "/api/messages", json={"to": bob.id, "body": "hi", "from": bob.id}, headers=ada.headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == "from"


async def test_messages_to_myself_are_allowed(client, ada: Student) -> None:
    assert (await send(client, ada, ada.id, "note to self")).status_code == 201


@pytest.mark.parametrize(
    ("payload", "parameter"),
    [
        ({"to": 999, "body": "hi"}, "to"),
        ({"to": 10**30, "body": "hi"}, "to"),
        ({"to": 0, "body": "hi"}, "to"),
        ({"to": "2", "body": "hi"}, "to"),
        ({"to": True, "body": "hi"}, "to"),
        ({"to": 1.5, "body": "hi"}, "to"),
        ({"body": "hi"}, "to"),
        ({"to": 1}, "body"),
        ({"to": 1, "body": ""}, "body"),
        ({"to": 1, "body": "   \n\t "}, "body"),
        ({"to": 1, "body": "x" * 2001}, "body"),
        ({"to": 1, "body": "nul\x00"}, "body"),
        ({"to": 1, "body": 42}, "body"),
        ({"to": 1, "body": "hi", "subject": "x"}, "subject"),
    ],
)
async def test_send_validation_rules(client, ada: Student, payload, parameter) -> None:
    response = await client.post("/api/messages", json=payload, headers=ada.headers)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["parameter"] == parameter
    assert parameter in error["message"]


async def test_unknown_recipient_says_where_to_find_ids(client, ada: Student) -> None:
    response = await send(client, ada, 999, "hi")
    assert "GET /api/users" in response.json()["error"]["message"]


async def test_body_limits_count_characters(client, ada: Student, bob: Student) -> None:
    body = "🙂" * 2000
    response = await send(client, ada, bob.id, body)
    assert response.status_code == 201
    assert response.json()["body"] == body
    multiline = await send(client, ada, bob.id, "line one\nline two")
    assert multiline.json()["body"] == "line one\nline two"


async def test_a_body_over_64_kib_is_413(client, ada: Student, bob: Student) -> None:
    response = await client.post(
        "/api/messages", content=b"x" * (65 * 1024), headers=ada.headers
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


# --- idempotent retries ------------------------------------------------------------------


async def test_a_retry_with_the_same_key_returns_the_same_message(client, ada, bob) -> None:
    first = await send(client, ada, bob.id, "only once", key="key-1")
    again = await send(client, ada, bob.id, "only once", key="key-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    inbox = (await client.get("/api/messages", headers=bob.headers)).json()["items"]
    assert [m["body"] for m in inbox] == ["only once"]


async def test_the_same_key_with_another_message_is_422(client, ada, bob) -> None:
    await send(client, ada, bob.id, "first", key="key-1")
    response = await send(client, ada, bob.id, "second", key="key-1")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in error["message"]
    other_recipient = await send(client, ada, ada.id, "first", key="key-1")
    assert other_recipient.status_code == 422


async def test_keys_belong_to_one_user(client, ada: Student, bob: Student) -> None:
    mine = await send(client, ada, bob.id, "same words", key="shared")
    theirs = await send(client, bob, ada.id, "same words", key="shared")
    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine.json()["id"]


async def test_without_a_key_every_post_is_a_new_message(client, ada, bob) -> None:
    first = await send(client, ada, bob.id, "again")
    second = await send(client, ada, bob.id, "again")
    assert first.json()["id"] != second.json()["id"]


async def test_parallel_retries_store_one_message(client, ada: Student, bob: Student) -> None:
    responses = await asyncio.gather(
        *(send(client, ada, bob.id, "racing", key="race") for _ in range(8))
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    inbox = (await client.get("/api/messages", headers=bob.headers)).json()["items"]
    assert len(inbox) == 1


async def test_a_key_expires_after_24_hours(app, client, ada: Student, bob: Student) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from netsandbox.chat.models import idempotency_keys, utc_now

    first = await send(client, ada, bob.id, "yesterday", key="daily")
    async with app.state.chat.db.writing() as conn:
        await conn.execute(
            update(idempotency_keys).values(created_at=utc_now() - timedelta(hours=25))
        )
    again = await send(client, ada, bob.id, "today", key="daily")
    assert again.status_code == 201
    assert again.json()["id"] != first.json()["id"]


@pytest.mark.parametrize("key", ["", "with space", "x" * 256, "é"])
async def test_bad_idempotency_keys(client, ada: Student, bob: Student, key: str) -> None:
    headers = {**ada.headers, "Idempotency-Key": key.encode()}
    response = await client.post(
        "/api/messages", json={"to": bob.id, "body": "hi"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == "idempotency-key"


# --- inbox ------------------------------------------------------------------------------


async def test_inbox_holds_messages_to_me_newest_first(client, ada, bob, make_user) -> None:
    carol = await make_user("carol")
    await send(client, ada, bob.id, "one")
    await send(client, carol, bob.id, "two")
    await send(client, bob, ada.id, "not in bob's inbox")
    await send(client, ada, bob.id, "three")
    page = (await client.get("/api/messages", headers=bob.headers)).json()
    assert [m["body"] for m in page["items"]] == ["three", "two", "one"]
    assert page["next_cursor"] is None


async def test_inbox_filters(client, ada: Student, bob: Student, make_user) -> None:
    carol = await make_user("carol")
    first = (await send(client, ada, bob.id, "from ada")).json()
    await send(client, carol, bob.id, "from carol")
    await client.post(f"/api/messages/{first['id']}/read", headers=bob.headers)
    unread = (await client.get("/api/messages?unread=true", headers=bob.headers)).json()
    assert [m["body"] for m in unread["items"]] == ["from carol"]
    from_ada = (await client.get(f"/api/messages?from={ada.id}", headers=bob.headers)).json()
    assert [m["body"] for m in from_ada["items"]] == ["from ada"]


async def test_inbox_pagination_with_inserts_in_between(client, ada, bob) -> None:
    for n in range(5):
        await send(client, ada, bob.id, f"m{n}")
    bodies: list[str] = []
    page = (await client.get("/api/messages?limit=2", headers=bob.headers)).json()
    bodies += [m["body"] for m in page["items"]]
    await send(client, ada, bob.id, "arrives meanwhile")
    while page["next_cursor"] is not None:
        url = f"/api/messages?limit=2&cursor={page['next_cursor']}"
        page = (await client.get(url, headers=bob.headers)).json()
        bodies += [m["body"] for m in page["items"]]
    assert bodies == ["m4", "m3", "m2", "m1", "m0"]  # no gap, no repeat
    newest = (await client.get("/api/messages?limit=1", headers=bob.headers)).json()
    assert newest["items"][0]["body"] == "arrives meanwhile"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("unread=maybe", "unread"), ("from=0", "from"), (f"from={10**30}", "from"),
     ("limit=-5", "limit"), ("cursor=abc", "cursor")],
)  # fmt: skip
async def test_bad_inbox_parameters(client, ada: Student, query, parameter) -> None:
    response = await client.get(f"/api/messages?{query}", headers=ada.headers)
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == parameter


# --- one message, read marks ---------------------------------------------------------------


async def test_sender_and_recipient_can_read_a_message_others_cannot(
    client, ada, bob, make_user
) -> None:
    eve = await make_user("eve")
    message = (await send(client, ada, bob.id, "private")).json()
    for reader in (ada, bob):
        response = await client.get(f"/api/messages/{message['id']}", headers=reader.headers)
        assert response.json() == message
    response = await client.get(f"/api/messages/{message['id']}", headers=eve.headers)
    assert response.status_code == 403
    assert "sent or received" in response.json()["error"]["message"]


@pytest.mark.parametrize(("message_id", "status"), [(999, 404), (0, 422), (10**30, 422)])
async def test_unknown_or_impossible_message_ids(client, ada, message_id, status) -> None:
    for method, path in (("GET", f"/api/messages/{message_id}"),
                         ("POST", f"/api/messages/{message_id}/read")):  # fmt: skip
        response = await client.request(method, path, headers=ada.headers)
        assert response.status_code == status


async def test_only_the_recipient_marks_read_and_the_first_time_stays(
    client, ada, bob, make_user
) -> None:
    eve = await make_user("eve")
    message = (await send(client, ada, bob.id, "read me")).json()
    url = f"/api/messages/{message['id']}/read"
    by_sender = await client.post(url, headers=ada.headers)
    assert by_sender.status_code == 403
    assert "recipient" in by_sender.json()["error"]["message"]
    assert (await client.post(url, headers=eve.headers)).status_code == 403
    first = await client.post(url, headers=bob.headers)
    assert first.status_code == 200
    read_at = first.json()["read_at"]
    assert read_at is not None
    again = await client.post(url, headers=bob.headers)
    assert again.json()["read_at"] == read_at


async def test_a_lone_surrogate_in_the_body_is_a_422_not_a_500(client, ada, bob) -> None:
    raw = b'{"to": %d, "body": "\\ud800"}' % bob.id
    headers = {**ada.headers, "Content-Type": "application/json"}
    response = await client.post("/api/messages", content=raw, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == "body"
