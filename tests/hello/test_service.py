"""The hello service in-process: bytes in through its reader, a Reply out."""

from __future__ import annotations

from netsandbox.hello.server import (
    KNOWN_MESSAGE_BYTES,
    KNOWN_MESSAGES,
    MAY_CONTINUE_BYTES,
    HelloService,
)


def test_a_repeated_message_gets_the_same_reply() -> None:
    service = HelloService()
    first = service.reader().feed(b"Hello server")
    again = service.reader().feed(b"Hello server")
    assert first.data == again.data == b"data received by the server: Hello server\n"
    assert (again.request, again.outcome, again.early) == ("12B 'Hello server'", "ok", False)


def test_a_large_first_read_still_waits_for_the_client_to_close() -> None:
    service = HelloService()
    for _ in range(2):
        reply = service.reader().feed(b"x" * MAY_CONTINUE_BYTES)
        assert reply.early


def test_replies_kept_are_bounded() -> None:
    service = HelloService()
    for n in range(KNOWN_MESSAGES * 2):
        service.reader().feed(f"message {n}".encode())
    service.reader().feed(b"y" * (KNOWN_MESSAGE_BYTES + 1))
    assert 0 < len(service._known) <= KNOWN_MESSAGES
    assert all(len(message) <= KNOWN_MESSAGE_BYTES for message in service._known)
