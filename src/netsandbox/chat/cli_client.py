"""``netsandbox chat login|logout|users|status|send|inbox|conversation|watch``: the chat from a
shell.

Each command is a few calls of the reference ``ChatClient``; how a command reaches the
server (URL, token, errors) is in ``cli_connection``. The HTTP client is imported inside the
commands, so that ``netsandbox --help`` does not load it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from netsandbox.chat.cli_connection import (
    FROM_ENVIRONMENT,
    Connection,
    UrlOption,
    connect,
    err,
    fail,
    out,
    revoke_quietly,
    say,
)
from netsandbox.chat.token_file import SavedToken, TokenFileError

if TYPE_CHECKING:
    from netsandbox.clients.chat import ChatClient, Event, Message, User

LimitOption = Annotated[
    int, typer.Option("--limit", "-n", min=1, help="Show at most this many messages.")
]


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
    connection = Connection.load(url)
    password = _read_password(password_stdin)
    previous = connection.saved()
    with connect(connection, logged_in=False) as client:
        token = client.login(username, password)
        me = client.me()
    try:
        connection.tokens.save(connection.url, SavedToken(token, me.username))
    except TokenFileError as exc:
        raise fail(str(exc)) from None
    if previous is not None and previous.token != token:
        revoke_quietly(connection.url, previous.token)
    say(f"logged in to {connection.url} as {me.username} (id {me.id}); token saved in "
        f"{connection.tokens.path}")  # fmt: skip
    if connection.settings.token:
        err.print("note: NETSANDBOX_TOKEN is set, and commands use it rather than this login.")


def _read_password(from_stdin: bool) -> str:
    if not from_stdin:
        return typer.prompt("Password", hide_input=True)
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise fail("--password-stdin: standard input has no password (one line expected)")
    return password


def logout(url: UrlOption = None) -> None:
    """Revoke your token on the server and forget it here."""
    from netsandbox.clients.chat import ChatClient, ChatError

    connection = Connection.load(url)
    if not connection.settings.token and connection.saved() is None:
        say(f"not logged in to {connection.url}: nothing to do")
        return
    token, source = connection.token()
    already = False
    try:
        with ChatClient(connection.url, token=token) as client:
            client.logout()
    except ChatError as exc:
        if exc.status != 401:
            raise fail(connection.explain(exc, None)) from None
        already = True
    if source != FROM_ENVIRONMENT:
        try:
            connection.tokens.forget(connection.url)
        except TokenFileError as exc:
            raise fail(str(exc)) from None
    note = " (the token had already expired or been revoked)" if already else ""
    say(f"logged out of {connection.url}{note}")
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
    with connect(Connection.load(url)) as client:
        found = list(client.users(search=search))
    if not found:
        say("no users match" if search else "no users yet")
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
    with connect(Connection.load(url)) as client:
        me = client.set_status(text)
    say(f"status of {me.username}: {me.status}" if me.status
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
    with connect(Connection.load(url)) as client:
        recipient = _find_user(client, user)
        message = client.send(recipient, body)
    say(f"sent message {message.id} to {recipient.username} (id {recipient.id})")


def inbox(
    unread: Annotated[bool, typer.Option("--unread", help="Only messages not yet read.")] = False,
    mark_read: Annotated[
        bool, typer.Option("--mark-read", help="Mark the messages shown as read.")
    ] = False,
    limit: LimitOption = 20,
    url: UrlOption = None,
) -> None:
    """Show the messages sent to you, newest first."""
    with connect(Connection.load(url)) as client:
        messages = list(islice(client.inbox(unread=unread), limit))
        names = _Names(client)
        table = _messages_table(messages, names, title=f"inbox ({len(messages)} shown)")
        if mark_read:
            for message in messages:
                if message.read_at is None:
                    client.mark_read(message)
    if not messages:
        say("no unread messages" if unread else "no messages")
        return
    out.print(table)
    if mark_read:
        say(f"marked {sum(m.read_at is None for m in messages)} message(s) read")


def conversation(user: UserArgument, limit: LimitOption = 20, url: UrlOption = None) -> None:
    """Show your messages with a user, both ways, oldest first (the latest --limit of them)."""
    with connect(Connection.load(url)) as client:
        other = _find_user(client, user)
        messages = list(islice(client.conversation(other), limit))[::-1]
        table = _messages_table(messages, _Names(client), title=f"with {other.username}")
    if not messages:
        say(f"no messages with {other.username} yet")
        return
    out.print(table)


def watch(
    count: Annotated[
        int | None, typer.Option("--count", min=1, help="Stop after this many events.")
    ] = None,
    url: UrlOption = None,
) -> None:
    """Print the live events (messages to you, statuses, who is online) until Ctrl+C."""
    with connect(Connection.load(url)) as client:
        names = _Names(client)
        try:
            for seen, event in enumerate(client.events(), start=1):
                say(f"{datetime.now().strftime('%H:%M:%S')} {_describe(event, names)}")
                if count is not None and seen >= count:
                    break
        except KeyboardInterrupt:
            pass


def _describe(event: Event, name: _Names) -> str:
    data = event.data
    match event.type:
        case "message.created":
            return f"message {data['id']} from {name(data['from'])} to {name(data['to'])}: " \
                f"{data['body']}"  # fmt: skip
        case "message.read":
            return f"message {data['id']} to {name(data['to'])} was read"
        case "user.status":
            return f"{data['username']} is now {data['display_name']!r}, status {data['status']!r}"
        case "user.created":
            return f"new user {data['username']} (id {data['id']})"
        case "user.presence":
            return f"{name(data['id'])} is {data['presence']}"
        case "reset":
            return "(some events were missed: run inbox to catch up)"
        case "closed":
            return f"(the server closed the stream: {data.get('reason')})"
    return f"{event.type} {data}"


def _find_user(client: ChatClient, who: str) -> User:
    """The user ``who`` names: a number is an id; anything else a username."""
    from netsandbox.clients.chat import ChatError

    if who.isdigit():
        try:
            return client.user(int(who))
        except ChatError as exc:
            if exc.status == 404:
                raise fail(f"no user with id {who} (netsandbox chat users lists them)") from None
            raise
    name = who.removeprefix("@").strip().lower()
    for user in client.users(search=name):
        if user.username == name:
            return user
    raise fail(f"no user named {name!r} (netsandbox chat users --search {name} finds close "
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
    for command in (login, logout, status, send, inbox, conversation, watch):
        app.command()(command)
    users_app.callback(invoke_without_command=True)(users)
