"""The contacts protocol: commands, request checks and replies, as pure functions.

A request is one JSON object ``{"cmd": ..., "args": {...}}`` (``framing`` finds its end);
``parse_request`` turns its bytes into a checked ``Request``; ``encode_reply`` and
``encode_error`` build the one reply, ``{"status", "msg", "data"}``. Every problem is a
``ServiceError`` whose message tells the student what to fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from netsandbox.contacts.framing import EXAMPLE, MAX_DEPTH
from netsandbox.core.errors import ServiceError

MAX_NAME_CHARS = 100
MAX_MAIL_CHARS = 254


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command: the arguments it takes (all strings) and what it does."""

    args: tuple[str, ...]
    description: str


COMMANDS: dict[str, CommandSpec] = {
    "help": CommandSpec((), "list the commands and their arguments"),
    "list": CommandSpec((), "every contact, as data {name: mail}"),
    "add": CommandSpec(("name", "mail"), "add a contact, or update the mail of an existing one"),
    "get": CommandSpec(("name",), "one contact, as data {name: mail}"),
    "remove": CommandSpec(("name",), "delete a contact"),
    "search": CommandSpec(
        ("query",), "contacts whose name or mail contains query (any case), as data {name: mail}"
    ),
}


@dataclass(frozen=True, slots=True)
class Request:
    """A request that passed every check: a known command and its cleaned-up arguments."""

    cmd: str
    args: dict[str, str]


def parse_request(raw: bytes) -> Request:
    """Decode and check one complete request; raises ``ServiceError`` saying what to fix."""
    text = raw.decode("utf-8")  # the framer has checked it
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        hint = ""
        if "'" in text and "double quotes" in exc.msg:
            hint = " (JSON strings use double quotes: send json.dumps(request), not str(request))"
        raise ServiceError(
            "invalid_json",
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}{hint}",
        ) from None
    except ValueError:  # only int() raises it: a number past Python's digit limit
        raise ServiceError(
            "invalid_json",
            "the request contains a number with thousands of digits: no argument is a "
            "number, send strings",
        ) from None
    return check_request(value)


def parse_whole(data: bytes) -> Request | None:
    """The request in ``data`` when it is exactly one JSON object, else None: frame it then.

    Why: most clients send their whole request at once, and scanning it with the framer
    before parsing it cost more than the rest of the request together. This tries one parse
    of the bytes as they came; only a success is answered from it (a request that is then
    checked and refused gets the same error either way). Anything else, a parse error,
    an object not yet complete, bytes after it, or more brackets than the framer allows
    nesting (counted without regard to strings, so never too few), goes to the framer and
    ``parse_request``, which tell the student exactly what is wrong, in the same order.
    """
    if data.count(b"{") + data.count(b"[") > MAX_DEPTH:
        return None
    try:
        value = _DECODER.decode(data.decode("utf-8"))
    except (ValueError, ServiceError):  # UnicodeDecodeError and JSONDecodeError included
        return None
    if type(value) is not dict:
        return None
    return check_request(value)


def _reject_constant(name: str) -> Any:
    raise ServiceError(
        "invalid_json",
        f"{name} is not valid JSON (json.dumps writes it only when allow_nan is on): "
        "every argument is a string",
    )


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def check_request(value: Any) -> Request:
    """Check a decoded request against ``COMMANDS`` and clean up its arguments."""
    if not isinstance(value, dict):
        raise ServiceError("not_a_json_object", f"a request must be a JSON object like {EXAMPLE}")
    unknown = sorted(set(value) - {"cmd", "args"})
    if unknown:
        raise ServiceError(
            "invalid_request",
            f'unknown field {unknown[0]!r} in the request: a request has only "cmd" and '
            f'"args", like {{"cmd": "add", "args": {{"name": "...", "mail": "..."}}}}',
            field=unknown[0],
        )
    cmd = value.get("cmd")
    if not isinstance(cmd, str):
        problem = 'has no "cmd"' if cmd is None else f'has a "cmd" that is {_json_type(cmd)}'
        raise ServiceError(
            "invalid_request",
            f'the request {problem}: "cmd" must be the command\'s name as a string, one of '
            f"{_command_list()}",
            field="cmd",
        )
    spec = COMMANDS.get(cmd)
    if spec is None:
        raise ServiceError(
            "unknown_command",
            f"unknown command {cmd!r}: the commands are {_command_list()} "
            '(send {"cmd": "help"} to see their arguments)',
            allowed=list(COMMANDS),
        )
    args = value.get("args", {})
    if not isinstance(args, dict):
        raise ServiceError(
            "invalid_request",
            f'"args" must be an object of named arguments, not {_json_type(args)}: {_usage(cmd)}',
            field="args",
        )
    return Request(cmd, _check_args(cmd, spec, args))


