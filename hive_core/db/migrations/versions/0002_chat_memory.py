"""Chat memory of n8n AI nodes (Window Buffer Memory).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Hand-written to match ``hive_core.db.models.chat_memory``; names spelled out as
the naming convention produces them (see 0001).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_memory",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workflow_key", sa.String(length=255), nullable=False),
        sa.Column("session_key", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("write_id", sa.String(length=512), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_memory")),
        sa.UniqueConstraint(
            "workflow_key",
            "session_key",
            "position",
            name=op.f("uq_chat_memory_workflow_key_session_key_position"),
        ),
    )
    op.create_index(op.f("ix_chat_memory_write_id"), "chat_memory", ["write_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_chat_memory_write_id"), table_name="chat_memory")
    op.drop_table("chat_memory")
