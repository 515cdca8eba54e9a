"""Agent tools from their sub-nodes: name, description and argument schema as n8n builds them."""

from __future__ import annotations

from typing import Any

from hive_core.errors import CompileError
from n8n_import import compile_export
from n8n_import.plan import PlanNode
from n8n_runtime.ai.http_tool import langchain_http_tool
from n8n_runtime.ai.instruction import ToolSpec
from n8n_runtime.ai.mcp_tool import MCP_CLIENT_TOOL, mcp_client_tool
from n8n_runtime.ai.naming import tool_name_from_node
from n8n_runtime.ai.schema import from_ai_schema, mark_from_ai, parse_json_parameter, schema_from_example
from n8n_runtime.ai.simple_tools import SIMPLE_TOOL_BUILDERS
from n8n_runtime.nodes.base import NodeError, ParameterAccess

LANGCHAIN = "@n8n/n8n-nodes-langchain."
TOOL_CODE = LANGCHAIN + "toolCode"
TOOL_WORKFLOW = LANGCHAIN + "toolWorkflow"
TOOL_HTTP = "n8n-nodes-base.httpRequestTool"

# LangChain's DynamicTool: one optional string argument.
_PLAIN_INPUT = {"type": "object", "properties": {"input": {"type": "string"}}, "required": []}


def _name(node: PlanNode, params: ParameterAccess, item: int) -> str:
    # Up to version 1.1 the tool name is a parameter; later it is the node's name.
    explicit = params.get("name", item, None) if node.type_version <= 1.1 else None
    return str(explicit) if explicit else tool_name_from_node(node.name)


def _input_schema(params: ParameterAccess, item: int) -> dict[str, Any] | None:
    """The "Specify Input Schema" schema, or None when the tool takes one string."""
    if not params.get("specifyInputSchema", item, False):
        return None
    if params.get("schemaType", item, "fromJson") == "manual":
        schema = parse_json_parameter(params.get("inputSchema", item, "{}"), "inputSchema")
        if not isinstance(schema, dict):
            raise NodeError("The input schema in 'inputSchema' must be a JSON object")
        return schema
    example = parse_json_parameter(params.get("jsonSchemaExample", item, "{}"), "jsonSchemaExample")
    return schema_from_example(example, all_required=True)


def code_tool(node: PlanNode, params: ParameterAccess, item: int) -> ToolSpec:
    """A Code tool: JavaScript or Python run with `query` (a string, or the arguments object)."""
    schema = _input_schema(params, item)
    language = str(params.get("language", item, "javaScript") or "javaScript")
    field = "pythonCode" if language == "python" else "jsCode"
    return ToolSpec(
        node=node.name,
        kind="code",
        name=_name(node, params, item),
        description=str(params.get("description", item, "") or ""),
        parameters=schema or _PLAIN_INPUT,
        code=str(params.get(field, item, "") or ""),
        code_language=language,
        structured_input=schema is not None,
    )


def _workflow_ref(params: ParameterAccess, item: int) -> dict[str, Any]:
    source = params.get("source", item, "database")
    if source == "parameter":
        data = parse_json_parameter(params.get("workflowJson", item, ""), "workflowJson")
        try:
            (plan,) = compile_export(data)[:1]
        except (ValueError, CompileError) as exc:
            raise NodeError(f"The sub-workflow in 'workflowJson' cannot run: {exc}") from None
        return {"plan_json": plan.model_dump_json()}
    value = params.get("workflowId", item, None)
    if isinstance(value, dict):  # resource locator
        value = value.get("value")
    if value is None or not str(value).strip():
        raise NodeError("No workflow ID given for 'workflowId'")
    return {"workflow_id": str(value).strip()}


def workflow_tool(node: PlanNode, params: ParameterAccess, item: int) -> ToolSpec:
    """A Call n8n Workflow tool: v1 sends `query` (or the structured arguments), v2 maps
    `workflowInputs` whose values may hold `$fromAI(...)`."""
    name = _name(node, params, item)
    description = str(params.get("description", item, "") or "")
    if node.type_version >= 2:
        inputs = params.get("workflowInputs.value", item, {}) or {}
        raw_inputs = (node.parameters.get("workflowInputs") or {}).get("value") or {}
        return ToolSpec(
            node=node.name,
            kind="workflow",
            name=name,
            description=description,
            parameters=from_ai_schema(raw_inputs),
            workflow=_workflow_ref(params, item),
            workflow_inputs=inputs,
        )
    schema = _input_schema(params, item)
    return ToolSpec(
        node=node.name,
        kind="workflow",
        name=name,
        description=description,
        parameters=schema or _PLAIN_INPUT,
        workflow=_workflow_ref(params, item),
        structured_input=schema is not None,
        response_property=str(params.get("responsePropertyName", item, "response") or "response"),
    )


def http_tool(node: PlanNode, params: ParameterAccess, item: int) -> ToolSpec:
    """An HTTP Request tool: the node's parameters with `$fromAI(...)` filled per call."""
    evaluated = {key: params.get(key, item) for key in node.parameters}
    description = str(
        params.get("toolDescription", item, "") or "Makes an HTTP request and returns the response data"
    )
    return ToolSpec(
        node=node.name,
        kind="http",
        name=tool_name_from_node(node.name),
        description=description,
        parameters=from_ai_schema(node.parameters),
        http_parameters=evaluated,
        http_type_version=float(node.type_version),
        credentials={k: {"id": v.id, "name": v.name} for k, v in node.credentials.items()},
    )


def with_from_ai_marked(node: PlanNode) -> PlanNode:
    """`node` with `$fromAI(...)` replaced by sentinels, ready for evaluation in the root's scope."""
    return node.model_copy(update={"parameters": mark_from_ai(node.parameters)})


TOOL_BUILDERS = {
    TOOL_CODE: code_tool,
    TOOL_WORKFLOW: workflow_tool,
    TOOL_HTTP: http_tool,
    LANGCHAIN + "toolHttpRequest": langchain_http_tool,
    **SIMPLE_TOOL_BUILDERS,
    MCP_CLIENT_TOOL: mcp_client_tool,
}

__all__ = [
    "TOOL_BUILDERS",
    "code_tool",
    "http_tool",
    "tool_name_from_node",
    "with_from_ai_marked",
    "workflow_tool",
]
