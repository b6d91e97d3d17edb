"""Accounts made by the teacher: one at a time, from a class roster, and the demo accounts.

The roster logic (reading a CSV, deriving usernames, checking every row) is pure and runs
before anything is written: a roster with a mistake creates no account at all.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from netsandbox.chat.context import ChatContext
from netsandbox.chat.models import DISPLAY_NAME_MAX, ROLES, USERNAME_MAX
from netsandbox.chat.schemas import PASSWORD_MIN, USERNAME_PATTERN
from netsandbox.chat.security import new_password
from netsandbox.chat.settings import ChatSettings
from netsandbox.core.settings import ServiceSettings
from netsandbox.services import is_loopback

USERNAME = re.compile(USERNAME_PATTERN)
HEADER_ALIASES = {
    "username": "username", "login": "username", "user": "username", "identifiant": "username",
    "display_name": "display_name", "name": "display_name", "full_name": "display_name",
    "nom": "display_name", "displayname": "display_name",
    "role": "role", "password": "password", "mot_de_passe": "password",
}  # fmt: skip
CREDENTIAL_COLUMNS = ("id", "username", "password", "display_name", "role")
DEMO_ACCOUNTS = (
    ("demo-ada", "Ada (demo)"),
    ("demo-alan", "Alan (demo)"),
    ("demo-grace", "Grace (demo)"),
)


class RosterError(ValueError):
    """The roster cannot be imported; the message lists every problem with its line."""


@dataclass(frozen=True, slots=True)
class Account:
    username: str
    display_name: str
    role: str = "student"
    password: str = ""  # empty: one is generated


def username_from_name(name: str) -> str:
    """``"Élise Müller-Ng"`` -> ``"elise.muller-ng"``: ASCII, lowercase, dots for spaces."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9_-]+", ascii_text.lower())
    return ".".join(words)[:USERNAME_MAX].strip(".")


def parse_roster(text: str, default_role: str = "student") -> list[Account]:
    """Read a roster CSV (header row; columns username and/or display_name, optional role
    and password; comma, semicolon or tab separated). Raises ``RosterError``."""
    lines = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(lines.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(lines), dialect)
    header = next(reader, None)
    if not header:
        raise RosterError("the roster is empty: the first line must name the columns")
    columns = [HEADER_ALIASES.get(h.strip().lower().replace(" ", "_"), "") for h in header]
    if "username" not in columns and "display_name" not in columns:
        raise RosterError(
            "the first line must name the columns, with username and/or display_name "
            f"(found: {', '.join(header)})"
        )
    accounts, problems, seen = [], [], set()
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = {column: cell.strip() for column, cell in zip(columns, cells, strict=False) if column}
        account, problem = check_account(
            row.get("username", ""), row.get("display_name", ""),
            row.get("role", "") or default_role, row.get("password", ""),
        )  # fmt: skip
        if problem:
            problems.append(f"line {number}: {problem}")
        elif account.username in seen:
            problems.append(f"line {number}: username {account.username!r} appears twice")
        else:
            seen.add(account.username)
            accounts.append(account)
    if problems:
        raise RosterError("\n".join(problems))
    return accounts


def check_account(
    username: str, display_name: str, role: str = "student", password: str = ""
) -> tuple[Account, str]:
    """The account these values describe, and what is wrong with it ("" if nothing).

    A missing username is derived from the display name, a missing display name is the
    username; an empty password means "generate one"."""
    username = username.strip().lower() or username_from_name(display_name)
    display_name = display_name.strip() or username
    role = role.strip().lower()
    account = Account(username, display_name, role, password)
    if not USERNAME.fullmatch(username):
        return account, f"username {username!r} must be 2-32 of a-z 0-9 _ . -"
    if not display_name.isprintable():
        return account, "display name must be one line of printable text"
    if len(display_name) > DISPLAY_NAME_MAX:
        return account, f"display name is over {DISPLAY_NAME_MAX} characters"
    if role not in ROLES:
        return account, f"role {role!r} must be one of {', '.join(ROLES)}"
    if password and len(password) < PASSWORD_MIN:
        return account, f"password must be at least {PASSWORD_MIN} characters"
    return account, ""


async def create_accounts(
    chat: ChatContext, accounts: Sequence[Account]
) -> tuple[list[dict[str, str]], list[str]]:
    """Create the accounts whose username is free; returns (credentials, skipped usernames)."""
    taken = await chat.store.existing_usernames(a.username for a in accounts)
    fresh = [a for a in accounts if a.username not in taken]
    passwords = [a.password or new_password() for a in fresh]
    hashes = [await chat.passwords.hash(p) for p in passwords]
    users = await chat.store.create_users(
        [{"username": a.username, "display_name": a.display_name, "role": a.role,
          "password_hash": h} for a, h in zip(fresh, hashes, strict=True)]
    )  # fmt: skip
    credentials = [
        {"id": str(user["id"]), "username": user["username"], "password": password,
         "display_name": user["display_name"], "role": user["role"]}
        for user, password in zip(users, passwords, strict=True)
    ]  # fmt: skip
    return credentials, sorted(taken)


async def reset_password(chat: ChatContext, username: str, password: str = "") -> str | None:
    """Give an account a new password (generated if empty); None if there is no such user."""
    user_id = await chat.store.user_id_by_username(username)
    if user_id is None:
        return None
    password = password or new_password()
    await chat.store.set_password(user_id, await chat.passwords.hash(password))
    return password


async def demo_accounts(chat: ChatContext) -> list[tuple[str, str]]:
    """The demo accounts, created if missing, each with a fresh password: (username, password)."""
    created, existing = await create_accounts(
        chat, [Account(username, name) for username, name in DEMO_ACCOUNTS]
    )
    result = [(c["username"], c["password"]) for c in created]
    for username in existing:
        result.append((username, await reset_password(chat, username) or ""))
    return sorted(result)


def write_credentials(path: Path, credentials: Iterable[dict[str, str]]) -> None:
    """Write the credentials CSV, readable by its owner only; never overwrite one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=CREDENTIAL_COLUMNS)
        writer.writeheader()
        writer.writerows(credentials)


def prepare_up(settings: ServiceSettings) -> list[str]:
    """``netsandbox up`` hook: on loopback, give the demo accounts fresh passwords to print."""
    import asyncio

    from netsandbox.chat.context import open_chat

    if not is_loopback(settings.host) or not isinstance(settings, ChatSettings):
        return []

    async def run() -> list[tuple[str, str]]:
        async with open_chat(settings) as chat:
            return await demo_accounts(chat)

    accounts = asyncio.run(run())
    lines = [f"chat demo accounts (new passwords at each start; registration is "
             f"{settings.registration}):"]  # fmt: skip
    lines += [f"  {username:<12} {password}" for username, password in accounts]
    return lines
