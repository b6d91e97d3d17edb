"""Schemathesis over the chat API's own OpenAPI document, against a real server process.

Requests are generated from the document (valid ones and broken ones, boundary values,
undocumented methods) and every answer is checked: never a 5xx, and always what the document
promises (status, content type, body schema, headers, Allow on 405). Examples are bounded so
the run takes seconds.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from netsandbox.chat.app import create_app
from netsandbox.chat.settings import ChatSettings
from tests.chat.live import base_url, register_and_log_in, running_chat
from tests.conftest import ServiceProcess

PASSWORD = "fuzzing-password"
MAX_EXAMPLES = 15
LOGOUT = ("DELETE", "/api/auth/token")
SEND = ("POST", "/api/messages")


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    # No rate limits: a fuzzer is one user making thousands of requests as fast as it can
    # (the limits have their own tests).
    with running_chat(
        tmp_path_factory.mktemp("chat-fuzz"), "--registration", "open", "--rate-limit", "off",
        "--login-limit", "off", "--registration-limit", "off",
    ) as service:  # fmt: skip
        yield service


@pytest.fixture(scope="module")
def sent_keys() -> dict[str, str]:
    """Idempotency-Key -> the message first sent with it."""
    return {}


@pytest.fixture(scope="module")
def fuzzer(chat: ServiceProcess) -> dict[str, str]:
    """The user every generated request is sent as."""
    return {"Authorization": f"Bearer {register_and_log_in(chat, 'fuzzer', PASSWORD)}"}


@pytest.fixture(scope="module")
def friend(chat: ServiceProcess) -> int:
    """The id of a user to send messages to."""
    token = register_and_log_in(chat, "friend", PASSWORD)
    me = requests.get(f"{base_url(chat)}/api/users/me",
                      headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip
    return me.json()["id"]


def chat_document() -> dict[str, Any]:
    """The document the server serves, built in-process: the tests are made from it when
    pytest collects them, before any server runs (schemathesis' loader that waits for a
    fixture does not work with pytest 9.2). The first test checks that the running server
    serves exactly this document."""
    settings = ChatSettings(service="chat", port=0, data_dir=Path("unused"))
    return create_app(settings).openapi()


api = schemathesis.openapi.from_dict(chat_document())
# The event stream never ends, so a fuzzer cannot read a whole answer: its errors and its
# events are checked in tests/chat/api/test_events.py.
fuzzed = api.exclude(path="/api/events")


def test_the_running_server_serves_this_document(chat: ServiceProcess) -> None:
    served = requests.get(f"{base_url(chat)}/openapi.json", timeout=10).json()
    assert served == json.loads(json.dumps(chat_document()))


@fuzzed.parametrize()
@settings(
    max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
def test_the_server_keeps_the_promises_of_its_document(
    case: schemathesis.Case,
    chat: ServiceProcess,
    fuzzer: dict[str, str],
    friend: int,
    sent_keys: dict[str, str],
) -> None:
    headers = fuzzer
    write_to_someone_who_exists(case, friend)
    use_each_key_for_one_message(case, sent_keys)
    if (case.method, case.path) == LOGOUT:
        # Logging out revokes the token it is sent with: use a token of its own.
        login = {"username": "fuzzer", "password": PASSWORD}
        token = requests.post(f"{base_url(chat)}/api/auth/token", data=login, timeout=10).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
    case.call_and_validate(base_url=base_url(chat), headers=headers, timeout=10)


def write_to_someone_who_exists(case: schemathesis.Case, friend: int) -> None:
    """A valid message goes to a user who exists: a schema cannot say which ids do, and the
    server answers a message to nobody with a 422 that says where to find ids."""
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if (case.method, case.path) == SEND and positive and isinstance(case.body, dict):
        case.body["to"] = friend


def use_each_key_for_one_message(case: schemathesis.Case, sent: dict[str, str]) -> None:
    """Give a generated Idempotency-Key that was already sent with another message a new value.

    The generator draws keys from a small space ("0", "A"...), so it reuses them; a reused
    key with a different message is a mistake the server rightly refuses (422), which a
    document cannot express as a schema rule. Only such a case is changed.
    """
    for name, key in (case.headers or {}).items():
        if name.lower() == "idempotency-key" and isinstance(key, str):
            message = json.dumps(case.body, sort_keys=True, default=str)
            if sent.setdefault(key, message) != message:
                case.headers[name] = uuid.uuid4().hex
                sent[case.headers[name]] = message
