"""The fast lane (api/fast.py) and the kept pages (pages.py): same answers as the routes,
and never a stale page.

The hot requests are answered by the lane when ordinary; an unknown query parameter (which
the routes ignore) sends the same request through FastAPI, so the two can be compared.
"""

from __future__ import annotations

import pytest

from tests.chat.conftest import Student

pytestmark = pytest.mark.usefixtures("app")


async def send(client, sender: Student, to: int, body: str, **headers: str):
    return await client.post("/api/messages", json={"to": to, "body": body},
                             headers={**sender.headers, **headers})  # fmt: skip


@pytest.mark.parametrize(
    "path",
    ["/api/users", "/api/users?limit=1", "/api/messages", "/api/messages?unread=true&limit=2",
     "/api/messages?cursor=9007199254740991"],
)  # fmt: skip
async def test_the_lane_and_the_routes_answer_the_same_bytes(client, ada, bob, path) -> None:
    for number in range(3):
        await send(client, bob, ada.id, f"hello {number}")
    fast = await client.get(path, headers=ada.headers)
    routed = await client.get(path + ("&" if "?" in path else "?") + "routed=1",
                              headers=ada.headers)  # fmt: skip
    assert fast.status_code == routed.status_code == 200
    assert fast.content == routed.content
    assert fast.headers["content-type"] == routed.headers["content-type"]


async def test_a_send_through_the_routes_is_the_same_as_through_the_lane(client, ada, bob):
    fast = await send(client, ada, bob.id, "via the lane")
    routed = await client.post(
        "/api/messages?routed=1", json={"to": bob.id, "body": "via the lane"}, headers=ada.headers
    )
    assert fast.status_code == routed.status_code == 201
    assert set(fast.json()) == set(routed.json())
    assert routed.json()["id"] == fast.json()["id"] + 1
    assert routed.headers["location"] == f"/api/messages/{routed.json()['id']}"


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "code"),
    [
        ("GET", "/api/messages", {}, 401, "missing_token"),
        ("GET", "/api/users", {"Authorization": "Bearer not-a-token"}, 401, "invalid_token"),
        ("GET", "/api/users", {"Authorization": "Basic abc"}, 401, "malformed_authorization"),
        ("GET", "/api/messages?limit=0", None, 422, "invalid_parameter"),
        ("GET", "/api/messages?unread=maybe", None, 422, "invalid_parameter"),
        ("GET", "/api/users?cursor=-1", None, 422, "invalid_parameter"),
        ("GET", "/api/messages?from=99999999999999999999", None, 422, "invalid_parameter"),
        ("HEAD", "/api/messages", None, 405, None),
    ],
)
async def test_what_the_lane_leaves_gets_the_routes_errors(
    client, ada: Student, method, path, headers, status, code
) -> None:
    response = await client.request(
        method, path, headers=ada.headers if headers is None else headers
    )
    assert response.status_code == status
    if code is not None:
        assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    ("content", "content_type", "parameter"),
    [
        (b'{"to": 1, "body": "x", "extra": 1}', "application/json", "extra"),
        (b'{"to": 1, "body": "x"', "application/json", "body"),
        (b"to=1&body=x", "application/x-www-form-urlencoded", "body"),
        (b'{"to": 1, "body": NaN}', None, "body"),
    ],
)
async def test_bodies_the_lane_refuses_get_the_routes_422(
    client, ada: Student, content, content_type, parameter
) -> None:
    headers = dict(ada.headers)
    if content_type:
        headers["Content-Type"] = content_type
    response = await client.post("/api/messages", content=content, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == parameter


async def test_the_rate_limit_applies_to_the_lane(make_app_client, ada: Student) -> None:
    async with make_app_client(rate_limit="1,3") as client:
        statuses = [(await client.get("/api/messages", headers=ada.headers)).status_code
                    for _ in range(6)]  # fmt: skip
    assert statuses.count(429) >= 2
    assert statuses[0] == 200


async def test_a_new_message_is_in_the_inbox_at_once(client, ada: Student, bob: Student) -> None:
    assert (await client.get("/api/messages", headers=bob.headers)).json()["items"] == []
    sent = (await send(client, ada, bob.id, "first")).json()
    inbox = (await client.get("/api/messages", headers=bob.headers)).json()
    assert [m["id"] for m in inbox["items"]] == [sent["id"]]
    await client.post(f"/api/messages/{sent['id']}/read", headers=bob.headers)
    inbox = (await client.get("/api/messages", headers=bob.headers)).json()
    assert inbox["items"][0]["read_at"] is not None
    unread = (await client.get("/api/messages?unread=true", headers=bob.headers)).json()
    assert unread["items"] == []


async def test_a_replayed_send_changes_no_inbox(client, ada: Student, bob: Student) -> None:
    first = await send(client, ada, bob.id, "once", **{"Idempotency-Key": "k1"})
    again = await send(client, ada, bob.id, "once", **{"Idempotency-Key": "k1"})
    assert again.headers["idempotent-replayed"] == "true"
    inbox = (await client.get("/api/messages", headers=bob.headers)).json()
    assert [m["id"] for m in inbox["items"]] == [first.json()["id"]]


async def test_the_user_list_shows_changes_at_once(client, ada: Student, make_user) -> None:
    before = (await client.get("/api/users", headers=ada.headers)).json()
    await client.patch("/api/users/me", json={"status": "busy"}, headers=ada.headers)
    carol = await make_user("carol")
    after = (await client.get("/api/users", headers=ada.headers)).json()
    assert len(after["items"]) == len(before["items"]) + 1
    assert after["items"][0]["status"] == "busy"
    assert after["items"][-1]["id"] == carol.id


async def test_a_user_added_by_another_process_is_listed_at_once(
    client, make_app_client, ada: Student
) -> None:
    """The command line adds users from another process; the list must not lag behind."""
    assert len((await client.get("/api/users", headers=ada.headers)).json()["items"]) == 1
    async with make_app_client() as other:  # another app (and connections) on the database
        created = await other.post(
            "/api/auth/register", json={"username": "dora", "password": "long-password"}
        )
        assert created.status_code == 201
    listed = (await client.get("/api/users", headers=ada.headers)).json()["items"]
    assert [u["username"] for u in listed] == ["ada", "dora"]
