"""``configure_app``: what every netsandbox FastAPI app gets, installed in one call."""

from __future__ import annotations

from fastapi import FastAPI

from netsandbox.core.http.docs import install_docs
from netsandbox.core.http.errors import install_error_handlers
from netsandbox.core.http.openapi import install_openapi


def configure_app(app: FastAPI) -> FastAPI:
    """JSON errors in the common shape, an honest OpenAPI document, offline docs; returns app.

    Create the app with ``docs_url=None, redoc_url=None``: /docs and /redoc are served here,
    with their assets, instead of from a CDN.
    """
    install_error_handlers(app)
    install_openapi(app)
    install_docs(app)
    return app
