"""Runs of workflows (one Temporal workflow each) and the steps they took."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hive_core.db.base import UUID_LENGTH, Base, JSONType, Timestamps, UUIDPrimaryKey, str_enum
from hive_core.db.models.enums import ExecutionStatus, StepStatus

if TYPE_CHECKING:
    from hive_core.db.models.workflows import Workflow


class Execution(UUIDPrimaryKey, Timestamps, Base):
    """One run of a workflow. ``temporal_workflow_id`` links it to Temporal's history."""

    __tablename__ = "executions"
    # Listing a workflow's recent runs is the common query.
    __table_args__ = (Index("ix_executions_workflow_id_created_at", "workflow_id", "created_at"),)

    # A run means nothing without its workflow: deleting the workflow deletes its history.
    workflow_id: Mapped[str] = mapped_column(
        String(UUID_LENGTH), ForeignKey("workflows.id", ondelete="CASCADE")
    )
    workflow_version: Mapped[int]
    temporal_workflow_id: Mapped[str] = mapped_column(String(255), unique=True)
    temporal_run_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[ExecutionStatus] = mapped_column(
        str_enum(ExecutionStatus, "execution_status"), default=ExecutionStatus.QUEUED, index=True
    )
    # n8n's execution mode (manual, trigger, webhook, retry ...); open-ended.
    mode: Mapped[str] = mapped_column(String(32), default="manual")
    input_data: Mapped[Any | None] = mapped_column(JSONType)
    output_data: Mapped[Any | None] = mapped_column(JSONType)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    logs: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # A client retrying a start with the same key gets the existing execution back.
    idempotency_key: Mapped[str | None] = mapped_column(String(255), unique=True)

    workflow: Mapped[Workflow] = relationship(back_populates="executions")
    steps: Mapped[list[ExecutionStep]] = relationship(
        back_populates="execution",
        order_by="(ExecutionStep.step_index, ExecutionStep.run_index)",
        passive_deletes=True,
    )


class ExecutionStep(UUIDPrimaryKey, Timestamps, Base):
    """One run of one node. ``run_index`` counts re-runs of a node (loops, retries)."""

    __tablename__ = "execution_steps"
    __table_args__ = (
        UniqueConstraint("execution_id", "node_name", "run_index"),
        CheckConstraint("run_index >= 0", name="run_index_non_negative"),
    )

    execution_id: Mapped[str] = mapped_column(
        String(UUID_LENGTH), ForeignKey("executions.id", ondelete="CASCADE")
    )
    step_index: Mapped[int]
    node_id: Mapped[str | None] = mapped_column(String(255))
    node_name: Mapped[str] = mapped_column(String(255))
    run_index: Mapped[int] = mapped_column(default=0)
    status: Mapped[StepStatus] = mapped_column(
        str_enum(StepStatus, "step_status"), default=StepStatus.PENDING
    )
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    execution_time_ms: Mapped[int | None]
    output_summary: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    execution: Mapped[Execution] = relationship(back_populates="steps")


__all__ = ["Execution", "ExecutionStep"]
