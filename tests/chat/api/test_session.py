"""/api/session and /api/tokens: the web client's cookie, its CSRF checks, and API tokens.

The cookie is sent by hand (a ``Cookie`` header) so that each test says exactly what the
browser would send.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from tests.chat.conftest import PASSWORD, Student

pytestmark = pytest.mark.usefixtures("app")

COOKIE = "netsandbox_session"
OTHER_SITE = "http://elsewhere.example"


@dataclass
class Browser:
    """A signed-in web client: its session cookie and CSRF token."""

    session: str
    csrf: str
    user: dict

    def headers(self, csrf: bool = True, **extra: str) -> dict[str, str]:
        headers = {"Cookie": f"{COOKIE}={self.session}", **extra}
        if csrf:
            headers["X-CSRF-Token"] = self.csrf
        return headers


async def sign_in(client: httpx.AsyncClient, username: str = "ada", **kw) -> Browser:
    response = await client.post(
        "/api/session", json={"username": username, "password": PASSWORD}, **kw
    )
    assert response.status_code == 200, response.text
    client.cookies.clear()  # the tests send the cookie themselves
    cookie = response.headers["set-cookie"]
    session = cookie.split(";", 1)[0].removeprefix(f"{COOKIE}=")
    body = response.json()
    return Browser(session, body["csrf_token"], body["user"])


# --- signing in --------------------------------------------------------------------------


async def test_sign_in_sets_an_httponly_strict_cookie(client, ada: Student) -> None:
    response = await client.post("/api/session", json={"username": "ada", "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    name_value, *attributes = [part.strip() for part in cookie.split(";")]
    assert name_value.startswith(f"{COOKIE}=") and len(name_value) > len(COOKIE) + 40
    assert sorted(attributes) == ["HttpOnly", "Path=/", "SameSite=Strict"]  # no Secure on http
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["user"]["id"] == ada.id and body["user"]["presence"] == "online"
    assert set(body) == {"user", "csrf_token"}
    session = name_value.split("=", 1)[1]
    assert body["csrf_token"] != session and session not in body["csrf_token"]


async def test_the_cookie_is_secure_over_https(app, ada: Student) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://chat.test") as client:
        response = await client.post("/api/session",
                                     json={"username": "ada", "password": PASSWORD})  # fmt: skip
    assert "; Secure" in response.headers["set-cookie"]


async def test_sign_in_accepts_a_form_too(client, ada: Student) -> None:
    response = await client.post("/api/session", data={"username": "ada", "password": PASSWORD})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "parameter"),
    [({"username": "ada"}, "password"), ({"username": "ada", "password": PASSWORD, "x": 1}, "x"),
     ({"username": "ada", "password": PASSWORD, "grant_type": None}, "grant_type"),
     ({"username": ["ada"], "password": PASSWORD}, "username")],
)  # fmt: skip
async def test_sign_in_checks_the_fields_as_login_does(client, ada, body, parameter) -> None:
    response = await client.post("/api/session", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == parameter


async def test_wrong_credentials_get_the_usual_401(client, ada: Student) -> None:
    response = await client.post("/api/session", json={"username": "ada", "password": "nope!"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert "set-cookie" not in response.headers


async def test_sign_in_from_another_site_is_refused(client, ada: Student) -> None:
    response = await client.post(
        "/api/session", json={"username": "ada", "password": PASSWORD},
        headers={"Origin": OTHER_SITE},
    )  # fmt: skip
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert "set-cookie" not in response.headers


async def test_failed_sign_ins_count_with_failed_logins(make_app_client, ada: Student) -> None:
    async with make_app_client(login_limit="2,900") as client:
        wrong = {"username": "ada", "password": "not-the-one"}
        assert (await client.post("/api/session", json=wrong)).status_code == 401
        assert (await client.post("/api/auth/token", data=wrong)).status_code == 401
        locked = await client.post("/api/session", json={"username": "ada", "password": PASSWORD})
    assert locked.status_code == 429
    assert "failed logins" in locked.json()["error"]["message"]


# --- using the session -------------------------------------------------------------------


async def test_get_session_tells_who_is_signed_in(client, ada: Student) -> None:
    browser = await sign_in(client)
    response = await client.get("/api/session", headers=browser.headers(csrf=False))
    assert response.status_code == 200
    body = response.json()
    assert (body["user"]["id"], body["csrf_token"]) == (ada.id, browser.csrf)
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer whatever"}])
async def test_get_session_without_the_cookie_is_a_401(client, headers) -> None:
    response = await client.get("/api/session", headers=headers)
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "missing_session"
    assert "POST /api/session" in error["message"]


async def test_the_cookie_works_wherever_a_token_does(client, ada: Student, bob: Student):
    browser = await sign_in(client)
    read = browser.headers(csrf=False)
    for path in ("/api/users", "/api/users/me", f"/api/users/{bob.id}", "/api/messages",
                 "/api/conversations", "/api/messages?routed=1"):  # fmt: skip
        assert (await client.get(path, headers=read)).status_code == 200, path
    sent = await client.post("/api/messages", json={"to": bob.id, "body": "from the page"},
                             headers=browser.headers())  # fmt: skip
    assert sent.status_code == 201 and sent.json()["from"] == ada.id
    patched = await client.patch("/api/users/me", json={"status": "in the browser"},
                                 headers=browser.headers())  # fmt: skip
    assert patched.status_code == 200 and patched.json()["status"] == "in the browser"
    reply = await client.post("/api/messages", json={"to": ada.id, "body": "hi"},
                              headers=bob.headers)  # fmt: skip
    marked = await client.post(f"/api/messages/{reply.json()['id']}/read",
                               headers=browser.headers())  # fmt: skip
    assert marked.status_code == 200 and marked.json()["read_at"] is not None


UNSAFE = [
    ("POST", "/api/messages", {"to": 1, "body": "forged"}),
    ("PATCH", "/api/users/me", {"status": "forged"}),
    ("POST", "/api/tokens", None),
    ("DELETE", "/api/session", None),
    ("DELETE", "/api/auth/token", None),
]


@pytest.mark.parametrize(("method", "path", "body"), UNSAFE)
@pytest.mark.parametrize(
    ("extra", "problem"),
    [({}, "must send the header X-CSRF-Token"), ({"X-CSRF-Token": "0" * 64}, "does not match"),
     ({"X-CSRF-Token": ""}, "must send the header X-CSRF-Token")],
)  # fmt: skip
async def test_unsafe_requests_with_the_cookie_need_the_csrf_token(
    client, ada: Student, method, path, body, extra, problem
) -> None:
    browser = await sign_in(client)
    response = await client.request(method, path, json=body,
                                    headers=browser.headers(csrf=False, **extra))  # fmt: skip
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "csrf_failed"
    assert problem in error["message"]
    # nothing happened: the session still works, the status is unchanged
    me = await client.get("/api/users/me", headers=browser.headers(csrf=False))
    assert me.status_code == 200 and me.json()["status"] == ""


FOREIGN = [OTHER_SITE, "null", "http://chat.test:8080", "https://chat.test.elsewhere.example",
           "http://[::1"]  # fmt: skip


@pytest.mark.parametrize("origin", FOREIGN)
async def test_a_foreign_origin_is_refused_even_with_the_csrf_token(client, ada, origin) -> None:
    browser = await sign_in(client)
    response = await client.patch("/api/users/me", json={"status": "forged"},
                                  headers=browser.headers(Origin=origin))  # fmt: skip
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "csrf_failed" and "another site" in error["message"]


@pytest.mark.parametrize("origin", ["http://chat.test", "https://chat.test", "http://CHAT.test:80"])
async def test_our_own_origin_is_accepted(client, ada: Student, origin: str) -> None:
    browser = await sign_in(client)
    response = await client.patch("/api/users/me", json={"status": "mine"},
                                  headers=browser.headers(Origin=origin))  # fmt: skip
    assert response.status_code == 200


async def test_bearer_requests_need_no_csrf_token(client, ada: Student, bob: Student) -> None:
    await sign_in(client)
    sent = await client.post("/api/messages", json={"to": bob.id, "body": "script"},
                             headers={**ada.headers, "Origin": OTHER_SITE})  # fmt: skip
    assert sent.status_code == 201
    patched = await client.patch("/api/users/me", json={"status": "x"}, headers=ada.headers)
    assert patched.status_code == 200


async def test_the_authorization_header_wins_over_the_cookie(client, ada, bob) -> None:
    browser = await sign_in(client)  # ada's session
    both = {**browser.headers(csrf=False), **bob.headers}
    assert (await client.get("/api/users/me", headers=both)).json()["id"] == bob.id
    # an unsafe request with a valid token needs no CSRF token, even with a cookie
    sent = await client.post("/api/messages", json={"to": ada.id, "body": "x"}, headers=both)
    assert sent.status_code == 201 and sent.json()["from"] == bob.id
    # a bad header is not rescued by a good cookie
    bad = {**browser.headers(), "Authorization": "Bearer not-a-token"}
    response = await client.get("/api/users/me", headers=bad)
    assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_token"
    # a good header is not spoiled by a garbled cookie
    garbled = {"Cookie": f"{COOKIE}=%%%; other=1", **bob.headers}
    assert (await client.get("/api/users/me", headers=garbled)).status_code == 200


@pytest.mark.parametrize(
    ("cookie", "problem"),
    [(f"{COOKIE}=%%%", "not one this server sets"),
     (f"{COOKIE}={'a' * 5000}", "not one this server sets"),
     (f"{COOKIE}=", "not one this server sets"),
     (f"{COOKIE}={'a' * 43}; {COOKIE}={'b' * 43}", "2 netsandbox_session cookies")],
)  # fmt: skip
async def test_a_malformed_cookie_is_explained(client, cookie: str, problem: str) -> None:
    response = await client.get("/api/users/me", headers={"Cookie": cookie})
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "malformed_session"
    assert problem in error["message"] and "POST /api/session" in error["message"]


async def test_an_unknown_session_or_an_api_token_in_the_cookie_is_refused(client, ada) -> None:
    for value in ("x" * 43, ada.token):  # an API token is not a session
        response = await client.get("/api/users/me", headers={"Cookie": f"{COOKIE}={value}"})
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_session"


async def test_other_cookies_are_ignored(client, ada: Student) -> None:
    browser = await sign_in(client)
    headers = {"Cookie": f"theme=dark; {COOKIE}={browser.session}; lang=fr"}
    assert (await client.get("/api/users/me", headers=headers)).status_code == 200
    no_session = await client.get("/api/users/me", headers={"Cookie": "theme=dark"})
    assert no_session.json()["error"]["code"] == "missing_token"


# --- signing out, API tokens -------------------------------------------------------------


async def test_sign_out_revokes_the_session_and_clears_the_cookie(client, ada: Student) -> None:
    browser = await sign_in(client)
    response = await client.delete("/api/session", headers=browser.headers())
    assert response.status_code == 204
    cleared = response.headers["set-cookie"]
    assert cleared.startswith(f"{COOKIE}=;") and "Max-Age=0" in cleared
    for path in ("/api/users/me", "/api/session"):
        after = await client.get(path, headers=browser.headers(csrf=False))
        assert after.status_code == 401
        assert after.json()["error"]["code"] == "invalid_session"
    again = await client.delete("/api/session", headers=browser.headers())
    assert again.status_code == 401


async def test_signing_out_one_session_keeps_the_others(client, ada: Student) -> None:
    first, second = await sign_in(client), await sign_in(client)
    assert first.csrf != second.csrf
    await client.delete("/api/session", headers=first.headers())
    assert (await client.get("/api/users/me", headers=second.headers())).status_code == 200
    assert (await client.get("/api/users/me", headers=ada.headers)).status_code == 200


async def test_an_api_token_works_and_outlives_the_session(client, ada: Student) -> None:
    browser = await sign_in(client)
    response = await client.post("/api/tokens", headers=browser.headers())
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer" and body["access_token"] != browser.session
    assert response.headers["cache-control"] == "no-store"
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    assert (await client.get("/api/users/me", headers=bearer)).json()["id"] == ada.id
    await client.delete("/api/session", headers=browser.headers())
    assert (await client.get("/api/users/me", headers=bearer)).status_code == 200
    # ... and it is revoked like any token, and it is no session
    as_cookie = {"Cookie": f"{COOKIE}={body['access_token']}"}
    not_a_session = await client.get("/api/session", headers=as_cookie)
    assert not_a_session.json()["error"]["code"] == "invalid_session"
    assert (await client.delete("/api/auth/token", headers=bearer)).status_code == 204
    assert (await client.get("/api/users/me", headers=bearer)).status_code == 401


async def test_a_token_can_ask_for_another_token(client, ada: Student) -> None:
    response = await client.post("/api/tokens", headers=ada.headers)
    assert response.status_code == 201
    assert response.json()["access_token"] != ada.token


async def test_sessions_are_stored_hashed_and_marked(app, client, ada: Student) -> None:
    from sqlalchemy import select

    from netsandbox.chat.models import tokens

    browser = await sign_in(client)
    async with app.state.chat.db.reading() as conn:
        rows = (await conn.execute(select(tokens.c.token_hash, tokens.c.kind))).all()
    assert browser.session not in {digest for digest, _ in rows}
    assert sorted(kind for _, kind in rows) == ["bearer", "session"]  # ada's token, the session


# --- rate limits -------------------------------------------------------------------------


async def test_cookie_users_are_rate_limited_with_their_tokens(make_app_client, ada) -> None:
    async with make_app_client(rate_limit="1,5") as client:
        browser = await sign_in(client)
        codes = [(await client.get("/api/users/me", headers=browser.headers(csrf=False))
                  ).status_code for _ in range(8)]  # fmt: skip
        refused = await client.get("/api/users", headers=browser.headers(csrf=False))
        # the same user with a token: one bucket (the token's first call fills its cache)
        with_token = [(await client.get("/api/users/me", headers=ada.headers)).status_code
                      for _ in range(2)]  # fmt: skip
    assert codes.count(200) in (5, 6)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert int(refused.headers["retry-after"]) >= 1
    assert with_token[-1] == 429


# --- what the page needs to know -----------------------------------------------------------


async def test_info_needs_no_token(client) -> None:
    response = await client.get("/api/info")
    assert response.status_code == 200
    assert response.json() == {
        "service": "netsandbox chat", "version": response.json()["version"],
        "registration": "open", "max_message_length": 2000, "max_status_length": 140,
        "max_display_name_length": 64,
    }  # fmt: skip


@pytest.mark.parametrize(("mode", "shown"), [("closed", "closed"), ("code:blue-42", "code")])
async def test_info_tells_the_registration_mode_not_the_code(make_app_client, mode, shown):
    async with make_app_client(registration=mode) as client:
        info = (await client.get("/api/info")).json()
    assert info["registration"] == shown
    assert "blue-42" not in str(info)
