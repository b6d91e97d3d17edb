"""Status codes: /status/{codes} answers with the code asked for (or one drawn from a list)."""

from __future__ import annotations

import math
import random
from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from netsandbox.core.http import HttpError
from netsandbox.echo import examples
from netsandbox.echo.responses import EchoJSON
from netsandbox.echo.routes.per_method import per_method

router = APIRouter(tags=["Status codes"])

REDIRECT_TARGET = "/redirect/1"
TEAPOT = """
    -=[ teapot ]=-

       _...._
     .'  _ _ `.
    | ."` ^ `". _,
    \\_;`"---"`|//
      |       ;/
      \\_     _/
        `\"\"\"`
"""


class InvalidCodes(ValueError):
    """The ``codes`` path segment is not a code, nor a list of ``code[:weight]``."""


def parse_codes(text: str) -> list[tuple[int, float]]:
    """``"200"``, ``"200,404"`` or ``"200:0.9,500:0.1"`` to (code, weight) pairs."""
    choices = []
    for item in text.split(","):
        code_text, _, weight_text = item.partition(":")
        try:
            code = int(code_text)
            weight = float(weight_text) if weight_text else 1.0
        except ValueError:
            raise InvalidCodes(f"{item!r} is not a status code (a number such as 404)") from None
        if not 200 <= code <= 599:
            raise InvalidCodes(
                f"{code} cannot be sent: a final status code is between 200 and 599"
                " (1xx codes are interim answers, never the last one)"
            )
        if not (math.isfinite(weight) and weight >= 0):
            raise InvalidCodes(f"the weight of {code} must be a number >= 0, got {weight_text!r}")
        choices.append((code, weight))
    if not any(weight > 0 for _, weight in choices):
        raise InvalidCodes("at least one code needs a weight above 0")
    return choices


def status_response(code: int) -> Response:
    """An answer with ``code`` and what httpbin sends with it (Location, WWW-Authenticate...)."""
    if code in (301, 302, 303, 305, 307, 308):
        return Response(status_code=code, headers={"Location": REDIRECT_TARGET})
    if code == 401:
        return Response(status_code=code, headers={"WWW-Authenticate": 'Basic realm="Fake Realm"'})
    if code == 407:
        return Response(
            status_code=code, headers={"Proxy-Authenticate": 'Basic realm="Fake Realm"'}
        )
    if code == 418:
        return Response(
            TEAPOT,
            code,
            media_type="text/plain",
            headers={"x-more-info": "http://tools.ietf.org/html/rfc2324"},
        )
    if code == 406:
        body = {
            "message": "Client did not request a supported media type.",
            "accept": ["image/webp", "image/svg+xml", "image/jpeg", "image/png", "image/*"],
        }
        return EchoJSON(body, code)
    return Response(status_code=code)


@per_method(
    router,
    "/status/{codes}",
    documented=("GET",),
    openapi_extra={"x-example": "/status/418"},
    response_class=Response,
    summary="Answer with a chosen status code",
    description=(
        "Answers with the status code in the path, and an empty body. Several codes separated "
        "by commas (`200,404,500`) make the server pick one at random; a weight after a colon "
        "(`200:0.9,500:0.1`) makes some likelier. Redirect codes point to `/redirect/1`, 401 "
        "asks for Basic authentication, 418 answers a teapot. Codes go from 200 to 599. "
        "POST, PUT, PATCH, DELETE and TRACE work the same way."
    ),
    responses={
        200: {"description": "The status code asked for (here 200), with an empty body."},
        **examples.error_example(
            400,
            "The codes cannot be read.",
            "invalid_status_code",
            "'abc' is not a status code (a number such as 404)",
        ),
    },
)
async def status(
    codes: Annotated[
        str,
        Path(
            description="A code, or codes separated by commas, each with an optional `:weight`.",
            examples=["418", "200,404", "200:0.9,500:0.1"],
        ),
    ],
) -> Response:
    try:
        choices = parse_codes(codes)
    except InvalidCodes as exc:
        raise HttpError(400, str(exc), code="invalid_status_code", codes=codes) from None
    if len(choices) == 1:
        return status_response(choices[0][0])
    population, weights = zip(*choices, strict=True)
    return status_response(random.choices(population, weights)[0])
