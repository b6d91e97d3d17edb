"""Passwords (argon2id), bearer tokens and sessions (random, kept only as SHA-256 hashes), and
the CSRF token derived from a session."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id baseline (19 MiB, 2 passes): about 25 ms of one core per login, so a
# class of 300 logging in at once is served in seconds on a small machine.
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_TIME_COST = 2

TOKEN_BYTES = 32
CSRF_LABEL = b"netsandbox chat csrf token"
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud, typed by hand


class Passwords:
    """Hashes and checks passwords in worker threads, a few at a time.

    Why threads: a hash takes tens of milliseconds of CPU and would stall every other
    request on the event loop. Why a limit: each hash also takes 19 MiB of memory.
    """

    def __init__(self, concurrency: int = 2) -> None:
        self._hasher = PasswordHasher(
            time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=1
        )
        self._slots = asyncio.Semaphore(concurrency)

    def hash_now(self, password: str) -> str:
        """Hash in the calling thread (command-line tools, tests)."""
        return self._hasher.hash(password)

    async def hash(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True if ``password`` matches; for an unknown user pass ``None``: the same work is
        done against a dummy hash, so response times do not reveal which usernames exist."""
        async with self._slots:
            return await asyncio.to_thread(self._verify, password_hash, password)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @cached_property
    def _dummy_hash(self) -> str:
        return self._hasher.hash(secrets.token_hex(16))


def new_token() -> str:
    """A fresh bearer token: 256 random bits, URL-safe text."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What the database keeps of a token: its SHA-256, in hex.

    A fast hash is right here (unlike passwords): tokens are long random strings that no
    one can guess, so there is nothing to slow down.
    """
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def csrf_token(session: str) -> str:
    """The CSRF token of a session: HMAC-SHA256 keyed with the session, of a fixed label.

    Derived, not stored: every process computes the same one with no shared state, and it
    ends with its session. Page scripts may read it; knowing it does not reveal the session
    (the key of an HMAC cannot be recovered from its output), and it differs from the
    session's digest kept in the database.
    """
    key = session.encode("utf-8", "surrogatepass")
    return hmac.new(key, CSRF_LABEL, hashlib.sha256).hexdigest()


def new_password(groups: int = 3, size: int = 4) -> str:
    """A password a student can copy from a sheet: ``abcd-efgh-jkmn`` (about 44 bits)."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(size)) for _ in range(groups)
    )
