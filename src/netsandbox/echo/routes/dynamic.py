"""Dynamic data: /delay/{n}, /bytes/{n}, /stream/{n}, /drip, /uuid, /base64/{value}."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import math
import os
import random
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.types import Receive

from netsandbox.core.http import HttpError
from netsandbox.echo import examples
from netsandbox.echo.request_echo import basics, full_echo
from netsandbox.echo.responses import EchoJSON
from netsandbox.echo.routes.per_method import per_method

router = APIRouter(tags=["Dynamic data"])

MAX_DELAY_SECONDS = 10.0
MAX_BYTES = 100 * 1024
MAX_STREAM_LINES = 100
MAX_DRIP_BYTES = 10 * 1024 * 1024
# /drip sends its bytes in steps at least this far apart, and no bigger than a piece.
DRIP_TICK_SECONDS = 0.01
DRIP_PIECE_BYTES = 64 * 1024
# Codes whose answer cannot carry the bytes /drip sends.
BODILESS_CODES = frozenset({204, 205, 304})


def delay_seconds(asked: float) -> float:
    """How long /delay/{n} waits: as asked, but never more than the cap."""
    return min(asked, MAX_DELAY_SECONDS)


@per_method(
    router,
    "/delay/{n}",
    documented=("GET", "POST"),
    body=True,
    summary="Answer after a delay",
    description=(
        f"Waits `n` seconds (at most {MAX_DELAY_SECONDS:g}), then echoes the request like "
        "`/post` (without `json`). Handy to try a client's timeout: "
        "`requests.get(url, timeout=1)`."
    ),
    responses=examples.example_response(
        {key: value for key, value in examples.DELETE.items() if key != "json"}
        | {"url": "http://127.0.0.1:3002/delay/2"}
    ),
)
async def delay(
    request: Request,
    n: Annotated[
        float,
        Path(
            ge=0,
            description=f"Seconds to wait (decimals allowed); at most {MAX_DELAY_SECONDS:g}.",
            examples=[2],
        ),
    ],
) -> Response:
    await asyncio.sleep(delay_seconds(n))
    echo = await full_echo(request)
    del echo["json"]
    return EchoJSON(echo)


@router.get(
    "/bytes/{n}",
    openapi_extra={"x-example": "/bytes/16"},
    response_class=Response,
    summary="Random bytes",
    description=(
        f"Returns `n` random bytes (at most {MAX_BYTES} = 100 KiB) as "
        "`application/octet-stream`; with `seed` the same bytes every time."
    ),
    responses=examples.example_response(
        "(n binary bytes)", "The bytes.", media_type="application/octet-stream"
    ),
)
async def random_bytes(
    n: Annotated[
        int,
        Path(
            ge=0, description=f"How many bytes; above {MAX_BYTES} sends {MAX_BYTES}.", examples=[16]
        ),
    ],
    seed: Annotated[
        int | None, Query(description="Makes the bytes reproducible.", examples=[42])
    ] = None,
) -> Response:
    count = min(n, MAX_BYTES)
    data = os.urandom(count) if seed is None else random.Random(seed).randbytes(count)
    return Response(data, media_type="application/octet-stream")


@router.get(
    "/stream/{n}",
    openapi_extra={"x-example": "/stream/3"},
    summary="Stream n JSON lines",
    description=(
        f"Sends `n` lines (at most {MAX_STREAM_LINES}), each a JSON object like `/get`'s "
        "with an `id`, in a chunked response: read it with "
        "`requests.get(url, stream=True).iter_lines()`."
    ),
    responses=examples.example_response(
        json.dumps({**examples.GET, "id": 0}) + "\n" + json.dumps({**examples.GET, "id": 1}),
        "One JSON object per line.",
    ),
)
async def stream(
    request: Request,
    n: Annotated[
        int, Path(ge=0, description=f"How many lines; at most {MAX_STREAM_LINES}.", examples=[3])
    ],
) -> Response:
    echo = basics(request)

    def lines() -> Iterator[str]:
        for index in range(min(n, MAX_STREAM_LINES)):
            yield json.dumps({**echo, "id": index}) + "\n"

    return StreamingResponse(lines(), media_type="application/json")


def drip_pieces(numbytes: int, duration: float) -> list[int]:
    """Sizes of the pieces /drip sends, one per step, evenly spread over ``duration``.

    One ``asyncio.sleep`` per byte would cost more than the bytes for 10 MiB; steps of at
    least ``DRIP_TICK_SECONDS`` keep the pace as asked with a bounded number of wake-ups.
    """
    steps = min(numbytes, max(1, int(duration / DRIP_TICK_SECONDS)))
    steps = max(steps, math.ceil(numbytes / DRIP_PIECE_BYTES))
    base, extra = divmod(numbytes, steps)
    return [base + 1 if index < extra else base for index in range(steps)]


async def client_left_within(receive: Receive, seconds: float) -> bool:
    """Wait ``seconds``, or less if the client hangs up first (then True).

    Before the answer starts nothing else watches the connection; without this a client
    that gave up would still hold a task for the whole delay.
    """

    async def hang_up() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(hang_up(), timeout=seconds)
    except TimeoutError:
        return False
    return True


@router.get(
    "/drip",
    openapi_extra={"x-example": "/drip?duration=2&numbytes=10&delay=1"},
    response_class=Response,
    summary="Bytes dripped slowly",
    description=(
        "Waits `delay` seconds, then sends `numbytes` `*` bytes spread over `duration` "
        f"seconds, with the status `code`. `delay` plus `duration` is at most "
        f"{MAX_DELAY_SECONDS:g} s, `numbytes` at most {MAX_DRIP_BYTES} (10 MiB). Shows what a "
        "read timeout measures: `requests.get(url, timeout=1)` waits for each piece, not "
        "for the whole body."
    ),
    responses={
        **examples.example_response(
            "**********", "The bytes.", media_type="application/octet-stream"
        ),
        **examples.error_example(
            400,
            "A limit is passed.",
            "invalid_drip",
            "delay + duration is 12 s; at most 10 s",
        ),
    },
)
async def drip(
    request: Request,
    duration: Annotated[
        float, Query(ge=0, description="Seconds over which the bytes arrive.", examples=[2])
    ] = 2,
    numbytes: Annotated[
        int, Query(description=f"How many bytes, 1 to {MAX_DRIP_BYTES}.", examples=[10])
    ] = 10,
    code: Annotated[
        int, Query(description="The status code of the answer (200-599).", examples=[200])
    ] = 200,
    delay: Annotated[
        float, Query(ge=0, description="Seconds before the answer starts.", examples=[1])
    ] = 0,
) -> Response:
    if not 0 < numbytes <= MAX_DRIP_BYTES:
        message = f"numbytes is {numbytes}; it must be 1 to {MAX_DRIP_BYTES} (10 MiB)"
        raise HttpError(400, message, code="invalid_drip", numbytes=numbytes)
    if delay + duration > MAX_DELAY_SECONDS:
        message = f"delay + duration is {delay + duration:g} s; at most {MAX_DELAY_SECONDS:g} s"
        raise HttpError(400, message, code="invalid_drip", delay=delay, duration=duration)
    if not 200 <= code <= 599 or code in BODILESS_CODES:
        message = f"code {code} cannot carry bytes; use 200-599 except 204, 205 and 304"
        raise HttpError(400, message, code="invalid_drip", status_code=code)
    if delay and await client_left_within(request.receive, delay):
        return Response(status_code=code)  # nobody reads it; the server drops it

    pieces = drip_pieces(numbytes, duration)
    pause = duration / len(pieces)

    async def dripping() -> AsyncIterator[bytes]:
        # Each piece at its own time from the start, so slow sends do not add up to drift.
        loop = asyncio.get_running_loop()
        start = loop.time()
        for index, size in enumerate(pieces):
            await asyncio.sleep(max(0.0, start + index * pause - loop.time()))
            yield b"*" * size

    return StreamingResponse(
        dripping(),
        code,
        headers={"Content-Length": str(numbytes)},
        media_type="application/octet-stream",
    )


@router.get(
    "/uuid",
    summary="A random UUID",
    description="Returns a new version 4 UUID.",
    responses=examples.example_response({"uuid": "3f1c3a8e-2d5b-4f7e-9a41-6c0d2b9e8f17"}),
)
async def new_uuid() -> Response:
    return EchoJSON({"uuid": str(uuid.uuid4())})


@router.get(
    "/base64/{value}",
    openapi_extra={"x-example": "/base64/SFRUUCBpcyBmdW4="},
    response_class=PlainTextResponse,
    summary="Decode base64url",
    description=(
        "Decodes `value` (URL-safe base64) and returns the text. "
        "`SFRUUCBpcyBmdW4=` decodes to `HTTP is fun`."
    ),
    responses={
        **examples.example_response("HTTP is fun", "The decoded text.", media_type="text/plain"),
        **examples.error_example(
            400,
            "The value is not base64 of UTF-8 text.",
            "invalid_base64",
            "'%%%' is not URL-safe base64 of UTF-8 text; try SFRUUCBpcyBmdW4=",
        ),
    },
)
async def decode_base64(
    value: Annotated[
        str, Path(description="URL-safe base64 of some UTF-8 text.", examples=["SFRUUCBpcyBmdW4="])
    ],
) -> Response:
    try:
        padded = value + "=" * (-len(value) % 4)
        raw = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
        text = raw.decode("utf-8")
    except (UnicodeError, binascii.Error):
        message = f"{value!r} is not URL-safe base64 of UTF-8 text; try SFRUUCBpcyBmdW4="
        raise HttpError(400, message, code="invalid_base64") from None
    return Response(text, media_type="text/plain")
