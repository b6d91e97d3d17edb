"""Request checks and replies: complete request bytes in, a Request or a ServiceError out."""

from __future__ import annotations

import json

import pytest

from netsandbox.contacts.protocol import (
    COMMANDS,
    Request,
    check_mail,
    encode_error,
    encode_reply,
    parse_request,
)
from netsandbox.core.errors import ServiceError, error_body


def error_for(raw: bytes) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        parse_request(raw)
    return caught.value


def test_args_default_to_empty() -> None:
    assert parse_request(b'{"cmd": "list"}') == Request("list", {})


def test_add_arguments_are_trimmed() -> None:
    raw = json.dumps({"cmd": "add", "args": {"name": "  Zoé ", "mail": " zoe@example.org\n"}})
    assert parse_request(raw.encode()) == Request("add", {"name": "Zoé", "mail": "zoe@example.org"})


def test_search_accepts_an_empty_query() -> None:
    assert parse_request(b'{"cmd": "search", "args": {"query": ""}}').args == {"query": ""}


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        (b'{"cmd": "nope"}', "unknown_command", "help, list, add, get, remove, search"),
        (b'{"args": {}}', "invalid_request", 'has no "cmd"'),
        (b'{"cmd": 3}', "invalid_request", '"cmd" that is a number'),
        (b'{"cmd": "list", "extra": 1}', "invalid_request", "unknown field 'extra'"),
        (b'{"cmd": "list", "args": []}', "invalid_request", '"args" must be an object'),
        (b'{"cmd": "list", "args": {"x": "1"}}', "unknown_argument", "takes no arguments"),
        (b'{"cmd": "get", "args": {}}', "missing_argument", "needs the argument 'name'"),
        (b'{"cmd": "get", "args": {"name": null}}', "invalid_argument", "not null"),
        (
            b'{"cmd": "add", "args": {"name": "a", "mail": "a@b.org", "tel": "1"}}',
            "unknown_argument",
            "it takes name, mail",
        ),
        (b'{"cmd": "add", "args": {"name": "a", "mail": ["x"]}}', "invalid_argument", "an array"),
        (b'{"cmd": "add", "args": {"name": " ", "mail": "a@b.org"}}', "invalid_argument", "empty"),
        (
            b'{"cmd": "add", "args": {"name": "a\\nb", "mail": "a@b.org"}}',
            "invalid_argument",
            "control character",
        ),
        (b'{"cmd": "add", "args": {"name": "a", "mail": "nope"}}', "invalid_argument", "e-mail"),
        (
            b'{"cmd": "add", "args": {"name": "a\\ud800", "mail": "a@b.org"}}',
            "invalid_argument",
            "lone surrogate",
        ),
        (b'{"cmd": "list", "args": {"x": NaN}}', "invalid_json", "NaN is not valid JSON"),
        (b'{"cmd": "list", "args": {"x": -Infinity}}', "invalid_json", "-Infinity"),
        (b'{"cmd": "list", "n": ' + b"9" * 5000 + b"}", "invalid_json", "thousands of digits"),
        (b"{'cmd': 'list'}", "invalid_json", "double quotes"),
        (b'{"cmd": "list",}', "invalid_json", "line 1 column"),
    ],
)
def test_bad_requests_say_what_to_fix(raw: bytes, code: str, words: str) -> None:
    error = error_for(raw)
    assert error.code == code
    assert words in error.message


def test_overlong_name_is_refused() -> None:
    raw = json.dumps({"cmd": "get", "args": {"name": "x" * 101}}).encode()
    assert "at most 100" in error_for(raw).message


@pytest.mark.parametrize(
    "mail", ["basile.marchand@mines-paristech.fr", "a+tag@sub.example.org", "zoé@exemple.fr"]
)
def test_mail_addresses_accepted(mail: str) -> None:
    assert check_mail(mail) == mail


@pytest.mark.parametrize(
    "mail",
    ["", "plain", "a@b", "a@@b.org", "a b@c.org", "a@b..org", "@b.org", "x" * 250 + "@b.org"],
)
def test_mail_addresses_refused(mail: str) -> None:
    with pytest.raises(ServiceError) as caught:
        check_mail(mail)
    assert caught.value.code == "invalid_argument"
    assert caught.value.details == {"field": "mail"}


def test_every_command_is_documented() -> None:
    assert set(COMMANDS) == {"help", "list", "add", "get", "remove", "search"}
    assert all(spec.description for spec in COMMANDS.values())


def test_reply_is_one_ascii_json_line() -> None:
    raw = encode_reply("ok", {"Zoé 漢字": "zoe@example.org"})
    assert raw.endswith(b"\n")
    assert raw.isascii()
    assert json.loads(raw) == {"status": True, "msg": "ok", "data": {"Zoé 漢字": "zoe@example.org"}}


def test_error_reply_is_the_course_envelope_plus_the_common_error_shape() -> None:
    error = ServiceError("not_found", "no contact named 'Zoé'", name="Zoé")
    raw = encode_error(error)
    assert raw.isascii()
    assert json.loads(raw) == {
        "status": False,
        "msg": "no contact named 'Zoé'",
        "data": None,
        **error_body("not_found", "no contact named 'Zoé'", name="Zoé"),
    }
