"""Bodies of every kind, repeated keys, headers, methods, HEAD and wrong methods."""

from __future__ import annotations

import pytest
import requests


def test_repeated_query_args_become_lists(base_url: str) -> None:
    body = requests.get(
        f"{base_url}/get", params=[("a", "1"), ("a", "2"), ("b", "")], timeout=5
    ).json()
    assert body["args"] == {"a": ["1", "2"], "b": ""}


def test_non_ascii_query_is_decoded(base_url: str) -> None:
    body = requests.get(f"{base_url}/get", params={"ville": "Évry"}, timeout=5).json()
    assert body["args"] == {"ville": "Évry"}


def test_headers_are_echoed_title_cased(base_url: str) -> None:
    headers = {"x-course-step": "http", "DNT": "1"}
    body = requests.get(f"{base_url}/headers", headers=headers, timeout=5).json()
    assert body["headers"]["X-Course-Step"] == "http"
    assert body["headers"]["Dnt"] == "1"
    assert set(body) == {"headers"}


def test_json_body(base_url: str) -> None:
    payload = {"name": "Ada", "tags": ["math", 1843], "active": True}
    body = requests.post(f"{base_url}/post", json=payload, timeout=5).json()
    assert body["json"] == payload
    assert body["data"] == '{"name": "Ada", "tags": ["math", 1843], "active": true}'
    assert body["form"] == {}


def test_json_parsed_whatever_the_content_type(base_url: str) -> None:
    out = requests.put(f"{base_url}/put", data='{"a": 1}', headers={"Content-Type": "text/plain"})
    assert out.json()["json"] == {"a": 1}


def test_text_body_is_data_and_json_null(base_url: str) -> None:
    body = requests.patch(f"{base_url}/patch", data="just text", timeout=5).json()
    assert body["data"] == "just text"
    assert body["json"] is None


def test_binary_body_is_a_data_url(base_url: str) -> None:
    body = requests.post(f"{base_url}/post", data=b"\xff\x00\xfe", timeout=5).json()
    assert body["data"] == "data:application/octet-stream;base64,/wD+"


def test_repeated_form_fields_become_lists(base_url: str) -> None:
    body = requests.post(f"{base_url}/post", data={"x": ["1", "2"], "y": "3"}, timeout=5).json()
    assert body["form"] == {"x": ["1", "2"], "y": "3"}


def test_multipart_upload_fills_files_and_form(base_url: str) -> None:
    files = {
        "notes": ("notes.txt", b"first line\n", "text/plain"),
        "image": ("pixel.png", b"\x89PNG\r\n\x1a\n\x00", "image/png"),
    }
    out = requests.post(f"{base_url}/post", files=files, data={"title": "t"}, timeout=5)
    body = out.json()
    assert body["files"] == {
        "notes": "first line\n",
        "image": "data:image/png;base64,iVBORw0KGgoA",
    }
    assert body["form"] == {"title": "t"}
    assert body["data"] == ""
    assert body["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")


def test_malformed_multipart_is_a_json_400(base_url: str) -> None:
    out = requests.post(
        f"{base_url}/post",
        data=b"garbage",
        headers={"Content-Type": "multipart/form-data"},
        timeout=5,
    )
    assert out.status_code == 400
    assert "multipart" in out.json()["error"]["message"]


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"])
def test_anything_echoes_any_method(base_url: str, method: str) -> None:
    out = requests.request(method, f"{base_url}/anything/tasks/7?done=1", timeout=5)
    body = out.json()
    assert body["method"] == method
    assert body["url"] == f"{base_url}/anything/tasks/7?done=1"
    assert body["args"] == {"done": "1"}
    assert {"form", "files", "data", "json", "headers", "origin"} <= set(body)


def test_head_has_the_get_headers_and_no_body(base_url: str) -> None:
    get = requests.get(f"{base_url}/get", timeout=5)
    head = requests.head(f"{base_url}/get", timeout=5)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Type"] == "application/json"
    assert int(head.headers["Content-Length"]) == len(get.content)


def test_wrong_method_is_a_json_405(base_url: str) -> None:
    out = requests.post(f"{base_url}/get", timeout=5)
    assert out.status_code == 405
    assert out.headers["Content-Type"].startswith("application/json")
    assert out.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in out.headers["Allow"]


def test_unknown_path_is_a_json_404(base_url: str) -> None:
    out = requests.get(f"{base_url}/no/such/page", timeout=5)
    assert out.status_code == 404
    assert out.json()["error"]["code"] == "not_found"


def test_ip_and_user_agent(base_url: str) -> None:
    assert requests.get(f"{base_url}/ip", timeout=5).json() == {"origin": "127.0.0.1"}
    out = requests.get(f"{base_url}/user-agent", headers={"User-Agent": "student/1.0"}, timeout=5)
    assert out.json() == {"user-agent": "student/1.0"}


def test_cors_headers_and_preflight(base_url: str) -> None:
    origin = {"Origin": "http://localhost:8000"}
    out = requests.get(f"{base_url}/get", headers=origin, timeout=5)
    assert out.headers["Access-Control-Allow-Origin"] == "http://localhost:8000"
    preflight = requests.options(
        f"{base_url}/post",
        headers={**origin, "Access-Control-Request-Headers": "content-type"},
        timeout=5,
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "content-type"
