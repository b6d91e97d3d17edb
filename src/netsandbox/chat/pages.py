"""The JSON of the pages every client polls, built once and kept until their data changes.

A class's scripts ask for the same two pages over and over: the user list (to find an id)
and their own inbox (to see what arrived). Building them is the cost of a request (the
rows, then the JSON); answering from bytes already built costs almost nothing. So the
first page of each (no cursor, no search) is kept, as the bytes sent:

* an inbox page, until a commit changes that user's inbox (a message to them, one marked
  read): ``ChatStore.inbox_versions`` says when. Messages are written only by the server
  process, so this sees every change. (Several server processes on one database, a later
  step, will need these changes to travel between them.)
* the user list, while the database reports no commit at all since it was built
  (``Database.change_count``: users are also added by the command line, from another
  process) and no user has come online or gone offline (``Presence.version``: each user
  shows its ``presence``). Where the database cannot tell cheaply, the list is not kept.

Other pages are built on each request, the same way.
"""

from __future__ import annotations

from typing import Any

import orjson

from netsandbox.chat.events.presence import Presence
from netsandbox.chat.store import ChatStore

# Inbox variants kept per user (unread or not, from one sender or not, page size): a few.
INBOX_VARIANTS_PER_USER = 4
USER_LIST_VARIANTS = 8


def page_json(items: list[dict[str, Any]], next_cursor: int | None) -> bytes:
    return orjson.dumps({"items": items, "next_cursor": next_cursor})


class Pages:
    """Builds (or reuses) the JSON bytes of user-list and inbox pages."""

    def __init__(self, store: ChatStore, presence: Presence) -> None:
        self._store = store
        self._presence = presence
        self._inboxes: dict[int, tuple[int, dict[tuple, bytes]]] = {}
        self._user_lists: tuple[tuple[int, int] | None, dict[int, bytes]] = (None, {})

    async def inbox(
        self, user: int, *, unread: bool, sender: int | None, limit: int, before: int | None
    ) -> bytes:
        if before is not None:
            items, next_cursor = await self._store.inbox(
                user, unread=unread, sender=sender, limit=limit, before=before
            )
            return page_json(items, next_cursor)
        version = self._store.inbox_versions[user]
        variant = (unread, sender, limit)
        kept_version, kept = self._inboxes.get(user, (None, None))
        if kept is not None and kept_version == version and variant in kept:
            return kept[variant]
        items, next_cursor = await self._store.inbox(
            user, unread=unread, sender=sender, limit=limit, before=None
        )
        body = page_json(items, next_cursor)
        if self._store.inbox_versions[user] == version:  # nothing committed meanwhile
            if kept is None or kept_version != version or len(kept) >= INBOX_VARIANTS_PER_USER:
                kept = {}
                self._inboxes[user] = (version, kept)
            kept[variant] = body
        return body

    async def users(self, search: str | None, limit: int, after: int | None) -> bytes:
        if search or after is not None:
            return self._users_json(*await self._store.list_users(search, limit, after))
        changes = self._store.db.change_count()
        version = None if changes is None else (changes, self._presence.version)
        kept_version, kept = self._user_lists
        if version is not None and version == kept_version and limit in kept:
            return kept[limit]
        body = self._users_json(*await self._store.list_users(None, limit, None))
        now = (self._store.db.change_count(), self._presence.version)
        if version is not None and version == now:  # nothing changed meanwhile
            if kept_version != version or len(kept) >= USER_LIST_VARIANTS:
                kept = {}
                self._user_lists = (version, kept)
            kept[limit] = body
        return body

    def _users_json(self, items: list[dict[str, Any]], next_cursor: int | None) -> bytes:
        for user in items:
            self._presence.annotate(user)
        return page_json(items, next_cursor)
