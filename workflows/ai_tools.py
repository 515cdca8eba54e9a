"""Running one agent tool call as a durable step (workflow code: deterministic, no I/O).

Code tool → local activity (V8 sandbox); HTTP Request tool → activity; Call n8n Workflow tool →
child workflow through `run_subworkflow`; SQL agent tool → activity on the central worker.
Every result is text for the model; a tool that fails answers with the error, as n8n's tools
do, so the agent can recover — except a SQL agent's database that cannot be opened, which
fails the item as n8n's SQL agent does.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.ai_support import AiToolActivities, HttpToolInput, ToolCodeInput, ToolOutput
    from activities.ai_web_tools import WebToolActivities, WebToolInput, WebToolOutput
    from activities.sql_agent import SqlAgentActivities, SqlToolInput, SqlToolOutput
    from hive_core.approvals.models import ApprovalPolicy
    from n8n_import.plan import Plan, PlanNode
    from n8n_import.registry import NodeKind
    from n8n_runtime.ai.instruction import ToolSpec
    from n8n_runtime.ai.schema import drop_unfilled, fill_from_ai
    from n8n_runtime.ai.simple_tools import calculate
    from workflows.ai_dispatch import activity_message
    from workflows.ai_llm import AiItemError
    from workflows.ai_node_tools import run_node_tool
    from workflows.mcp_tools import run_mcp_tool
    from workflows.n8n_subworkflows import ChildRun, run_subworkflow
    from workflows.retries import HEARTBEAT_TIMEOUT, infra_retry

CODE_TOOL_TIMEOUT = timedelta(minutes=2)
HTTP_TOOL_TIMEOUT = timedelta(minutes=10)
# A tool's answer (even an error) comes back as text; only infrastructure failures retry.
TOOL_RETRY = infra_retry()
SQL_TOOL_TIMEOUT = timedelta(minutes=5)
# An unreachable database is tried a few times; a refused one (SqlDatabaseError) fails at once.
SQL_TOOL_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=2), maximum_attempts=3
)


def _error(message: str) -> str:
    return f'There was an error: "{message}"'


def _query(tool: ToolSpec, arguments: dict[str, Any]) -> Any:
    """A plain tool gets its one string argument (LangChain's DynamicTool `input`)."""
    if tool.structured_input:
        return arguments
    value = arguments.get("input", arguments.get("query"))
    if value is None and arguments:
        value = next(iter(arguments.values())) if len(arguments) == 1 else json.dumps(arguments)
    return "" if value is None else value if isinstance(value, str) else json.dumps(value)


async def _code(tool: ToolSpec, arguments: dict[str, Any], seed: int) -> str:
    output: ToolOutput = await workflow.execute_local_activity_method(
        AiToolActivities.run_code_tool,
        ToolCodeInput(
            node=tool.node,
            code=tool.code or "",
            language=tool.code_language,
            query=_query(tool, arguments),
            now_ms=int(workflow.now().timestamp() * 1000),
            random_seed=seed,
        ),
        start_to_close_timeout=CODE_TOOL_TIMEOUT,
        schedule_to_close_timeout=CODE_TOOL_TIMEOUT,
        retry_policy=TOOL_RETRY,
        summary=f"tool {tool.name}",
    )
    return output.text


async def _http(tool: ToolSpec, arguments: dict[str, Any]) -> str:
    output: ToolOutput = await workflow.execute_activity_method(
        AiToolActivities.run_http_tool,
        HttpToolInput(
            node=tool.node,
            type_version=tool.http_type_version or 4.2,
            parameters=drop_unfilled(fill_from_ai(tool.http_parameters or {}, arguments)),
            credentials=tool.credentials,
            optimize=tool.http_optimize,
        ),
        start_to_close_timeout=HTTP_TOOL_TIMEOUT,
        schedule_to_close_timeout=HTTP_TOOL_TIMEOUT,
        heartbeat_timeout=HEARTBEAT_TIMEOUT,
        retry_policy=TOOL_RETRY,
        summary=f"tool {tool.name}",
    )
    return output.text


async def _web(tool: ToolSpec, arguments: dict[str, Any]) -> str:
    web = tool.web or {}
    output: WebToolOutput = await workflow.execute_activity_method(
        WebToolActivities.run_web_tool,
        WebToolInput(
            node=tool.node,
            service=str(web.get("service", "")),
            query=str(_query(tool, arguments)),
            options=web.get("options") or {},
            credentials=tool.credentials,
        ),
        start_to_close_timeout=HTTP_TOOL_TIMEOUT,
        retry_policy=TOOL_RETRY,
        summary=f"tool {tool.name}",
    )
    return output.text


_SQL_FIELDS = ("tool", "source", "include_tables", "ignore_tables", "sample_rows", "binary")


async def _sql(tool: ToolSpec, arguments: dict[str, Any]) -> str:
    sql = dict(tool.sql or {})
    try:
        output: SqlToolOutput = await workflow.execute_activity_method(
            SqlAgentActivities.run_sql_tool,
            SqlToolInput(
                node=tool.node,
                input=str(_query(tool, arguments)),
                credentials=tool.credentials,
                **{
                    k: sql[k]
                    for k in ("tool", "source", "include_tables", "ignore_tables", "sample_rows", "binary")
                    if k in sql
                },
            ),
            start_to_close_timeout=SQL_TOOL_TIMEOUT,
            retry_policy=SQL_TOOL_RETRY,
            summary=f"tool {tool.name}",
        )
    except ActivityError as exc:
        # The database itself is unusable (credential, server, file): the item fails, naming it.
        raise AiItemError(activity_message(exc)) from None
    return output.text


async def _workflow(
    tool: ToolSpec, arguments: dict[str, Any], child: ChildRun, approval: ApprovalPolicy, step: str
) -> str:
    if tool.workflow_inputs is not None:  # v2: mapped inputs with $fromAI values
        item = fill_from_ai(tool.workflow_inputs, arguments)
    elif tool.structured_input:
        item = dict(arguments)
    else:
        item = {"query": _query(tool, arguments)}
    # The child's id is built from the node name: make it unique per tool call.
    node = PlanNode(name=f"{tool.node}/{step}", type="tool", type_version=1, kind=NodeKind.ACTIVITY)
    call = {"mode": "once", "wait": True, **(tool.workflow or {})}
    items, failure = await run_subworkflow(child, node, call, [{"json": item}], 0, approval)
    if failure is not None:
        return _error(failure.message)
    results = [entry.get("json", {}) for entry in items or []]
    if tool.response_property is not None:  # v1: one field of the first item is the answer
        value = results[0].get(tool.response_property) if results else None
        if value is None:
            return _error(f"The workflow did not return an item with the property '{tool.response_property}'")
        return value if isinstance(value, str) else json.dumps(value)
    return json.dumps(results[0] if len(results) == 1 else results)


async def run_tool(
    tool: ToolSpec | None,
    name: str,
    arguments: dict[str, Any],
    *,
    child: ChildRun,
    approval: ApprovalPolicy,
    step: str,
    seed: int,
    plan: Plan | None = None,
) -> str:
    """The text answer of one tool call (`tool` None: the model named a tool that does not exist)."""
    if tool is None:
        return f"{name} is not a valid tool, try another one."
    try:
        if tool.kind == "node_host":
            if plan is None:  # every AI root passes its plan; a caller that does not is a bug
                return _error(f"the tool {tool.name} needs the workflow's plan to run")
            return await run_node_tool(plan, tool, arguments)
        if tool.kind == "code":
            return await _code(tool, arguments, seed)
        if tool.kind == "mcp":
            return await run_mcp_tool(tool, arguments)
        if tool.kind == "http":
            return await _http(tool, arguments)
        # Calculator and Think are pure: computed here, deterministically, with no activity.
        if tool.kind == "calculator":
            return calculate(str(_query(tool, arguments)))
        if tool.kind == "think":
            return str(_query(tool, arguments))
        if tool.kind == "web":
            return await _web(tool, arguments)
        if tool.kind == "sql":
            return await _sql(tool, arguments)
        return await _workflow(tool, arguments, child, approval, step)
    except ActivityError as exc:
        return _error(activity_message(exc))


__all__ = ["run_tool"]
