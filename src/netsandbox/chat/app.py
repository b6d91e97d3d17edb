"""The chat service's ASGI app: routes, error handling, and the database's lifecycle."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.telemetry import TelemetryConfig
from starlette.responses import Response

from netsandbox import __version__
from netsandbox.chat import DESCRIPTION
from netsandbox.chat.api import (
    auth,
    conversations,
    events,
    health,
    info,
    messages,
    session,
    tokens,
    users,
)
from netsandbox.chat.api.fast import FastLane
from netsandbox.chat.context import ChatContext
from netsandbox.chat.errors import invalid
from netsandbox.chat.limits import UserRateLimit
from netsandbox.chat.migrations import upgrade_to_head
from netsandbox.chat.openapi import install_examples
from netsandbox.chat.settings import ChatSettings
from netsandbox.chat.web import install_web_client
from netsandbox.core.http import API_MAX_BODY_BYTES, configure_app, install_index
from netsandbox.core.http.csp import ContentSecurityPolicy
from netsandbox.core.http.error_shape import error_json
from netsandbox.core.http.errors import HttpError

log = logging.getLogger("netsandbox.chat")

ROUTERS = (auth, session, tokens, users, messages, conversations, events, health, info)
ACTIVITY_FLUSH_SECONDS = 10.0
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
JSON_HINT = "with requests, send it as json={...} (not data=...)"

OPENAPI_DESCRIPTION = f"""The {DESCRIPTION}.

1. Get a token: `POST /api/auth/token` with the form fields `username` and `password`
   (or use the **Authorize** button above).
2. Send it on every request: `Authorization: Bearer <access_token>`.
3. Find your id (`GET /api/users/me`), set your status (`PATCH /api/users/{{id}}`), send
   messages (`POST /api/messages`) and read yours (`GET /api/messages`).
4. Or hear of them at once: `GET /api/events` is a live stream of server-sent events.

The web client (at `/`) signs in with `POST /api/session` instead: an HttpOnly session
cookie, and a `csrf_token` to send as `X-CSRF-Token` with every change it makes.
`GET /api` lists the endpoints.

Every error is JSON: `{{"error": {{"code": "...", "message": "what to fix"}}}}`.
"""


def create_app(settings: ChatSettings) -> FastAPI:
    """A new app for ``settings``; it opens its database (and migrates it) on start-up."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        chat = ChatContext.from_settings(settings)
        try:
            await upgrade_to_head(chat.db.engine)
        except BaseException:
            await chat.db.close()
            raise
        app.state.chat = chat
        tasks = [asyncio.create_task(_flush_activity(chat)), asyncio.create_task(_sweep(chat))]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await chat.close()

    app = FastAPI(
        title="netsandbox chat",
        version=__version__,
        description=OPENAPI_DESCRIPTION,
        lifespan=lifespan,
        # Students post JSON with data=json.dumps(...) and no Content-Type. A form another
        # site posts cannot use it: requests made with the session cookie need the
        # X-CSRF-Token header (and a matching Origin), which forms cannot send.
        strict_content_type=False,
        docs_url=None,  # served offline by configure_app
        redoc_url=None,
        # FastAPI's OpenTelemetry hooks look for a configured provider on every request
        # (a few microseconds each); nothing here exports telemetry.
        telemetry=NO_TELEMETRY,
    )
    for module in ROUTERS:
        app.include_router(module.router)
    configure_app(app)
    install_examples(app)
    _explain_bad_bodies(app)
    install_web_client(app)  # GET / is the web client
    install_index(app, path="/api")  # "/" is the web client
    # Called by the HTTP runner when a stop begins, before it waits for open connections:
    # event streams never end by themselves, so they are closed here.
    app.state.before_shutdown = lambda: _close_streams(app)
    max_body_bytes = settings.max_body_bytes or API_MAX_BODY_BYTES
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    # Every page (not /api/...) gets the strict policy: no inline script runs.
    app.add_middleware(ContentSecurityPolicy, skip_prefix="/api/")
    # The hot requests, when ordinary, are answered here (see api/fast.py).
    app.add_middleware(FastLane, chat_of=_chat_of(app), max_body_bytes=max_body_bytes)
    # Outermost: a request over its user's rate is refused before anything else runs.
    app.add_middleware(UserRateLimit, chat_of=_chat_of(app))
    return app


def _chat_of(app: FastAPI) -> Callable[[], ChatContext | None]:
    """The running service's context (None before start-up), for the middlewares."""
    return lambda: getattr(app.state, "chat", None)


def _explain_bad_bodies(app: FastAPI) -> None:
    """A body that is not a JSON object at all (a form, a list, text) gets one clear sentence
    on how to send JSON, instead of the schema's field-by-field complaint."""
    shared = app.exception_handlers[RequestValidationError]

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        for error in exc.errors():
            where = tuple(error.get("loc", ()))
            if error.get("type") == "json_invalid":
                at = f" near character {where[1]}" if len(where) > 1 else ""
                problem = invalid(
                    "body", f"is not valid JSON{at}: {JSON_HINT}", rule="json_invalid"
                )
            elif where == ("body",) and error.get("type") != "missing":
                problem = invalid("body", f"must be a JSON object: {JSON_HINT}", rule="json_object")
            else:
                continue
            return await app.exception_handlers[HttpError](request, problem)
        return await shared(request, exc)

    app.add_exception_handler(RequestValidationError, handler)


async def _flush_activity(chat: ChatContext) -> None:
    """Write users' last-seen times every few seconds (see ``auth.Activity``)."""
    while True:
        await asyncio.sleep(ACTIVITY_FLUSH_SECONDS)
        try:
            await chat.flush_activity()
        except Exception:
            log.exception("could not record users' last-seen times")


async def _sweep(chat: ChatContext) -> None:
    """Turn offline the users whose grace period is over (see ``events/presence.py``)."""
    interval = min(1.0, chat.settings.presence_grace / 4)
    while True:
        await asyncio.sleep(interval)
        chat.presence.sweep()


def _close_streams(app: FastAPI) -> None:
    chat: ChatContext | None = getattr(app.state, "chat", None)
    if chat is not None:
        chat.broker.close_all()


class BodySizeLimit:
    """413 for a request that announces a body over the limit, before anything reads it.

    The HTTP runner also cuts streamed bodies at the limit; this keeps the app safe when
    it runs elsewhere (tests in-process, another server).
    """

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"content-length":
                    if value.isdigit() and int(value) > self.max_bytes:
                        response = Response(
                            error_json(
                                413,
                                f"The request body is over {self.max_bytes // 1024} KiB; "
                                "send less (a message body is at most 2000 characters).",
                            ),
                            status_code=413,
                            media_type="application/json",
                        )
                        await response(scope, receive, send)
                        return
                    break
        await self.app(scope, receive, send)
