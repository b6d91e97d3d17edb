"""Cookies: show the cookies sent, set some, delete some (each then redirects to /cookies)."""

from __future__ import annotations

from collections.abc import Iterable
from http.cookies import CookieError
from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from netsandbox.core.http import HttpError
from netsandbox.echo import examples
from netsandbox.echo.responses import EchoJSON, redirect

router = APIRouter(tags=["Cookies"])

TO_COOKIES = {
    302: {
        "description": "Sets (or expires) the cookies, then redirects to `/cookies`.",
        "headers": {"Set-Cookie": {"description": "One per cookie.", "schema": {"type": "string"}}},
        "content": {"text/html": {"example": '<a href="/cookies">/cookies</a>'}},
    },
    **examples.error_example(
        400,
        "A cookie name cannot be used.",
        "invalid_cookie",
        "'a b' cannot be a cookie name: use letters, digits and - or _.",
    ),
}
FREEFORM = (
    " Give the cookies as query parameters: `/cookies/set?lang=fr&theme=dark`. A "
    "`requests.Session()` keeps them and sends them back on the next requests."
)


@router.get(
    "/cookies",
    summary="The cookies the request carries",
    description="Returns the cookies of the request's `Cookie` header.",
    responses=examples.example_response({"cookies": {"lang": "fr", "theme": "dark"}}),
)
async def view_cookies(request: Request) -> Response:
    return EchoJSON({"cookies": dict(request.cookies)})


@router.get(
    "/cookies/set",
    openapi_extra=examples.with_query(
        "/cookies/set?lang=fr&theme=dark", "The cookies to set, as name=value pairs."
    ),
    status_code=302,
    response_class=Response,
    summary="Set cookies from the query string",
    description="Sets one cookie per query parameter, then redirects to `/cookies`." + FREEFORM,
    responses=TO_COOKIES,
)
async def set_cookies(request: Request) -> Response:
    return _redirect_to_cookies(request, to_set=request.query_params.items())


@router.get(
    "/cookies/set/{name}/{value}",
    openapi_extra={"x-example": "/cookies/set/lang/fr"},
    status_code=302,
    response_class=Response,
    summary="Set one cookie",
    description="Sets the cookie `name=value`, then redirects to `/cookies`.",
    responses=TO_COOKIES,
)
async def set_cookie(
    request: Request,
    name: Annotated[str, Path(description="The cookie's name.", examples=["lang"])],
    value: Annotated[str, Path(description="The cookie's value.", examples=["fr"])],
) -> Response:
    return _redirect_to_cookies(request, to_set=[(name, value)])


@router.get(
    "/cookies/delete",
    openapi_extra={"x-example": "/cookies/delete?lang"},
    status_code=302,
    response_class=Response,
    summary="Delete cookies",
    description=(
        "Expires the cookies named in the query string (`/cookies/delete?lang`), then "
        "redirects to `/cookies`."
    ),
    responses=TO_COOKIES,
)
async def delete_cookies(request: Request) -> Response:
    return _redirect_to_cookies(request, to_delete=request.query_params.keys())


def _redirect_to_cookies(
    request: Request,
    to_set: Iterable[tuple[str, str]] = (),
    to_delete: Iterable[str] = (),
) -> Response:
    """The redirect to /cookies carrying the Set-Cookie headers, or 400 for a bad name."""
    response = redirect("/cookies")
    secure = request.url.scheme == "https"
    for name, value in to_set:
        try:
            response.set_cookie(name, value, secure=secure)
        except CookieError:
            raise _invalid_name(name) from None
    for name in to_delete:
        try:
            response.delete_cookie(name)
        except CookieError:
            raise _invalid_name(name) from None
    return response


def _invalid_name(name: str) -> HttpError:
    message = f"{name!r} cannot be a cookie name: use letters, digits and - or _."
    return HttpError(400, message, code="invalid_cookie", name=name)
