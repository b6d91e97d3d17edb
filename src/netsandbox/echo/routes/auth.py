"""Auth: Basic authentication with the credentials in the path, and Bearer tokens."""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from netsandbox.core.http import HttpError
from netsandbox.echo import examples
from netsandbox.echo.responses import EchoJSON

router = APIRouter(tags=["Auth"])

USER = Path(description="The user name the server expects.", examples=["ada"])
PASSWD = Path(description="The password the server expects.", examples=["s3cret"])
BASIC_CHALLENGE = 'Basic realm="Fake Realm"'


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """``(user, password)`` from an ``Authorization: Basic ...`` header, or ``None``."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, colon, password = decoded.partition(":")
    return (user, password) if colon else None


def _matches(request: Request, user: str, passwd: str) -> bool:
    given = basic_credentials(request)
    if given is None:
        return False
    # Compared in constant time, as real servers must; the lesson is worth keeping.
    same_user = hmac.compare_digest(given[0].encode(), user.encode())
    return hmac.compare_digest(given[1].encode(), passwd.encode()) and same_user


@router.get(
    "/basic-auth/{user}/{passwd}",
    openapi_extra={"x-example": "/basic-auth/ada/s3cret"},
    summary="HTTP Basic authentication",
    description=(
        "Answers 200 when the request carries `Authorization: Basic` with this user and "
        "password (`requests.get(url, auth=('ada', 's3cret'))`), else 401 with a "
        "`WWW-Authenticate` header, which makes a browser ask for them."
    ),
    responses={
        **examples.example_response({"authenticated": True, "user": "ada"}),
        **examples.error_example(
            401,
            "Missing or wrong credentials.",
            "unauthorized",
            "Send the user and password of the URL with HTTP Basic authentication.",
        ),
    },
)
async def basic_auth(
    request: Request, user: Annotated[str, USER], passwd: Annotated[str, PASSWD]
) -> Response:
    if not _matches(request, user, passwd):
        raise HttpError(
            401,
            "Send the user and password of the URL with HTTP Basic authentication.",
            headers={"WWW-Authenticate": BASIC_CHALLENGE},
        )
    return EchoJSON({"authenticated": True, "user": user})


@router.get(
    "/hidden-basic-auth/{user}/{passwd}",
    openapi_extra={"x-example": "/hidden-basic-auth/ada/s3cret"},
    summary="HTTP Basic authentication that answers 404",
    description=(
        "Like `/basic-auth`, but without credentials the answer is 404 and no challenge, "
        "as sites do that hide what exists from strangers."
    ),
    responses={
        **examples.example_response({"authenticated": True, "user": "ada"}),
        **examples.error_example(
            404, "Missing or wrong credentials.", "not_found", "Nothing here."
        ),
    },
)
async def hidden_basic_auth(
    request: Request, user: Annotated[str, USER], passwd: Annotated[str, PASSWD]
) -> Response:
    if not _matches(request, user, passwd):
        raise HttpError(404, "Nothing here.")
    return EchoJSON({"authenticated": True, "user": user})


@router.get(
    "/bearer",
    summary="Bearer token authentication",
    description=(
        "Answers 200 with the token when the request carries `Authorization: Bearer TOKEN` "
        "(any token), else 401 with `WWW-Authenticate: Bearer`."
    ),
    responses={
        **examples.example_response({"authenticated": True, "token": "abc123"}),
        **examples.error_example(
            401,
            "No bearer token.",
            "unauthorized",
            "Send a header 'Authorization: Bearer <token>'.",
        ),
    },
)
async def bearer(request: Request) -> Response:
    authorization = request.headers.get("authorization", "")
    if not authorization.startswith("Bearer "):
        raise HttpError(
            401,
            "Send a header 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return EchoJSON({"authenticated": True, "token": authorization[len("Bearer ") :]})
