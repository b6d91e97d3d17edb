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

from netsandbox.core.http import configure_app, run_http_service
from netsandbox.core.settings import ServiceSettings


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
        logging.getLogger("netsandbox.tiny").info("slow request started")
        await asyncio.sleep(seconds)
        return {"slept": seconds}

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
