"""The ``netsandbox`` command: parses flags into settings and hands them to a service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from netsandbox import __version__
from netsandbox.contacts.cli import app as contacts_app
from netsandbox.core.settings import SettingsError
from netsandbox.services import SERVICES

app = typer.Typer(
    help="Servers and reference clients for learning the client side of networking.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(contacts_app, name="contacts")

console = Console(stderr=True)

HostOption = Annotated[
    str | None,
    typer.Option(help="Address to listen on (default 127.0.0.1; 0.0.0.0 opens it to the network)."),
]
DataDirOption = Annotated[
    Path | None, typer.Option(help="Folder for the services' data (default: see README).")
]
IdleTimeoutOption = Annotated[
    float | None,
    typer.Option(help="Seconds a client has, from connecting, to send a complete request."),
]
LogLevelOption = Annotated[
    str | None, typer.Option(help="debug, info (one line per request), warning or error.")
]


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}")
    return typer.Exit(2)


@app.command()
def serve(
    service: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICES)}.")],
    host: HostOption = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (0 picks a free one).")] = None,
    data_dir: DataDirOption = None,
    idle_timeout: IdleTimeoutOption = None,
    log_level: LogLevelOption = None,
    exit_with_parent: Annotated[
        bool, typer.Option(help="Stop when the process that started this one exits.")
    ] = False,
) -> None:
    """Run one service in the foreground until Ctrl-C or SIGTERM."""
    info = SERVICES.get(service)
    if info is None:
        raise _fail(f"unknown service {service!r}; choose one of: {', '.join(SERVICES)}")
    try:
        settings = info.settings(
            host=host,
            port=port,
            data_dir=data_dir,
            idle_timeout=idle_timeout,
            log_level=log_level.lower() if log_level else None,
            exit_with_parent=exit_with_parent or None,
        )
    except SettingsError as exc:
        raise _fail(str(exc)) from None
    raise typer.Exit(info.server()(settings))


@app.command()
def up(
    host: HostOption = None,
    data_dir: DataDirOption = None,
    idle_timeout: IdleTimeoutOption = None,
    log_level: LogLevelOption = None,
    only: Annotated[
        str | None, typer.Option(help="Comma-separated services to start (default: all).")
    ] = None,
) -> None:
    """Start every service and print where each one listens; Ctrl-C stops them all."""
    from netsandbox import supervisor

    names = [n.strip() for n in only.split(",")] if only else list(SERVICES)
    unknown = [n for n in names if n not in SERVICES]
    if unknown:
        raise _fail(f"unknown service(s) {', '.join(unknown)}; choose from {', '.join(SERVICES)}")
    try:
        plan = [
            (
                SERVICES[name],
                SERVICES[name].settings(
                    host=host,
                    data_dir=data_dir,
                    idle_timeout=idle_timeout,
                    log_level=log_level.lower() if log_level else None,
                ),
            )
            for name in names
        ]
    except SettingsError as exc:
        raise _fail(str(exc)) from None
    try:
        children = supervisor.start_all(plan)
    except RuntimeError as exc:
        raise _fail(str(exc)) from None
    _print_services(plan)
    try:
        status = supervisor.wait_for_stop(children)
    finally:
        console.print("stopping...")
        supervisor.stop_all(children, timeout=max(s.shutdown_timeout for _, s in plan) + 1)
    raise typer.Exit(status)


def _print_services(plan: list) -> None:
    table = Table(title=f"netsandbox {__version__}: services running (Ctrl-C stops them)")
    table.add_column("service")
    table.add_column("address")
    table.add_column("what it is")
    for info, settings in plan:
        scheme = "http://" if info.protocol == "HTTP" else "tcp://"
        table.add_row(info.name, f"{scheme}{settings.host}:{settings.port}", info.description)
    table.caption = f"data in {plan[0][1].data_dir}"
    Console().print(table)


@app.command()
def version() -> None:
    """Print the version."""
    print(__version__)


def main() -> None:
    """Console-script entry point."""
    app()
