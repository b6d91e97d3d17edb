"""The service in-process: bytes in through its reader, a Reply (or an awaitable one) out."""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from netsandbox.contacts.server import ContactsService
from netsandbox.contacts.store import EXAMPLES, ContactStore
from netsandbox.core.tcp import Reply


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
