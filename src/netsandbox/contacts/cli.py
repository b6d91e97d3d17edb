"""``netsandbox contacts ...``: talk to a running contacts service."""

import typer

app = typer.Typer(help="Talk to a running contacts service.", no_args_is_help=True)
