"""Every active stored workflow as a tool; a call is a durable execution through the API's door.

The start is `hive_core.executions.start_execution`, as `POST /api/workflows/{id}/executions`
(same id scheme, payload check, approval policy, search attributes and execution index), with the
arguments as the trigger's one item. Then `hive_mcp.runs.follow` reports progress and waits.
Workflows whose trigger is an MCP Server Trigger are not tools here: their tool nodes are served
at `/mcp/<path>` instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hive_core.approvals import approval_policy
from hive_core.db.models import Workflow
from hive_core.errors import NotFoundError
from hive_core.executions.start import start_execution
from hive_mcp.backend import HiveBackend
from hive_mcp.naming import unique_names
from hive_mcp.results import still_running
from hive_mcp.runs import follow
from hive_mcp.schema import input_schema, trigger_node
from hive_mcp.tools import CallContext, HiveTool, ToolError, ToolOutcome
from n8n_import.plan import Plan

MCP_TRIGGER = "@n8n/n8n-nodes-langchain.mcpTrigger"
PROVIDER = "workflows"


def _description(row_name: str, source: dict[str, Any], plan: Plan) -> str:
    described = source.get("description") or (source.get("meta") or {}).get("description")
    if described:
        return str(described)
    trigger = trigger_node(plan)
    via = f" (trigger: {trigger.name})" if trigger else ""
    return f"Runs the Hive workflow '{row_name}'{via} and returns its last node's items as JSON."


class WorkflowTools:
    """The active workflows of Hive's database, one tool each."""

    name = PROVIDER

    def __init__(self, backend: HiveBackend) -> None:
        self._backend = backend

    async def tools(self) -> list[HiveTool]:
        async with self._backend.sessions() as session:
            rows = (
                await session.execute(
                    select(Workflow.id, Workflow.name, Workflow.n8n_data, Workflow.plan)
                    .where(Workflow.active.is_(True))
                    .order_by(Workflow.name, Workflow.id)
                )
            ).all()
        entries = []
        for workflow_id, name, source, plan_data in rows:
            if plan_data is None:
                continue
            plan = Plan.model_validate(plan_data)
            trigger = trigger_node(plan)
            if trigger is not None and trigger.type == MCP_TRIGGER:
                continue
            entries.append((workflow_id, name or "unnamed", source or {}, plan))
        names = unique_names([(entry[0], entry[1]) for entry in entries])
        return [
            HiveTool(
                name=tool_name,
                description=_description(name, source, plan),
                input_schema=input_schema(plan),
                target=workflow_id,
                provider=PROVIDER,
            )
            for tool_name, (workflow_id, name, source, plan) in zip(names, entries, strict=True)
        ]

    async def call(self, tool: HiveTool, arguments: dict[str, Any], ctx: CallContext) -> ToolOutcome:
        backend = self._backend
        async with backend.sessions() as session:
            workflow = await session.get(Workflow, tool.target)
            if workflow is None or not workflow.active:
                raise ToolError(f"the workflow behind tool {tool.name!r} is no longer active")
            started = await start_execution(
                session,
                backend.temporal,
                workflow,
                task_queue=backend.settings.temporal.task_queue,
                input_data=arguments,
                mode="mcp",
                webhook_base_url=backend.settings.api.base_url,
                approval=approval_policy(backend.cluster.security),
            )
            execution_id = started.row.temporal_workflow_id
        if ctx.wait_seconds <= 0:
            return still_running(execution_id, 0)
        try:
            return await follow(backend.temporal, execution_id, ctx.progress, ctx.wait_seconds)
        except NotFoundError as exc:
            raise ToolError(exc.message) from None


__all__ = ["MCP_TRIGGER", "WorkflowTools"]
