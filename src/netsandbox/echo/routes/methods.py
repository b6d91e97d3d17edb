"""HTTP methods: /get, /post, /put, /patch, /delete and /anything echo the request back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Path, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from netsandbox.echo import examples
from netsandbox.echo.request_echo import basics, full_echo
from netsandbox.echo.responses import EchoJSON
from netsandbox.echo.routes.per_method import per_method

router = APIRouter(tags=["HTTP methods"])

WITH_BODY = {**examples.with_query(), "requestBody": examples.ANY_BODY}

BODY_FIELDS = (
    "`form` holds the fields of a form body (`application/x-www-form-urlencoded` or "
    "`multipart/form-data`), `files` the uploaded files (text as is, binary as a base64 "
    "`data:` URL), `data` any other body as text, and `json` that body parsed as JSON "
    "(`null` when it is not JSON). A key sent several times shows a list of its values."
)


@router.get(
    "/get",
    openapi_extra=examples.with_query("/get?a=10&b=100"),
    summary="Echo a GET request",
    description=(
        "Returns the query string (`args`), the request headers, the client's address "
        "(`origin`) and the full URL. Try `/get?a=10&b=100`; a repeated key such as "
        "`?a=1&a=2` shows as a list."
    ),
    responses=examples.example_response(examples.GET),
)
async def get(request: Request) -> Response:
    return EchoJSON(basics(request))


class FastGet:
    """GET /get as a bare ASGI endpoint, for the fast lane (``netsandbox.core.http.fast_lane``).

    The same answer as the route above, without FastAPI's middleware and routing: a third
    less time per request on the path most scripts (and the benchmark) hit.
    """

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self.app  # as the app itself would set it: request.app works the same
        response = await get(Request(scope))
        await response(scope, receive, send)


async def echo_with_body(request: Request) -> Response:
    """POST, PUT, PATCH and DELETE: the request echoed back with its body."""
    return EchoJSON(await full_echo(request))


# method -> (what its docs say, the example answer); each gets a route at /<method>.
BODY_METHODS = {
    "POST": (
        "Echo a POST request and its body",
        "Returns `args`, `headers`, `origin`, `url` and the body. ",
        examples.FORM_POST,
    ),
    "PUT": ("Echo a PUT request and its body", "Same fields as `/post`. ", examples.JSON_PUT),
    "PATCH": (
        "Echo a PATCH request and its body",
        "Same fields as `/post`. ",
        examples.FILE_PATCH,
    ),
    "DELETE": (
        "Echo a DELETE request",
        "Same fields as `/post`; a DELETE usually has no body. ",
        examples.DELETE,
    ),
}
for _method, (_summary, _description, _example) in BODY_METHODS.items():
    router.add_api_route(
        f"/{_method.lower()}",
        echo_with_body,
        methods=[_method],
        name=_method.lower(),  # keeps the operation ids post_post_post, put_put_put, ...
        openapi_extra=WITH_BODY,
        summary=_summary,
        description=_description + BODY_FIELDS,
        responses=examples.example_response(_example),
    )


ANYTHING_DESCRIPTION = (
    "Accepts any method and any path below `/anything/` and echoes it, with the "
    "`method` added. " + BODY_FIELDS
)


@per_method(
    router,
    "/anything",
    body=True,
    openapi_extra=examples.with_query(),
    summary="Echo any request",
    description=ANYTHING_DESCRIPTION,
    responses=examples.example_response(examples.ANYTHING),
    tags=["Anything"],
)
async def anything(request: Request) -> Response:
    return EchoJSON(await full_echo(request, method=True))


@per_method(
    router,
    "/anything/{path:path}",
    body=True,
    openapi_extra=examples.with_query(),
    summary="Echo any request, at any path",
    description=ANYTHING_DESCRIPTION,
    responses=examples.example_response(examples.ANYTHING),
    tags=["Anything"],
)
async def anything_at_path(
    request: Request,
    path: Annotated[str, Path(description="Any path, slashes included.", examples=["tasks/7"])],
) -> Response:
    return EchoJSON(await full_echo(request, method=True))
