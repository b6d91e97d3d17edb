"""Caching: /cache and /cache/{value} (validators, Cache-Control), /etag/{etag} (conditions)."""

from __future__ import annotations

import uuid
from email.utils import formatdate
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request
from starlette.responses import Response

from netsandbox.echo import examples
from netsandbox.echo.request_echo import basics
from netsandbox.echo.responses import EchoJSON

router = APIRouter(tags=["Response inspection"])

NOT_MODIFIED = {304: {"description": "Not Modified: the client's cached copy is still good."}}

IfModifiedSince = Annotated[
    str | None,
    Header(
        description="Any date: its presence alone makes the answer a 304.",
        examples=["Wed, 21 Oct 2015 07:28:00 GMT"],
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(
        description='Entity tags, such as `"abc"`, `W/"abc", "def"` or `*`.',
        examples=['"abc"'],
    ),
]
IfMatch = Annotated[
    str | None, Header(description='Entity tags, such as `"abc"` or `*`.', examples=['"abc"'])
]


def entity_tags(header: str | None) -> list[str]:
    """The tags in an If-Match or If-None-Match list, without quotes nor the weak ``W/``.

    Weak and strong tags compare alike, as httpbin compares them: a course shows the idea of
    a validator, not the fine print of weak comparison.
    """
    tags = []
    for part in (header or "").split(","):
        tag = part.strip().removeprefix("W/").strip('"')
        if tag:
            tags.append(tag)
    return tags


@router.get(
    "/cache",
    openapi_extra=examples.with_query("/cache"),
    summary="A cacheable answer, or 304 to a conditional request",
    description=(
        "Answers `/get`'s JSON with `Last-Modified` (now) and a new `ETag` each time. A "
        "request that carries `If-Modified-Since` or `If-None-Match` (whatever its value) "
        "gets `304 Not Modified` and no body, as a server whose content has not changed."
    ),
    responses={**examples.example_response(examples.GET), **NOT_MODIFIED},
)
async def cache(
    request: Request,
    if_modified_since: IfModifiedSince = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    if if_modified_since or if_none_match:
        return Response(status_code=304)
    validators = {"Last-Modified": formatdate(usegmt=True), "ETag": f'"{uuid.uuid4().hex}"'}
    return EchoJSON(basics(request), headers=validators)


@router.get(
    "/cache/{value}",
    openapi_extra=examples.with_query("/cache/60"),
    summary="An answer cacheable for n seconds",
    description=(
        "Answers `/get`'s JSON with `Cache-Control: public, max-age=<value>`: caches "
        "(a browser, a proxy, `requests-cache`) may reuse it for `value` seconds."
    ),
    responses=examples.example_response(examples.GET),
)
async def cache_control(
    request: Request,
    value: Annotated[int, Path(ge=0, description="The max-age, in seconds.", examples=[60])],
) -> Response:
    return EchoJSON(basics(request), headers={"Cache-Control": f"public, max-age={value}"})


@router.get(
    "/etag/{etag}",
    openapi_extra=examples.with_query("/etag/abc"),
    summary="A resource with a given ETag",
    description=(
        'Answers as a resource whose entity tag is `"<etag>"`: `If-None-Match` listing it '
        "(or `*`) gets `304 Not Modified`; `If-Match` not listing it (nor `*`) gets "
        "`412 Precondition Failed`; otherwise `/get`'s JSON with the `ETag` header."
    ),
    responses={
        **examples.example_response(examples.GET),
        **NOT_MODIFIED,
        412: {"description": "Precondition Failed: `If-Match` does not list this ETag."},
    },
)
async def etag(
    request: Request,
    etag: Annotated[str, Path(description="The resource's entity tag.", examples=["abc"])],
    if_none_match: IfNoneMatch = None,
    if_match: IfMatch = None,
) -> Response:
    header = {"ETag": f'"{etag}"'}
    none_match = entity_tags(if_none_match)
    if none_match:
        if etag in none_match or "*" in none_match:
            return Response(status_code=304, headers=header)
    else:
        match = entity_tags(if_match)
        if match and etag not in match and "*" not in match:
            return Response(status_code=412)
    return EchoJSON(basics(request), headers=header)
