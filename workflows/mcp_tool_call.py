"""One tool call of an MCP Server Trigger as its own durable run (workflow code: no I/O).

The trigger's tool nodes (Code, Call n8n Workflow, HTTP Request, n8n nodes' tool variants ...)
run exactly as an agent's tool call does (`workflows.ai_tools.run_tool`): a Code tool as a local
activity, an HTTP tool as an activity, a workflow tool as a child `N8nWorkflow`. The run is a
Temporal workflow of its own, so a call survives a worker's death like any execution.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from hive_core.approvals.models import ApprovalPolicy
    from n8n_import.plan import Plan
    from n8n_runtime.ai.instruction import ToolSpec
    from workflows.ai_tools import run_tool
    from workflows.n8n_run import N8nWorkflow

# How every Hive tool answers when it failed (`workflows.ai_tools`): the call's `isError`.
ERROR_PREFIX = "There was an error:"


class McpToolCallInput(BaseModel):
    plan: Plan
    tool: ToolSpec
    arguments: dict[str, Any] = Field(default_factory=dict)
    approval: ApprovalPolicy = Field(default_factory=ApprovalPolicy)


class McpToolCallOutput(BaseModel):
    text: str
    is_error: bool = False


@workflow.defn(name="HiveMcpToolCall")
class McpToolCallWorkflow:
    @workflow.run
    async def run(self, request: McpToolCallInput) -> McpToolCallOutput:
        text = await run_tool(
            request.tool,
            request.tool.name,
            request.arguments,
            child=N8nWorkflow.run,
            approval=request.approval,
            step="mcp",
            seed=0,
            plan=request.plan,
        )
        return McpToolCallOutput(text=text, is_error=text.startswith(ERROR_PREFIX))


__all__ = ["ERROR_PREFIX", "McpToolCallInput", "McpToolCallOutput", "McpToolCallWorkflow"]
