"""/api/auth: logging in and out, tokens on every endpoint, self-registration modes."""

from __future__ import annotations

import httpx
import pytest

from tests.chat.conftest import PASSWORD, Student

pytestmark = pytest.mark.usefixtures("app")


async def login(client: httpx.AsyncClient, username: str, password: str = PASSWORD, **kw):
    return await client.post(
        "/api/auth/token", data={"username": username, "password": password}, **kw
    )


async def test_login_with_a_form_returns_a_bearer_token(client, ada: Student) -> None:
    response = await login(client, "ada")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    me = await client.get(
        "/api/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json()["id"] == ada.id


async def test_login_accepts_json_and_the_oauth2_fields(client, ada: Student) -> None:
    as_json = await client.post("/api/auth/token", json={"username": "ada", "password": PASSWORD})
    assert as_json.status_code == 200
    swagger = await client.post(
        "/api/auth/token",
        data={"grant_type": "password", "username": "ada", "password": PASSWORD, "scope": ""},
    )
    assert swagger.status_code == 200


async def test_login_ignores_case_and_spaces_of_the_username(client, ada: Student) -> None:
    assert (await login(client, " Ada ")).status_code == 200


@pytest.mark.parametrize(("username", "password"), [("ada", "wrong-password"), ("nobody", PASSWORD),
                                                    ("no such name!", PASSWORD)])  # fmt: skip
async def test_wrong_credentials_get_the_same_401(client, ada, username, password) -> None:
    response = await login(client, username, password)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    error = response.json()["error"]
    assert error["code"] == "invalid_credentials"
    assert "username or password" in error["message"]


@pytest.mark.parametrize(
    ("data", "parameter"),
    [
        ({"username": "ada"}, "password"),
        ({"password": PASSWORD}, "username"),
        ({"username": "ada", "password": PASSWORD, "role": "teacher"}, "role"),
        ({"username": "ada", "password": PASSWORD, "grant_type": "client_credentials"},
         "grant_type"),
        ({"username": "ada", "password": "x" * 2000}, "password"),
    ],
)  # fmt: skip
async def test_bad_login_requests_get_a_422_naming_the_field(client, data, parameter) -> None:
    response = await client.post("/api/auth/token", data=data)
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == parameter


@pytest.mark.parametrize(
    "content",
    [b'{"username": "ada", "password": "\\ud800"}', b'{"username": "ada\\u0000"', b"[1, 2]"],
)
async def test_hostile_json_logins_are_refused_cleanly(client, content: bytes) -> None:
    response = await client.post(
        "/api/auth/token", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (401, 422)
    assert "error" in response.json()


async def test_a_missing_token_says_how_to_get_and_send_one(client) -> None:
    response = await client.get("/api/users/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    message = response.json()["error"]["message"]
    assert "POST /api/auth/token" in message
    assert "Authorization: Bearer <token>" in message


@pytest.mark.parametrize("header", ["Token abc", "Bearer", "abc", "Basic YWRhOnB3"])
async def test_a_malformed_authorization_header_is_explained(client, header) -> None:
    response = await client.get("/api/users/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert "Bearer <token>" in response.json()["error"]["message"]


async def test_an_unknown_token_is_refused(client) -> None:
    response = await client.get("/api/users/me", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/users"), ("GET", "/api/users/1"), ("PATCH", "/api/users/1"),
     ("POST", "/api/messages"), ("GET", "/api/messages"), ("GET", "/api/messages/1"),
     ("POST", "/api/messages/1/read"), ("GET", "/api/conversations"),
     ("GET", "/api/conversations/1"), ("DELETE", "/api/auth/token")],
)  # fmt: skip
async def test_every_endpoint_but_health_and_registration_needs_a_token(
    client, method, path
) -> None:
    response = await client.request(method, path)
    assert response.status_code == 401


async def test_logout_revokes_the_token_at_once(client, ada: Student) -> None:
    assert (await client.get("/api/users/me", headers=ada.headers)).status_code == 200
    assert (await client.delete("/api/auth/token", headers=ada.headers)).status_code == 204
    after = await client.get("/api/users/me", headers=ada.headers)
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "invalid_token"


async def test_logout_revokes_only_that_token(client, ada: Student) -> None:
    other = (await login(client, "ada")).json()["access_token"]
    await client.delete("/api/auth/token", headers=ada.headers)
    response = await client.get("/api/users/me", headers={"Authorization": f"Bearer {other}"})
    assert response.status_code == 200


async def test_tokens_are_stored_hashed(app, client, ada: Student) -> None:
    from sqlalchemy import select

    from netsandbox.chat.models import tokens

    token = (await login(client, "ada")).json()["access_token"]
    async with app.state.chat.db.reading() as conn:
        stored = (await conn.execute(select(tokens.c.token_hash))).scalars().all()
    assert token not in stored
    assert all(len(digest) == 64 for digest in stored)


# --- registration ----------------------------------------------------------------------


async def register(client: httpx.AsyncClient, **fields):
    account = {"username": "grace", "password": "a-good-password", **fields}
    return await client.post("/api/auth/register", json=account)


async def test_open_registration_creates_an_account_that_can_log_in(client) -> None:
    response = await register(client, display_name="Grace Hopper")
    assert response.status_code == 201
    user = response.json()
    assert user["username"] == "grace"
    assert user["display_name"] == "Grace Hopper"
    assert user["role"] == "student"
    assert response.headers["location"] == f"/api/users/{user['id']}"
    assert (await login(client, "grace", "a-good-password")).status_code == 200


async def test_registration_defaults_the_display_name_to_the_username(client) -> None:
    assert (await register(client)).json()["display_name"] == "grace"


async def test_a_taken_username_is_a_409(client, ada: Student) -> None:
    response = await register(client, username="ada")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "username_taken"


@pytest.mark.parametrize(
    ("fields", "parameter"),
    [
        ({"username": "Grace"}, "username"),
        ({"username": "g"}, "username"),
        ({"username": "g" * 33}, "username"),
        ({"username": "grace hopper"}, "username"),
        ({"password": "short"}, "password"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 65}, "display_name"),
        ({"role": "teacher"}, "role"),
        ({"id": 1}, "id"),
    ],
)
async def test_registration_rules(client, fields, parameter) -> None:
    response = await register(client, **fields)
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == parameter


async def test_closed_registration_is_a_403(make_app_client) -> None:
    async with make_app_client(registration="closed") as client:
        response = await register(client)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "registration_closed"
    assert "teacher" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("join_code", "status", "code"),
    [(None, 403, "wrong_join_code"), ("nope", 403, "wrong_join_code"), ("blue-42", 201, None)],
)
async def test_registration_with_a_join_code(make_app_client, join_code, status, code) -> None:
    fields = {} if join_code is None else {"join_code": join_code}
    async with make_app_client(registration="code:blue-42") as client:
        response = await register(client, **fields)
    assert response.status_code == status
    if code:
        assert response.json()["error"]["code"] == code
