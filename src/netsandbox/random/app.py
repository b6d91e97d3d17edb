"""The random API as an ASGI app: ``create_app(settings)``."""

from __future__ import annotations

from random import Random

from fastapi import FastAPI

from netsandbox import __version__
from netsandbox.core.http import configure_app, document_operations, install_index
from netsandbox.core.http.fast_lane import FastLane, with_fast_lane
from netsandbox.core.settings import ServiceSettings
from netsandbox.random.endpoints import ENDPOINTS

SUMMARY = (
    "Random numbers on demand, as JSON arrays: every endpoint takes n (how many, 1 to 10000) "
    "and seed (the same seed gives the same values). Bad parameters get a 422 that names them."
)
DESCRIPTION = """\
Random numbers on demand, as JSON arrays. Every endpoint takes `n` (how many, 1 to 10000,
default 1) and `seed` (the same seed gives the same values). Start with
[`/api/random/int?n=20`](/api/random/int?n=20).

Errors are JSON too: `{"error": {"code": ..., "message": ...}}`; a bad parameter gets 422
with its name (`parameter`) and the rule it broke (`rule`).
"""


def create_app(settings: ServiceSettings) -> FastLane:
    """The random API; each app has its own generator for unseeded requests.

    The endpoints ride the fast lane (the API is hammered in class); ``.app`` is the
    FastAPI app behind, which serves everything else: /, the docs, errors.
    """
    app = FastAPI(
        title="netsandbox random",
        summary=SUMMARY,
        description=DESCRIPTION,
        version=__version__,
        docs_url=None,
        redoc_url=None,
    )
    configure_app(app)
    shared = Random()
    document_operations(app, {endpoint.path: endpoint.openapi() for endpoint in ENDPOINTS})
    install_index(app)
    return with_fast_lane(app, {endpoint.path: endpoint.endpoint(shared) for endpoint in ENDPOINTS})
