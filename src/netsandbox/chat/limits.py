"""Rate limits: per user for API calls, per address for logins and registrations.

All in memory, on the event loop (no locks), and checked before any database work, so a
script looping as fast as it can costs the server little: its extra requests are refused
by ``UserRateLimit`` before routing, from the token cache alone.

Why not a library: ``limits`` (the maintained one) has no token bucket, which is what "20
per second with bursts of 60" is, and its memory storage adds a lock and a timer thread.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from netsandbox.chat.errors import ChatError
from netsandbox.chat.settings import ChatSettings, parse_limit
from netsandbox.chat.web_session import cached_session_of
from netsandbox.core.http.error_shape import error_json

MAX_KEYS = 100_000  # past this, idle entries are dropped (an address flood cannot grow memory)


class TokenBucket:
    """Per key: up to ``burst`` requests at once, refilled at ``per_second``."""

    def __init__(
        self, per_second: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_second = per_second
        self.burst = burst
        self._clock = clock
        self._buckets: dict[object, tuple[float, float]] = {}

    def take(self, key: object) -> float:
        """Spend one request; 0 if allowed, else the seconds to wait before the next one."""
        now = self._clock()
        tokens, since = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - since) * self.per_second)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.per_second
        if len(self._buckets) >= MAX_KEYS and key not in self._buckets:
            self._forget_full(now)
        self._buckets[key] = (tokens - 1, now)
        return 0.0

    def _forget_full(self, now: float) -> None:
        """Drop the keys whose bucket has refilled: forgetting them changes nothing."""
        refill = self.burst / self.per_second
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < refill}


class FailureCounter:
    """Per key: at most ``limit`` failures within ``window`` seconds, then wait."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[object, list[float]] = {}

    def wait(self, key: object) -> float:
        """0 if another attempt is allowed, else the seconds until the oldest failure expires."""
        recent = self._recent(key)
        if len(recent) < self.limit:
            return 0.0
        return recent[0] + self.window - self._clock()

    def failed(self, key: object) -> None:
        if len(self._failures) >= MAX_KEYS and key not in self._failures:
            now = self._clock()
            self._failures = {k: v for k, v in self._failures.items() if v[-1] > now - self.window}
        recent = self._recent(key)
        recent.append(self._clock())
        self._failures[key] = recent[-self.limit :]

    def succeeded(self, key: object) -> None:
        self._failures.pop(key, None)

    def _recent(self, key: object) -> list[float]:
        cutoff = self._clock() - self.window
        return [moment for moment in self._failures.get(key, ()) if moment > cutoff]


def too_many(wait: float, message: str) -> ChatError:
    seconds = max(1, math.ceil(wait))
    return ChatError(
        429,
        "too_many_requests",
        f"{message} Try again in {seconds} s.",
        headers={"Retry-After": str(seconds)},
        retry_after=seconds,
    )


class Limits:
    """The chat service's limits, from its settings (a limit given as None is off)."""

    def __init__(
        self,
        requests: tuple[float, float] | None,
        logins: tuple[float, float] | None,
        registrations: tuple[float, float] | None,
    ) -> None:
        """``requests``: (per second, burst) per user; ``logins``: (failures, seconds) per
        username and address; ``registrations``: (accounts, seconds) per address."""
        self._requests = requests
        self.requests = TokenBucket(*requests) if requests else None
        self.logins = FailureCounter(int(logins[0]), logins[1]) if logins else None
        self.registrations = (
            TokenBucket(registrations[0] / registrations[1], registrations[0])
            if registrations
            else None
        )

    @classmethod
    def from_settings(cls, settings: ChatSettings) -> Limits:
        return cls(
            parse_limit(settings.rate_limit),
            parse_limit(settings.login_limit),
            parse_limit(settings.registration_limit),
        )

    def check_user(self, user_id: int) -> None:
        if self.requests is not None and (wait := self.requests.take(user_id)):
            raise self.user_error(wait)

    def user_error(self, wait: float) -> ChatError:
        per_second, burst = self._requests or (0, 0)
        return too_many(
            wait,
            f"Too many requests: each user may make {per_second:g} per second (bursts of "
            f"{burst:g}). Slow your loop down (for example with time.sleep(0.1)).",
        )

    def check_login(self, address: str, username: str) -> None:
        if self.logins is not None and (wait := self.logins.wait((address, username))):
            raise too_many(
                wait,
                f"Too many failed logins for {username!r} from your address: check the "
                "username and password (ask your teacher if you lost it).",
            )

    def login_failed(self, address: str, username: str) -> None:
        if self.logins is not None:
            self.logins.failed((address, username))

    def login_succeeded(self, address: str, username: str) -> None:
        if self.logins is not None:
            self.logins.succeeded((address, username))

    def check_registration(self, address: str) -> None:
        if self.registrations is not None and (wait := self.registrations.take(address)):
            raise too_many(wait, "Too many accounts created from your address.")


class UserRateLimit:
    """ASGI middleware: refuses a user's request over their rate before it is routed.

    The user is the one of the ``Authorization`` header or, without one, of the session
    cookie (the web client): one bucket per user, whichever way they call. Only tokens and
    sessions already in their cache are checked here (no database work); the first request
    in a while passes and fills the cache.
    """

    def __init__(self, app: ASGIApp, chat_of: Callable[[], object]) -> None:
        self.app = app
        self._chat_of = chat_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            chat = self._chat_of()
            limits: Limits | None = getattr(chat, "limits", None)
            if limits is not None and limits.requests is not None:
                user_id = _cached_caller(chat, scope["headers"])
                if user_id and (wait := limits.requests.take(user_id)):
                    await _refuse(limits.user_error(wait), send)
                    return
        await self.app(scope, receive, send)


def _cached_caller(chat: Any, headers: list[tuple[bytes, bytes]]) -> int | None:
    """The user of the request's bearer token or, without one, of its session cookie, if
    their cache knows it."""
    cookie = None
    for name, value in headers:
        if name == b"authorization" and value:
            return chat.auth.cached_user(value.decode("latin-1"))
        if name == b"cookie" and cookie is None:
            cookie = value
    if cookie is None:
        return None
    session = cached_session_of(cookie.decode("latin-1"))
    return chat.auth.cached_session_user(session) if session is not None else None


async def _refuse(error: ChatError, send: Send) -> None:
    body = error_json(error.status, error.message, code=error.code, **error.details)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in (error.headers or {}).items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
