"""The contacts service over real sockets, as the course's client, nc and scripts use it."""

from __future__ import annotations

import json
import re
import signal
import threading
import time

import pytest

from netsandbox.contacts.store import EXAMPLES
from tests.conftest import ServiceProcess, StartService
from tests.contacts.talk import exchange, notebook_command, send_json


@pytest.fixture
def contacts(start_service: StartService) -> ServiceProcess:
    """A fresh server with its own data, for tests that change the contacts."""
    return start_service("contacts")


def test_notebook_client_lists_the_examples(shared_contacts: ServiceProcess) -> None:
    reply = notebook_command(shared_contacts.address, "list")
    assert reply["status"] is True
    assert reply["data"] == EXAMPLES
    assert isinstance(reply["msg"], str)


def test_notebook_client_adds_then_lists(contacts: ServiceProcess) -> None:
    added = notebook_command(
        contacts.address, "add", name="Basile Marchand", mail="basile.marchand@mines-paristech.fr"
    )
    assert added["status"] is True
    assert "added" in added["msg"]
    listed = notebook_command(contacts.address, "list")
    assert listed["data"]["Basile Marchand"] == "basile.marchand@mines-paristech.fr"


def test_reply_over_1024_bytes_with_accents_survives_chunked_decoding(
    contacts: ServiceProcess,
) -> None:
    names = {f"Zoé Ñandú 漢字 {i:02d}": f"zoe{i}@exemple.fr" for i in range(40)}
    for name, mail in names.items():
        assert notebook_command(contacts.address, "add", name=name, mail=mail)["status"]
    raw = exchange(contacts.address, b'{"cmd": "list"}')
    assert len(raw) > 1024
    assert raw.isascii()  # so no character can be cut in two between recv(1024) chunks
    assert notebook_command(contacts.address, "list")["data"] == {**EXAMPLES, **names}


def test_adding_an_existing_name_updates_it(contacts: ServiceProcess) -> None:
    notebook_command(contacts.address, "add", name="Zoé", mail="old@example.org")
    reply = notebook_command(contacts.address, "add", name="Zoé", mail="new@example.org")
    assert reply["status"] is True
    assert "updated" in reply["msg"]
    assert notebook_command(contacts.address, "get", name="Zoé")["data"] == {
        "Zoé": "new@example.org"
    }


def test_remove_then_get_is_not_found(contacts: ServiceProcess) -> None:
    removed = notebook_command(contacts.address, "remove", name="Alice Martin")
    assert removed["status"] is True
    reply = notebook_command(contacts.address, "get", name="Alice Martin")
    assert reply["status"] is False
    assert reply["error"]["code"] == "not_found"
    assert "Alice Martin" in reply["msg"]


def test_search_ignores_case_in_names_and_mails(shared_contacts: ServiceProcess) -> None:
    by_name = notebook_command(shared_contacts.address, "search", query="MARTIN")
    assert by_name["data"] == {"Alice Martin": EXAMPLES["Alice Martin"]}
    by_mail = notebook_command(shared_contacts.address, "search", query="Example.ORG")
    assert by_mail["data"] == EXAMPLES


def test_help_lists_every_command_with_its_arguments(shared_contacts: ServiceProcess) -> None:
    reply = notebook_command(shared_contacts.address, "help")
    assert set(reply["data"]) == {"help", "list", "add", "get", "remove", "search"}
    assert reply["data"]["add"]["args"] == {"name": "string", "mail": "string"}


def test_nc_style_line_gets_a_reply(shared_contacts: ServiceProcess) -> None:
    reply = send_json(shared_contacts.address, b'{"cmd": "list", "args": {}}\n')
    assert reply["data"] == EXAMPLES


def test_object_typed_then_end_of_input(shared_contacts: ServiceProcess) -> None:
    reply = send_json(shared_contacts.address, b'{"cmd": "list"}', half_close=True)
    assert reply["status"] is True


def test_end_of_input_before_the_object_is_complete(shared_contacts: ServiceProcess) -> None:
    reply = send_json(shared_contacts.address, b'{"cmd": "list"\n', half_close=True)
    assert reply["error"]["code"] == "incomplete_request"
    assert "still missing '}'" in reply["msg"]


def test_contacts_survive_a_restart(start_service: StartService, tmp_path) -> None:
    data = tmp_path / "kept"
    first = start_service("contacts", data_dir=data)
    notebook_command(first.address, "add", name="Zoé", mail="zoe@example.org")
    notebook_command(first.address, "remove", name="Bruno Petit")
    assert first.stop() == 0
    second = start_service("contacts", data_dir=data)
    assert notebook_command(second.address, "list")["data"] == {
        "Alice Martin": EXAMPLES["Alice Martin"],
        "Zoé": "zoe@example.org",
    }


def test_an_acknowledged_add_survives_a_kill(start_service: StartService, tmp_path) -> None:
    data = tmp_path / "kept"
    first = start_service("contacts", data_dir=data)
    assert notebook_command(first.address, "add", name="Zoé", mail="zoe@example.org")["status"]
    first.stop(signal.SIGKILL)
    second = start_service("contacts", data_dir=data)
    assert notebook_command(second.address, "get", name="Zoé")["status"] is True


def test_fifty_clients_adding_at_once_lose_nothing(contacts: ServiceProcess) -> None:
    start = threading.Barrier(50)
    replies: list[dict] = []

    def add(i: int) -> None:
        start.wait()
        replies.append(notebook_command(contacts.address, "add", name=f"p{i}", mail=f"p{i}@x.org"))

    threads = [threading.Thread(target=add, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(replies) == 50
    assert all(reply["status"] for reply in replies)
    listed = notebook_command(contacts.address, "list")["data"]
    assert {f"p{i}" for i in range(50)} <= set(listed)
    assert len(listed) == 52


def wait_for_access_lines(server: ServiceProcess, count: int) -> list[str]:
    """The access log lines, once ``count`` of them are written (the log trails the reply)."""
    deadline = time.monotonic() + 5
    while True:
        lines = [line for line in server.log_text().splitlines() if "contacts.access" in line]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.01)


def test_access_log_has_one_line_per_request(contacts: ServiceProcess) -> None:
    notebook_command(contacts.address, "list")
    notebook_command(contacts.address, "get", name="Nobody")
    exchange(contacts.address, b"not json")
    lines = wait_for_access_lines(contacts, 3)
    assert len(lines) == 3
    pattern = r"127\.0\.0\.1:\d+ {} {} \d+\.\dms$"
    assert re.search(pattern.format("list", "ok"), lines[0])
    assert re.search(pattern.format("get", "error not_found"), lines[1])
    assert re.search(pattern.format("invalid", "error not_a_json_object"), lines[2])


def test_stops_on_sigterm(contacts: ServiceProcess) -> None:
    assert contacts.stop() == 0
    assert "contacts stopped" in contacts.log_text()


def test_reply_is_json_then_newline(shared_contacts: ServiceProcess) -> None:
    raw = exchange(shared_contacts.address, b'{"cmd": "list"}')
    assert raw.endswith(b"}\n")
    assert json.loads(raw)["status"] is True
