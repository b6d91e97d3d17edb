"""Interactive API docs (Swagger UI at /docs, ReDoc at /redoc) that work with no internet.

FastAPI's own pages load their JavaScript and CSS from a CDN, which a classroom without
internet cannot reach. The same pages are served here with every asset from this server:
Swagger UI 5 and ReDoc come from the ``fastapi-offline`` package (we use only its static
files) and are served under ``/docs/assets/``; our own few files (Swagger UI's start-up
script, the pages' styles) under ``/docs/static/``. The pages have no inline script or
style, so they work under a strict Content-Security-Policy (see ``csp.py``).
"""

from __future__ import annotations

import json
from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import swagger_ui_default_parameters
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from netsandbox.core.http.csp import STRICT_POLICY

ASSETS_URL = "/docs/assets"
STATIC_URL = "/docs/static"
STATIC_DIR = Path(__file__).resolve().parent / "static"
# Each page sends the strict policy (csp.py) plus what its viewer needs, never inline script:
# Swagger UI's stylesheet draws its icons with data: images; ReDoc also styles itself with
# <style> elements it writes at run time (styled-components) and searches in a worker it
# builds from a blob: URL.
SWAGGER_POLICY = f"{STRICT_POLICY}; img-src 'self' data:"
REDOC_POLICY = f"{SWAGGER_POLICY}; style-src 'self' 'unsafe-inline'; worker-src blob:"
SWAGGER_PARAMETERS = {
    "validatorUrl": None,  # the default would send the spec to an online validator
    "tryItOutEnabled": True,
    "displayRequestDuration": True,
}


def assets_dir() -> Path:
    """Where the Swagger UI and ReDoc files are installed."""
    return Path(str(files("fastapi_offline") / "static"))


def install_docs(app: FastAPI, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """Serve the offline docs for ``app`` (created with ``docs_url=None, redoc_url=None``)."""
    if app.docs_url or app.redoc_url:
        raise ValueError(
            "create the app with docs_url=None and redoc_url=None: FastAPI's own docs pages "
            "load their assets from a CDN; install_docs serves them offline instead"
        )
    if app.openapi_url is None:
        raise ValueError("the docs need the OpenAPI document: keep openapi_url set")
    openapi_url = app.openapi_url
    app.mount(ASSETS_URL, StaticFiles(directory=assets_dir()), name="docs-assets")
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="docs-static")
    swagger_html = swagger_page(f"{app.title}: interactive docs", openapi_url)
    redoc_html = redoc_page(f"{app.title}: reference", openapi_url)

    async def swagger_ui(request: Request) -> HTMLResponse:
        return HTMLResponse(swagger_html, headers={"Content-Security-Policy": SWAGGER_POLICY})

    async def redoc(request: Request) -> HTMLResponse:
        return HTMLResponse(redoc_html, headers={"Content-Security-Policy": REDOC_POLICY})

    app.add_api_route(docs_url, swagger_ui, methods=["GET"], include_in_schema=False)
    app.add_api_route(redoc_url, redoc, methods=["GET"], include_in_schema=False)


def swagger_page(title: str, openapi_url: str) -> str:
    """Swagger UI's page; its settings travel in ``data-config``, read by swagger-init.js."""
    config = {**swagger_ui_default_parameters, **SWAGGER_PARAMETERS, "url": openapi_url}
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">'
        f'<link rel="icon" href="{ASSETS_URL}/favicon.png"></head>\n<body>'
        f'<div id="swagger-ui" data-config="{escape(json.dumps(config))}"></div>'
        f'<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>'
        f'<script src="{STATIC_URL}/swagger-init.js"></script></body></html>\n'
    )


def redoc_page(title: str, openapi_url: str) -> str:
    """ReDoc's page: the ``<redoc>`` element and its script (no fonts from the internet)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="{STATIC_URL}/redoc.css">'
        f'<link rel="icon" href="{ASSETS_URL}/favicon.png"></head>\n<body>'
        "<noscript>ReDoc needs JavaScript to show the documentation.</noscript>"
        f'<redoc spec-url="{escape(openapi_url)}"></redoc>'
        f'<script src="{ASSETS_URL}/redoc.standalone.js"></script></body></html>\n'
    )
