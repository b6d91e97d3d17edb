"""The echo service's ASGI app: httpbin's routes, answered the way httpbin answers them."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp

from netsandbox import __version__
from netsandbox.core.http import configure_app, install_index
from netsandbox.core.http.fast_lane import with_fast_lane
from netsandbox.core.settings import ServiceSettings
from netsandbox.echo.middleware import Cors, HeadAsGet, Isolation
from netsandbox.echo.responses import EchoJSON
from netsandbox.echo.routes import (
    auth,
    caching,
    cookies,
    dynamic,
    formats,
    inspection,
    methods,
    ranges,
    redirects,
    status,
)

ROUTERS = (methods, inspection, status, redirects, auth, cookies, formats, dynamic, caching, ranges)

DESCRIPTION = (
    "An HTTP echo service compatible with httpbin.org: send it any request and read back "
    "what the server saw (query string, headers, form, files, JSON body...), laid out as "
    "httpbin lays it out. Also status codes, redirects, authentication, cookies, delays and "
    "sample documents to practise an HTTP client on."
)


def create_app(settings: ServiceSettings) -> ASGIApp:
    """A new app for ``settings``; nothing is shared between two apps.

    ``/get`` rides the fast lane, in front of the FastAPI app that serves everything else;
    the CORS headers wrap both.
    """
    app = FastAPI(
        title="netsandbox echo",
        version=__version__,
        description=DESCRIPTION,
        default_response_class=EchoJSON,
        docs_url=None,
        redoc_url=None,
    )
    # Behind a trusted reverse proxy, the echo hides the headers that proxy adds, as httpbin.
    app.state.behind_proxy = bool(settings.forwarded_allow_ips)
    install_index(app)
    for module in ROUTERS:
        app.include_router(module.router)
    configure_app(app)
    app.add_middleware(HeadAsGet)
    served = Cors(with_fast_lane(app, {"/get": methods.FastGet(app)}))
    return Isolation(served, own_pages=frozenset({"/", "/docs", "/redoc"}))
