"""/api/users: listing and searching, my profile, and who may change what."""

from __future__ import annotations

import pytest

from tests.chat.conftest import Student

pytestmark = pytest.mark.usefixtures("app")


async def test_list_users_in_join_order(client, ada: Student, bob: Student) -> None:
    response = await client.get("/api/users", headers=ada.headers)
    assert response.status_code == 200
    page = response.json()
    assert [u["username"] for u in page["items"]] == ["ada", "bob"]
    assert page["next_cursor"] is None
    user = page["items"][0]
    assert set(user) == {"id", "username", "display_name", "status", "role", "created_at",
                         "last_seen_at", "presence"}  # fmt: skip
    assert user["created_at"].endswith("Z")


async def test_find_my_id_with_a_search(client, ada: Student, bob: Student) -> None:
    for search in ("bob", "BOB", "kah", "Bob Kahn"):
        response = await client.get("/api/users", params={"search": search}, headers=ada.headers)
        assert [u["id"] for u in response.json()["items"]] == [bob.id], search


async def test_search_wildcards_are_taken_literally(client, make_user, ada: Student) -> None:
    await make_user("under_score")
    await make_user("underxscore")
    page = (await client.get("/api/users", params={"search": "r_s"}, headers=ada.headers)).json()
    assert [u["username"] for u in page["items"]] == ["under_score"]
    page = (await client.get("/api/users", params={"search": "%"}, headers=ada.headers)).json()
    assert page["items"] == []


async def test_pagination_with_inserts_in_between(client, make_user) -> None:
    first = await make_user("user00")
    for n in range(1, 5):
        await make_user(f"user{n:02d}")
    seen: list[str] = []
    page = (await client.get("/api/users", params={"limit": 2}, headers=first.headers)).json()
    seen += [u["username"] for u in page["items"]]
    await make_user("user05")  # joins while the reader is between pages
    while page["next_cursor"] is not None:
        params = {"limit": 2, "cursor": page["next_cursor"]}
        page = (await client.get("/api/users", params=params, headers=first.headers)).json()
        seen += [u["username"] for u in page["items"]]
    assert seen == [f"user{n:02d}" for n in range(6)]


async def test_limit_is_clamped_to_200(client, ada: Student) -> None:
    response = await client.get("/api/users", params={"limit": 10**30}, headers=ada.headers)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"limit": 0}, "limit"), ({"limit": "ten"}, "limit"), ({"cursor": 0}, "cursor"),
     ({"cursor": 10**30}, "cursor"), ({"search": "x" * 65}, "search"),
     ({"search": "a\x00b"}, "search")],
)  # fmt: skip
async def test_bad_list_parameters(client, ada: Student, params, parameter) -> None:
    response = await client.get("/api/users", params=params, headers=ada.headers)
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == parameter


async def test_me_is_the_tokens_user(client, ada: Student, bob: Student) -> None:
    assert (await client.get("/api/users/me", headers=ada.headers)).json()["id"] == ada.id
    assert (await client.get("/api/users/me", headers=bob.headers)).json()["id"] == bob.id


async def test_read_one_user(client, ada: Student, bob: Student) -> None:
    user = (await client.get(f"/api/users/{bob.id}", headers=ada.headers)).json()
    assert user["display_name"] == "Bob Kahn"
    assert "password_hash" not in user


@pytest.mark.parametrize(("user_id", "status"), [(999, 404), (0, 422), (-1, 422),
                                                 (10**30, 422), ("abc", 422)])  # fmt: skip
async def test_unknown_or_impossible_user_ids(client, ada: Student, user_id, status) -> None:
    response = await client.get(f"/api/users/{user_id}", headers=ada.headers)
    assert response.status_code == status
    assert "error" in response.json()


async def test_patch_my_status(client, ada: Student, bob: Student) -> None:
    response = await client.patch(
        f"/api/users/{ada.id}", json={"status": "Working on it"}, headers=ada.headers
    )
    assert response.status_code == 200
    assert response.json()["status"] == "Working on it"
    seen_by_bob = (await client.get(f"/api/users/{ada.id}", headers=bob.headers)).json()
    assert seen_by_bob["status"] == "Working on it"


async def test_patch_me_and_display_name(client, ada: Student) -> None:
    response = await client.patch(
        "/api/users/me", json={"display_name": "  Countess  ", "status": ""}, headers=ada.headers
    )
    assert response.json()["display_name"] == "Countess"
    assert response.json()["status"] == ""


async def test_patching_someone_else_is_403_and_says_why(client, ada: Student, bob: Student):
    response = await client.patch(
        f"/api/users/{bob.id}", json={"status": "hacked"}, headers=ada.headers
    )
    assert response.status_code == 403
    assert f"your id is {ada.id}" in response.json()["error"]["message"]
    assert (await client.get(f"/api/users/{bob.id}", headers=ada.headers)).json()["status"] == ""


async def test_patching_an_unknown_user_is_404(client, ada: Student) -> None:
    response = await client.patch("/api/users/999", json={"status": "x"}, headers=ada.headers)
    assert response.status_code == 404


@pytest.mark.parametrize("field", ["role", "id", "username", "created_at", "last_seen_at"])
async def test_read_only_fields_are_refused_not_ignored(client, ada: Student, field) -> None:
    response = await client.patch(
        f"/api/users/{ada.id}", json={"status": "ok", field: "teacher"}, headers=ada.headers
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["parameter"] == field
    assert "read-only" in error["message"]
    me = (await client.get("/api/users/me", headers=ada.headers)).json()
    assert (me["role"], me["status"]) == ("student", "")


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"statut": "typo"}, "statut"),
        ({"status": "x" * 141}, "status"),
        ({"status": None}, "status"),
        ({"status": 42}, "status"),
        ({"status": "line\nbreak"}, "status"),
        ({"status": "nul\x00"}, "status"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "x" * 65}, "display_name"),
        ({}, "body"),
    ],
)
async def test_patch_validation_rules(client, ada: Student, body, parameter) -> None:
    response = await client.patch(f"/api/users/{ada.id}", json=body, headers=ada.headers)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["parameter"] == parameter
    assert parameter in error["message"]


async def test_lengths_count_characters_not_bytes(client, ada: Student) -> None:
    status = "é🙂" * 70  # 140 characters, 420 bytes in UTF-8
    response = await client.patch("/api/users/me", json={"status": status}, headers=ada.headers)
    assert response.status_code == 200
    assert response.json()["status"] == status
    too_long = await client.patch(
        "/api/users/me", json={"status": status + "🙂"}, headers=ada.headers
    )
    assert too_long.status_code == 422


async def test_a_body_that_is_not_json_is_explained(client, ada: Student) -> None:
    response = await client.patch("/api/users/me", data={"status": "x"}, headers=ada.headers)
    assert response.status_code == 422
    assert "json=" in response.json()["error"]["message"]
    broken = await client.patch(
        "/api/users/me", content=b'{"status": ', headers={**ada.headers,
                                                          "Content-Type": "application/json"}
    )  # fmt: skip
    assert broken.status_code == 422
    assert "not valid JSON" in broken.json()["error"]["message"]


async def test_json_without_a_content_type_is_accepted(client, ada: Student) -> None:
    """As sent by requests.patch(url, data=json.dumps(...))."""
    response = await client.patch(
        "/api/users/me", content=b'{"status": "raw"}', headers=ada.headers
    )
    assert response.status_code == 200
    assert response.json()["status"] == "raw"
