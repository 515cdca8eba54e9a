"""Documents of n8n's Simple Vector Store (vectorStoreInMemory).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

Hand-written to match ``hive_core.db.models.vector_store``; names spelled out as the
naming convention produces them (see 0001).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "vector_store_documents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workflow_key", sa.String(length=255), nullable=False),
        sa.Column("memory_key", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("batch_key", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("metadata", _json(), nullable=False),
        sa.Column("embedding", _json(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vector_store_documents")),
        sa.UniqueConstraint(
            "workflow_key",
            "memory_key",
            "position",
            name=op.f("uq_vector_store_documents_workflow_key_memory_key_position"),
        ),
    )
    op.create_index(
        "ix_vector_store_documents_batch",
        "vector_store_documents",
        ["workflow_key", "memory_key", "batch_key"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_vector_store_documents_batch", table_name="vector_store_documents")
    op.drop_table("vector_store_documents")
