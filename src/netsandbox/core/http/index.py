"""``GET /`` (or another path): a small page listing a service's endpoints and linking its docs.

A browser gets HTML; a program that asks for JSON (``Accept: application/json``) gets the
same list as data. The list is read from the app's OpenAPI document, so it cannot drift
from the docs. An operation may carry ``x-example``: a URL to try, linked from the page.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

METHODS = ("get", "post", "put", "patch", "delete", "head", "options")

# The page's style, a served file (no inline style: see csp.py); installed with the docs.
STYLESHEET_URL = "/docs/static/index.css"


def install_index(app: FastAPI, path: str = "/") -> None:
    """Answer ``GET path`` with the list of endpoints (HTML, or JSON when asked)."""
    cache: dict[str, bytes] = {}
    app.state.index_path = path  # 404 messages point there

    async def index(request: Request) -> Response:
        if wants_json(request.headers.get("accept", "")):
            if "json" not in cache:
                cache["json"] = json.dumps(listing(app, path), indent=2).encode()
            return Response(cache["json"], media_type="application/json")
        if "html" not in cache:
            cache["html"] = render_html(listing(app, path)).encode()
        return HTMLResponse(cache["html"])

    app.add_api_route(
        path,
        index,
        methods=["GET"],
        summary="List the endpoints",
        description="This page: every endpoint with a one-line summary, and links to the "
        "docs. Send `Accept: application/json` to get the same list as JSON.",
        response_class=HTMLResponse,
        responses={
            200: {
                "description": "HTML for a browser, JSON when the Accept header asks for it.",
                "content": {
                    "text/html": {"example": "<!DOCTYPE html><html>...<table>...</table>"},
                    "application/json": {
                        "example": {
                            "service": "netsandbox random",
                            "docs": "/docs",
                            "endpoints": [
                                {
                                    "method": "GET",
                                    "path": "/api/random/int",
                                    "summary": "Random integers",
                                }
                            ],
                        }
                    },
                },
            }
        },
    )


def wants_json(accept: str) -> bool:
    """True when the client asked for JSON rather than a page (browsers ask for HTML)."""
    accept = accept.lower()
    return "json" in accept and "text/html" not in accept


def listing(app: FastAPI, index_path: str = "/") -> dict[str, Any]:
    """The service and its endpoints (but this index), from the OpenAPI document."""
    schema = app.openapi()
    endpoints = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS or path == index_path:
                continue
            entry = {"method": method.upper(), "path": path, "summary": operation.get("summary")}
            if "x-example" in operation:
                entry["example"] = operation["x-example"]
            endpoints.append(entry)
    return {
        "service": app.title,
        # The summary is plain text; the description may be Markdown, for the docs pages.
        "description": app.summary or app.description,
        "docs": "/docs",
        "redoc": "/redoc",
        "openapi": app.openapi_url,
        "endpoints": endpoints,
    }


def render_html(data: dict[str, Any]) -> str:
    rows = []
    for endpoint in data["endpoints"]:
        example = endpoint.get("example")
        if example is None and endpoint["method"] == "GET" and "{" not in endpoint["path"]:
            example = endpoint["path"]
        tried = f'<a class="try" href="{escape(example)}">{escape(example)}</a>' if example else ""
        rows.append(
            f'<tr><td class="m">{endpoint["method"]}</td><td><code>{escape(endpoint["path"])}'
            f"</code></td><td>{escape(endpoint['summary'] or '')}</td><td>{tried}</td></tr>"
        )
    title = escape(data["service"])
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<link rel="stylesheet" href="{STYLESHEET_URL}"></head><body><h1>{title}</h1>'
        f"<p>{escape(data['description'] or '')}</p>"
        f'<nav><a href="{data["docs"]}">Interactive docs</a><a href="{data["redoc"]}">'
        f'Reference</a><a href="{escape(data["openapi"] or "")}">OpenAPI (JSON)</a></nav>'
        "<table><thead><tr><th>method</th><th>path</th><th>what it does</th><th>try it</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></body></html>\n"
    )
