"""Everything a request handler needs, built once per app from the settings."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from netsandbox.chat.auth import Activity, Authenticator
from netsandbox.chat.db import Database
from netsandbox.chat.events.broker import Broker, broker_from_url
from netsandbox.chat.events.credentials import CredentialStreams
from netsandbox.chat.events.presence import Presence
from netsandbox.chat.events.publisher import Publisher
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
    activity: Activity = field(init=False)
    auth: Authenticator = field(init=False)
    pages: Pages = field(init=False)
    broker: Broker = field(init=False)
    streams: CredentialStreams = field(init=False)
    presence: Presence = field(init=False)
    events: Publisher = field(init=False)

    def __post_init__(self) -> None:
        self.broker = broker_from_url(self.settings.events_url)
        self.streams = CredentialStreams()
        self.presence = Presence(self.settings.presence_grace, self._presence_changed)
        self.events = Publisher(self.broker, self.presence)
        self.activity = Activity(on_seen=self.presence.seen)
        self.auth = Authenticator(self.store, self.passwords, self.activity)
        self.pages = Pages(self.store, self.presence)

    def _presence_changed(self, user: int, state: str) -> None:
        self.events.presence_changed(user, state)

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

    async def revoke(self, credential: str) -> None:
        """Log out: the token or session stops working at once, and its streams end."""
        await self.auth.logout(credential)
        self.streams.revoked(credential)

    async def flush_activity(self) -> None:
        await self.store.record_last_seen(self.activity.take_pending())

    async def close(self) -> None:
        self.broker.close_all()
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
