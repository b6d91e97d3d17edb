"""The ``netsandbox`` command: parses flags into settings and hands them to a service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from netsandbox import __version__
from netsandbox.chat.cli import app as chat_app
from netsandbox.contacts.cli import app as contacts_app
from netsandbox.core.settings import ServiceSettings, SettingsError
from netsandbox.random.cli import app as random_app
from netsandbox.services import SERVICES, ServiceInfo, is_loopback

app = typer.Typer(
    help="Servers and reference clients for learning the client side of networking.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(contacts_app, name="contacts")
app.add_typer(chat_app, name="chat")
app.add_typer(random_app, name="random")

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
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (0 picks a free one).")
    ] = None,
    data_dir: DataDirOption = None,
    idle_timeout: IdleTimeoutOption = None,
    log_level: LogLevelOption = None,
    exit_with_parent: Annotated[
        bool, typer.Option(help="Stop when the process that started this one exits.")
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option(help="chat: database URL (default: chat.sqlite3 in the data folder)."),
    ] = None,
    registration: Annotated[
        str | None,
        typer.Option(help="chat: who may register: open, closed, or code:<join code>."),
    ] = None,
    rate_limit: Annotated[
        str | None,
        typer.Option(help="chat: requests per second and burst per user, like 20,60; or off."),
    ] = None,
    login_limit: Annotated[
        str | None,
        typer.Option(help="chat: failed logins and seconds per username and address (5,900)."),
    ] = None,
    registration_limit: Annotated[
        str | None,
        typer.Option(help="chat: accounts and seconds per address (400,3600); or off."),
    ] = None,
    events_url: Annotated[
        str | None, typer.Option(help="chat: live-event broker (memory:// for one process).")
    ] = None,
    heartbeat: Annotated[
        float | None,
        typer.Option(help="chat: seconds between heartbeats on the event stream (15)."),
    ] = None,
    presence_grace: Annotated[
        float | None,
        typer.Option(help="chat: seconds without a stream or request before offline (10)."),
    ] = None,
    max_body_bytes: Annotated[
        int | None,
        typer.Option(help="HTTP: largest request body accepted (default 64 KiB, echo 1 MiB)."),
    ] = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="HTTP: comma-separated proxy addresses whose X-Forwarded-For/-Proto headers "
            "are trusted (default: none)."
        ),
    ] = None,
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
            database_url=database_url,
            registration=registration,
            rate_limit=rate_limit,
            login_limit=login_limit,
            registration_limit=registration_limit,
            events_url=events_url,
            heartbeat=heartbeat,
            presence_grace=presence_grace,
            max_body_bytes=max_body_bytes,
            forwarded_allow_ips=forwarded_allow_ips,
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
                _settings_for_up(
                    SERVICES[name],
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
        notes = [line for info, settings in plan for line in info.prepare_up(settings)]
    except Exception as exc:  # a database that cannot be opened, for example
        raise _fail(f"cannot prepare the services: {exc}") from None
    try:
        children = supervisor.start_all(plan)
    except RuntimeError as exc:
        raise _fail(str(exc)) from None
    _print_services(plan, notes)
    try:
        status = supervisor.wait_for_stop(children)
    finally:
        console.print("stopping...")
        supervisor.stop_all(children, timeout=max(s.shutdown_timeout for _, s in plan) + 1)
    raise typer.Exit(status)


def _settings_for_up(info: ServiceInfo, **overrides: object) -> ServiceSettings:
    """The service's settings, with its demo defaults when everything stays on loopback."""
    settings = info.settings(**overrides)
    if info.loopback_up_defaults and is_loopback(settings.host):
        settings = info.settings(defaults=info.loopback_up_defaults, **overrides)
    return settings


def _print_services(plan: list, notes: list[str]) -> None:
    """The table of services, then the services' notes (demo accounts...), in one write."""
    table = Table(title=f"netsandbox {__version__}: services running (Ctrl-C stops them)")
    table.add_column("service")
    table.add_column("address")
    table.add_column("what it is")
    for info, settings in plan:
        scheme = "http://" if info.protocol == "HTTP" else "tcp://"
        table.add_row(info.name, f"{scheme}{settings.host}:{settings.port}", info.description)
    table.caption = f"data in {plan[0][1].data_dir}"
    Console().print(table, *notes, sep="\n", highlight=False)


@app.command()
def version() -> None:
    """Print the version."""
    print(__version__)


def main() -> None:
    """Console-script entry point."""
    app()
