"""Partial content: /range/{numbytes} serves a fixed document byte range by byte range."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query
from starlette.responses import Response, StreamingResponse

from netsandbox.core.http import HttpError
from netsandbox.echo import examples

router = APIRouter(tags=["Dynamic data"])

MAX_RANGE_BYTES = 100 * 1024
MAX_RANGE_SECONDS = 10.0
DEFAULT_CHUNK_SIZE = 10 * 1024
# One range only (``bytes=a-b``, ``bytes=a-``, ``bytes=-n``); anything else is ignored.
SINGLE_RANGE = re.compile(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*")


class Unsatisfiable(ValueError):
    """The Range asks for bytes the document does not have."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The (first, last) byte positions ``header`` asks of ``size`` bytes; None for all.

    As RFC 9110 allows, a Range that cannot be read (another unit, several ranges) is
    ignored and the whole document sent; a last position past the end means the end.
    """
    match = SINGLE_RANGE.fullmatch(header or "")
    if match is None or match.groups() == ("", ""):
        return None
    first_text, last_text = match.groups()
    if not first_text:  # bytes=-n: the last n bytes
        suffix = int(last_text)
        if suffix == 0:
            raise Unsatisfiable("a range of the last 0 bytes is empty")
        return max(0, size - suffix), size - 1
    first = int(first_text)
    last = min(int(last_text), size - 1) if last_text else size - 1
    if first >= size or first > last:
        raise Unsatisfiable(f"bytes {first}-{last_text} are outside 0-{size - 1}")
    return first, last


def document_bytes(first: int, last: int) -> bytes:
    """Bytes ``first`` to ``last`` of a-z repeated: the same document at every request."""
    return bytes(ord("a") + index % 26 for index in range(first, last + 1))


async def paced(data: bytes, chunk_size: int, seconds_per_byte: float) -> AsyncIterator[bytes]:
    """``data`` in chunks, each after the time its bytes take at the pace asked."""
    for start in range(0, len(data), chunk_size):
        chunk = data[start : start + chunk_size]
        if seconds_per_byte:
            await asyncio.sleep(seconds_per_byte * len(chunk))
        yield chunk


@router.get(
    "/range/{numbytes}",
    openapi_extra={"x-example": "/range/26"},
    response_class=Response,
    summary="A document that serves byte ranges",
    description=(
        f"A document of `numbytes` bytes (1 to {MAX_RANGE_BYTES} = 100 KiB), the letters "
        'a-z repeated, with `Accept-Ranges: bytes` and `ETag: "range<numbytes>"`. A '
        "`Range` header such as `bytes=0-9`, `bytes=10-` or `bytes=-5` gets `206 Partial "
        "Content` with `Content-Range`; a range past the end gets 416. Handy to practise "
        "resuming a download: `requests.get(url, headers={'Range': 'bytes=10-'})`. "
        "`chunk_size` and `duration` send it in pieces, slowly."
    ),
    responses={
        **examples.example_response(
            "abcdefghijklmnopqrstuvwxyz",
            "The whole document (206 and `Content-Range` for part of it).",
            media_type="application/octet-stream",
        ),
        206: {
            "description": "The part asked for, with `Content-Range: bytes 0-9/26`.",
            "content": {"application/octet-stream": {"example": "abcdefghij"}},
        },
        **examples.error_example(
            404,
            "numbytes is not between 1 and 102400.",
            "invalid_size",
            "a /range document has 1 to 102400 bytes (100 KiB), not 200000",
        ),
        416: {"description": "Range Not Satisfiable, with `Content-Range: bytes */26`."},
    },
)
async def range_request(
    numbytes: Annotated[
        int, Path(description=f"Document size, 1 to {MAX_RANGE_BYTES} bytes.", examples=[26])
    ],
    range_header: Annotated[
        str | None,
        Header(
            alias="Range",
            description="One byte range: `bytes=a-b`, `bytes=a-` or `bytes=-n`.",
            examples=["bytes=0-9"],
        ),
    ] = None,
    chunk_size: Annotated[
        int,
        Query(ge=1, description="Bytes per piece sent.", examples=[DEFAULT_CHUNK_SIZE]),
    ] = DEFAULT_CHUNK_SIZE,
    duration: Annotated[
        float,
        Query(
            ge=0,
            le=MAX_RANGE_SECONDS,
            description=f"Seconds the body takes to arrive (at most {MAX_RANGE_SECONDS:g}).",
            examples=[1],
        ),
    ] = 0,
) -> Response:
    headers = {"ETag": f'"range{numbytes}"', "Accept-Ranges": "bytes"}
    if not 0 < numbytes <= MAX_RANGE_BYTES:
        message = f"a /range document has 1 to {MAX_RANGE_BYTES} bytes (100 KiB), not {numbytes}"
        raise HttpError(404, message, code="invalid_size", headers=headers)
    try:
        asked = byte_range(range_header, numbytes)
    except Unsatisfiable:
        headers["Content-Range"] = f"bytes */{numbytes}"
        return Response(status_code=416, headers=headers)
    first, last = asked or (0, numbytes - 1)
    status = 200
    if (first, last) != (0, numbytes - 1):
        status = 206
        headers["Content-Range"] = f"bytes {first}-{last}/{numbytes}"
    data = document_bytes(first, last)
    headers["Content-Length"] = str(len(data))
    if duration == 0:
        return Response(data, status, headers, media_type="application/octet-stream")
    pieces = paced(data, chunk_size, duration / numbytes)
    return StreamingResponse(pieces, status, headers, media_type="application/octet-stream")
