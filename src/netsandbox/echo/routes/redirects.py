"""Redirects: chains of 302s that end at /get, and a redirect to any URL."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from netsandbox.core.http import HttpError
from netsandbox.echo import examples
from netsandbox.echo.responses import redirect
from netsandbox.echo.routes.per_method import per_method

router = APIRouter(tags=["Redirects"])

HOPS = Path(ge=1, description="How many redirects before landing on /get.", examples=[3])
REDIRECT_RESPONSES = {
    302: {
        "description": "A redirect to the next hop (`Location` header); the last hop leads to "
        "`/get`. `requests` and browsers follow it; `http.client` and raw sockets see it.",
        "content": {"text/html": {"example": '<a href="/relative-redirect/2">...</a>'}},
    }
}


def _absolute(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


@router.get(
    "/redirect/{n}",
    openapi_extra={"x-example": "/redirect/3"},
    status_code=302,
    response_class=Response,
    summary="Redirect n times, then land on /get",
    description=(
        "Answers 302 with `Location: /relative-redirect/{n-1}` (or `/get` when `n` is 1). "
        "With `?absolute=true` the locations are full URLs."
    ),
    responses=REDIRECT_RESPONSES,
)
async def redirect_n_times(
    request: Request,
    n: Annotated[int, HOPS],
    absolute: Annotated[
        bool, Query(description="Send full URLs instead of paths.", examples=[False])
    ] = False,
) -> Response:
    if absolute:
        return await absolute_redirect(request, n)
    return await relative_redirect(n)


@router.get(
    "/relative-redirect/{n}",
    openapi_extra={"x-example": "/relative-redirect/2"},
    status_code=302,
    response_class=Response,
    summary="Redirect n times with relative locations",
    description="Answers 302 with `Location: /relative-redirect/{n-1}`, or `/get` at the end.",
    responses=REDIRECT_RESPONSES,
)
async def relative_redirect(n: Annotated[int, HOPS]) -> Response:
    return redirect("/get" if n == 1 else f"/relative-redirect/{n - 1}")


@router.get(
    "/absolute-redirect/{n}",
    openapi_extra={"x-example": "/absolute-redirect/2"},
    status_code=302,
    response_class=Response,
    summary="Redirect n times with absolute locations",
    description=(
        "Answers 302 with `Location: http://HOST/absolute-redirect/{n-1}`, or the full URL "
        "of `/get` at the end."
    ),
    responses=REDIRECT_RESPONSES,
)
async def absolute_redirect(request: Request, n: Annotated[int, HOPS]) -> Response:
    return redirect(_absolute(request, "/get" if n == 1 else f"/absolute-redirect/{n - 1}"))


@per_method(
    router,
    "/redirect-to",
    documented=("GET",),
    openapi_extra={"x-example": "/redirect-to?url=/get"},
    status_code=302,
    response_class=Response,
    summary="Redirect to any URL",
    description=(
        "Answers with `Location: url` and status 302, or `status_code` when it is a "
        "redirect code (300 to 399). Every method works; with 307 or 308 a client repeats "
        "its method and body at the new URL."
    ),
    responses={
        **REDIRECT_RESPONSES,
        **examples.error_example(
            400,
            "`status_code` is not a number.",
            "invalid_status_code",
            "status_code must be a number from 300 to 399, got 'abc'",
        ),
    },
)
async def redirect_to(
    url: Annotated[
        str, Query(description="Where to send the client.", examples=["/get?from=redirect"])
    ],
    status_code: Annotated[
        str | None,
        Query(description="A redirect code (300 to 399); other values give 302.", examples=[307]),
    ] = None,
) -> Response:
    code = 302
    if status_code is not None:
        try:
            code = int(status_code)
        except ValueError:
            message = f"status_code must be a number from 300 to 399, got {status_code!r}"
            raise HttpError(400, message, code="invalid_status_code") from None
        if not 300 <= code <= 399:
            code = 302
    return redirect(url, code)
