"""Project runs: a project's template, status and workflow id; a task's workflow id.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Hand-written to match ``hive_core.db.models.tasks``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUSES = ("pending", "queued", "running", "completed", "failed", "canceled")


def upgrade() -> None:
    # Batch mode: SQLite cannot add a CHECK constraint to an existing table in place.
    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("template", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("status", sa.String(length=32), nullable=False, server_default="pending"))
        batch.add_column(sa.Column("workflow_id", sa.String(length=255), nullable=True))
        listed = ", ".join(f"'{value}'" for value in _STATUSES)
        batch.create_check_constraint(op.f("ck_projects_project_status"), f"status IN ({listed})")
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("workflow_id", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("workflow_id")
    with op.batch_alter_table("projects") as batch:
        batch.drop_constraint(op.f("ck_projects_project_status"), type_="check")
        batch.drop_column("workflow_id")
        batch.drop_column("status")
        batch.drop_column("template")
