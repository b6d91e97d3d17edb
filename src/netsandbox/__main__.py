"""``python -m netsandbox`` runs the CLI."""

from netsandbox.cli import main

main()
