"""Status and role enums stored as strings (their values are the stored text)."""

from __future__ import annotations

from enum import StrEnum


class AgentStatus(StrEnum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    BUSY = "busy"
    OFFLINE = "offline"
    ERROR = "error"
    DISABLED = "disabled"


class AgentSource(StrEnum):
    """Where an agent row came from: synced from ``hive.yaml`` or registered via the API."""

    CONFIG = "config"
    API = "api"


class ExecutionStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    WAITING = "waiting"
    SUCCESS = "success"
    ERROR = "error"
    CANCELED = "canceled"
    TERMINATED = "terminated"


class StepStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    WAITING = "waiting"
    SUCCESS = "success"
    ERROR = "error"
    SKIPPED = "skipped"
    CANCELED = "canceled"


class TaskStatus(StrEnum):
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELED = "canceled"


class UserRole(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    APPROVER = "approver"
    VIEWER = "viewer"
    # A machine, not a person: the n8n node host resolving credentials (nothing else).
    SERVICE = "service"


class AlertSeverity(StrEnum):
    WARNING = "warning"
    CRITICAL = "critical"


__all__ = [
    "AgentSource",
    "AgentStatus",
    "AlertSeverity",
    "ExecutionStatus",
    "StepStatus",
    "TaskStatus",
    "UserRole",
]
