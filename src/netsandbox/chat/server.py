"""Runs the chat service on the shared HTTP runner."""

from __future__ import annotations

from netsandbox.chat.settings import ChatSettings


def serve(settings: ChatSettings) -> int:
    """Run the chat service until stopped; return the exit status."""
    from netsandbox.chat.app import create_app
    from netsandbox.core.http import run_http_service

    return run_http_service(create_app, settings)
