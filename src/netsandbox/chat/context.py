"""Everything a request handler needs, built once per app from the settings."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from netsandbox.chat.auth import Activity, Authenticator
from netsandbox.chat.db import Database
from netsandbox.chat.limits import Limits
from netsandbox.chat.pages import Pages
from netsandbox.chat.security import Passwords
from netsandbox.chat.settings import ChatSettings
from netsandbox.chat.store import ChatStore


@dataclass
class ChatContext:
    """The chat service's parts: database, store, pages, password hasher, authenticator."""

    settings: ChatSettings
    db: Database
    store: ChatStore
    passwords: Passwords
    limits: Limits
    activity: Activity = field(default_factory=Activity)
    auth: Authenticator = field(init=False)
    pages: Pages = field(init=False)

    def __post_init__(self) -> None:
        self.auth = Authenticator(self.store, self.passwords, self.activity)
        self.pages = Pages(self.store)

    @classmethod
    def from_settings(cls, settings: ChatSettings) -> ChatContext:
        db = Database(settings.resolved_database_url)
        return cls(
            settings=settings,
            db=db,
            store=ChatStore(db),
            passwords=Passwords(),
            limits=Limits.from_settings(settings),
        )

    async def flush_activity(self) -> None:
        await self.store.record_last_seen(self.activity.take_pending())

    async def close(self) -> None:
        await self.flush_activity()
        await self.db.close()


@contextlib.asynccontextmanager
async def open_chat(settings: ChatSettings) -> AsyncIterator[ChatContext]:
    """The chat context with its database migrated, outside the server (command line)."""
    from netsandbox.chat.migrations import upgrade_to_head

    chat = ChatContext.from_settings(settings)
    try:
        await upgrade_to_head(chat.db.engine)
        yield chat
    finally:
        await chat.close()