def _check_args(cmd: str, spec: CommandSpec, args: dict[str, Any]) -> dict[str, str]:
    for name in args:
        if name not in spec.args:
            takes = f"takes {', '.join(spec.args)}" if spec.args else "takes no arguments"
            raise ServiceError(
                "unknown_argument",
                f"{cmd} has no argument {name!r}: it {takes} ({_usage(cmd)})",
                field=name,
            )
    checked = {}
    for name in spec.args:
        if name not in args:
            raise ServiceError(
                "missing_argument",
                f"{cmd} needs the argument {name!r} (a string): {_usage(cmd)}",
                field=name,
            )
        value = args[name]
        if not isinstance(value, str):
            raise ServiceError(
                "invalid_argument",
                f"the argument {name!r} must be a string, not {_json_type(value)}",
                field=name,
            )
        if not value.isascii() and _LONE_SURROGATE.search(value):
            raise ServiceError(
                "invalid_argument",
                f"the argument {name!r} contains a lone surrogate escape (\\ud800 to \\udfff "
                "without its pair), which is not a character: remove it",
                field=name,
            )
        checked[name] = _ARG_CHECKS[name](value)
    return checked


def check_name(value: str) -> str:
    """A contact name: trimmed, not empty, at most 100 characters, no control characters."""
    name = value.strip()
    if not name:
        raise ServiceError("invalid_argument", "the name is empty: give a name", field="name")
    if len(name) > MAX_NAME_CHARS:
        raise ServiceError(
            "invalid_argument",
            f"the name is {len(name)} characters long; at most {MAX_NAME_CHARS} are allowed",
            field="name",
        )
    if _CONTROL.search(name):
        raise ServiceError(
            "invalid_argument",
            "the name contains a control character (a newline, a tab...): remove it",
            field="name",
        )
    return name


# Something@domain.tld: no spaces, one @, a dot in the domain. Deliverability is not our job.
_MAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# JSON can spell half a UTF-16 pair ("\ud800"); such a string cannot be stored as UTF-8.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def check_mail(value: str) -> str:
    """An e-mail address: trimmed, at most 254 characters, shaped like ``someone@example.org``."""
    mail = value.strip()
    if len(mail) > MAX_MAIL_CHARS:
        raise ServiceError(
            "invalid_argument",
            f"the mail is {len(mail)} characters long; at most {MAX_MAIL_CHARS} are allowed",
            field="mail",
        )
    if not _MAIL.fullmatch(mail):
        raise ServiceError(
            "invalid_argument",
            f"{mail!r} is not an e-mail address: expected something like someone@example.org",
            field="mail",
        )
    return mail


def check_query(value: str) -> str:
    """A search query: trimmed, at most 254 characters; empty matches every contact."""
    query = value.strip()
    if len(query) > MAX_MAIL_CHARS:
        raise ServiceError(
            "invalid_argument",
            f"the query is {len(query)} characters long; at most {MAX_MAIL_CHARS} are allowed",
            field="query",
        )
    return query


_ARG_CHECKS = {"name": check_name, "mail": check_mail, "query": check_query}


def _usage(cmd: str) -> str:
    args = ", ".join(f'"{name}": "..."' for name in COMMANDS[cmd].args)
    return f'send {{"cmd": "{cmd}", "args": {{{args}}}}}'


def _command_list() -> str:
    return ", ".join(COMMANDS)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a string"


def encode_reply(msg: str, data: Any) -> bytes:
    """A success reply, newline-terminated.

    ASCII only (``ensure_ascii``): the course's client decodes each ``recv(1024)`` chunk on
    its own, which would fail on a multi-byte character cut in two by a chunk boundary.
    """
    return _encode({"status": True, "msg": msg, "data": data})


def encode_error(error: ServiceError) -> bytes:
    """The failure reply: the course's envelope plus the common error object."""
    return _encode({"status": False, "msg": error.message, "data": None, **error.body()})


def _encode(reply: dict[str, Any]) -> bytes:
    return (json.dumps(reply, ensure_ascii=True) + "\n").encode("ascii")
