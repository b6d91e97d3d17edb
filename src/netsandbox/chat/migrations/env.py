"""Alembic's entry point: runs the migrations on a connection the server hands over, or, from
the ``alembic`` command line, on an async engine built from ``-x url=...``."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from netsandbox.chat.models import Base

config = context.config
target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    # Batch mode lets autogenerate write table changes that every database can apply.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def command_line_url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("give the database with -x url=sqlite+aiosqlite:///path/chat.sqlite3")
    return url


async def run_from_command_line() -> None:
    engine = create_async_engine(command_line_url())
    async with engine.begin() as connection:
        await connection.run_sync(run_on)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=command_line_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    run_on(given)
else:
    asyncio.run(run_from_command_line())
