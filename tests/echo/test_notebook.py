"""The course's three httpbin calls, with the echo service standing in for httpbin.org."""

from __future__ import annotations

import requests


def test_get_with_query_string(base_url: str) -> None:
    out = requests.get(f"{base_url}/get?a=10&b=100", timeout=5)
    assert out.status_code == 200
    assert out.headers["Content-Type"] == "application/json"
    body = out.json()
    assert set(body) == {"args", "headers", "origin", "url"}
    assert body["args"] == {"a": "10", "b": "100"}
    assert body["origin"] == "127.0.0.1"
    assert body["url"] == f"{base_url}/get?a=10&b=100"
    assert body["headers"]["User-Agent"].startswith("python-requests/")
    assert body["headers"]["Host"] == base_url.removeprefix("http://")


def test_printed_like_httpbin(base_url: str) -> None:
    text = requests.get(f"{base_url}/get", timeout=5).content.decode()
    assert text.startswith('{\n  "args": {},\n  "headers": {\n    "Accept": "*/*",')
    assert text.endswith('"url": "' + base_url + '/get"\n}\n')


def test_post_form(base_url: str) -> None:
    form = {"name": "Ada Lovelace", "mail": "ada@example.org"}
    out = requests.post(f"{base_url}/post", data=form, timeout=5)
    assert out.status_code == 200
    body = out.json()
    assert set(body) == {"args", "data", "files", "form", "headers", "json", "origin", "url"}
    assert body["form"] == form
    assert body["data"] == ""
    assert body["files"] == {}
    assert body["json"] is None
    assert body["args"] == {}
    assert body["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert body["url"] == f"{base_url}/post"


def test_delete(base_url: str) -> None:
    out = requests.delete(f"{base_url}/delete", timeout=5)
    assert out.status_code == 200
    body = out.json()
    assert set(body) == {"args", "data", "files", "form", "headers", "json", "origin", "url"}
    assert (body["args"], body["data"], body["files"], body["form"]) == ({}, "", {}, {})
    assert body["json"] is None
    assert body["url"] == f"{base_url}/delete"
