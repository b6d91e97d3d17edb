"""The event stream as it is usually first built: Starlette, sse-starlette, and one
``asyncio.Queue`` per subscriber, under uvicorn (uvloop, httptools).

``GET /api/events`` with a bearer token from ``--tokens`` opens a stream (a ``retry:`` line,
then the events, with sse-starlette's ping every 15 s); ``PATCH /api/users/{id}`` with a
JSON body sets that user's status and puts the event in every subscriber's queue.
"""

from __future__ import annotations

import argparse
import asyncio
import json

import uvicorn
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

USERS: dict[str, int] = {}  # token -> user id
QUEUES: set[asyncio.Queue] = set()


def user_of(request: Request) -> int | None:
    return USERS.get(request.headers.get("authorization", "").removeprefix("Bearer "))


async def events(request: Request) -> Response:
    if user_of(request) is None:
        return JSONResponse({"error": "unauthorized"}, status_code=401)
    queue: asyncio.Queue = asyncio.Queue(maxsize=256)

    async def stream():
        QUEUES.add(queue)
        try:
            yield ServerSentEvent(retry=2000)
            while True:
                yield await queue.get()
        finally:
            QUEUES.discard(queue)

    return EventSourceResponse(stream(), ping=15)


async def set_status(request: Request) -> Response:
    if user_of(request) is None:
        return JSONResponse({"error": "unauthorized"}, status_code=401)
    user = {"id": int(request.path_params["id"]), **await request.json()}
    event = ServerSentEvent(json.dumps(user), event="user.status")
    for queue in list(QUEUES):
        queue.put_nowait(event)
    return JSONResponse(user)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tokens", required=True, help='"<user id> <token>" lines')
    args = parser.parse_args()
    with open(args.tokens) as lines:
        USERS.update((token, int(user)) for user, token in map(str.split, lines))
    routes = [Route("/api/events", events), Route("/api/users/{id}", set_status, methods=["PATCH"])]
    app = Starlette(routes=routes)
    uvicorn.run(app, port=args.port, loop="uvloop", http="httptools", log_level="warning",
                access_log=False, backlog=4096)  # fmt: skip


if __name__ == "__main__":
    main()
