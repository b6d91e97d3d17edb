"""Who is calling: password logins, bearer tokens and browser sessions (checked through short
caches), activity.

Checking a token must be cheap because every request does it: a token's user is cached for
a minute after a database lookup, and a revoked token leaves the cache at once. Sessions
(the web client's cookie) are tokens too, of kind "session"; a cookie is checked against
sessions only, so an API token pasted into a cookie does not work.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime

from netsandbox.chat.errors import GET_A_TOKEN, unauthorized
from netsandbox.chat.models import TokenKind, utc_now
from netsandbox.chat.schemas import USERNAME_PATTERN
from netsandbox.chat.security import Passwords, new_token, token_digest
from netsandbox.chat.store import ChatStore
from netsandbox.chat.web_session import invalid_session

TOKEN_CACHE_SECONDS = 60.0
TOKEN_CACHE_SIZE = 50_000
LAST_SEEN_SECONDS = 60.0
USERNAME = re.compile(USERNAME_PATTERN)
_UNKNOWN = 0  # cached "no such token" (user ids start at 1)


class TokenCache:
    """token -> user id (or "unknown"), each for ``ttl`` seconds.

    Keyed by the token itself, so a cached check costs a dict lookup, not a hash (only
    the database is kept from holding tokens in the clear). Unknown tokens are cached too
    (a client looping with a wrong token costs no query); that is safe because a token is
    only handed out once it is stored.
    """

    def __init__(self, ttl: float = TOKEN_CACHE_SECONDS, size: int = TOKEN_CACHE_SIZE) -> None:
        self._ttl = ttl
        self._size = size
        self._entries: dict[str, tuple[int, float]] = {}

    def get(self, token: str) -> int | None:
        """The cached user id, ``_UNKNOWN``, or None if not cached (or expired)."""
        entry = self._entries.get(token)
        if entry is None:
            return None
        if entry[1] < time.monotonic():
            del self._entries[token]
            return None
        return entry[0]

    def put(self, token: str, user_id: int) -> None:
        if len(self._entries) >= self._size:
            self._entries.clear()  # rare; a refill costs one query per active token
        self._entries[token] = (user_id, time.monotonic() + self._ttl)

    def forget(self, token: str) -> None:
        self._entries.pop(token, None)


class Activity:
    """When each user last made a request, written to the database in batches.

    Why batches: recording it on every request would add a write (and an fsync) to every
    read; ``flush`` runs every few seconds and writes what changed.
    """

    def __init__(self, on_seen: Callable[[int], None] | None = None) -> None:
        self._recorded: dict[int, float] = {}  # user -> monotonic time of the last record
        self._pending: dict[int, datetime] = {}
        self._on_seen = on_seen  # presence: a request makes its user online

    def seen(self, user_id: int) -> None:
        # Runs on every request: the monotonic clock decides, the wall clock only records.
        if self._on_seen is not None:
            self._on_seen(user_id)
        now = time.monotonic()
        last = self._recorded.get(user_id)
        if last is None or now - last >= LAST_SEEN_SECONDS:
            self._recorded[user_id] = now
            self._pending[user_id] = utc_now()

    def take_pending(self) -> dict[int, datetime]:
        pending, self._pending = self._pending, {}
        return pending


class Authenticator:
    """Logs users in and out and resolves tokens to user ids."""

    def __init__(self, store: ChatStore, passwords: Passwords, activity: Activity) -> None:
        self._store = store
        self._passwords = passwords
        self._activity = activity
        self._cache = TokenCache()
        self._sessions = TokenCache()  # session -> user, for cookies

    async def login(self, username: str, password: str, kind: TokenKind = "bearer") -> str:
        """A new token (or session) for these credentials, or a 401 that says what to check."""
        username = username.strip().lower()
        # A name no account can have is not looked up (nor sent to the database).
        record = await self._store.login_record(username) if USERNAME.fullmatch(username) else None
        ok = await self._passwords.verify(record[1] if record else None, password)
        if record is None or not ok:
            raise unauthorized(
                "invalid_credentials",
                "Wrong username or password. Check both (usernames are lowercase); "
                "ask your teacher if you do not have an account.",
            )
        return await self.issue(record[0], kind)

    async def issue(self, user_id: int, kind: TokenKind = "bearer") -> str:
        """A new token (or session) for ``user_id``, stored before it is handed out."""
        token = new_token()
        await self._store.add_token(user_id, token_digest(token), kind)
        (self._sessions if kind == "session" else self._cache).put(token, user_id)
        return token

    def cached_user(self, authorization: str) -> int | None:
        """The user id of an ``Authorization`` header's token if it is in the cache (no
        database work: the rate limiter uses it before routing); else None."""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self._cache.get(token.strip()) or None

    async def known_user(self, authorization: str) -> int | None:
        """The user of a well-formed ``Authorization: Bearer`` header with a valid token,
        noted as active; None for anything else (``user_id`` says what is wrong)."""
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        user_id = await self._lookup(token)
        if user_id == _UNKNOWN:
            return None
        self._activity.seen(user_id)
        return user_id

    async def user_id(self, token: str) -> int:
        """The user a token belongs to, or a 401 saying how to get a valid one."""
        user_id = await self._lookup(token)
        if user_id == _UNKNOWN:
            raise unauthorized(
                "invalid_token",
                "This token is unknown or was revoked (logged out). " + GET_A_TOKEN,
            )
        self._activity.seen(user_id)
        return user_id

    async def session_user(self, session: str) -> int:
        """The user a session (a cookie's value) belongs to, or a 401 saying to sign in."""
        user_id = self._sessions.get(session)
        if user_id is None:
            user_id = await self._store.user_for_session(token_digest(session)) or _UNKNOWN
            self._sessions.put(session, user_id)
        if user_id == _UNKNOWN:
            raise invalid_session()
        self._activity.seen(user_id)
        return user_id

    def cached_session_user(self, session: str) -> int | None:
        """The user of a session if it is in the cache (for the rate limiter); else None."""
        return self._sessions.get(session) or None

    async def logout(self, token: str) -> None:
        """Revoke a token or a session: it stops working at once (in this process; others
        notice within their cache's minute)."""
        for cache in (self._cache, self._sessions):
            cache.forget(token)
        await self._store.revoke_token(token_digest(token))
        for cache in (self._cache, self._sessions):
            cache.put(token, _UNKNOWN)

    async def _lookup(self, token: str) -> int:
        """The token's user id or ``_UNKNOWN``: from the cache, else from the database."""
        user_id = self._cache.get(token)
        if user_id is None:
            user_id = await self._store.user_for_token(token_digest(token)) or _UNKNOWN
            self._cache.put(token, user_id)
        return user_id
