"""The web client's tests: one chat server per module (open registration), accounts, and
browser tabs that stay offline.

Each test makes its own accounts (``make_account``), with unique names, so the tests of a
module share a server without getting in each other's way.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import requests
from playwright.sync_api import Page

from tests.browser import LOOPBACK, OfflinePage
from tests.chat.live import base_url, running_chat
from tests.conftest import ServiceProcess

PASSWORD = "web-client-password"
_numbers = itertools.count(1)


@dataclass
class Account:
    """A user of the server under test, with a bearer token to act as them from the test."""

    id: int
    username: str
    display_name: str
    password: str
    token: str
    url: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def api(self, method: str, path: str, **kwargs: object) -> requests.Response:
        """A request as this user, the way a student's script makes it; fails on an error."""
        response = requests.request(
            method, f"{self.url}{path}", headers=self.headers, timeout=10, **kwargs
        )
        response.raise_for_status()
        return response

    def send(self, to: Account, body: str) -> dict:
        return self.api("POST", "/api/messages", json={"to": to.id, "body": body}).json()

    def set_status(self, status: str) -> None:
        self.api("PATCH", "/api/users/me", json={"status": status})


MakeAccount = Callable[..., Account]
OpenTab = Callable[..., Page]


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    folder = tmp_path_factory.mktemp("chat-web")
    with running_chat(folder, "--registration", "open") as service:
        yield service


@pytest.fixture
def url(chat: ServiceProcess) -> str:
    return base_url(chat)


@pytest.fixture
def make_account(url: str) -> MakeAccount:
    """``make_account("Ada")``: a new account with a token, its username and display name
    made unique ("Ada 7") so that the tests sharing a server tell their people apart;
    ``exact=True`` keeps the display name as given."""

    def make(display_name: str, *, exact: bool = False) -> Account:
        number = next(_numbers)
        username = f"user-{number}"
        display_name = display_name if exact else f"{display_name} {number}"
        account = {"username": username, "password": PASSWORD, "display_name": display_name}
        created = requests.post(f"{url}/api/auth/register", json=account, timeout=10)
        created.raise_for_status()
        credentials = {"username": username, "password": PASSWORD}
        login = requests.post(f"{url}/api/auth/token", data=credentials, timeout=10)
        login.raise_for_status()
        token = login.json()["access_token"]
        return Account(created.json()["id"], username, display_name, PASSWORD, token, url)

    return make


@pytest.fixture
def open_tab(offline_pages: Callable[..., OfflinePage]) -> Iterator[OpenTab]:
    """``open_tab(locale="fr-FR", viewport=...)``: a page in a browser of its own (its own
    cookies). When the test is over, each one must have stayed offline (nothing asked of
    anything but 127.0.0.1, nothing failed there) with no uncaught script error."""
    opened: list[OfflinePage] = []

    def open_page(**context_options: object) -> Page:
        page = offline_pages(**context_options)
        opened.append(page)
        return page.page

    yield open_page
    for page in opened:
        assert_stayed_offline(page)


def assert_stayed_offline(page: OfflinePage) -> None:
    assert page.refused == []
    # The page itself cuts its event stream when it signs out, reloads or closes.
    assert [url for url in page.failed if "/api/events" not in url] == []
    assert all(LOOPBACK in url for url in page.failed)
    assert page.errors == []
