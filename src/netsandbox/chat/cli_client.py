"""``netsandbox chat login|logout|users|status|send|inbox|conversation``: the chat from a shell.

Each command is a few calls of the reference ``ChatClient``. The token from ``login`` is kept
per server URL in a file only you can read (see ``token_file``); ``NETSANDBOX_TOKEN``, when
set, is used instead. The HTTP client is imported inside the commands, so that
``netsandbox --help`` does not load it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from netsandbox.chat import DEFAULT_PORT
from netsandbox.chat.token_file import SavedToken, TokenFile, TokenFileError
from netsandbox.core.settings import ClientSettings, SettingsError

if TYPE_CHECKING:
    from netsandbox.clients.chat import ChatClient, ChatError, Message, User

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
LimitOption = Annotated[
    int, typer.Option("--limit", "-n", min=1, help="Show at most this many messages.")
]


def _say(message: str) -> None:
    """One line of output, printed as it is (user text is never read as markup)."""
    out.print(Text(message), soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    return typer.Exit(1)


@dataclass(frozen=True)
class _Server:
    """The server a command talks to, where its token is kept, and which token to send."""

    settings: ClientSettings
    tokens: TokenFile

    @classmethod
    def load(cls, url: str | None) -> _Server:
        try:
            settings = ClientSettings.load("chat", DEFAULT_URL, url)
        except SettingsError as exc:
            raise _fail(str(exc)) from None
        return cls(settings, TokenFile.in_folder(settings.config_dir))

    @property
    def url(self) -> str:
        return self.settings.url

    def saved(self) -> SavedToken | None:
        try:
            return self.tokens.get(self.url)
        except TokenFileError as exc:
            raise _fail(str(exc)) from None

    def token(self) -> tuple[str, str]:
        """The token to send and where it came from; fails if there is none."""
        if self.settings.token:
            return self.settings.token, FROM_ENVIRONMENT
        saved = self.saved()
        if saved is None:
            raise _fail(
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
def _client(server: _Server, *, logged_in: bool = True) -> Iterator[ChatClient]:
    """A ``ChatClient`` for ``server`` (with the token when ``logged_in``); a failed call
    ends the command with a message saying what to do."""
    from netsandbox.clients.chat import ChatClient, ChatError

    token, source = server.token() if logged_in else (None, None)
    try:
        with ChatClient(server.url, token=token) as client:
            yield client
    except ChatError as exc:
        raise _fail(server.explain(exc, source)) from None


def login(
    username: Annotated[str, typer.Argument(help="Your username.")],
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from standard input (its first line) instead of asking.",
        ),
    ] = False,
    url: UrlOption = None,
) -> None:
    """Log in and keep the token for the next commands (in a file only you can read)."""
    server = _Server.load(url)
    password = _read_password(password_stdin)
    previous = server.saved()
    with _client(server, logged_in=False) as client:
        token = client.login(username, password)
        me = client.me()
    try:
        server.tokens.save(server.url, SavedToken(token, me.username))
    except TokenFileError as exc:
        raise _fail(str(exc)) from None
    if previous is not None and previous.token != token:
        _revoke_quietly(server.url, previous.token)
    _say(f"logged in to {server.url} as {me.username} (id {me.id}); token saved in "
         f"{server.tokens.path}")  # fmt: skip
    if server.settings.token:
        err.print("note: NETSANDBOX_TOKEN is set, and commands use it rather than this login.")


def _read_password(from_stdin: bool) -> str:
    if not from_stdin:
        return typer.prompt("Password", hide_input=True)
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise _fail("--password-stdin: standard input has no password (one line expected)")
    return password


def _revoke_quietly(url: str, token: str) -> None:
    """Revoke a token this login replaces; it may be expired already, which is fine."""
    from netsandbox.clients.chat import ChatClient, ChatError

    try:
        with ChatClient(url, token=token, retries=0) as client:
            client.logout()
    except ChatError:
        pass


def logout(url: UrlOption = None) -> None:
    """Revoke your token on the server and forget it here."""
    from netsandbox.clients.chat import ChatClient, ChatError

    server = _Server.load(url)
    if not server.settings.token and server.saved() is None:
        _say(f"not logged in to {server.url}: nothing to do")
        return
    token, source = server.token()
    already = False
    try:
        with ChatClient(server.url, token=token) as client:
            client.logout()
    except ChatError as exc:
        if exc.status != 401:
            raise _fail(server.explain(exc, None)) from None
        already = True
    if source != FROM_ENVIRONMENT:
        try:
            server.tokens.forget(server.url)
        except TokenFileError as exc:
            raise _fail(str(exc)) from None
    note = " (the token had already expired or been revoked)" if already else ""
    _say(f"logged out of {server.url}{note}")
    if source == FROM_ENVIRONMENT:
        err.print("note: NETSANDBOX_TOKEN still holds the revoked token: unset it.")


def users(
    ctx: typer.Context,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="Only users whose username or display name "
                     "contains this (any case)."),
    ] = None,
    url: UrlOption = None,
) -> None:  # fmt: skip
    """List the users of a chat server: their ids, names and statuses.

    The subcommands manage accounts, on the server's machine.
    """
    if ctx.invoked_subcommand is not None:
        return
    with _client(_Server.load(url)) as client:
        found = list(client.users(search=search))
    if not found:
        _say("no users match" if search else "no users yet")
        return
    table = Table(title=f"{len(found)} user{'' if len(found) == 1 else 's'}")
    for column in ("id", "username", "display name", "status"):
        table.add_column(column, justify="right" if column == "id" else "left")
    for user in found:
        table.add_row(str(user.id), Text(user.username), Text(user.display_name),
                      Text(user.status))  # fmt: skip
    out.print(table)


def status(
    text: Annotated[str, typer.Argument(help='Your new status, up to 140 characters ("" '
                                        "clears it).")],
    url: UrlOption = None,
) -> None:  # fmt: skip
    """Set your status, the line others see next to your name."""
    with _client(_Server.load(url)) as client:
        me = client.set_status(text)
    _say(f"status of {me.username}: {me.status}" if me.status
         else f"status of {me.username} cleared")  # fmt: skip


UserArgument = Annotated[
    str, typer.Argument(help="Who: a user id (a number) or a username (@name works too).")
]


def send(
    user: UserArgument,
    body: Annotated[str, typer.Argument(help="The message: 1 to 2000 characters.")],
    url: UrlOption = None,
) -> None:
    """Send a message to a user."""
    with _client(_Server.load(url)) as client:
        recipient = _find_user(client, user)
        message = client.send(recipient, body)
    _say(f"sent message {message.id} to {recipient.username} (id {recipient.id})")


def inbox(
    unread: Annotated[bool, typer.Option("--unread", help="Only messages not yet read.")] = False,
    mark_read: Annotated[
        bool, typer.Option("--mark-read", help="Mark the messages shown as read.")
    ] = False,
    limit: LimitOption = 20,
    url: UrlOption = None,
) -> None:
    """Show the messages sent to you, newest first."""
    with _client(_Server.load(url)) as client:
        messages = list(islice(client.inbox(unread=unread), limit))
        names = _Names(client)
        table = _messages_table(messages, names, title=f"inbox ({len(messages)} shown)")
        if mark_read:
            for message in messages:
                if message.read_at is None:
                    client.mark_read(message)
    if not messages:
        _say("no unread messages" if unread else "no messages")
        return
    out.print(table)
    if mark_read:
        _say(f"marked {sum(m.read_at is None for m in messages)} message(s) read")


def conversation(user: UserArgument, limit: LimitOption = 20, url: UrlOption = None) -> None:
    """Show your messages with a user, both ways, oldest first (the latest --limit of them)."""
    with _client(_Server.load(url)) as client:
        other = _find_user(client, user)
        messages = list(islice(client.conversation(other), limit))[::-1]
        table = _messages_table(messages, _Names(client), title=f"with {other.username}")
    if not messages:
        _say(f"no messages with {other.username} yet")
        return
    out.print(table)


def _find_user(client: ChatClient, who: str) -> User:
    """The user ``who`` names: a number is an id; anything else a username."""
    from netsandbox.clients.chat import ChatError

    if who.isdigit():
        try:
            return client.user(int(who))
        except ChatError as exc:
            if exc.status == 404:
                raise _fail(f"no user with id {who} (netsandbox chat users lists them)") from None
            raise
    name = who.removeprefix("@").strip().lower()
    for user in client.users(search=name):
        if user.username == name:
            return user
    raise _fail(f"no user named {name!r} (netsandbox chat users --search {name} finds close "
                "matches)")  # fmt: skip


class _Names:
    """Usernames by id, each fetched once."""

    def __init__(self, client: ChatClient) -> None:
        self._client = client
        self._names: dict[int, str] = {}

    def __call__(self, user_id: int) -> str:
        if user_id not in self._names:
            self._names[user_id] = self._client.user(user_id).username
        return self._names[user_id]


def _messages_table(messages: Iterable[Message], name: _Names, title: str) -> Table:
    table = Table(title=title)
    for column in ("id", "sent", "from", "read", "message"):
        table.add_column(column, justify="right" if column == "id" else "left")
    for message in messages:
        table.add_row(
            str(message.id), _when(message.created_at), Text(name(message.sender)),
            "yes" if message.read_at else "no", Text(message.body),
        )  # fmt: skip
    return table


def _when(moment: datetime) -> str:
    """In the local time zone, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def register(app: typer.Typer, users_app: typer.Typer) -> None:
    """Add the commands to ``netsandbox chat`` (and the listing to ``netsandbox chat users``)."""
    for command in (login, logout, status, send, inbox, conversation):
        app.command()(command)
    users_app.callback(invoke_without_command=True)(users)
