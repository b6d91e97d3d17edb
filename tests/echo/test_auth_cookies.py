"""Basic and Bearer authentication, and cookies kept by a requests.Session."""

from __future__ import annotations

import requests


def test_basic_auth_accepts_the_right_credentials(base_url: str) -> None:
    out = requests.get(f"{base_url}/basic-auth/ada/s3cret", auth=("ada", "s3cret"), timeout=5)
    assert out.status_code == 200
    assert out.json() == {"authenticated": True, "user": "ada"}


def test_basic_auth_refuses_wrong_or_missing_credentials(base_url: str) -> None:
    for auth in (("ada", "wrong"), ("bob", "s3cret"), None):
        out = requests.get(f"{base_url}/basic-auth/ada/s3cret", auth=auth, timeout=5)
        assert out.status_code == 401
        assert out.headers["WWW-Authenticate"] == 'Basic realm="Fake Realm"'
        assert out.json()["error"]["code"] == "unauthorized"


def test_basic_auth_garbage_header_is_401(base_url: str) -> None:
    headers = {"Authorization": "Basic !!!not-base64"}
    out = requests.get(f"{base_url}/basic-auth/a/b", headers=headers, timeout=5)
    assert out.status_code == 401


def test_hidden_basic_auth_answers_404(base_url: str) -> None:
    assert requests.get(f"{base_url}/hidden-basic-auth/a/b", timeout=5).status_code == 404
    out = requests.get(f"{base_url}/hidden-basic-auth/a/b", auth=("a", "b"), timeout=5)
    assert out.json() == {"authenticated": True, "user": "a"}


def test_bearer(base_url: str) -> None:
    out = requests.get(f"{base_url}/bearer", timeout=5)
    assert out.status_code == 401
    assert out.headers["WWW-Authenticate"] == "Bearer"
    headers = {"Authorization": "Bearer abc123"}
    out = requests.get(f"{base_url}/bearer", headers=headers, timeout=5)
    assert out.json() == {"authenticated": True, "token": "abc123"}


def test_cookies_round_trip_in_a_session(base_url: str) -> None:
    with requests.Session() as session:
        out = session.get(f"{base_url}/cookies/set?lang=fr&theme=dark", timeout=5)
        assert out.url == f"{base_url}/cookies"
        assert out.json() == {"cookies": {"lang": "fr", "theme": "dark"}}
        session.get(f"{base_url}/cookies/set/level/3", timeout=5)
        out = session.get(f"{base_url}/cookies/delete?lang", timeout=5)
        assert out.json() == {"cookies": {"level": "3", "theme": "dark"}}


def test_cookies_shows_what_was_sent(base_url: str) -> None:
    out = requests.get(f"{base_url}/cookies", cookies={"a": "1"}, timeout=5)
    assert out.json() == {"cookies": {"a": "1"}}


def test_set_cookie_header_and_redirect(base_url: str) -> None:
    out = requests.get(f"{base_url}/cookies/set?k=v", allow_redirects=False, timeout=5)
    assert out.status_code == 302
    assert out.headers["Location"] == "/cookies"
    assert out.headers["Set-Cookie"].startswith("k=v; Path=/")


def test_invalid_cookie_name_is_a_json_400(base_url: str) -> None:
    out = requests.get(f"{base_url}/cookies/set", params={"a b;": "1"}, timeout=5)
    assert out.status_code == 400
    assert out.json()["error"]["code"] == "invalid_cookie"
