"""How the ``netsandbox chat`` client commands reach a server: its URL, the token to send,
and what a failed call means for the person at the shell.

The token comes from ``NETSANDBOX_TOKEN`` when set, else from the file ``login`` saved (see
``token_file``). Every failure ends the command with one line saying what to do, and exit
status 1. The HTTP client is imported only when a command runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from netsandbox.chat import DEFAULT_PORT
from netsandbox.chat.token_file import SavedToken, TokenFile, TokenFileError
from netsandbox.core.settings import ClientSettings, SettingsError

if TYPE_CHECKING:
    from netsandbox.clients.chat import ChatClient, ChatError

DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"
FROM_ENVIRONMENT = "NETSANDBOX_TOKEN"

out = Console()
err = Console(stderr=True)

UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help=f"The chat server (default {DEFAULT_URL}, or NETSANDBOX_CHAT_URL).",
        show_default=False,
    ),
]


def say(message: str) -> None:
    """One line of output, printed as it is (user text is never read as markup)."""
    out.print(Text(message), soft_wrap=True)


def fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    return typer.Exit(1)


@dataclass(frozen=True)
class Connection:
    """The server a command talks to, where its token is kept, and which token to send."""

    settings: ClientSettings
    tokens: TokenFile

    @classmethod
    def load(cls, url: str | None) -> Connection:
        try:
            settings = ClientSettings.load("chat", DEFAULT_URL, url)
        except SettingsError as exc:
            raise fail(str(exc)) from None
        return cls(settings, TokenFile.in_folder(settings.config_dir))

    @property
    def url(self) -> str:
        return self.settings.url

    def saved(self) -> SavedToken | None:
        try:
            return self.tokens.get(self.url)
        except TokenFileError as exc:
            raise fail(str(exc)) from None

    def token(self) -> tuple[str, str]:
        """The token to send and where it came from; fails if there is none."""
        if self.settings.token:
            return self.settings.token, FROM_ENVIRONMENT
        saved = self.saved()
        if saved is None:
            raise fail(
                f"you are not logged in to {self.url}: run `netsandbox chat login USERNAME` "
                "first (or set NETSANDBOX_TOKEN)"
            )
        return saved.token, str(self.tokens.path)

    def explain(self, exc: ChatError, token_source: str | None) -> str:
        """What a failed call means for the person at the shell, and what to do."""
        if exc.status == 0:
            return (
                f"cannot reach the chat server at {self.url}: is it running? (start it with "
                "`netsandbox serve chat`, or give its address with --url or NETSANDBOX_CHAT_URL)"
            )
        if exc.status == 401 and token_source == FROM_ENVIRONMENT:
            return (
                "the server refused the token in NETSANDBOX_TOKEN: it expired or was revoked. "
                "Unset NETSANDBOX_TOKEN and run `netsandbox chat login USERNAME`."
            )
        if exc.status == 401 and token_source is not None:
            saved = self.saved()
            who = saved.username if saved and saved.username else "USERNAME"
            return (
                f"the server refused your saved token for {self.url}: it expired or was "
                f"revoked. Log in again: `netsandbox chat login {who}`."
            )
        return f"{exc.message} (HTTP {exc.status})"


@contextmanager
def connect(connection: Connection, *, logged_in: bool = True) -> Iterator[ChatClient]:
    """A ``ChatClient`` for ``connection`` (with the token when ``logged_in``); a failed call
    ends the command with a message saying what to do."""
    from netsandbox.clients.chat import ChatClient, ChatError

    token, source = connection.token() if logged_in else (None, None)
    try:
        with ChatClient(connection.url, token=token) as client:
            yield client
    except ChatError as exc:
        raise fail(connection.explain(exc, source)) from None


def revoke_quietly(url: str, token: str) -> None:
    """Revoke a token that is no longer needed; it may be expired already, which is fine."""
    from netsandbox.clients.chat import ChatClient, ChatError

    try:
        with ChatClient(url, token=token, retries=0) as client:
            client.logout()
    except ChatError:
        pass
