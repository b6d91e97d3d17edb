"""Delays, random bytes, streams, UUIDs, base64, and the sample documents."""

from __future__ import annotations

import gzip
import json
import time
import uuid
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import requests

from netsandbox.echo.routes.dynamic import MAX_DELAY_SECONDS, delay_seconds


def test_delay_waits_then_echoes(base_url: str) -> None:
    started = time.monotonic()
    out = requests.post(f"{base_url}/delay/0.3?x=1", data={"k": "v"}, timeout=5)
    assert time.monotonic() - started >= 0.3
    body = out.json()
    assert body["args"] == {"x": "1"}
    assert body["form"] == {"k": "v"}
    assert "json" not in body


def test_delay_lets_a_client_time_out(base_url: str) -> None:
    try:
        requests.get(f"{base_url}/delay/2", timeout=0.2)
    except requests.exceptions.ReadTimeout:
        return
    raise AssertionError("the request should have timed out")


def test_delay_is_capped() -> None:
    assert MAX_DELAY_SECONDS == 10
    assert delay_seconds(3.5) == 3.5
    assert delay_seconds(10_000) == 10


def test_negative_delay_is_a_json_422(base_url: str) -> None:
    out = requests.get(f"{base_url}/delay/-1", timeout=5)
    assert out.status_code == 422
    assert out.json()["error"]["code"] == "invalid_parameter"


def test_bytes(base_url: str) -> None:
    out = requests.get(f"{base_url}/bytes/32", timeout=5)
    assert out.headers["Content-Type"] == "application/octet-stream"
    assert len(out.content) == 32


def test_bytes_are_capped_at_100_kib(base_url: str) -> None:
    assert len(requests.get(f"{base_url}/bytes/5000000", timeout=5).content) == 100 * 1024


def test_bytes_with_seed_are_reproducible(base_url: str) -> None:
    first = requests.get(f"{base_url}/bytes/64?seed=7", timeout=5).content
    assert first == requests.get(f"{base_url}/bytes/64?seed=7", timeout=5).content
    assert first != requests.get(f"{base_url}/bytes/64?seed=8", timeout=5).content


def test_stream_sends_json_lines(base_url: str) -> None:
    with requests.get(f"{base_url}/stream/3?a=1", stream=True, timeout=5) as out:
        lines = [line for line in out.iter_lines() if line]
    assert len(lines) == 3
    assert [json.loads(line)["id"] for line in lines] == [0, 1, 2]


def test_uuid(base_url: str) -> None:
    value = requests.get(f"{base_url}/uuid", timeout=5).json()["uuid"]
    assert uuid.UUID(value).version == 4


def test_base64_decodes(base_url: str) -> None:
    assert requests.get(f"{base_url}/base64/SFRUUCBpcyBmdW4=", timeout=5).text == "HTTP is fun"
    assert requests.get(f"{base_url}/base64/SFRUUCBpcyBmdW4", timeout=5).text == "HTTP is fun"


def test_bad_base64_is_a_json_400(base_url: str) -> None:
    out = requests.get(f"{base_url}/base64/%25%25%25", timeout=5)
    assert out.status_code == 400
    assert out.json()["error"]["code"] == "invalid_base64"


def test_json_document(base_url: str) -> None:
    body = requests.get(f"{base_url}/json", timeout=5).json()
    assert body["slideshow"]["title"] == "Sample Slide Show"


def test_html_page_parses(base_url: str) -> None:
    out = requests.get(f"{base_url}/html", timeout=5)
    assert out.headers["Content-Type"].startswith("text/html")

    class Headings(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[str] = []

        def handle_data(self, data: str) -> None:
            if self.lasttag == "h1" and data.strip():
                self.found.append(data.strip())

    parser = Headings()
    parser.feed(out.text)
    assert parser.found == ["Herman Melville - Moby-Dick"]


def test_xml_document_parses(base_url: str) -> None:
    root = ET.fromstring(requests.get(f"{base_url}/xml", timeout=5).content)
    assert root.tag == "slideshow"
    assert len(root.findall("slide")) == 2


def test_gzip_is_decoded_by_requests(base_url: str) -> None:
    out = requests.get(f"{base_url}/gzip", timeout=5)
    assert out.headers["Content-Encoding"] == "gzip"
    body = out.json()
    assert body["gzipped"] is True
    assert body["method"] == "GET"
    raw = requests.get(f"{base_url}/gzip", stream=True, timeout=5).raw.read(decode_content=False)
    assert gzip.decompress(raw).startswith(b"{")


def test_deflate(base_url: str) -> None:
    assert requests.get(f"{base_url}/deflate", timeout=5).json()["deflated"] is True


def test_response_headers_are_set_from_the_query(base_url: str) -> None:
    out = requests.get(f"{base_url}/response-headers?X-Course=http&X-Course=tcp", timeout=5)
    assert out.headers["X-Course"] == "http, tcp"
    body = out.json()
    assert body["X-Course"] == ["http", "tcp"]
    assert body["Content-Length"] == str(len(out.content))


def test_response_headers_refuses_framing_headers(base_url: str) -> None:
    out = requests.get(f"{base_url}/response-headers?Content-Length=5", timeout=5)
    assert out.status_code == 400
    assert out.json()["error"]["code"] == "invalid_header"
