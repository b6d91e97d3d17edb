"""Rate limits through the API: per user, per username and address for logins, per address
for registrations; each 429 carries Retry-After and a JSON message."""

from __future__ import annotations

import pytest

from tests.chat.conftest import PASSWORD, Student

pytestmark = pytest.mark.usefixtures("app")


async def test_a_user_over_the_rate_gets_429_and_others_do_not(make_app_client, ada, bob):
    async with make_app_client(rate_limit="1,5") as client:
        codes = [(await client.get("/api/users/me", headers=ada.headers)).status_code
                 for _ in range(8)]  # fmt: skip
        refused = await client.get("/api/users/me", headers=ada.headers)
        # bob shares ada's address (one school NAT) and is not limited by her loop
        others = await client.get("/api/users/me", headers=bob.headers)
    assert codes.count(200) in (5, 6)  # the burst (plus the uncounted first, cache-filling call)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    error = refused.json()["error"]
    assert error["code"] == "too_many_requests"
    assert "per second" in error["message"]
    assert others.status_code == 200


async def test_rate_limits_can_be_turned_off(make_app_client, ada: Student) -> None:
    async with make_app_client(rate_limit="off") as client:
        codes = {(await client.get("/api/users/me", headers=ada.headers)).status_code
                 for _ in range(80)}  # fmt: skip
    assert codes == {200}


async def test_failed_logins_lock_that_username_from_that_address(make_app_client, ada, bob):
    async with make_app_client(login_limit="3,900") as client:
        for _ in range(3):
            wrong = await client.post("/api/auth/token", data={"username": "ada", "password": "no"})
            assert wrong.status_code == 401
        locked = await client.post("/api/auth/token",
                                   data={"username": "ada", "password": PASSWORD})  # fmt: skip
        other_user = await client.post("/api/auth/token",
                                       data={"username": "bob", "password": PASSWORD})  # fmt: skip
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 800
    assert "failed logins" in locked.json()["error"]["message"]
    assert other_user.status_code == 200


async def test_a_successful_login_clears_earlier_failures(make_app_client, ada) -> None:
    async with make_app_client(login_limit="2,900") as client:
        await client.post("/api/auth/token", data={"username": "ada", "password": "no"})
        ok = await client.post("/api/auth/token", data={"username": "ada", "password": PASSWORD})
        await client.post("/api/auth/token", data={"username": "ada", "password": "no"})
        still_ok = await client.post("/api/auth/token",
                                     data={"username": "ada", "password": PASSWORD})  # fmt: skip
    assert (ok.status_code, still_ok.status_code) == (200, 200)


async def test_registrations_per_address(make_app_client) -> None:
    async with make_app_client(registration="open", registration_limit="2,3600") as client:
        codes = [
            (await client.post("/api/auth/register",
                               json={"username": f"user{n}", "password": "long-password"})
             ).status_code
            for n in range(3)
        ]  # fmt: skip
    assert codes == [201, 201, 429]
