"""Behind a reverse proxy: X-Forwarded-* is believed only from addresses the server trusts."""

from __future__ import annotations

import requests

from tests.conftest import StartService

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def test_forwarded_headers_are_ignored_by_default(base_url: str) -> None:
    body = requests.get(f"{base_url}/get", headers=FORWARDED, timeout=5).json()
    assert body["origin"] == "127.0.0.1"
    assert body["url"] == f"{base_url}/get"
    assert body["headers"]["X-Forwarded-For"] == "203.0.113.7"  # shown: the client sent it


def test_trusted_proxy_gives_the_client_address_like_httpbin(start_service: StartService) -> None:
    echo = start_service("echo", env={"NETSANDBOX_FORWARDED_ALLOW_IPS": "127.0.0.1"})
    base_url = f"http://{echo.host}:{echo.port}"
    body = requests.get(f"{base_url}/get", headers=FORWARDED, timeout=5).json()
    assert body["origin"] == "203.0.113.7"
    assert body["url"] == f"https://{echo.host}:{echo.port}/get"
    assert "X-Forwarded-For" not in body["headers"]
    assert requests.get(f"{base_url}/ip", headers=FORWARDED, timeout=5).json() == {
        "origin": "203.0.113.7"
    }
    shown = requests.get(f"{base_url}/headers?show_env=1", headers=FORWARDED, timeout=5).json()
    assert shown["headers"]["X-Forwarded-For"] == "203.0.113.7"
