"""/api/auth: get a token (log in), revoke it (log out), create an account (register)."""

from __future__ import annotations

import hmac
import json
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response

from netsandbox.chat.api.common import errors, json_response
from netsandbox.chat.deps import Chat, CurrentCaller
from netsandbox.chat.errors import ChatError, invalid
from netsandbox.chat.models import TokenKind
from netsandbox.chat.schemas import RegisterRequest, TokenOut, UserOut
from netsandbox.chat.store import UsernameTaken

router = APIRouter(prefix="/api/auth", tags=["auth"])

CREDENTIAL_FIELDS = ("username", "password")
# Fields an OAuth2 client (the docs' "Authorize" dialog) may send along, ignored here.
OAUTH2_EXTRA_FIELDS = ("grant_type", "scope", "client_id", "client_secret")
CREDENTIAL_MAX = 1024
# What _credentials accepts for each field: non-empty text without NUL, at most 1024 long.
CREDENTIAL_SCHEMA = {
    "type": "string", "minLength": 1, "maxLength": CREDENTIAL_MAX, "pattern": "^[^\\u0000]*$"
}  # fmt: skip


def credentials_body(media_types: tuple[str, ...], **extra: dict) -> dict:
    """The OpenAPI request body of a sign-in: username and password (plus ``extra``
    properties), in each of ``media_types``, the first one being the documented default."""
    properties = {
        "username": {**CREDENTIAL_SCHEMA, "examples": ["ada"]},
        "password": {**CREDENTIAL_SCHEMA, "examples": ["correct-horse-battery"]},
        **extra,
    }
    schema = {"type": "object", "required": ["username", "password"], "properties": properties}
    if not extra:
        schema["additionalProperties"] = False
    return {"required": True, "content": {media: {"schema": schema} for media in media_types}}


TOKEN_REQUEST_BODY = credentials_body(
    ("application/x-www-form-urlencoded", "application/json"),
    grant_type={"type": "string", "enum": ["password"]},
)


@router.post(
    "/token",
    summary="Log in: get a bearer token",
    response_model=TokenOut,
    responses=errors(400, 401, 422, 429),
    openapi_extra={"requestBody": TOKEN_REQUEST_BODY},
)
async def create_token(request: Request, chat: Chat) -> Response:
    """Send `username` and `password` as form fields (OAuth2 password flow), for example
    `requests.post(url, data={"username": "ada", "password": "..."})`; JSON is accepted too.
    Then send the token on every other request: `Authorization: Bearer <access_token>`."""
    token = await password_login(request, chat, "bearer", OAUTH2_EXTRA_FIELDS)
    return json_response({"access_token": token, "token_type": "bearer"})


async def password_login(
    request: Request, chat: Chat, kind: TokenKind, extra_fields: tuple[str, ...] = ()
) -> str:
    """A new token or session for the username and password the request sends, with the
    login rate limits (per username and address) applied; ``extra_fields`` may come too
    and are ignored (those an OAuth2 client sends to the token route)."""
    fields = await _credentials(request, extra_fields)
    address = request.client.host if request.client else "-"
    username = fields["username"].strip().lower()
    chat.limits.check_login(address, username)
    try:
        token = await chat.auth.login(username, fields["password"], kind)
    except ChatError:
        chat.limits.login_failed(address, username)
        raise
    chat.limits.login_succeeded(address, username)
    return token


@router.delete(
    "/token", summary="Log out: revoke this token", status_code=204, responses=errors(401)
)
async def delete_token(chat: Chat, caller: CurrentCaller) -> Response:
    """The token sent in `Authorization` stops working at once, and the event streams opened
    with it end. (Sent with the session cookie instead, it ends the session, as
    DELETE /api/session does.)"""
    await chat.revoke(caller.credential)
    return Response(status_code=204)


@router.post(
    "/register",
    summary="Create an account (when the server allows it)",
    status_code=201,
    response_model=UserOut,
    responses=errors(400, 403, 409, 422, 429),
)
async def register(account: RegisterRequest, request: Request, chat: Chat) -> Response:
    """Open only if the teacher started the server with `--registration open`, or with
    `--registration code:<join code>` and you send that `join_code`. Then log in with
    POST /api/auth/token."""
    mode = chat.settings.registration_mode
    if mode.kind == "closed":
        raise ChatError(
            403,
            "registration_closed",
            "This server does not take self-registration: ask your teacher for an account.",
        )
    if mode.kind == "code" and not hmac.compare_digest(
        (account.join_code or "").encode(), mode.code.encode()
    ):
        raise ChatError(
            403,
            "wrong_join_code",
            "Registration needs the join code your teacher gave: send it as join_code."
            if not account.join_code
            else "This join code is not the right one: check it with your teacher.",
        )
    chat.limits.check_registration(request.client.host if request.client else "-")
    password_hash = await chat.passwords.hash(account.password)
    try:
        user = await chat.store.create_user(
            account.username, (account.display_name or account.username).strip(), password_hash
        )
    except UsernameTaken:
        raise ChatError(
            409,
            "username_taken",
            f"The username {account.username!r} is taken: choose another.",
            field="username",
        ) from None
    chat.events.user_created(user)
    return json_response(
        chat.presence.annotate(user),
        status_code=201,
        headers={"Location": f"/api/users/{user['id']}"},
    )


async def _credentials(request: Request, extra_fields: tuple[str, ...]) -> dict[str, str]:
    """Username and password from a form (as OAuth2 says) or a JSON object."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    data: Any
    if media == "application/json":
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise invalid("body", "is not valid JSON", rule="json_invalid") from None
        if not isinstance(data, dict):
            raise invalid("body", "must be a JSON object with username and password")
    elif media in ("application/x-www-form-urlencoded", ""):
        try:
            data = dict(parse_qsl(raw.decode("utf-8"), max_num_fields=20))
        except (UnicodeDecodeError, ValueError):
            raise invalid("body", "is not a valid form (key=value&...) in UTF-8") from None
    elif media == "multipart/form-data":
        form = await request.form(max_files=0, max_fields=20)
        data = {key: value for key, value in form.items() if isinstance(value, str)}
    else:
        raise invalid(
            "body",
            f"send username and password as a form (not {media}): "
            "requests.post(url, data={'username': ..., 'password': ...})",
        )
    for name in data:
        if name not in CREDENTIAL_FIELDS + extra_fields:
            raise invalid(
                name, "unknown field: send only username and password", rule="extra_forbidden"
            )
    for name in CREDENTIAL_FIELDS:
        value = data.get(name)
        if not isinstance(value, str) or not value:
            raise invalid(name, "is required (a non-empty string)", rule="missing")
        if len(value) > CREDENTIAL_MAX or "\x00" in value or not _is_unicode(value):
            raise invalid(name, f"must be at most {CREDENTIAL_MAX} characters of text")
    if "grant_type" in data and data["grant_type"] != "password":
        raise invalid("grant_type", "only the 'password' grant is supported")
    return {name: data[name] for name in CREDENTIAL_FIELDS}


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from JSON's "\ud800"
        return False
    return True
