"""Hive's tables. Importing this package registers every table on ``Base.metadata``."""

from hive_core.db.models.agents import Agent, AgentCapability, AgentMetric
from hive_core.db.models.chat_memory import ChatMemoryMessage
from hive_core.db.models.credentials import Credential
from hive_core.db.models.enums import (
    AgentSource,
    AgentStatus,
    AlertSeverity,
    ExecutionStatus,
    StepStatus,
    TaskStatus,
    UserRole,
)
from hive_core.db.models.executions import Execution, ExecutionStep
from hive_core.db.models.rate_limits import RateLimitCounter
from hive_core.db.models.sessions import UserSession
from hive_core.db.models.system import Alert, AuditLog, SystemConfig
from hive_core.db.models.tasks import Project, Task, task_dependencies
from hive_core.db.models.trigger_state import TriggerStaticData
from hive_core.db.models.users import ApiKey, User
from hive_core.db.models.vector_store import VectorStoreDocument
from hive_core.db.models.workflow_versions import WorkflowVersion
from hive_core.db.models.workflows import Workflow

__all__ = [
    "Agent",
    "AgentCapability",
    "AgentMetric",
    "AgentSource",
    "AgentStatus",
    "Alert",
    "AlertSeverity",
    "ApiKey",
    "AuditLog",
    "ChatMemoryMessage",
    "Credential",
    "Execution",
    "ExecutionStatus",
    "ExecutionStep",
    "Project",
    "TriggerStaticData",
    "RateLimitCounter",
    "StepStatus",
    "SystemConfig",
    "Task",
    "TaskStatus",
    "User",
    "UserRole",
    "UserSession",
    "VectorStoreDocument",
    "Workflow",
    "WorkflowVersion",
    "task_dependencies",
]
