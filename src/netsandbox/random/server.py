"""Runs the random API: ``serve(settings)``."""

from __future__ import annotations

from netsandbox.core.http import run_http_service
from netsandbox.core.settings import ServiceSettings
from netsandbox.random.app import create_app


def serve(settings: ServiceSettings) -> int:
    """Run the random API until stopped; return the exit status."""
    return run_http_service(create_app, settings)
