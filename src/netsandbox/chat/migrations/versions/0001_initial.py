"""users, tokens, messages, idempotency keys

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from netsandbox.chat.db import id_column_type

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id(name: str, **options: object) -> sa.Column:
    return sa.Column(name, id_column_type(), nullable=False, **options)


def _moment(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        _id("id"),
        sa.Column("username", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=140), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        _moment("created_at"),
        _moment("last_seen_at", nullable=True),
        sa.CheckConstraint("role IN ('student', 'teacher')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "messages",
        _id("id"),
        _id("sender_id"),
        _id("recipient_id"),
        sa.Column("body", sa.Text(), nullable=False),
        _moment("created_at"),
        _moment("read_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["users.id"],
            name=op.f("fk_messages_recipient_id_users"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["users.id"],
            name=op.f("fk_messages_sender_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )  # fmt: skip
    op.create_index("ix_messages_recipient_id_id", "messages", ["recipient_id", "id"])
    op.create_index(
        "ix_messages_sender_id_recipient_id_id", "messages", ["sender_id", "recipient_id", "id"]
    )
    op.create_table(
        "tokens",
        _id("id"),
        _id("user_id"),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _moment("created_at"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_tokens_token_hash")),
    )
    op.create_index(op.f("ix_tokens_user_id"), "tokens", ["user_id"])
    op.create_table(
        "idempotency_keys",
        _id("user_id"),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        _id("message_id"),
        _moment("created_at"),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"],
            name=op.f("fk_idempotency_keys_message_id_messages"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_idempotency_keys_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "key", name=op.f("pk_idempotency_keys")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_idempotency_keys_created_at"), "idempotency_keys", ["created_at"]
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("tokens")
    op.drop_table("messages")
    op.drop_table("users")
