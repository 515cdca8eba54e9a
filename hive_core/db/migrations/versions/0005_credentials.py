"""Credential store (n8n credentials, data encrypted) and the ``service`` role.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Hand-written to match ``hive_core.db.models.credentials``; names spelled out as the naming
convention produces them (see 0001). The role CHECK of ``users`` and ``api_keys`` is replaced
(batch mode rebuilds the tables on SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = ("admin", "operator", "approver", "viewer")
NEW_ROLES = (*OLD_ROLES, "service")


def _set_roles(roles: Sequence[str]) -> None:
    listed = ", ".join(f"'{role}'" for role in roles)
    for table in ("users", "api_keys"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_user_role"), type_="check")
            batch.create_check_constraint(op.f(f"ck_{table}_user_role"), f"role IN ({listed})")


def upgrade() -> None:
    op.create_table(
        "credentials",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=128), nullable=False),
        sa.Column("data_encrypted", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentials")),
        sa.UniqueConstraint("type", "name", name=op.f("uq_credentials_type_name")),
    )
    op.create_index(op.f("ix_credentials_name"), "credentials", ["name"], unique=False)
    _set_roles(NEW_ROLES)


def downgrade() -> None:
    op.execute("DELETE FROM api_keys WHERE role = 'service'")
    op.execute("DELETE FROM users WHERE role = 'service'")
    _set_roles(OLD_ROLES)
    op.drop_index(op.f("ix_credentials_name"), table_name="credentials")
    op.drop_table("credentials")
