"""``netsandbox random ...``: ask a running random API for numbers, print the JSON array.

Only Typer is imported here; httpx loads inside the commands so ``netsandbox --help``
stays fast.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from netsandbox.core.settings import ServiceSettings, SettingsError
from netsandbox.random import DEFAULT_PORT

app = typer.Typer(help="Ask a running random API for numbers.", no_args_is_help=True)
err = Console(stderr=True)

CountOption = Annotated[int, typer.Option("-n", "--n", help="How many values (1 to 10000).")]
SeedOption = Annotated[
    int | None, typer.Option(help="Same seed, same values (reproducible).")
]
HostOption = Annotated[str, typer.Option(help="Address of the random API server.")]
PortOption = Annotated[
    int | None, typer.Option(help=f"Its port (default {DEFAULT_PORT}, or NETSANDBOX_RANDOM_PORT).")
]


def fetch(host: str, port: int | None, path: str, params: dict[str, Any]) -> list[Any]:
    """GET ``path`` with the given parameters (None ones left out); the decoded JSON array.

    Prints the server's error message and exits with status 1 on any failure.
    """
    import httpx

    try:
        if port is None:
            port = ServiceSettings.load("random", DEFAULT_PORT).port
        response = httpx.get(
            f"http://{host}:{port}{path}",
            params={name: value for name, value in params.items() if value is not None},
            timeout=10,
        )
    except (httpx.HTTPError, SettingsError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc) or type(exc).__name__)}", soft_wrap=True)
        raise typer.Exit(1) from None
    if response.is_error:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = f"{response.status_code} {response.reason_phrase}"
        err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
        raise typer.Exit(1)
    return response.json()


def _show(values: list[Any]) -> None:
    import json

    print(json.dumps(values, ensure_ascii=False))


@app.command("int")
def ints(
    n: CountOption = 1,
    min: Annotated[int | None, typer.Option(help="Smallest value (default 0).")] = None,
    max: Annotated[int | None, typer.Option(help="Values stay below it (default 100).")] = None,
    seed: SeedOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = None,
) -> None:
    """Random integers from [min, max)."""
    _show(fetch(host, port, "/api/random/int", {"n": n, "min": min, "max": max, "seed": seed}))


@app.command("float")
def floats(
    n: CountOption = 1,
    min: Annotated[float | None, typer.Option(help="Smallest value (default 0).")] = None,
    max: Annotated[float | None, typer.Option(help="Values stay below it (default 1).")] = None,
    seed: SeedOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = None,
) -> None:
    """Random decimal numbers from [min, max)."""
    _show(fetch(host, port, "/api/random/float", {"n": n, "min": min, "max": max, "seed": seed}))


@app.command("normal")
def normals(
    n: CountOption = 1,
    mean: Annotated[float | None, typer.Option(help="Centre (default 0).")] = None,
    sd: Annotated[float | None, typer.Option(help="Standard deviation (default 1).")] = None,
    seed: SeedOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = None,
) -> None:
    """Normally distributed numbers."""
    params = {"n": n, "mean": mean, "sd": sd, "seed": seed}
    _show(fetch(host, port, "/api/random/normal", params))


@app.command("choice")
def choices(
    options: Annotated[str, typer.Argument(help="Comma-separated list, e.g. rock,paper,scissors.")],
    n: CountOption = 1,
    seed: SeedOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = None,
) -> None:
    """Random picks from a list."""
    params = {"options": options, "n": n, "seed": seed}
    _show(fetch(host, port, "/api/random/choice", params))
