"""/status/{codes} and the redirect endpoints, followed (or not) by real clients."""

from __future__ import annotations

import pytest
import requests


@pytest.mark.parametrize("code", [200, 201, 204, 400, 403, 404, 500, 503])
def test_status_code_is_answered(base_url: str, code: int) -> None:
    assert requests.get(f"{base_url}/status/{code}", timeout=5).status_code == code


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_status_accepts_other_methods(base_url: str, method: str) -> None:
    out = requests.request(method, f"{base_url}/status/409", timeout=5)
    assert out.status_code == 409


def test_status_list_picks_among_the_codes(base_url: str) -> None:
    seen = {requests.get(f"{base_url}/status/201,202", timeout=5).status_code for _ in range(40)}
    assert seen == {201, 202}


def test_status_weight_zero_is_never_picked(base_url: str) -> None:
    codes = {
        requests.get(f"{base_url}/status/200:0,418:1", timeout=5).status_code for _ in range(10)
    }
    assert codes == {418}


def test_status_401_challenges_and_418_is_a_teapot(base_url: str) -> None:
    out = requests.get(f"{base_url}/status/401", timeout=5)
    assert out.headers["WWW-Authenticate"] == 'Basic realm="Fake Realm"'
    assert "teapot" in requests.get(f"{base_url}/status/418", timeout=5).text


def test_status_redirect_code_points_to_redirect(base_url: str) -> None:
    out = requests.get(f"{base_url}/status/301", allow_redirects=False, timeout=5)
    assert out.status_code == 301
    assert out.headers["Location"] == "/redirect/1"


@pytest.mark.parametrize("codes", ["abc", "99", "100", "600", "200,x", "200:-1", "200:0"])
def test_bad_status_codes_are_a_json_400(base_url: str, codes: str) -> None:
    out = requests.get(f"{base_url}/status/{codes}", timeout=5)
    assert out.status_code == 400
    error = out.json()["error"]
    assert error["code"] == "invalid_status_code"
    assert error["message"]


def test_redirect_chain_is_followed_to_get(base_url: str) -> None:
    out = requests.get(f"{base_url}/redirect/3", timeout=5)
    assert out.status_code == 200
    assert out.url == f"{base_url}/get"
    assert [r.status_code for r in out.history] == [302, 302, 302]
    assert [r.headers["Location"] for r in out.history] == [
        "/relative-redirect/2",
        "/relative-redirect/1",
        "/get",
    ]


def test_absolute_redirects_carry_full_urls(base_url: str) -> None:
    out = requests.get(f"{base_url}/redirect/2?absolute=true", timeout=5)
    assert out.url == f"{base_url}/get"
    assert out.history[0].headers["Location"] == f"{base_url}/absolute-redirect/1"
    single = requests.get(f"{base_url}/absolute-redirect/1", allow_redirects=False, timeout=5)
    assert single.headers["Location"] == f"{base_url}/get"


def test_redirect_not_followed_shows_the_target(base_url: str) -> None:
    out = requests.get(f"{base_url}/relative-redirect/1", allow_redirects=False, timeout=5)
    assert out.status_code == 302
    assert out.headers["Location"] == "/get"
    assert 'href="/get"' in out.text


def test_redirect_to_with_status_code(base_url: str) -> None:
    out = requests.get(
        f"{base_url}/redirect-to",
        params={"url": "/anything/here", "status_code": "307"},
        allow_redirects=False,
        timeout=5,
    )
    assert out.status_code == 307
    assert out.headers["Location"] == "/anything/here"


def test_redirect_to_keeps_the_body_on_307(base_url: str) -> None:
    out = requests.post(
        f"{base_url}/redirect-to?url=/post&status_code=307", data={"k": "v"}, timeout=5
    )
    assert out.json()["form"] == {"k": "v"}


def test_redirect_to_encodes_line_breaks(base_url: str) -> None:
    out = requests.get(
        f"{base_url}/redirect-to",
        params={"url": "/get\r\nX-Injected: 1"},
        allow_redirects=False,
        timeout=5,
    )
    assert out.status_code == 302
    assert "X-Injected" not in out.headers
    assert out.headers["Location"] == "/get%0D%0AX-Injected:%201"


def test_zero_redirects_is_a_json_422(base_url: str) -> None:
    out = requests.get(f"{base_url}/redirect/0", timeout=5)
    assert out.status_code == 422
    assert out.json()["error"]["code"] == "invalid_parameter"
