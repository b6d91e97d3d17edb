"""A tiny app served through run_http_service, so the runner's tests own their routes.

Run as ``python -m tests.core.tiny_http_app [--idle-timeout S] [--max-body-bytes N] ...``;
it prints the usual "tiny listening on HOST:PORT" line.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from fastapi import FastAPI, Query, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from netsandbox.core.http import configure_app, run_http_service
from netsandbox.core.http.push import chunk, push_opener
from netsandbox.core.settings import ServiceSettings

log = logging.getLogger("netsandbox.tiny")


class PushedParts(Response):
    """``part 0`` through ``send()``, then the response handed over by the runner (see
    core/http/push.py): ``part 1`` ... written directly every ``interval`` s, then the end."""

    def __init__(self, parts: int, interval: float) -> None:
        self.parts, self.interval, self.background = parts, interval, None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"part 0\n", "more_body": True})
        loop, timers = asyncio.get_running_loop(), []

        def lost() -> None:
            for timer in timers:
                timer.cancel()
            log.info("pushed response lost")

        open_push = push_opener(scope)
        push = open_push(scope, lost) if open_push is not None else None
        assert push is not None, "the runner offers every GET request a push"
        for number in range(1, self.parts):
            part = chunk(b"part %d\n" % number)
            timers.append(loop.call_later(number * self.interval, push.transport.write, part))
        timers.append(loop.call_later(self.parts * self.interval, push.end))


def create_app(settings: ServiceSettings) -> FastAPI:
    app = configure_app(FastAPI(title="tiny", docs_url=None, redoc_url=None))

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    @app.post("/size")
    async def size(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    @app.get("/slow")
    async def slow(seconds: float = Query(1.0, ge=0, le=30)) -> dict[str, float]:
        log.info("slow request started")
        await asyncio.sleep(seconds)
        return {"slept": seconds}

    @app.get("/pushed")
    async def pushed(parts: int = 3, interval: float = 0.02) -> PushedParts:
        return PushedParts(parts, interval)

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError("secret internal detail")

    return app


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--idle-timeout", type=float, default=10.0)
    parser.add_argument("--shutdown-timeout", type=float, default=5.0)
    parser.add_argument("--max-body-bytes", type=int, default=None)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--forwarded-allow-ips", default="")
    args = parser.parse_args(argv)
    settings = ServiceSettings(
        service="tiny",
        port=args.port,
        idle_timeout=args.idle_timeout,
        shutdown_timeout=args.shutdown_timeout,
        max_body_bytes=args.max_body_bytes,
        log_level=args.log_level,
        forwarded_allow_ips=args.forwarded_allow_ips,
    )
    return run_http_service(create_app, settings)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
