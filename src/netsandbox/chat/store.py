"""Every query of the chat service, as SQLAlchemy Core statements run through ``Database``.

Rows go out as plain dicts in the API's JSON shape (times already ISO 8601 text), so the
routes serialize them without another model layer. Reads are ``Database.fetch`` (short,
indexed) or ``Database.scan`` (the conversation list, which groups a user's messages);
every write is a job of ``Database.write``, grouped with the writes arriving at the same
time into one durable commit, and answered only once that commit is done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, func, insert, or_, select, update

from netsandbox.chat.db import Conflict, Database, Query, Row, Transaction, iso
from netsandbox.chat.errors import ChatError, invalid
from netsandbox.chat.models import (
    ID_MAX,
    TokenKind,
    idempotency_keys,
    messages,
    tokens,
    users,
    utc_now,
)

__all__ = ["ChatStore", "UsernameTaken", "Versions", "fingerprint", "iso"]

IDEMPOTENCY_WINDOW = timedelta(hours=24)
PURGE_EVERY = timedelta(hours=1)

JSON = dict[str, Any]
Page = tuple[list[JSON], int | None]
Text = Callable[[Any], str | None]

USER_COLUMNS = (
    users.c.id, users.c.username, users.c.display_name, users.c.status, users.c.role,
    users.c.created_at, users.c.last_seen_at,
)  # fmt: skip
MESSAGE_COLUMNS = (
    messages.c.id, messages.c.sender_id, messages.c.recipient_id, messages.c.body,
    messages.c.created_at, messages.c.read_at,
)  # fmt: skip


def user_json(row: Row, text: Text) -> JSON:
    """A row of ``USER_COLUMNS`` (``text`` turns a stored moment into ISO 8601)."""
    return {"id": row[0], "username": row[1], "display_name": row[2], "status": row[3],
            "role": row[4], "created_at": text(row[5]), "last_seen_at": text(row[6])}  # fmt: skip


def message_json(row: Row, text: Text) -> JSON:
    """A row of ``MESSAGE_COLUMNS``."""
    return {"id": row[0], "from": row[1], "to": row[2], "body": row[3],
            "created_at": text(row[4]), "read_at": text(row[5])}  # fmt: skip


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


class Versions:
    """A counter per key, moved each time what the key names changes (after the commit).

    Whoever caches something derived from a key notes its version first, and keeps the
    result only if the version has not moved meanwhile.
    """

    def __init__(self) -> None:
        self._versions: dict[int, int] = {}

    def __getitem__(self, key: int) -> int:
        return self._versions.get(key, 0)

    def bump(self, key: int) -> None:
        self._versions[key] = self._versions.get(key, 0) + 1


# --- the queries, compiled once per database ---------------------------------------------

P = bindparam
_USER_BY_ID = Query(select(*USER_COLUMNS).where(users.c.id == P("id")))
_USER_ID_BY_NAME = Query(select(users.c.id).where(users.c.username == P("username")))
_LOGIN_RECORD = Query(
    select(users.c.id, users.c.password_hash).where(users.c.username == P("username"))
)
_USERS = Query(
    select(*USER_COLUMNS).where(users.c.id > P("after")).order_by(users.c.id).limit(P("limit"))
)
_USERS_MATCHING = Query(
    select(*USER_COLUMNS)
    .where(
        users.c.id > P("after"),
        or_(users.c.username.like(P("pattern"), escape="\\"),
            func.lower(users.c.display_name).like(P("pattern"), escape="\\")),
    )
    .order_by(users.c.id)
    .limit(P("limit"))
)  # fmt: skip
_INSERT_USER = Query(
    insert(users)
    .values(username=P("username"), display_name=P("display_name"), status="", role=P("role"),
            password_hash=P("password_hash"), created_at=P("created_at"))
    .returning(users.c.id)
)  # fmt: skip
_SET_PASSWORD = Query(
    update(users).where(users.c.id == P("id")).values(password_hash=P("password_hash"))
)
_SET_LAST_SEEN = Query(update(users).where(users.c.id == P("id")).values(last_seen_at=P("at")))
_INSERT_TOKEN = Query(
    insert(tokens).values(user_id=P("user_id"), token_hash=P("digest"), created_at=P("at"),
                          kind=P("kind"))
)  # fmt: skip
_TOKEN_USER = Query(select(tokens.c.user_id).where(tokens.c.token_hash == P("digest")))
_SESSION_USER = Query(
    select(tokens.c.user_id).where(tokens.c.token_hash == P("digest"), tokens.c.kind == "session")
)
_DELETE_TOKEN = Query(
    delete(tokens).where(tokens.c.token_hash == P("digest")).returning(tokens.c.id)
)

_INSERT_MESSAGE = Query(
    insert(messages)
    .values(sender_id=P("sender"), recipient_id=P("recipient"), body=P("body"),
            created_at=P("at"), read_at=None)
    .returning(messages.c.id)
)  # fmt: skip
_MESSAGE_BY_ID = Query(select(*MESSAGE_COLUMNS).where(messages.c.id == P("id")))
_MARK_READ = Query(
    update(messages)
    .where(messages.c.id == P("id"), messages.c.read_at.is_(None))
    .values(read_at=P("at"))
    .returning(messages.c.recipient_id)
)
_MARK_CONVERSATION_READ = Query(
    update(messages)
    .where(messages.c.sender_id == P("sender"), messages.c.recipient_id == P("me"),
           messages.c.read_at.is_(None), messages.c.id <= P("upto"))
    .values(read_at=P("at"))
    .returning(*MESSAGE_COLUMNS)
)  # fmt: skip
_REPLAY = Query(
    select(case((idempotency_keys.c.created_at >= P("since"), 1), else_=0),
           idempotency_keys.c.fingerprint, *MESSAGE_COLUMNS)
    .join(messages, messages.c.id == idempotency_keys.c.message_id)
    .where(idempotency_keys.c.user_id == P("user"), idempotency_keys.c.key == P("key"))
)  # fmt: skip
_PURGE_KEYS = Query(delete(idempotency_keys).where(idempotency_keys.c.created_at < P("cutoff")))
_DELETE_KEY = Query(
    delete(idempotency_keys).where(
        idempotency_keys.c.user_id == P("user"), idempotency_keys.c.key == P("key")
    )
)
_INSERT_KEY = Query(
    insert(idempotency_keys).values(user_id=P("user"), key=P("key"), fingerprint=P("digest"),
                                    message_id=P("message"), created_at=P("at"))
)  # fmt: skip
_CONVERSATION = Query(
    select(*MESSAGE_COLUMNS)
    .where(
        or_(and_(messages.c.sender_id == P("user"), messages.c.recipient_id == P("other")),
            and_(messages.c.sender_id == P("other"), messages.c.recipient_id == P("user"))),
        messages.c.id <= P("upto"),
    )
    .order_by(messages.c.id.desc())
    .limit(P("limit"))
)  # fmt: skip


def _inbox_query(unread: bool, by_sender: bool) -> Query:
    query = (
        select(*MESSAGE_COLUMNS)
        .where(messages.c.recipient_id == P("user"), messages.c.id <= P("upto"))
        .order_by(messages.c.id.desc())
        .limit(P("limit"))
    )
    if unread:
        query = query.where(messages.c.read_at.is_(None))
    if by_sender:
        query = query.where(messages.c.sender_id == P("sender"))
    return Query(query)


_INBOX = {(unread, by_sender): _inbox_query(unread, by_sender)
          for unread in (False, True) for by_sender in (False, True)}  # fmt: skip
_USER_UPDATES = {
    fields: Query(update(users).where(users.c.id == P("id")).values({f: P(f) for f in fields}))
    for fields in (("status",), ("display_name",), ("display_name", "status"))
}


def _conversations_query() -> Query:
    user = P("user")
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
    grouped = (
        select(mine.c.other, last_id.label("last_id"), func.sum(mine.c.unread).label("unread"))
        .group_by(mine.c.other)
        .having(last_id <= P("upto"))
        .order_by(last_id.desc())
        .limit(P("limit"))
        .subquery()
    )
    return Query(
        select(grouped.c.unread, *USER_COLUMNS, *MESSAGE_COLUMNS)
        .join(users, users.c.id == grouped.c.other)
        .join(messages, messages.c.id == grouped.c.last_id)
        .order_by(grouped.c.last_id.desc())
    )


_CONVERSATIONS = _conversations_query()
_USER_FIELDS = len(USER_COLUMNS)


def _upto(before: int | None) -> int:
    """The largest id a page may hold: below the cursor, or any."""
    return ID_MAX if before is None else before - 1


class ChatStore:
    """The chat service's data: users, tokens, messages.

    ``inbox_versions`` moves for a user each time a commit changes the messages sent to
    them (a new one, one marked read): the inbox cache follows it.
    """

    def __init__(self, database: Database) -> None:
        self.db = database
        self.inbox_versions = Versions()
        self._last_purge = datetime.min.replace(tzinfo=UTC)

    # --- users ---------------------------------------------------------------------------

    async def create_user(
        self, username: str, display_name: str, password_hash: str, role: str = "student"
    ) -> JSON:
        account = {"username": username, "display_name": display_name, "role": role,
                   "password_hash": password_hash}  # fmt: skip
        try:
            [user] = await self.create_users([account])
        except UsernameTaken:
            raise UsernameTaken(username) from None
        return user

    async def create_users(self, accounts: Sequence[Mapping[str, str]]) -> list[JSON]:
        """Create several users in one transaction (all or none); each mapping has username,
        display_name, role and password_hash."""
        now = utc_now()

        async def job(tx: Transaction) -> list[JSON]:
            created = []
            for account in accounts:
                [(user_id,)] = await tx.execute(_INSERT_USER, **account, created_at=now)
                created.append({"id": user_id, "username": account["username"],
                                "display_name": account["display_name"], "status": "",
                                "role": account["role"], "created_at": iso(now),
                                "last_seen_at": None})  # fmt: skip
            return created

        try:
            return await self.db.write(job)
        except Conflict as exc:
            raise UsernameTaken(str(exc)) from None

    async def user_id_by_username(self, username: str) -> int | None:
        rows = await self.db.fetch(_USER_ID_BY_NAME, username=username)
        return rows[0][0] if rows else None

    async def set_password(self, user_id: int, password_hash: str) -> None:
        async def job(tx: Transaction) -> None:
            await tx.execute(_SET_PASSWORD, id=user_id, password_hash=password_hash)

        await self.db.write(job)

    async def get_user(self, user_id: int) -> JSON | None:
        rows = await self.db.fetch(_USER_BY_ID, id=user_id)
        return user_json(rows[0], self.db.moment_text) if rows else None

    async def login_record(self, username: str) -> tuple[int, str] | None:
        """(id, password hash) of a username, for checking a password."""
        rows = await self.db.fetch(_LOGIN_RECORD, username=username)
        return (rows[0][0], rows[0][1]) if rows else None

    async def existing_usernames(self, candidates: Iterable[str]) -> set[str]:
        found = set()
        for name in set(candidates):
            if await self.db.fetch(_USER_ID_BY_NAME, username=name):
                found.add(name)
        return found

    async def list_users(self, search: str | None, limit: int, after: int | None) -> Page:
        """Users in id order (new ones come last, so a page never shifts under a reader)."""
        if search:
            rows = await self.db.fetch(_USERS_MATCHING, after=after or 0, limit=limit + 1,
                                       pattern=_like_pattern(search))  # fmt: skip
        else:
            rows = await self.db.fetch(_USERS, after=after or 0, limit=limit + 1)
        text = self.db.moment_text
        return _page([user_json(row, text) for row in rows], limit)

    async def update_user(self, user_id: int, changes: Mapping[str, str]) -> JSON | None:
        if changes:
            query = _USER_UPDATES[tuple(sorted(changes))]

            async def job(tx: Transaction) -> None:
                await tx.execute(query, id=user_id, **changes)

            await self.db.write(job)
        return await self.get_user(user_id)

    async def record_last_seen(self, seen: Mapping[int, datetime]) -> None:
        """Write many users' last-seen times in one transaction."""
        if not seen:
            return

        async def job(tx: Transaction) -> None:
            for user_id, moment in seen.items():
                await tx.execute(_SET_LAST_SEEN, id=user_id, at=moment)

        await self.db.write(job)

    # --- tokens --------------------------------------------------------------------------

    async def add_token(self, user_id: int, digest: str, kind: TokenKind = "bearer") -> None:
        now = utc_now()

        async def job(tx: Transaction) -> None:
            await tx.execute(_INSERT_TOKEN, user_id=user_id, digest=digest, at=now, kind=kind)
            await tx.execute(_SET_LAST_SEEN, id=user_id, at=now)

        await self.db.write(job)

    async def user_for_token(self, digest: str) -> int | None:
        """The user of a token of either kind (a session is a credential too)."""
        rows = await self.db.fetch(_TOKEN_USER, digest=digest)
        return rows[0][0] if rows else None

    async def user_for_session(self, digest: str) -> int | None:
        """The user of a session; None for an API token (a cookie carries only sessions)."""
        rows = await self.db.fetch(_SESSION_USER, digest=digest)
        return rows[0][0] if rows else None

    async def revoke_token(self, digest: str) -> bool:
        async def job(tx: Transaction) -> bool:
            return bool(await tx.execute(_DELETE_TOKEN, digest=digest))

        return await self.db.write(job)

    # --- messages ------------------------------------------------------------------------

    async def send_message(
        self, sender: int, recipient: int, body: str, key: str | None = None
    ) -> tuple[JSON, bool]:
        """Store a message; returns it and whether it is a replay of an earlier send.

        With an idempotency ``key``, a repeat of the same send within 24 hours returns the
        message stored the first time; the same key with other content is refused. The
        check, the message and the key are one job: writes are serialized, so a retry
        racing the first send finds its key, whichever batch each lands in.
        """
        digest = fingerprint(recipient, body) if key is not None else ""
        now = utc_now()

        async def job(tx: Transaction) -> tuple[JSON, bool]:
            if key is not None and (earlier := await self._replay(tx, sender, key, digest, now)):
                return earlier, True
            try:  # the foreign key checks the recipient: one statement fewer per send
                [(message_id,)] = await tx.execute(
                    _INSERT_MESSAGE, sender=sender, recipient=recipient, body=body, at=now
                )
            except Conflict:
                raise invalid(
                    "to",
                    f"no user with id {recipient}; find ids with GET /api/users",
                    rule="unknown_recipient",
                ) from None
            if key is not None:
                await self._remember_key(tx, sender, key, digest, message_id, now)
            message = {"id": message_id, "from": sender, "to": recipient, "body": body,
                       "created_at": iso(now), "read_at": None}  # fmt: skip
            return message, False

        def changed(outcome: tuple[JSON, bool]) -> None:
            if not outcome[1]:
                self.inbox_versions.bump(recipient)

        try:
            return await self.db.write(job, on_commit=changed)
        except Conflict:
            # The same key was stored meanwhile by another process: answer what it stored.
            if key is not None:
                earlier = await self.db.write(
                    lambda tx: self._replay(tx, sender, key, digest, utc_now())
                )
                if earlier is not None:
                    return earlier, True
            raise

    async def _replay(
        self, tx: Transaction, sender: int, key: str, digest: str, now: datetime
    ) -> JSON | None:
        """The message an earlier use of ``key`` stored, if in the last 24 hours. An older
        use is forgotten here (its row would block the new one)."""
        rows = await tx.execute(_REPLAY, user=sender, key=key, since=now - IDEMPOTENCY_WINDOW)
        if not rows:
            return None
        fresh, used_for, *message = rows[0]
        if not fresh:
            await tx.execute(_DELETE_KEY, user=sender, key=key)
            return None
        if used_for != digest:
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
        return message_json(message, self.db.moment_text)

    async def _remember_key(
        self, tx: Transaction, sender: int, key: str, digest: str, message_id: int, now: datetime
    ) -> None:
        if now - self._last_purge > PURGE_EVERY:  # keys past their 24 hours, once an hour
            self._last_purge = now
            await tx.execute(_PURGE_KEYS, cutoff=now - IDEMPOTENCY_WINDOW)
        await tx.execute(_INSERT_KEY, user=sender, key=key, digest=digest, message=message_id,
                         at=now)  # fmt: skip

    async def get_message(self, message_id: int) -> JSON | None:
        rows = await self.db.fetch(_MESSAGE_BY_ID, id=message_id)
        return message_json(rows[0], self.db.moment_text) if rows else None

    async def mark_read(self, message_id: int) -> None:
        """Set the read time once; marking again keeps the first."""
        now = utc_now()

        async def job(tx: Transaction) -> list[Row]:
            return await tx.execute(_MARK_READ, id=message_id, at=now)

        def changed(rows: list[Row]) -> None:
            for (recipient,) in rows:
                self.inbox_versions.bump(recipient)

        await self.db.write(job, on_commit=changed)

    async def mark_conversation_read(self, me: int, sender: int, up_to: int) -> list[JSON]:
        """Mark read every unread message ``sender`` sent ``me``, up to id ``up_to``; the
        messages this changed, oldest first (one transaction, however many)."""
        now = utc_now()

        async def job(tx: Transaction) -> list[Row]:
            return await tx.execute(_MARK_CONVERSATION_READ, sender=sender, me=me, upto=up_to,
                                    at=now)  # fmt: skip

        def changed(rows: list[Row]) -> None:
            if rows:
                self.inbox_versions.bump(me)

        rows = await self.db.write(job, on_commit=changed)
        text = self.db.moment_text
        return sorted((message_json(row, text) for row in rows), key=lambda m: m["id"])

    async def inbox(
        self, user: int, *, unread: bool, sender: int | None, limit: int, before: int | None
    ) -> Page:
        """Messages to ``user``, newest first."""
        query = _INBOX[unread, sender is not None]
        rows = await self.db.fetch(query, user=user, sender=sender, upto=_upto(before),
                                   limit=limit + 1)  # fmt: skip
        text = self.db.moment_text
        return _page([message_json(row, text) for row in rows], limit)

    async def conversation(self, user: int, other: int, limit: int, before: int | None) -> Page:
        """Messages between two users, both directions, newest first."""
        rows = await self.db.fetch(_CONVERSATION, user=user, other=other, upto=_upto(before),
                                   limit=limit + 1)  # fmt: skip
        text = self.db.moment_text
        return _page([message_json(row, text) for row in rows], limit)

    async def conversations(self, user: int, limit: int, before: int | None) -> Page:
        """One row per correspondent: who, the last message either way, my unread count.

        Ordered by the last message, newest first; the cursor is that message's id. This
        groups all of a user's messages, so it runs as a ``scan`` (off the event loop).
        """
        rows = await self.db.scan(_CONVERSATIONS, user=user, upto=_upto(before),
                                  limit=limit + 1)  # fmt: skip
        text = self.db.moment_text
        items = [
            {
                "user": user_json(row[1 : 1 + _USER_FIELDS], text),
                "last_message": message_json(row[1 + _USER_FIELDS :], text),
                "unread_count": int(row[0] or 0),
            }
            for row in rows
        ]
        if len(items) > limit:
            items = items[:limit]
            return items, items[-1]["last_message"]["id"]
        return items, None
