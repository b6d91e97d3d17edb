"""The service in-process: bytes in through its reader, a Reply (or an awaitable one) out."""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

import pytest

from netsandbox.contacts.framing import MAX_REQUEST_BYTES, RequestFramer
from netsandbox.contacts.protocol import parse_request
from netsandbox.contacts.server import (
    KNOWN_REQUEST_BYTES,
    KNOWN_REQUESTS,
    ContactsService,
    failure,
)
from netsandbox.contacts.store import EXAMPLES, ContactStore
from netsandbox.core.errors import ServiceError
from netsandbox.core.tcp import Reply
from tests.contacts.test_hostile import BAD_REQUESTS


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[ContactsService]:
    service = ContactsService(ContactStore.open(tmp_path / "contacts.sqlite3"), deadline=10)
    yield service
    await service.close()


async def ask(service: ContactsService, payload: bytes) -> tuple[Reply, dict]:
    outcome = service.reader().feed(payload)
    assert outcome is not None
    reply = await outcome if inspect.isawaitable(outcome) else outcome
    return reply, json.loads(reply.data)


async def test_reads_are_answered_without_waiting(service: ContactsService) -> None:
    outcome = service.reader().feed(b'{"cmd": "list"}')
    assert isinstance(outcome, Reply)
    assert json.loads(outcome.data)["data"] == EXAMPLES
    assert (outcome.request, outcome.outcome) == ("list", "ok")


async def test_writes_are_answered_once_committed(service: ContactsService) -> None:
    outcome = service.reader().feed(b'{"cmd": "add", "args": {"name": "Zo", "mail": "z@x.org"}}')
    assert inspect.isawaitable(outcome)
    reply = await outcome
    assert json.loads(reply.data)["data"] == {"Zo": "z@x.org"}
    assert service.store.get("Zo") == "z@x.org"


async def test_removing_an_unknown_name_suggests_the_right_case(service: ContactsService) -> None:
    reply, body = await ask(service, b'{"cmd": "remove", "args": {"name": "alice martin"}}')
    assert reply.outcome == "error not_found"
    assert "did you mean 'Alice Martin'?" in body["msg"]


async def test_a_request_in_pieces_is_answered_on_the_last_piece(
    service: ContactsService,
) -> None:
    reader = service.reader()
    assert reader.feed(b'{"cmd": "get", ') is None
    reply = reader.feed(b'"args": {"name": "Bruno Petit"}}\n')
    assert isinstance(reply, Reply)
    assert json.loads(reply.data)["data"] == {"Bruno Petit": EXAMPLES["Bruno Petit"]}


async def test_end_of_input_is_answered_with_an_error(service: ContactsService) -> None:
    reader = service.reader()
    reader.feed(b'{"cmd"')
    reply = reader.end("deadline")
    assert reply.outcome == "error incomplete_request"
    assert "10 s after connecting" in json.loads(reply.data)["msg"]


async def test_busy_reply_is_a_json_error(service: ContactsService) -> None:
    body = json.loads(service.busy_reply())
    assert body["status"] is False
    assert body["error"]["code"] == "busy"


def framed(service: ContactsService, payload: bytes) -> Reply | Awaitable[Reply] | None:
    """The path every request takes when its first read is not one whole request."""
    try:
        raw = RequestFramer().feed(payload)
    except ServiceError as error:
        return failure("invalid", error, early=True)
    if raw is None:
        return None
    try:
        return service.handle(parse_request(raw))
    except ServiceError as error:
        return failure("invalid", error)


SAME_EITHER_WAY = [
    *(payload[:MAX_REQUEST_BYTES] for payload, _ in BAD_REQUESTS.values()),
    b'{"cmd": "list", "args": {}}',
    b'  \r\n{"cmd":"list"}\n\n',
    b'{"cmd": "help"}',
    b'{"cmd": "get", "args": {"name": "Alice Martin"}}',
    b'{"cmd": "get", "args": {"name": "alice martin"}}',
    b'{"cmd": "search", "args": {"query": "MART"}}',
    b'{"cmd": "get", "args": {"name": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}}',
    b'{"a": ' * 32 + b"1" + b"}" * 32,
    b'{"a": ' * 33 + b"1" + b"}" * 33,
    b'{"cmd": "list", "args": {}}  x',
    b'{"cmd": "list", "args": {}',
    b'{"cmd": "list", "cmd": "help"}',
    b'{"cmd": "\\u006cist"}',
    b'{"cmd": "get", "args": {"name": "Zo\xc3\xa9"}}',
    b'{"cmd": "list", "args": {"x": NaN}} {"cmd": "list"}',
    b'{"cmd": "list",\x00 "args": {}}',
    b"\xef\xbb\xbf" + b'{"cmd": "list"}',
    b'{"cmd": "add", "args": {"name": "Zoe", "mail": "not a mail"}}',
    b"\n",
    b"",
]


@pytest.mark.parametrize("payload", SAME_EITHER_WAY)
async def test_a_whole_first_read_gets_the_reply_the_framer_would_give(
    service: ContactsService, payload: bytes
) -> None:
    direct, through_framer = service.reader().feed(payload), framed(service, payload)
    if through_framer is None:
        assert direct is None
    else:
        assert direct == through_framer


async def test_a_repeated_list_sees_every_change(service: ContactsService) -> None:
    payload = b'{"cmd": "list", "args": {}}'
    before, _ = await ask(service, payload)
    await ask(service, b'{"cmd": "add", "args": {"name": "Zo", "mail": "z@x.org"}}')
    _, body = await ask(service, payload)
    assert "Zo" not in json.loads(before.data)["data"]
    assert body["data"]["Zo"] == "z@x.org"


async def test_requests_kept_once_parsed_are_bounded(service: ContactsService) -> None:
    for n in range(KNOWN_REQUESTS * 2):
        await ask(service, json.dumps({"cmd": "get", "args": {"name": f"n{n}"}}).encode())
    long_name = "x" * KNOWN_REQUEST_BYTES
    await ask(service, json.dumps({"cmd": "get", "args": {"name": long_name}}).encode())
    assert 0 < len(service._known) <= KNOWN_REQUESTS
    assert all(len(data) <= KNOWN_REQUEST_BYTES for data in service._known)
