"""The tables: users, their tokens, messages, and the idempotency keys of sends.

Declared once here (SQLAlchemy 2 typed declarative); the schema in a database is made by
the migrations in ``migrations/``, and a test checks the two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from netsandbox.chat.db import id_column_type

# Ids are 64-bit in the database, but the API accepts only those every JSON reader holds
# exactly (JavaScript's Number.MAX_SAFE_INTEGER; 2**63 - 1 is not a double, and clients
# that read numbers as doubles round it). Larger ids are refused before any query.
ID_MAX = 2**53 - 1
ROLES = ("student", "teacher")
# A token is an API token (sent as ``Authorization: Bearer``) or a browser session (sent as
# the session cookie, never readable by page scripts); see ``web_session.py``.
TokenKind = Literal["bearer", "session"]

USERNAME_MAX = 32
DISPLAY_NAME_MAX = 64
STATUS_MAX = 140
BODY_MAX = 2000

# Names for constraints so that migrations can refer to them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in UTC: stored as such, always read back timezone-aware.

    Some databases keep no time zone and hand back naive datetimes; they are UTC here.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar = {int: id_column_type(), datetime: UTCDateTime()}


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('student', 'teacher')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX), unique=True)
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX))
    status: Mapped[str] = mapped_column(String(STATUS_MAX), default="")
    role: Mapped[str] = mapped_column(String(16), default="student")
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[datetime | None]


class Token(Base):
    """A bearer token or a session; only its SHA-256 is kept, so a copy of the database logs
    no one in."""

    __tablename__ = "tokens"
    __table_args__ = (CheckConstraint("kind IN ('bearer', 'session')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    kind: Mapped[str] = mapped_column(String(16), default="bearer", server_default="bearer")


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # The inbox: messages to one user, newest first.
        Index("ix_messages_recipient_id_id", "recipient_id", "id"),
        # A conversation (each direction) and the inbox filtered by sender.
        Index("ix_messages_sender_id_recipient_id_id", "sender_id", "recipient_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    read_at: Mapped[datetime | None]


class IdempotencyKey(Base):
    """Remembers which message a client's ``Idempotency-Key`` produced, for 24 hours."""

    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)


users = User.__table__
tokens = Token.__table__
messages = Message.__table__
idempotency_keys = IdempotencyKey.__table__
