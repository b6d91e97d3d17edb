"""Runs the echo service on the shared HTTP runner."""

from __future__ import annotations

from netsandbox.core.settings import ServiceSettings

# Echo takes uploads (httpbin's /post with files), so its cap is above the APIs' 64 KiB.
# NETSANDBOX_MAX_BODY_BYTES overrides it.
MAX_BODY_BYTES = 1024 * 1024


def serve(settings: ServiceSettings) -> int:
    """Run the echo service until stopped; return the exit status."""
    from netsandbox.core.http import run_http_service
    from netsandbox.echo.app import create_app

    return run_http_service(create_app, settings, max_body_bytes=MAX_BODY_BYTES)
