"""Where a request ends: the framer, fed bytes the way a socket delivers them."""

from __future__ import annotations

import json
import pickle

import pytest

from netsandbox.contacts.framing import MAX_DEPTH, RequestFramer
from netsandbox.core.errors import ServiceError

TRICKY = json.dumps(
    {"cmd": "add", "args": {"name": 'Zoé {"[\\ }', "mail": "zoe@example.org"}},
    ensure_ascii=False,
).encode()


def feed_all(chunks: list[bytes]) -> list[bytes | None]:
    framer = RequestFramer()
    return [framer.feed(chunk) for chunk in chunks]


def error_from(*chunks: bytes) -> ServiceError:
    framer = RequestFramer()
    with pytest.raises(ServiceError) as caught:
        for chunk in chunks:
            framer.feed(chunk)
    return caught.value


def test_object_in_one_piece_is_complete() -> None:
    assert feed_all([b'{"cmd": "list", "args": {}}']) == [b'{"cmd": "list", "args": {}}']


def test_trailing_newline_and_leading_whitespace_are_fine() -> None:
    assert feed_all([b" \r\n\t", b'{"cmd": "list"}\n']) == [None, b' \r\n\t{"cmd": "list"}']


def test_one_byte_at_a_time_completes_on_the_last_byte() -> None:
    results = feed_all([bytes([b]) for b in TRICKY])
    assert results[:-1] == [None] * (len(TRICKY) - 1)
    assert results[-1] == TRICKY


@pytest.mark.parametrize("cut", range(1, len(TRICKY)))
def test_any_split_point_gives_the_same_request(cut: int) -> None:
    assert feed_all([TRICKY[:cut], TRICKY[cut:]]) == [None, TRICKY]


def test_backslash_ending_a_chunk_escapes_the_next_chunks_first_byte() -> None:
    # The quote in the second chunk is escaped, so the string (and the object) go on.
    assert feed_all([b'{"a": "x\\', b'"}', b'"}']) == [None, None, b'{"a": "x\\"}"}']


def test_brackets_inside_strings_do_not_count() -> None:
    assert feed_all([b'{"a": "}]{["}']) == [b'{"a": "}]{["}']


@pytest.mark.parametrize(
    ("head", "code", "words"),
    [
        (pickle.dumps({"cmd": "list"}), "pickle_not_accepted", "never pickle"),
        (b"\x80", "pickle_not_accepted", "only accepts JSON"),
        (b"\x00\x01binary", "not_a_json_object", "binary data"),
        (b"\xff\xfe", "not_a_json_object", "binary data"),
        (b"[1, 2]", "not_a_json_object", "JSON array"),
        (b'"list"', "not_a_json_object", "JSON string"),
        (b"42", "not_a_json_object", "JSON number"),
        (b"hello server", "not_a_json_object", "not JSON ('hello server')"),
        (b"\xef\xbb\xbf{}", "invalid_json", "byte order mark"),
    ],
)
def test_a_request_that_does_not_start_with_a_brace_fails_at_once(
    head: bytes, code: str, words: str
) -> None:
    error = error_from(head)
    assert error.code == code
    assert words in error.message
    assert '{"cmd": "list", "args": {}}' in error.message


def test_nesting_past_the_cap_fails_before_the_object_ends() -> None:
    error = error_from(b'{"a": ' + b"[" * MAX_DEPTH)
    assert error.code == "too_deep"
    assert str(MAX_DEPTH) in error.message


def test_nesting_up_to_the_cap_is_left_to_the_parser() -> None:
    depth = MAX_DEPTH - 1
    raw = b'{"a": ' + b"[" * depth + b"]" * depth + b"}"
    assert feed_all([raw]) == [raw]


def test_mismatched_bracket_fails_at_once() -> None:
    error = error_from(b'{"a": [1}')
    assert error.code == "invalid_json"
    assert "']' was expected" in error.message


def test_two_objects_back_to_back_are_refused() -> None:
    error = error_from(b'{"cmd": "list"}{"cmd": "list"}')
    assert error.code == "one_object_per_connection"
    assert "one JSON object per connection" in error.message


def test_invalid_utf8_fails_as_soon_as_it_arrives() -> None:
    error = error_from(b'{"cmd": "', b"\xc3\x28")
    assert error.code == "invalid_utf8"


def test_a_character_split_across_chunks_is_fine() -> None:
    raw = '{"name": "é"}'.encode()
    cut = raw.index(b"\xc3") + 1
    assert feed_all([raw[:cut], raw[cut:]]) == [None, raw]


def test_end_of_stream_says_what_is_missing() -> None:
    framer = RequestFramer()
    assert framer.feed(b'{"cmd": "list", "args": {"x": "ab') is None
    error = framer.end("eof", deadline=10)
    assert error.code == "incomplete_request"
    assert "connection was closed" in error.message
    assert "received 33 bytes" in error.message
    assert "a closing \" for the string that is still open, then '}', then '}'" in error.message


def test_end_of_stream_with_nothing_received() -> None:
    framer = RequestFramer()
    framer.feed(b"\n")
    error = framer.end("eof", deadline=10)
    assert "before any request arrived" in error.message


def test_end_of_stream_inside_a_character_is_invalid_utf8() -> None:
    framer = RequestFramer()
    framer.feed(b'{"name": "\xc3')
    assert framer.end("eof", deadline=10).code == "invalid_utf8"


def test_deadline_message_gives_the_time_allowed() -> None:
    framer = RequestFramer()
    framer.feed(b'{"cmd"')
    error = framer.end("deadline", deadline=2.5)
    assert "2.5 s after connecting" in error.message
    assert "'}'" in error.message


def test_overflow_message_gives_the_limit() -> None:
    error = RequestFramer().end("overflow", deadline=10)
    assert error.code == "request_too_large"
    assert "64 KiB" in error.message
