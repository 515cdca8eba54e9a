"""What each kind of worker runs."""

from __future__ import annotations

from typing import Any

from workflows.agent_probe import AgentProbeWorkflow
from workflows.health_check import HealthCheckWorkflow
from workflows.mcp_tool_call import McpToolCallWorkflow
from workflows.n8n_run import N8nWorkflow
from workflows.poll_trigger import PollTriggerWorkflow

CENTRAL_WORKFLOWS: list[type[Any]] = [
    AgentProbeWorkflow,
    HealthCheckWorkflow,
    McpToolCallWorkflow,
    N8nWorkflow,
    PollTriggerWorkflow,
]
