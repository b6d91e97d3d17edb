"""Every query of the chat service, as SQLAlchemy Core statements over ``Database``.

Rows go out as plain dicts in the API's JSON shape (times already ISO 8601 text), so the
routes serialize them without another model layer. Reads take a pooled connection; writes
go through ``Database.writing`` (one transaction each; see ``send_message`` for where a
commit batcher would group them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from netsandbox.chat.db import Database
from netsandbox.chat.errors import ChatError, invalid
from netsandbox.chat.models import idempotency_keys, messages, tokens, users, utc_now

IDEMPOTENCY_WINDOW = timedelta(hours=24)
PURGE_EVERY = timedelta(hours=1)

JSON = dict[str, Any]
Page = tuple[list[JSON], int | None]

USER_COLUMNS = (
    users.c.id, users.c.username, users.c.display_name, users.c.status, users.c.role,
    users.c.created_at, users.c.last_seen_at,
)  # fmt: skip
MESSAGE_COLUMNS = (
    messages.c.id, messages.c.sender_id, messages.c.recipient_id, messages.c.body,
    messages.c.created_at, messages.c.read_at,
)  # fmt: skip


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, to the millisecond: ``2025-01-31T09:30:00.123Z``."""
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def user_json(row: Any) -> JSON:
    return {
        "id": row.id,
        "username": row.username,
        "display_name": row.display_name,
        "status": row.status,
        "role": row.role,
        "created_at": iso(row.created_at),
        "last_seen_at": iso(row.last_seen_at),
    }


def message_json(row: Any) -> JSON:
    return {
        "id": row.id,
        "from": row.sender_id,
        "to": row.recipient_id,
        "body": row.body,
        "created_at": iso(row.created_at),
        "read_at": iso(row.read_at),
    }


def _page(items: list[JSON], limit: int, key: str = "id") -> Page:
    """Cut the extra row fetched to know whether another page follows."""
    if len(items) > limit:
        items = items[:limit]
        return items, items[-1][key]
    return items, None


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fingerprint(recipient: int, body: str) -> str:
    """Identifies a send's content, to tell a retry from a different message under one key."""
    return hashlib.sha256(f"{recipient}\n{body}".encode()).hexdigest()


class UsernameTaken(Exception):
    """The username is already someone's."""


