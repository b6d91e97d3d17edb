"""Schema migrations (Alembic), shipped inside the package and run at start-up.

To write a new one after changing ``models.py``, from the repository root::

    .venv/bin/alembic -c src/netsandbox/chat/migrations/alembic.ini \\
        -x url=sqlite+aiosqlite:///tmp/chat.sqlite3 revision --autogenerate -m "what changed"

(upgrade that scratch database to head first, so the new revision holds only the change).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

HERE = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None):  # -> alembic.config.Config
    """An Alembic configuration pointing at these migrations, optionally bound to a connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = connection
    return config


async def upgrade_to_head(engine: AsyncEngine) -> None:
    """Bring the database's schema to the latest revision (nothing to do when it is)."""
    from alembic import command

    def upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), "head")

    async with engine.begin() as connection:
        await connection.run_sync(upgrade)
