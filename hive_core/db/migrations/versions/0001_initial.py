"""Initial schema: agents, workflows and executions, tasks, users, system tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Hand-written to match ``hive_core.db.models`` (a test diffs the migrated schema
against the models on SQLite and PostgreSQL). Constraint and index names are
spelled out, as the naming convention in ``hive_core.db.base`` produces them, so
this file does not change meaning if the convention ever does. Enum values are
copied, not imported: a migration describes the schema as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _enum() -> sa.String:
    # Enums are stored as their string values, guarded by a CHECK (see _one_of).
    return sa.String(length=32)


def _one_of(table: str, column: str, enum_name: str, values: Sequence[str]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(f"ck_{table}_{enum_name}"))


def _uuid(name: str, *, nullable: bool) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=36), nullable=nullable)


def _created_updated() -> list[sa.Column[datetime]]:
    return [
        sa.Column("created_at", _timestamp(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", _timestamp(), server_default=sa.func.now(), nullable=False),
    ]


USER_ROLES = ("admin", "operator", "approver", "viewer")
AGENT_STATUSES = ("unknown", "online", "busy", "offline", "error", "disabled")
AGENT_SOURCES = ("config", "api")
EXECUTION_STATUSES = ("queued", "running", "waiting", "success", "error", "canceled", "terminated")
STEP_STATUSES = ("pending", "running", "waiting", "success", "error", "skipped", "canceled")
TASK_STATUSES = ("pending", "queued", "running", "completed", "failed", "canceled")
ALERT_SEVERITIES = ("warning", "critical")


def upgrade() -> None:
    op.create_table(
        "users",
        _uuid("id", nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("role", _enum(), nullable=False),
        sa.Column("preferences", _json(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        *_created_updated(),
        _one_of("users", "role", "user_role", USER_ROLES),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "api_keys",
        _uuid("id", nullable=False),
        _uuid("user_id", nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("key_hash", sa.String(length=255), nullable=False),
        sa.Column("role", _enum(), nullable=False),
        sa.Column("expires_at", _timestamp(), nullable=True),
        sa.Column("revoked_at", _timestamp(), nullable=True),
        sa.Column("last_used_at", _timestamp(), nullable=True),
        *_created_updated(),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_keys_user_id_users"), ondelete="CASCADE"
        ),
        _one_of("api_keys", "role", "user_role", USER_ROLES),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
    )
    op.create_index(op.f("ix_api_keys_prefix"), "api_keys", ["prefix"], unique=True)
    op.create_index(op.f("ix_api_keys_user_id"), "api_keys", ["user_id"], unique=False)

    op.create_table(
        "agents",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("endpoint", sa.String(length=2048), nullable=False),
        sa.Column("specialization", sa.String(length=255), nullable=True),
        sa.Column("capabilities", _json(), nullable=False),
        sa.Column("hardware_config", _json(), nullable=False),
        sa.Column("models", _json(), nullable=False),
        sa.Column("max_concurrent", sa.Integer(), nullable=False),
        sa.Column("status", _enum(), nullable=False),
        sa.Column("source", _enum(), nullable=False),
        sa.Column("last_seen_at", _timestamp(), nullable=True),
        *_created_updated(),
        sa.CheckConstraint("max_concurrent >= 1", name=op.f("ck_agents_max_concurrent_positive")),
        _one_of("agents", "status", "agent_status", AGENT_STATUSES),
        _one_of("agents", "source", "agent_source", AGENT_SOURCES),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agents")),
    )
    op.create_index(op.f("ix_agents_status"), "agents", ["status"], unique=False)

    op.create_table(
        "agent_metrics",
        _uuid("id", nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("timestamp", _timestamp(), nullable=False),
        sa.Column("performance_data", _json(), nullable=False),
        sa.Column("gpu_metrics", _json(), nullable=True),
        sa.Column("cpu_percent", sa.Float(), nullable=True),
        sa.Column("memory_percent", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_agent_metrics_agent_id_agents"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_metrics")),
    )
    op.create_index(
        "ix_agent_metrics_agent_id_timestamp", "agent_metrics", ["agent_id", "timestamp"], unique=False
    )

    op.create_table(
        "agent_capabilities",
        _uuid("id", nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("capability", sa.String(length=128), nullable=False),
        sa.Column("proficiency_score", sa.Float(), nullable=False),
        *_created_updated(),
        sa.CheckConstraint(
            "proficiency_score >= 0 AND proficiency_score <= 1",
            name=op.f("ck_agent_capabilities_proficiency_score_range"),
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_agent_capabilities_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_capabilities")),
        sa.UniqueConstraint("agent_id", "capability", name=op.f("uq_agent_capabilities_agent_id_capability")),
    )
    op.create_index(
        op.f("ix_agent_capabilities_capability"), "agent_capabilities", ["capability"], unique=False
    )

    op.create_table(
        "workflows",
        _uuid("id", nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("n8n_data", _json(), nullable=False),
        sa.Column("plan", _json(), nullable=True),
        sa.Column("mcp_tools", _json(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _uuid("created_by", nullable=True),
        sa.Column("diagnostics", _json(), nullable=False),
        *_created_updated(),
        sa.CheckConstraint("version >= 1", name=op.f("ck_workflows_version_positive")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_workflows_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflows")),
    )
    op.create_index(op.f("ix_workflows_created_by"), "workflows", ["created_by"], unique=False)
    op.create_index(op.f("ix_workflows_name"), "workflows", ["name"], unique=False)

    op.create_table(
        "executions",
        _uuid("id", nullable=False),
        _uuid("workflow_id", nullable=False),
        sa.Column("workflow_version", sa.Integer(), nullable=False),
        sa.Column("temporal_workflow_id", sa.String(length=255), nullable=False),
        sa.Column("temporal_run_id", sa.String(length=64), nullable=True),
        sa.Column("status", _enum(), nullable=False),
        sa.Column("mode", sa.String(length=32), nullable=False),
        sa.Column("input_data", _json(), nullable=True),
        sa.Column("output_data", _json(), nullable=True),
        sa.Column("error", _json(), nullable=True),
        sa.Column("logs", _json(), nullable=False),
        sa.Column("started_at", _timestamp(), nullable=True),
        sa.Column("finished_at", _timestamp(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        *_created_updated(),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_executions_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        _one_of("executions", "status", "execution_status", EXECUTION_STATUSES),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_executions")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_executions_idempotency_key")),
        sa.UniqueConstraint("temporal_workflow_id", name=op.f("uq_executions_temporal_workflow_id")),
    )
    op.create_index(op.f("ix_executions_status"), "executions", ["status"], unique=False)
    op.create_index(
        "ix_executions_workflow_id_created_at", "executions", ["workflow_id", "created_at"], unique=False
    )

    op.create_table(
        "execution_steps",
        _uuid("id", nullable=False),
        _uuid("execution_id", nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.String(length=255), nullable=True),
        sa.Column("node_name", sa.String(length=255), nullable=False),
        sa.Column("run_index", sa.Integer(), nullable=False),
        sa.Column("status", _enum(), nullable=False),
        sa.Column("started_at", _timestamp(), nullable=True),
        sa.Column("finished_at", _timestamp(), nullable=True),
        sa.Column("execution_time_ms", sa.Integer(), nullable=True),
        sa.Column("output_summary", _json(), nullable=True),
        sa.Column("error", _json(), nullable=True),
        *_created_updated(),
        sa.CheckConstraint("run_index >= 0", name=op.f("ck_execution_steps_run_index_non_negative")),
        _one_of("execution_steps", "status", "step_status", STEP_STATUSES),
        sa.ForeignKeyConstraint(
            ["execution_id"],
            ["executions.id"],
            name=op.f("fk_execution_steps_execution_id_executions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_execution_steps")),
        sa.UniqueConstraint(
            "execution_id",
            "node_name",
            "run_index",
            name=op.f("uq_execution_steps_execution_id_node_name_run_index"),
        ),
    )

    op.create_table(
        "projects",
        _uuid("id", nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("task_template", _json(), nullable=True),
        sa.Column("agent_assignments", _json(), nullable=False),
        *_created_updated(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("name", name=op.f("uq_projects_name")),
    )

    op.create_table(
        "tasks",
        _uuid("id", nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("assigned_agent", sa.String(length=64), nullable=True),
        sa.Column("status", _enum(), nullable=False),
        _uuid("project_id", nullable=True),
        sa.Column("input", _json(), nullable=True),
        sa.Column("result", _json(), nullable=True),
        *_created_updated(),
        sa.ForeignKeyConstraint(
            ["assigned_agent"],
            ["agents.id"],
            name=op.f("fk_tasks_assigned_agent_agents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_tasks_project_id_projects"), ondelete="SET NULL"
        ),
        _one_of("tasks", "status", "task_status", TASK_STATUSES),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_index(op.f("ix_tasks_assigned_agent"), "tasks", ["assigned_agent"], unique=False)
    op.create_index(op.f("ix_tasks_project_id"), "tasks", ["project_id"], unique=False)
    op.create_index("ix_tasks_status_priority", "tasks", ["status", "priority"], unique=False)

    op.create_table(
        "task_dependencies",
        _uuid("task_id", nullable=False),
        _uuid("depends_on_task_id", nullable=False),
        sa.CheckConstraint(
            "task_id <> depends_on_task_id", name=op.f("ck_task_dependencies_no_self_dependency")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_dependencies_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["depends_on_task_id"],
            ["tasks.id"],
            name=op.f("fk_task_dependencies_depends_on_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_id", "depends_on_task_id", name=op.f("pk_task_dependencies")),
    )
    op.create_index(
        op.f("ix_task_dependencies_depends_on_task_id"),
        "task_dependencies",
        ["depends_on_task_id"],
        unique=False,
    )

    op.create_table(
        "alerts",
        _uuid("id", nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("severity", _enum(), nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("opened_at", _timestamp(), nullable=False),
        sa.Column("resolved_at", _timestamp(), nullable=True),
        sa.Column("acknowledged_at", _timestamp(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=255), nullable=True),
        *_created_updated(),
        _one_of("alerts", "severity", "alert_severity", ALERT_SEVERITIES),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_agent_id"), "alerts", ["agent_id"], unique=False)
    op.create_index("ix_alerts_resolved_opened_at", "alerts", ["resolved", "opened_at"], unique=False)
    op.create_index(op.f("ix_alerts_type"), "alerts", ["type"], unique=False)

    op.create_table(
        "system_config",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", _json(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        *_created_updated(),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_system_config")),
    )
    op.create_index(op.f("ix_system_config_category"), "system_config", ["category"], unique=False)

    op.create_table(
        "audit_log",
        _uuid("id", nullable=False),
        sa.Column("at", _timestamp(), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("resource_type", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.String(length=255), nullable=True),
        sa.Column("details", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_actor"), "audit_log", ["actor"], unique=False)
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index(
        "ix_audit_log_resource_type_resource_id",
        "audit_log",
        ["resource_type", "resource_id"],
        unique=False,
    )


def downgrade() -> None:
    # Children before parents; dropping a table drops its indexes and constraints too.
    for table in (
        "audit_log",
        "system_config",
        "alerts",
        "task_dependencies",
        "tasks",
        "projects",
        "execution_steps",
        "executions",
        "workflows",
        "agent_capabilities",
        "agent_metrics",
        "agents",
        "api_keys",
        "users",
    ):
        op.drop_table(table)
