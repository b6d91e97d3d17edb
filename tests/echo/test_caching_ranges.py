"""Caching validators (/cache, /etag), partial content (/range) and slow bytes (/drip)."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

import pytest
import requests

from netsandbox.echo.routes.dynamic import DRIP_PIECE_BYTES, drip_pieces


def test_cache_answers_like_get_with_validators(base_url: str) -> None:
    out = requests.get(f"{base_url}/cache?a=1", timeout=5)
    assert out.status_code == 200
    assert out.json()["args"] == {"a": "1"}
    assert parsedate_to_datetime(out.headers["Last-Modified"]).tzinfo is not None
    assert out.headers["ETag"].startswith('"')


def test_cache_etag_changes_every_time(base_url: str) -> None:
    first = requests.get(f"{base_url}/cache", timeout=5).headers["ETag"]
    assert first != requests.get(f"{base_url}/cache", timeout=5).headers["ETag"]


def test_cache_with_if_modified_since_is_304(base_url: str) -> None:
    since = {"If-Modified-Since": "Wed, 21 Oct 2015 07:28:00 GMT"}
    out = requests.get(f"{base_url}/cache", headers=since, timeout=5)
    assert out.status_code == 304
    assert out.content == b""


def test_cache_with_if_none_match_is_304(base_url: str) -> None:
    tag = requests.get(f"{base_url}/cache", timeout=5).headers["ETag"]
    out = requests.get(f"{base_url}/cache", headers={"If-None-Match": tag}, timeout=5)
    assert out.status_code == 304


def test_cache_head_has_the_headers_and_no_body(base_url: str) -> None:
    out = requests.head(f"{base_url}/cache", timeout=5)
    assert out.status_code == 200
    assert "ETag" in out.headers
    assert out.content == b""


def test_cache_value_sets_cache_control(base_url: str) -> None:
    out = requests.get(f"{base_url}/cache/60?a=1", timeout=5)
    assert out.headers["Cache-Control"] == "public, max-age=60"
    assert out.json()["args"] == {"a": "1"}


def test_cache_value_not_a_number_is_a_json_422(base_url: str) -> None:
    out = requests.get(f"{base_url}/cache/soon", timeout=5)
    assert out.status_code == 422
    assert out.json()["error"]["code"] == "invalid_parameter"


def test_cache_value_negative_is_a_json_422(base_url: str) -> None:
    assert requests.get(f"{base_url}/cache/-1", timeout=5).status_code == 422


def test_etag_answers_like_get_with_the_tag(base_url: str) -> None:
    out = requests.get(f"{base_url}/etag/abc?a=1", timeout=5)
    assert out.status_code == 200
    assert out.headers["ETag"] == '"abc"'
    assert out.json()["args"] == {"a": "1"}


def test_etag_if_none_match_matching_is_304_with_the_tag(base_url: str) -> None:
    out = requests.get(f"{base_url}/etag/abc", headers={"If-None-Match": '"abc"'}, timeout=5)
    assert out.status_code == 304
    assert out.headers["ETag"] == '"abc"'


def test_etag_if_none_match_in_a_list_is_304(base_url: str) -> None:
    tags = {"If-None-Match": '"xyz", W/"abc"'}
    assert requests.get(f"{base_url}/etag/abc", headers=tags, timeout=5).status_code == 304


def test_etag_if_none_match_star_is_304(base_url: str) -> None:
    out = requests.get(f"{base_url}/etag/abc", headers={"If-None-Match": "*"}, timeout=5)
    assert out.status_code == 304


def test_etag_if_none_match_other_is_200(base_url: str) -> None:
    out = requests.get(f"{base_url}/etag/abc", headers={"If-None-Match": '"xyz"'}, timeout=5)
    assert out.status_code == 200


def test_etag_if_match_other_is_412(base_url: str) -> None:
    out = requests.get(f"{base_url}/etag/abc", headers={"If-Match": '"xyz"'}, timeout=5)
    assert out.status_code == 412


def test_etag_if_match_matching_or_star_is_200(base_url: str) -> None:
    for value in ('"abc"', '"xyz", "abc"', "*"):
        out = requests.get(f"{base_url}/etag/abc", headers={"If-Match": value}, timeout=5)
        assert out.status_code == 200, value


def test_range_whole_document(base_url: str) -> None:
    out = requests.get(f"{base_url}/range/30", timeout=5)
    assert out.status_code == 200
    assert out.content == b"abcdefghijklmnopqrstuvwxyzabcd"
    assert out.headers["Accept-Ranges"] == "bytes"
    assert out.headers["ETag"] == '"range30"'
    assert out.headers["Content-Type"] == "application/octet-stream"


def test_range_first_to_last_is_206(base_url: str) -> None:
    out = requests.get(f"{base_url}/range/26", headers={"Range": "bytes=2-4"}, timeout=5)
    assert out.status_code == 206
    assert out.content == b"cde"
    assert out.headers["Content-Range"] == "bytes 2-4/26"


def test_range_from_a_position_to_the_end(base_url: str) -> None:
    out = requests.get(f"{base_url}/range/30", headers={"Range": "bytes=24-"}, timeout=5)
    assert out.status_code == 206
    assert out.content == b"yzabcd"
    assert out.headers["Content-Range"] == "bytes 24-29/30"


def test_range_last_n_bytes(base_url: str) -> None:
    out = requests.get(f"{base_url}/range/26", headers={"Range": "bytes=-3"}, timeout=5)
    assert out.status_code == 206
    assert out.content == b"xyz"
    assert out.headers["Content-Range"] == "bytes 23-25/26"


def test_range_last_position_past_the_end_stops_at_the_end(base_url: str) -> None:
    out = requests.get(f"{base_url}/range/26", headers={"Range": "bytes=20-99"}, timeout=5)
    assert out.status_code == 206
    assert out.content == b"uvwxyz"


def test_range_starting_past_the_end_is_416(base_url: str) -> None:
    out = requests.get(f"{base_url}/range/26", headers={"Range": "bytes=26-30"}, timeout=5)
    assert out.status_code == 416
    assert out.headers["Content-Range"] == "bytes */26"


def test_range_backwards_is_416(base_url: str) -> None:
    out = requests.get(f"{base_url}/range/26", headers={"Range": "bytes=5-2"}, timeout=5)
    assert out.status_code == 416


def test_range_header_that_cannot_be_read_is_ignored(base_url: str) -> None:
    for value in ("items=0-1", "bytes=0-1,4-5", "bytes=a-b"):
        out = requests.get(f"{base_url}/range/26", headers={"Range": value}, timeout=5)
        assert (out.status_code, len(out.content)) == (200, 26), value


def test_range_too_large_is_a_json_404(base_url: str) -> None:
    out = requests.get(f"{base_url}/range/{100 * 1024 + 1}", timeout=5)
    assert out.status_code == 404
    error = out.json()["error"]
    assert error["code"] == "invalid_size"
    assert "102400" in error["message"]


def test_range_of_zero_bytes_is_a_json_404(base_url: str) -> None:
    assert requests.get(f"{base_url}/range/0", timeout=5).status_code == 404


def test_range_size_not_a_number_is_a_json_422(base_url: str) -> None:
    out = requests.get(f"{base_url}/range/many", timeout=5)
    assert out.status_code == 422
    assert out.json()["error"]["code"] == "invalid_parameter"


def test_range_with_duration_streams_the_same_bytes(base_url: str) -> None:
    url = f"{base_url}/range/26?duration=0.2&chunk_size=5"
    with requests.get(url, headers={"Range": "bytes=0-9"}, stream=True, timeout=5) as out:
        pieces = list(out.iter_content(chunk_size=None))
    assert out.status_code == 206
    assert b"".join(pieces) == b"abcdefghij"


def test_range_duration_above_the_cap_is_a_json_422(base_url: str) -> None:
    out = requests.get(f"{base_url}/range/26?duration=11", timeout=5)
    assert out.status_code == 422
    assert out.json()["error"]["code"] == "invalid_parameter"


def test_range_head_has_the_length_and_no_body(base_url: str) -> None:
    out = requests.head(f"{base_url}/range/26", headers={"Range": "bytes=0-9"}, timeout=5)
    assert out.status_code == 206
    assert out.headers["Content-Length"] == "10"
    assert out.content == b""


def test_drip_sends_the_bytes_asked(base_url: str) -> None:
    out = requests.get(f"{base_url}/drip?duration=0.2&numbytes=5", timeout=5)
    assert out.status_code == 200
    assert out.content == b"*****"
    assert out.headers["Content-Type"] == "application/octet-stream"
    assert out.headers["Content-Length"] == "5"


def test_drip_spreads_the_bytes_over_the_duration(base_url: str) -> None:
    started = time.monotonic()
    with requests.get(f"{base_url}/drip?duration=0.4&numbytes=4", stream=True, timeout=5) as out:
        assert out.raw.read(1) == b"*"
        assert out.raw.read() == b"***"
    assert time.monotonic() - started >= 0.3  # the last byte leaves 3/4 of the way through


def test_drip_pieces_are_even_and_bounded() -> None:
    assert drip_pieces(10, 2) == [1] * 10
    assert drip_pieces(10, 0) == [10]
    assert drip_pieces(7, 0.03) == [3, 2, 2]
    many = drip_pieces(10 * 1024 * 1024, 0)
    assert sum(many) == 10 * 1024 * 1024
    assert max(many) <= DRIP_PIECE_BYTES


def test_drip_waits_the_delay_before_answering(base_url: str) -> None:
    started = time.monotonic()
    requests.get(f"{base_url}/drip?duration=0&numbytes=1&delay=0.3", timeout=5)
    assert time.monotonic() - started >= 0.3


def test_drip_delay_lets_a_client_time_out(base_url: str) -> None:
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{base_url}/drip?numbytes=1&delay=2", timeout=0.2)


def test_drip_answers_with_the_code_asked(base_url: str) -> None:
    out = requests.get(f"{base_url}/drip?duration=0&numbytes=3&code=418", timeout=5)
    assert (out.status_code, out.content) == (418, b"***")


def test_drip_does_not_hold_up_other_requests(base_url: str) -> None:
    url = f"{base_url}/drip?duration=1&numbytes=2"
    with requests.get(url, stream=True, timeout=5) as out:
        first = out.raw.read(1)
        assert requests.get(f"{base_url}/get", timeout=5).status_code == 200
        rest = out.raw.read()
    assert first + rest == b"**"


def test_drip_stops_when_the_client_leaves(base_url: str) -> None:
    url = f"{base_url}/drip?duration=5&numbytes=5"
    with requests.get(url, stream=True, timeout=5) as out:
        assert out.raw.read(1) == b"*"
    # The server is still fine for the next client.
    assert requests.get(f"{base_url}/drip?duration=0&numbytes=1", timeout=5).content == b"*"


@pytest.mark.parametrize(
    "query",
    ["numbytes=0", f"numbytes={10 * 1024 * 1024 + 1}", "duration=8&delay=3", "code=304"],
)
def test_drip_past_a_limit_is_a_json_400(base_url: str, query: str) -> None:
    out = requests.get(f"{base_url}/drip?{query}", timeout=5)
    assert out.status_code == 400
    error = out.json()["error"]
    assert error["code"] == "invalid_drip"
    assert error["message"]


@pytest.mark.parametrize("query", ["numbytes=ten", "duration=long", "delay=-1", "code=ok"])
def test_drip_bad_value_is_a_json_422(base_url: str, query: str) -> None:
    out = requests.get(f"{base_url}/drip?{query}", timeout=5)
    assert out.status_code == 422
    assert out.json()["error"]["code"] == "invalid_parameter"
