"""``netsandbox chat ...``: manage the chat service's accounts (on the server's machine).

The commands that talk to a running server (login, send, inbox...) are in ``cli_client``.
Only Typer is imported here: the database stack loads inside the commands, so that
``netsandbox --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from netsandbox.chat import DEFAULT_PORT, cli_client
from netsandbox.chat.settings import ChatSettings
from netsandbox.core.settings import SettingsError

app = typer.Typer(
    help="The chat service: log in, send and read messages; manage its accounts.",
    no_args_is_help=True,
)
users_app = typer.Typer(
    help="List the users of a chat server (--search to filter). The subcommands create "
    "accounts in the chat database (run them where the server keeps its data).",
)
app.add_typer(users_app, name="users")
cli_client.register(app, users_app)

DataDirOption = Annotated[
    Path | None, typer.Option(help="The services' data folder (as given to the server).")
]
DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(help="Database URL (default: chat.sqlite3 in the data folder)."),
]
RoleOption = Annotated[str, typer.Option(help="student or teacher.")]
T = TypeVar("T")


def _settings(data_dir: Path | None, database_url: str | None) -> ChatSettings:
    try:
        overrides = {"data_dir": data_dir, "database_url": database_url}
        return ChatSettings.load("chat", DEFAULT_PORT, overrides)
    except SettingsError as exc:
        raise _fail(str(exc)) from None


def _run(work: Coroutine[Any, Any, T]) -> T:
    import asyncio

    return asyncio.run(work)


def _fail(message: str) -> typer.Exit:
    print(f"error: {message}", file=sys.stderr)
    return typer.Exit(2)


@users_app.command("add")
def add_user(
    username: Annotated[str, typer.Argument(help="2-32 of a-z 0-9 _ . -")],
    display_name: Annotated[str | None, typer.Option(help="Name shown to others.")] = None,
    role: RoleOption = "student",
    password: Annotated[
        str | None, typer.Option(help="Password (default: a generated one, printed).")
    ] = None,
    data_dir: DataDirOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Create one account and print its password."""
    from netsandbox.chat.accounts import check_account, create_accounts
    from netsandbox.chat.context import open_chat

    account, problem = check_account(username, display_name or "", role, password or "")
    if problem:
        raise _fail(problem)

    async def run() -> tuple[list[dict[str, str]], list[str]]:
        async with open_chat(_settings(data_dir, database_url)) as chat:
            return await create_accounts(chat, [account])

    created, skipped = _run(run())
    if skipped:
        raise _fail(
            f"the username {username!r} is taken (to give it a new password: "
            f"netsandbox chat users passwd {username})"
        )
    user = created[0]
    print(f"created {user['username']} (id {user['id']}, {user['role']}), "
          f"password: {user['password']}")  # fmt: skip


@users_app.command("passwd")
def reset_password(
    username: str,
    password: Annotated[str | None, typer.Option(help="New password (default: generated).")] = None,
    data_dir: DataDirOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Give an account a new password and print it."""
    from netsandbox.chat import accounts
    from netsandbox.chat.context import open_chat

    if password is not None and len(password) < 8:
        raise _fail("the password must be at least 8 characters")

    async def run() -> str | None:
        async with open_chat(_settings(data_dir, database_url)) as chat:
            return await accounts.reset_password(chat, username, password or "")

    new = _run(run())
    if new is None:
        raise _fail(f"no user named {username!r}")
    print(f"{username}: new password {new}")


@users_app.command("import")
def import_roster(
    roster: Annotated[Path, typer.Argument(help="CSV with a header: username and/or "
                                           "display_name, optional role and password.")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Where to write the credentials CSV (default: "
        "<roster>-credentials.csv); never overwritten.")] = None,
    role: RoleOption = "student",
    data_dir: DataDirOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:  # fmt: skip
    """Create an account for each line of a class roster and write their passwords to a
    credentials CSV (readable only by you) to hand out. Existing usernames are skipped."""
    from netsandbox.chat.accounts import (
        RosterError,
        create_accounts,
        parse_roster,
        write_credentials,
    )
    from netsandbox.chat.context import open_chat

    output = output or roster.with_name(f"{roster.stem}-credentials.csv")
    if output.exists():
        raise _fail(f"{output} already exists; choose another --output (it holds passwords)")
    try:
        accounts = parse_roster(roster.read_text(encoding="utf-8-sig"), default_role=role)
    except OSError as exc:
        raise _fail(f"cannot read {roster}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise _fail(f"{roster} is not UTF-8 text (save it as 'CSV UTF-8')") from None
    except RosterError as exc:
        raise _fail(f"{roster} was not imported; nothing was created:\n{exc}") from None

    async def run() -> tuple[list[dict[str, str]], list[str]]:
        async with open_chat(_settings(data_dir, database_url)) as chat:
            return await create_accounts(chat, accounts)

    created, skipped = _run(run())
    write_credentials(output, created)
    print(f"created {len(created)} accounts; passwords in {output}")
    if skipped:
        print(f"skipped {len(skipped)} existing usernames: {', '.join(skipped)}")
