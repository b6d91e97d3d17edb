"""The reference contacts client against a real server (and against what is not one)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from netsandbox.clients import (
    ContactClient,
    ContactClientError,
    ContactConnectionError,
    ContactError,
)
from netsandbox.contacts.store import EXAMPLES
from tests.conftest import StartService


@pytest.fixture
def client(start_service: StartService) -> ContactClient:
    server = start_service("contacts")
    return ContactClient(server.host, server.port)


@pytest.fixture
def free_port() -> int:
    """A port nothing listens on (bound then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_peer() -> Iterator[int]:
    """A port that accepts connections (through the backlog) but never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_command_returns_msg_and_data_like_the_course(client: ContactClient) -> None:
    msg, data = client.command("list")
    assert msg == "2 contacts"
    assert data == EXAMPLES


def test_typed_helpers(client: ContactClient) -> None:
    assert client.list() == EXAMPLES
    assert "added" in client.add("Zoé", "zoe@example.org")
    assert "updated" in client.add("Zoé", "zoe@exemple.fr")
    assert client.get("Zoé") == "zoe@exemple.fr"
    assert client.search("EXEMPLE") == {"Zoé": "zoe@exemple.fr"}
    assert "removed" in client.remove("Zoé")
    assert client.list() == EXAMPLES
    assert set(client.help()) == {"help", "list", "add", "get", "remove", "search"}


def test_status_false_raises_contact_error_with_its_code(client: ContactClient) -> None:
    with pytest.raises(ContactError) as caught:
        client.get("Nobody")
    assert caught.value.code == "not_found"
    assert "no contact named 'Nobody'" in caught.value.message
    assert str(caught.value) == caught.value.message


def test_invalid_arguments_raise_contact_error(client: ContactClient) -> None:
    with pytest.raises(ContactError) as caught:
        client.add("Zoé", "not-a-mail")
    assert caught.value.code == "invalid_argument"
    with pytest.raises(ContactError) as caught:
        client.command("delete_all")
    assert caught.value.code == "unknown_command"


def test_no_server_raises_connection_error_saying_how_to_start_one(free_port: int) -> None:
    with pytest.raises(ContactConnectionError) as caught:
        ContactClient(port=free_port).list()
    message = str(caught.value)
    assert f"no contacts server at 127.0.0.1:{free_port}" in message
    assert "netsandbox serve contacts" in message
    assert isinstance(caught.value, ContactClientError)


def test_a_server_that_never_answers_times_out(silent_peer: int) -> None:
    with pytest.raises(ContactConnectionError, match=r"did not answer within 0\.3 s"):
        ContactClient(port=silent_peer, timeout=0.3).list()


def test_a_server_that_is_not_contacts_is_reported(start_service: StartService) -> None:
    hello = start_service("hello")
    with pytest.raises(ContactClientError, match="did not reply with a JSON object") as caught:
        ContactClient(hello.host, hello.port).list()
    assert not isinstance(caught.value, ContactError)


def test_client_defaults_to_the_course_address() -> None:
    client = ContactClient()
    assert (client.host, client.port, client.timeout) == ("127.0.0.1", 3001, 5.0)