class ChatStore:
    """The chat service's data: users, tokens, messages."""

    def __init__(self, database: Database) -> None:
        self.db = database
        self._last_purge = datetime.min.replace(tzinfo=UTC)

    # --- users ---------------------------------------------------------------------------

    async def create_user(
        self, username: str, display_name: str, password_hash: str, role: str = "student"
    ) -> JSON:
        now = utc_now()
        values = {"username": username, "display_name": display_name, "status": "",
                  "role": role, "password_hash": password_hash, "created_at": now}  # fmt: skip
        try:
            async with self.db.writing() as conn:
                result = await conn.execute(insert(users).values(values))
                user_id = result.inserted_primary_key[0]
        except IntegrityError:
            raise UsernameTaken(username) from None
        return user_json(_Row(id=user_id, last_seen_at=None, **values))

    async def create_users(self, accounts: Sequence[Mapping[str, str]]) -> list[JSON]:
        """Create several users in one transaction (all or none); each mapping has username,
        display_name, role and password_hash."""
        now = utc_now()
        created = []
        try:
            async with self.db.writing() as conn:
                for account in accounts:
                    values = {**account, "status": "", "created_at": now}
                    result = await conn.execute(insert(users).values(values))
                    created.append(_Row(id=result.inserted_primary_key[0], last_seen_at=None,
                                        **values))  # fmt: skip
        except IntegrityError as exc:
            raise UsernameTaken(str(exc.orig)) from None
        return [user_json(row) for row in created]

    async def user_id_by_username(self, username: str) -> int | None:
        async with self.db.reading() as conn:
            return await conn.scalar(select(users.c.id).where(users.c.username == username))

    async def set_password(self, user_id: int, password_hash: str) -> None:
        async with self.db.writing() as conn:
            await conn.execute(
                update(users).where(users.c.id == user_id).values(password_hash=password_hash)
            )

    async def get_user(self, user_id: int) -> JSON | None:
        async with self.db.reading() as conn:
            row = (await conn.execute(select(*USER_COLUMNS).where(users.c.id == user_id))).first()
        return user_json(row) if row else None

    async def login_record(self, username: str) -> tuple[int, str] | None:
        """(id, password hash) of a username, for checking a password."""
        query = select(users.c.id, users.c.password_hash).where(users.c.username == username)
        async with self.db.reading() as conn:
            row = (await conn.execute(query)).first()
        return (row.id, row.password_hash) if row else None

    async def existing_usernames(self, candidates: Iterable[str]) -> set[str]:
        names = list(candidates)
        if not names:
            return set()
        async with self.db.reading() as conn:
            result = await conn.execute(select(users.c.username).where(users.c.username.in_(names)))
            return set(result.scalars())

    async def list_users(self, search: str | None, limit: int, after: int | None) -> Page:
        """Users in id order (new ones come last, so a page never shifts under a reader)."""
        query = select(*USER_COLUMNS).order_by(users.c.id).limit(limit + 1)
        if after is not None:
            query = query.where(users.c.id > after)
        if search:
            pattern = _like_pattern(search)
            query = query.where(
                or_(
                    users.c.username.like(pattern, escape="\\"),
                    func.lower(users.c.display_name).like(pattern, escape="\\"),
                )
            )
        async with self.db.reading() as conn:
            rows = (await conn.execute(query)).all()
        return _page([user_json(row) for row in rows], limit)

    async def update_user(self, user_id: int, changes: Mapping[str, str]) -> JSON | None:
        if changes:
            async with self.db.writing() as conn:
                await conn.execute(update(users).where(users.c.id == user_id).values(**changes))
        return await self.get_user(user_id)

    async def record_last_seen(self, seen: Mapping[int, datetime]) -> None:
        """Write many users' last-seen times in one transaction."""
        if not seen:
            return
        async with self.db.writing() as conn:
            for user_id, moment in seen.items():
                await conn.execute(
                    update(users).where(users.c.id == user_id).values(last_seen_at=moment)
                )

    # --- tokens --------------------------------------------------------------------------

    async def add_token(self, user_id: int, digest: str) -> None:
        now = utc_now()
        async with self.db.writing() as conn:
            await conn.execute(
                insert(tokens).values(user_id=user_id, token_hash=digest, created_at=now)
            )
            await conn.execute(update(users).where(users.c.id == user_id).values(last_seen_at=now))

    async def user_for_token(self, digest: str) -> int | None:
        async with self.db.reading() as conn:
            return await conn.scalar(select(tokens.c.user_id).where(tokens.c.token_hash == digest))

    async def revoke_token(self, digest: str) -> bool:
        async with self.db.writing() as conn:
            result = await conn.execute(delete(tokens).where(tokens.c.token_hash == digest))
        return bool(result.rowcount)

    # --- messages ------------------------------------------------------------------------

    async def send_message(
        self, sender: int, recipient: int, body: str, key: str | None = None
    ) -> tuple[JSON, bool]:
        """Store a message; returns it and whether it is a replay of an earlier send.

        With an idempotency ``key``, a repeat of the same send within 24 hours returns the
        message stored the first time; the same key with other content is refused.
        """
        digest = fingerprint(recipient, body)
        if key is not None and (earlier := await self._replay(sender, key, digest)):
            return earlier, True
        now = utc_now()
        values = {"sender_id": sender, "recipient_id": recipient, "body": body,
                  "created_at": now, "read_at": None}  # fmt: skip
        try:
            # Seam for a commit batcher: this transaction is self-contained (check, insert,
            # key), so several sends could share one commit (one fsync) without changing
            # what any caller sees; the 201 must still wait for that commit.
            async with self.db.writing() as conn:
                exists = await conn.scalar(select(users.c.id).where(users.c.id == recipient))
                if exists is None:
                    raise invalid(
                        "to",
                        f"no user with id {recipient}; find ids with GET /api/users",
                        rule="unknown_recipient",
                    )
                result = await conn.execute(insert(messages).values(values))
                message_id = result.inserted_primary_key[0]
                if key is not None:
                    await self._remember_key(conn, sender, key, digest, message_id, now)
        except IntegrityError:
            # The same key raced in from a parallel retry: answer what it stored.
            if key is not None and (earlier := await self._replay(sender, key, digest)):
                return earlier, True
            raise
        return message_json(_Row(id=message_id, **values)), False

    async def _replay(self, sender: int, key: str, digest: str) -> JSON | None:
        since = utc_now() - IDEMPOTENCY_WINDOW
        query = (
            select(idempotency_keys.c.fingerprint, *MESSAGE_COLUMNS)
            .join(messages, messages.c.id == idempotency_keys.c.message_id)
            .where(
                idempotency_keys.c.user_id == sender,
                idempotency_keys.c.key == key,
                idempotency_keys.c.created_at >= since,
            )
        )
        async with self.db.reading() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        if row.fingerprint != digest:
            raise ChatError(
                422,
                "idempotency_key_reused",
                f"Idempotency-Key {key!r} was already used in the last 24 hours for a different "
                "message (other 'to' or 'body'); use a new key for each new message and the "
                "same key only to retry the same one.",
                parameter="Idempotency-Key",
                location="header",
                rule="idempotency_key_reused",
            )
        return message_json(row)

    async def _remember_key(
        self, conn: Any, sender: int, key: str, digest: str, message_id: int, now: datetime
    ) -> None:
        cutoff = now - IDEMPOTENCY_WINDOW
        if now - self._last_purge > PURGE_EVERY:
            self._last_purge = now
            await conn.execute(
                delete(idempotency_keys).where(idempotency_keys.c.created_at < cutoff)
            )
        else:  # an expired use of this very key would block the insert
            await conn.execute(
                delete(idempotency_keys).where(
                    idempotency_keys.c.user_id == sender,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.created_at < cutoff,
                )
            )
        await conn.execute(
            insert(idempotency_keys).values(
                user_id=sender, key=key, fingerprint=digest, message_id=message_id, created_at=now
            )
        )

    async def get_message(self, message_id: int) -> JSON | None:
        async with self.db.reading() as conn:
            query = select(*MESSAGE_COLUMNS).where(messages.c.id == message_id)
            row = (await conn.execute(query)).first()
        return message_json(row) if row else None

    async def mark_read(self, message_id: int) -> None:
        """Set the read time once; marking again keeps the first."""
        async with self.db.writing() as conn:
            await conn.execute(
                update(messages)
                .where(messages.c.id == message_id, messages.c.read_at.is_(None))
                .values(read_at=utc_now())
            )

    async def inbox(
        self, user: int, *, unread: bool, sender: int | None, limit: int, before: int | None
    ) -> Page:
        """Messages to ``user``, newest first."""
        query = (
            select(*MESSAGE_COLUMNS)
            .where(messages.c.recipient_id == user)
            .order_by(messages.c.id.desc())
            .limit(limit + 1)
        )
        if unread:
            query = query.where(messages.c.read_at.is_(None))
        if sender is not None:
            query = query.where(messages.c.sender_id == sender)
        if before is not None:
            query = query.where(messages.c.id < before)
        return await self._message_page(query, limit)

    async def conversation(self, user: int, other: int, limit: int, before: int | None) -> Page:
        """Messages between two users, both directions, newest first."""
        query = (
            select(*MESSAGE_COLUMNS)
            .where(
                or_(
                    and_(messages.c.sender_id == user, messages.c.recipient_id == other),
                    and_(messages.c.sender_id == other, messages.c.recipient_id == user),
                )
            )
            .order_by(messages.c.id.desc())
            .limit(limit + 1)
        )
        if before is not None:
            query = query.where(messages.c.id < before)
        return await self._message_page(query, limit)

    async def _message_page(self, query: Any, limit: int) -> Page:
        async with self.db.reading() as conn:
            rows = (await conn.execute(query)).all()
        return _page([message_json(row) for row in rows], limit)

    async def conversations(self, user: int, limit: int, before: int | None) -> Page:
        """One row per correspondent: who, the last message either way, my unread count.

        Ordered by the last message, newest first; the cursor is that message's id.
        """
        mine = (
            select(
                case((messages.c.sender_id == user, messages.c.recipient_id),
                     else_=messages.c.sender_id).label("other"),
                messages.c.id,
                case((and_(messages.c.recipient_id == user, messages.c.read_at.is_(None)), 1),
                     else_=0).label("unread"),
            )
            .where(or_(messages.c.sender_id == user, messages.c.recipient_id == user))
            .subquery()
        )  # fmt: skip
        last_id = func.max(mine.c.id)
        grouped = select(
            mine.c.other, last_id.label("last_id"), func.sum(mine.c.unread).label("unread")
        ).group_by(mine.c.other)
        if before is not None:
            grouped = grouped.having(last_id < before)
        grouped = grouped.order_by(last_id.desc()).limit(limit + 1).subquery()
        query = (
            select(grouped.c.unread, *USER_COLUMNS, *_prefixed(MESSAGE_COLUMNS, "m_"))
            .join(users, users.c.id == grouped.c.other)
            .join(messages, messages.c.id == grouped.c.last_id)
            .order_by(grouped.c.last_id.desc())
        )
        async with self.db.reading() as conn:
            rows = (await conn.execute(query)).all()
        items = [
            {
                "user": user_json(row),
                "last_message": message_json(_unprefixed(row, "m_")),
                "unread_count": int(row.unread or 0),
            }
            for row in rows
        ]
        if len(items) > limit:
            items = items[:limit]
            return items, items[-1]["last_message"]["id"]
        return items, None


class _Row:
    """Attribute access over values just written, to share the JSON builders with rows."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def _prefixed(columns: Sequence[Any], prefix: str) -> list[Any]:
    return [column.label(prefix + column.name) for column in columns]


def _unprefixed(row: Any, prefix: str) -> _Row:
    mapping = row._mapping
    return _Row(**{key[len(prefix):]: mapping[key] for key in mapping
                   if isinstance(key, str) and key.startswith(prefix)})  # fmt: skip
