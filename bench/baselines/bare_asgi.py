"""The ceiling of our HTTP stack: a bare ASGI app with a fixed body, on our HTTP runner.

Same server as the services (``run_http_service``: uvicorn, uvloop, the httptools protocol
with our limits and its access log) with nothing in the app: no routing, no
validation, no serialisation. ``--log-level info`` turns the access log on, to price it.
"""

from __future__ import annotations

import argparse
import sys

from starlette.types import Receive, Scope, Send

from netsandbox.core.http import run_http_service
from netsandbox.core.settings import ServiceSettings

BODY = b"[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]"
HEADERS = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BODY))]


async def fixed_body(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":  # nothing to start or stop
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log-level", default="warning", help="info: with the access log")
    args = parser.parse_args()
    settings = ServiceSettings(service="ceiling", port=args.port, log_level=args.log_level)
    return run_http_service(lambda _settings: fixed_body, settings)


if __name__ == "__main__":
    sys.exit(main())
