"""What every HTTP service shares: the hardened runner, the error shape, offline docs, an index.

A service builds a FastAPI app in ``create_app(settings)``, calls ``configure_app(app)`` (and
``install_index(app)`` for a landing page), and its ``serve(settings)`` returns
``run_http_service(create_app, settings)``.
"""

from netsandbox.core.http.app import configure_app
from netsandbox.core.http.errors import HttpError, invalid_parameter
from netsandbox.core.http.index import install_index
from netsandbox.core.http.openapi import document_operations
from netsandbox.core.http.runner import API_MAX_BODY_BYTES, run_http_service

__all__ = [
    "API_MAX_BODY_BYTES",
    "HttpError",
    "configure_app",
    "document_operations",
    "install_index",
    "invalid_parameter",
    "run_http_service",
]
