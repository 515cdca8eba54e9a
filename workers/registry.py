"""What each kind of worker runs."""

from __future__ import annotations

from typing import Any

from workflows.agent_probe import AgentProbeWorkflow
from workflows.agent_task import AgentTaskWorkflow
from workflows.code_review import CodeReviewWorkflow
from workflows.health_check import HealthCheckWorkflow
from workflows.mcp_tool_call import McpToolCallWorkflow
from workflows.n8n_run import N8nWorkflow
from workflows.poll_trigger import PollTriggerWorkflow
from workflows.project_run import ProjectWorkflow
from workflows.trigger_listener import TriggerListenerWorkflow
from workflows.webhook_trigger import ServiceWebhookWorkflow, WebhookSetupWorkflow

CENTRAL_WORKFLOWS: list[type[Any]] = [
    AgentProbeWorkflow,
    AgentTaskWorkflow,
    CodeReviewWorkflow,
    HealthCheckWorkflow,
    McpToolCallWorkflow,
    N8nWorkflow,
    PollTriggerWorkflow,
    ProjectWorkflow,
    ServiceWebhookWorkflow,
    TriggerListenerWorkflow,
    WebhookSetupWorkflow,
]
