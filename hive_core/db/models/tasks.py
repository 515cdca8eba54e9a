"""Projects, agent tasks and the dependencies between tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hive_core.db.base import UUID_LENGTH, Base, JSONType, Timestamps, UUIDPrimaryKey, str_enum
from hive_core.db.models.agents import AGENT_ID_LENGTH
from hive_core.db.models.enums import TaskStatus

if TYPE_CHECKING:
    from hive_core.db.models.agents import Agent

# A plain association table: an edge carries no data of its own.
task_dependencies = Table(
    "task_dependencies",
    Base.metadata,
    Column(
        "task_id",
        String(UUID_LENGTH),
        ForeignKey("tasks.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "depends_on_task_id",
        String(UUID_LENGTH),
        ForeignKey("tasks.id", ondelete="CASCADE"),
        primary_key=True,
        # The primary key serves "what does X need"; this serves "what waits for X".
        index=True,
    ),
    CheckConstraint("task_id <> depends_on_task_id", name="no_self_dependency"),
)


class Project(UUIDPrimaryKey, Timestamps, Base):
    """A named group of tasks with a template for new ones."""

    __tablename__ = "projects"

    name: Mapped[str] = mapped_column(String(255), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    task_template: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # e.g. {"review": "walnut"}: which agent takes which kind of task.
    agent_assignments: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # The `workflows.templates` entry it was built from (None: tasks given explicitly).
    template: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[TaskStatus] = mapped_column(
        str_enum(TaskStatus, "project_status"), default=TaskStatus.PENDING
    )
    # The Temporal workflow id of the project run.
    workflow_id: Mapped[str | None] = mapped_column(String(255))

    tasks: Mapped[list[Task]] = relationship(back_populates="project", passive_deletes=True)


class Task(UUIDPrimaryKey, Timestamps, Base):
    """A unit of agent work. Higher ``priority`` runs first."""

    __tablename__ = "tasks"
    # The scheduler picks "pending tasks, highest priority first".
    __table_args__ = (Index("ix_tasks_status_priority", "status", "priority"),)

    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(default=0)
    # Removing an agent or a project leaves its tasks in place, unassigned.
    assigned_agent: Mapped[str | None] = mapped_column(
        String(AGENT_ID_LENGTH), ForeignKey("agents.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[TaskStatus] = mapped_column(
        str_enum(TaskStatus, "task_status"), default=TaskStatus.PENDING
    )
    project_id: Mapped[str | None] = mapped_column(
        String(UUID_LENGTH), ForeignKey("projects.id", ondelete="SET NULL"), index=True
    )
    # The planned task (route, model, dependencies, review options) the workflow runs.
    input: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # Its outcome: answer text, artifacts, error, review rounds.
    result: Mapped[Any | None] = mapped_column(JSONType)
    # The Temporal workflow id of the task's run (a project's child or a standalone run).
    workflow_id: Mapped[str | None] = mapped_column(String(255))

    agent: Mapped[Agent | None] = relationship()
    project: Mapped[Project | None] = relationship(back_populates="tasks")
    depends_on: Mapped[list[Task]] = relationship(
        secondary=task_dependencies,
        primaryjoin=lambda: Task.id == task_dependencies.c.task_id,
        secondaryjoin=lambda: Task.id == task_dependencies.c.depends_on_task_id,
        passive_deletes=True,
    )


__all__ = ["Project", "Task", "task_dependencies"]
