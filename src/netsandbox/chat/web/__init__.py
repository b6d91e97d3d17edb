"""The chat's web client: ``GET /`` answers the page, ``/static/...`` its CSS and JavaScript.

The files are plain HTML, CSS and JavaScript modules shipped in this package: no build step.
They change only with the package, so they are read once, when the app is built, and kept in
memory with an ETag each. Browsers revalidate them on every load (``Cache-Control:
no-cache``) and get a 304 while nothing changed: a teacher who upgrades netsandbox never
leaves a class with half old, half new modules.

The page's Content-Security-Policy (no inline script, nothing from elsewhere) is added to
every HTML response by the app's ``ContentSecurityPolicy`` middleware (``core/http/csp.py``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from netsandbox.core.http.errors import HttpError

STATIC_URL = "/static"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}
COMMON_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
}
PAGE_HEADERS = {
    **COMMON_HEADERS,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # frame-ancestors, for browsers that predate it
}


@dataclass(frozen=True, slots=True)
class Asset:
    """One file as sent: its bytes, content type and ETag."""

    body: bytes
    content_type: str
    etag: str

    @classmethod
    def of(cls, body: bytes, name: str) -> Asset:
        suffix = name[name.rfind(".") :]
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        return cls(body, CONTENT_TYPES[suffix], f'"{digest}"')

    def response(self, request: Request, headers: dict[str, str]) -> Response:
        headers = {**headers, "ETag": self.etag}
        if self.etag in _etags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        return Response(self.body, media_type=self.content_type, headers=headers)


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}


def load_assets(root: Traversable) -> dict[str, Asset]:
    """Every file under ``root`` with a known type, by its path relative to ``root``."""
    found: dict[str, Asset] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif any(entry.name.endswith(suffix) for suffix in CONTENT_TYPES):
                found[prefix + entry.name] = Asset.of(entry.read_bytes(), entry.name)

    walk(root, "")
    return found


def install_web_client(app: FastAPI) -> None:
    """Serve the page at ``/`` and its assets under ``/static/`` (before any other ``/``)."""
    package = files(__name__)
    page = Asset.of((package / "index.html").read_bytes(), "index.html")
    assets = load_assets(package / "static")

    async def web_client(request: Request) -> Response:
        return page.response(request, PAGE_HEADERS)

    async def static_file(request: Request, path: str) -> Response:
        asset = assets.get(path)
        if asset is None:
            raise HttpError(404, f"No file {STATIC_URL}/{path} here.")
        return asset.response(request, COMMON_HEADERS)

    # HEAD too: what `curl -I` and link checkers send (the server sends no body for it).
    app.add_api_route("/", web_client, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route(
        STATIC_URL + "/{path:path}", static_file, methods=["GET", "HEAD"], include_in_schema=False
    )
