"""Fixtures for the chat service: the app in-process on SQLite and on PostgreSQL, users with
tokens, and a real server process.

PostgreSQL: a fresh database per test run on 127.0.0.1:5432 (user postgres, trust auth),
emptied before each test; NETSANDBOX_TEST_POSTGRES_URL points elsewhere. Without a server
those tests are skipped on a developer's machine, and fail under CI=true.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from netsandbox.chat.app import create_app
from netsandbox.chat.context import ChatContext
from netsandbox.chat.security import Passwords, new_token, token_digest
from netsandbox.chat.settings import ChatSettings

POSTGRES_SERVER = os.environ.get(
    "NETSANDBOX_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "password-for-tests"
TABLES = "idempotency_keys, messages, tokens, users"


async def _admin(statement: str) -> None:
    import asyncpg

    url = POSTGRES_SERVER.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(url, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database created for this test run, dropped at its end."""
    name = f"netsandbox_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # refused, timed out, no such database, no such role...
        message = f"PostgreSQL is not reachable at {POSTGRES_SERVER}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield POSTGRES_SERVER.rsplit("/", 1)[0] + "/" + name
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'chat.sqlite3'}"
    url = request.getfixturevalue("postgres_url")
    asyncio.run(_empty(url))
    return url


async def _empty(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        exists = await connection.fetchval("SELECT to_regclass('users') IS NOT NULL")
        if exists:
            await connection.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> ChatSettings:
    return ChatSettings(
        service="chat", port=0, data_dir=tmp_path, database_url=database_url, registration="open"
    )


@pytest.fixture
async def app(settings: ChatSettings) -> AsyncIterator[FastAPI]:
    """The chat app with its start-up done (database migrated)."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://chat.test") as http:
        yield http


@pytest.fixture
def make_app_client(settings: ChatSettings):
    """``async with make_app_client(registration="closed") as client``: another app on the
    same database, with some settings changed."""

    @contextlib.asynccontextmanager
    async def make(**changes: object) -> AsyncIterator[httpx.AsyncClient]:
        application = create_app(settings.replace(**changes))
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://chat.test") as http:
                yield http

    return make


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One real argon2 hash of PASSWORD, computed once: most tests need users, not hashing."""
    return Passwords().hash_now(PASSWORD)


@dataclass
class Student:
    """A user of the app under test, with a token."""

    id: int
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_user(app: FastAPI, password_hash: str):
    """``await make_user("ada")``: a user (password PASSWORD) and a token, made directly."""
    chat: ChatContext = app.state.chat

    async def make(username: str, display_name: str | None = None, role: str = "student"):
        user = await chat.store.create_user(username, display_name or username.title(),
                                            password_hash, role)  # fmt: skip
        token = new_token()
        await chat.store.add_token(user["id"], token_digest(token))
        return Student(user["id"], username, token)

    return make


@pytest.fixture
async def ada(make_user) -> Student:
    return await make_user("ada", "Ada Lovelace")


@pytest.fixture
async def bob(make_user) -> Student:
    return await make_user("bob", "Bob Kahn")
