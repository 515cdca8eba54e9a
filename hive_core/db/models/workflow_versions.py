"""Superseded versions of stored workflows: their n8n JSON and compiled plan, kept as they were."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hive_core.db.base import UUID_LENGTH, Base, JSONType, Timestamps, UUIDPrimaryKey


class WorkflowVersion(UUIDPrimaryKey, Timestamps, Base):
    """Version ``version`` of a workflow, saved when a newer version replaced it.

    The current version lives in ``workflows``; this table holds the ones before it, so an
    execution that recorded ``(workflow_id, workflow_version)`` can always find what it ran.
    """

    __tablename__ = "workflow_versions"
    __table_args__ = (UniqueConstraint("workflow_id", "version"),)

    # History has no meaning without its workflow: deleting the workflow deletes it.
    workflow_id: Mapped[str] = mapped_column(
        String(UUID_LENGTH), ForeignKey("workflows.id", ondelete="CASCADE")
    )
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(255))
    n8n_data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    diagnostics: Mapped[list[Any]] = mapped_column(JSONType, default=list)


__all__ = ["WorkflowVersion"]
