"""tokens.kind: an API token (bearer) or a browser session (cookie)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every token stored before this revision was handed out by POST /api/auth/token.
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="bearer")
        )
        batch.create_check_constraint(op.f("ck_tokens_kind"), "kind IN ('bearer', 'session')")


def downgrade() -> None:
    # Sessions cannot be told from API tokens without the column: they end here.
    op.execute("DELETE FROM tokens WHERE kind = 'session'")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_constraint(op.f("ck_tokens_kind"), type_="check")
        batch.drop_column("kind")
