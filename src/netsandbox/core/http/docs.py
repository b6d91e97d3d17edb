"""Interactive API docs (Swagger UI at /docs, ReDoc at /redoc) that work with no internet.

FastAPI's own pages load their JavaScript and CSS from a CDN, which a classroom without
internet cannot reach. The same pages are served here with every asset from this server:
Swagger UI 5 and ReDoc come from the ``fastapi-offline`` package (we use only its static
files) and are served under ``/docs/assets/``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

ASSETS_URL = "/docs/assets"
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

    async def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title}: interactive docs",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
            swagger_ui_parameters=SWAGGER_PARAMETERS,
        )

    async def redoc(request: Request) -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title}: reference",
            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )

    app.add_api_route(docs_url, swagger_ui, methods=["GET"], include_in_schema=False)
    app.add_api_route(redoc_url, redoc, methods=["GET"], include_in_schema=False)
