"""``netsandbox contacts ...``: talk to a running contacts service with the reference client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from netsandbox.clients.contacts import ContactClient, ContactClientError
from netsandbox.contacts import DEFAULT_PORT
from netsandbox.core.settings import ServiceSettings, SettingsError

app = typer.Typer(help="Talk to a running contacts service.", no_args_is_help=True)

out = Console()
err = Console(stderr=True)

HostOption = Annotated[str, typer.Option(help="Address of the contacts server.")]
PortOption = Annotated[
    int | None,
    typer.Option(help=f"Its port (default {DEFAULT_PORT}, or NETSANDBOX_CONTACTS_PORT)."),
]


@contextmanager
def _client(host: str, port: int | None) -> Iterator[ContactClient]:
    """A client for the server; any failure is printed in red and exits with status 1."""
    try:
        if port is None:
            port = ServiceSettings.load("contacts", DEFAULT_PORT).port
        yield ContactClient(host, port)
    except (ContactClientError, SettingsError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(1) from None


def _show(contacts: dict[str, str], title: str) -> None:
    table = Table(title=title)
    table.add_column("name")
    table.add_column("mail")
    for name, mail in contacts.items():
        table.add_row(Text(name), Text(mail))  # Text: names are shown as typed, never as markup
    out.print(table)


def _done(message: str) -> None:
    out.print(Text(message, style="green"))


@app.command("list")
def list_contacts(host: HostOption = "127.0.0.1", port: PortOption = None) -> None:
    """Show every contact."""
    with _client(host, port) as client:
        contacts = client.list()
    _show(contacts, f"{len(contacts)} contact{'' if len(contacts) == 1 else 's'}")


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="The contact's name.")],
    mail: Annotated[str, typer.Argument(help="Their e-mail address.")],
    host: HostOption = "127.0.0.1",
    port: PortOption = None,
) -> None:
    """Add a contact, or change the mail of an existing one."""
    with _client(host, port) as client:
        _done(client.add(name, mail))


@app.command()
def get(
    name: Annotated[str, typer.Argument(help="The exact name (case matters).")],
    host: HostOption = "127.0.0.1",
    port: PortOption = None,
) -> None:
    """Show one contact."""
    with _client(host, port) as client:
        mail = client.get(name)
    _show({name.strip(): mail}, "contact")


@app.command()
def remove(
    name: Annotated[str, typer.Argument(help="The exact name (case matters).")],
    host: HostOption = "127.0.0.1",
    port: PortOption = None,
) -> None:
    """Delete a contact."""
    with _client(host, port) as client:
        _done(client.remove(name))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Text to look for in names and mails, any case.")],
    host: HostOption = "127.0.0.1",
    port: PortOption = None,
) -> None:
    """Show the contacts whose name or mail contains QUERY."""
    with _client(host, port) as client:
        found = client.search(query)
    _show(found, f"{len(found)} matching {query!r}")
