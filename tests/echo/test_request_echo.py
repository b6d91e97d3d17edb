"""The pure pieces of the echo: httpbin's shapes for args, headers, bodies and status lists."""

from __future__ import annotations

import pytest

from netsandbox.echo.request_echo import flatten, json_safe, parse_json, title_case_headers
from netsandbox.echo.responses import EchoJSON, redirect
from netsandbox.echo.routes.status import InvalidCodes, parse_codes


def test_flatten_keeps_single_values_and_lists_repeats() -> None:
    pairs = [("a", "1"), ("b", "2"), ("a", "3"), ("a", "4")]
    assert flatten(pairs) == {"a": ["1", "3", "4"], "b": "2"}
    assert flatten([]) == {}


def test_headers_title_cased_and_repeats_joined() -> None:
    raw = [(b"user-agent", b"x"), (b"x-trace-id", b"1"), (b"x-trace-id", b"2"), (b"dnt", b"1")]
    assert title_case_headers(raw) == {"User-Agent": "x", "X-Trace-Id": "1,2", "Dnt": "1"}


def test_json_safe_text_and_binary() -> None:
    assert json_safe("héllo".encode()) == "héllo"
    assert json_safe(b"\xff") == "data:application/octet-stream;base64,/w=="
    assert json_safe(b"\xff", "image/png") == "data:image/png;base64,/w=="


@pytest.mark.parametrize(
    ("body", "parsed"),
    [
        (b'{"a": [1, 2.5, null]}', {"a": [1, 2.5, None]}),
        (b"42", 42),
        (b"", None),
        (b"not json", None),
        (b"NaN", None),
        (b'{"a": Infinity}', None),
        (b"\xff", None),
        (b"[" * 100_000, None),
    ],
)
def test_parse_json(body: bytes, parsed: object) -> None:
    assert parse_json(body) == parsed


def test_echo_json_is_laid_out_like_httpbin() -> None:
    body = EchoJSON({"b": 1, "a": {"y": "é", "x": []}}).body
    assert body == b'{\n  "a": {\n    "x": [],\n    "y": "\\u00e9"\n  },\n  "b": 1\n}\n'


def test_redirect_percent_encodes_what_a_header_cannot_carry() -> None:
    response = redirect("/get?q=a b\r\nX: 1&city=Évry")
    assert response.headers["location"] == "/get?q=a%20b%0D%0AX:%201&city=%C3%89vry"
    assert response.status_code == 302
    assert b'href="/get?q=a%20b' in response.body


@pytest.mark.parametrize(
    ("text", "choices"),
    [
        ("404", [(404, 1.0)]),
        ("200,500", [(200, 1.0), (500, 1.0)]),
        ("200:0.9,500:0.1", [(200, 0.9), (500, 0.1)]),
        ("200:0,404", [(200, 0.0), (404, 1.0)]),
    ],
)
def test_parse_codes(text: str, choices: list[tuple[int, float]]) -> None:
    assert parse_codes(text) == choices


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "not a status code"),
        ("100", "between 200 and 599"),
        ("600", "between 200 and 599"),
        ("200:x", "not a status code"),
        ("200:-1", "weight"),
        ("200:nan", "weight"),
        ("200:inf", "weight"),
        ("200:0", "above 0"),
        ("", "not a status code"),
    ],
)
def test_parse_codes_refuses(text: str, reason: str) -> None:
    with pytest.raises(InvalidCodes, match=reason):
        parse_codes(text)
