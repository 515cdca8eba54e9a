"""A workflow's MCP input schema, read from what its trigger declares (pure, no I/O).

| trigger | schema |
|---|---|
| Execute Workflow Trigger ≥ 1.1, "using fields below" | one typed property per `workflowInputs` field |
| Execute Workflow Trigger, "Define using JSON example" | the example's shape (n8n's own generator) |
| Form Trigger | one property per field, keyed by the field's label; required fields required |
| Chat Trigger | `chatInput` (required) and `sessionId` |
| anything else (Manual, Webhook, passthrough ...) | any JSON object: it becomes the trigger's item |
"""

from __future__ import annotations

import json
from typing import Any

from n8n_import.plan import Plan, PlanNode
from n8n_runtime.ai.schema import schema_from_example
from n8n_runtime.forms import FORM_TRIGGER, field_name, field_type, is_multi, options_of, parse_fields

EXECUTE_WORKFLOW_TRIGGER = "n8n-nodes-base.executeWorkflowTrigger"
CHAT_TRIGGER = "@n8n/n8n-nodes-langchain.chatTrigger"
# Any object: what a trigger that declares nothing receives.
GENERIC_SCHEMA: dict[str, Any] = {"type": "object", "additionalProperties": True}

# The Execute Workflow Trigger's field types as JSON schema types (`any`: no constraint).
_INPUT_TYPES = {
    "string": "string",
    "number": "number",
    "boolean": "boolean",
    "array": "array",
    "object": "object",
}
# Form fields whose answers are not strings.
_FORM_TYPES = {"number": {"type": "number"}, "date": {"type": "string", "format": "date"}}


def trigger_node(plan: Plan) -> PlanNode | None:
    """The node a tool call's arguments reach: the run's first start node."""
    for name in plan.start_nodes:
        node = plan.nodes.get(name)
        if node is not None and not node.disabled:
            return node
    return None


def _execute_workflow_schema(node: PlanNode) -> dict[str, Any]:
    params = node.parameters
    # n8n's default from 1.1 is "workflowInputs"; 1.0 passes every item through.
    source = params.get("inputSource", "workflowInputs" if float(node.type_version) >= 1.1 else "passthrough")
    if source == "jsonExample":
        try:
            example = json.loads(str(params.get("jsonExample") or "{}"))
        except json.JSONDecodeError:
            return dict(GENERIC_SCHEMA)
        schema = schema_from_example(example, all_required=False)
        return schema if schema.get("type") == "object" else dict(GENERIC_SCHEMA)
    if source != "workflowInputs":
        return dict(GENERIC_SCHEMA)
    fields = (params.get("workflowInputs") or {}).get("values") or []
    properties: dict[str, Any] = {}
    for field in fields:
        if not isinstance(field, dict) or not field.get("name"):
            continue
        kind = _INPUT_TYPES.get(str(field.get("type") or "string"))
        properties[str(field["name"])] = {"type": kind} if kind else {}
    return {"type": "object", "properties": properties}


def _form_schema(node: PlanNode) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in parse_fields((node.parameters.get("formFields") or {}).get("values") or []):
        kind = field_type(field)
        name = field_name(field)
        if not name or kind in ("html", "file"):
            continue  # html carries no answer; files cannot travel as MCP arguments
        options = options_of(field)
        prop: dict[str, Any] = dict(_FORM_TYPES.get(kind, {"type": "string"}))
        if options and kind in ("dropdown", "radio", "checkbox"):
            prop = {"type": "string", "enum": options}
        if is_multi(field):
            prop = {"type": "array", "items": prop}
        if field.get("placeholder"):
            prop["description"] = str(field["placeholder"])
        properties[name] = prop
        if field.get("requiredField"):
            required.append(name)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def input_schema(plan: Plan) -> dict[str, Any]:
    """The JSON schema of a tool call's arguments for the workflow `plan`."""
    node = trigger_node(plan)
    if node is None:
        return dict(GENERIC_SCHEMA)
    if node.type == EXECUTE_WORKFLOW_TRIGGER:
        return _execute_workflow_schema(node)
    if node.type == FORM_TRIGGER:
        return _form_schema(node)
    if node.type == CHAT_TRIGGER:
        return {
            "type": "object",
            "properties": {
                "chatInput": {"type": "string", "description": "the chat message"},
                "sessionId": {"type": "string", "description": "the chat session (memory key)"},
            },
            "required": ["chatInput"],
        }
    return dict(GENERIC_SCHEMA)


__all__ = ["CHAT_TRIGGER", "EXECUTE_WORKFLOW_TRIGGER", "GENERIC_SCHEMA", "input_schema", "trigger_node"]
