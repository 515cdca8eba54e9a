"""The LangChain HTTP Request tool (`toolHttpRequest`) as an HTTP Request node call.

n8n's tool takes `{placeholder}`s in the URL and keypair parameters the model fills
(`valueProvider` modelRequired / modelOptional) or that are fixed (`fieldValue`). Hive maps it
onto the HTTP Request node's parameters with `$fromAI` sentinels, so both HTTP tools share one
implementation and one activity. "Using JSON" sections keep their JSON text
with the placeholders filled in; the "model" parameter mode is a compile error
(`n8n_import/_ai_checks.py`). "Optimize Response" travels as `http_optimize`
(`n8n_runtime.ai.http_tool_response`), applied to the body in the activity.
"""

from __future__ import annotations

import re
from typing import Any

from n8n_import.plan import PlanNode
from n8n_runtime.ai.http_tool_response import optimizer_from_parameters
from n8n_runtime.ai.instruction import ToolSpec
from n8n_runtime.ai.naming import tool_name_from_node
from n8n_runtime.ai.schema import sentinel
from n8n_runtime.nodes.base import ParameterAccess

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w-]*)\}")
_TYPES = {"string": "string", "number": "number", "boolean": "boolean", "json": "object"}
# toolHttpRequest's keypair collections → the HTTP Request node's.
_SECTIONS = (
    ("sendQuery", "parametersQuery", "queryParameters", "specifyQuery"),
    ("sendHeaders", "parametersHeaders", "headerParameters", "specifyHeaders"),
    ("sendBody", "parametersBody", "bodyParameters", "specifyBody"),
)
# "Using JSON" sections: the tool's JSON text → the HTTP Request node's.
_JSON = {"specifyQuery": "jsonQuery", "specifyHeaders": "jsonHeaders", "specifyBody": "jsonBody"}


def langchain_http_tool(node: PlanNode, params: ParameterAccess, item: int) -> ToolSpec:
    """The tool's spec: arguments from URL placeholders and model-provided parameters."""
    definitions = {
        d.get("name"): d for d in params.get("placeholderDefinitions.values", item, []) or [] if d.get("name")
    }
    properties: dict[str, Any] = {}
    required: list[str] = []

    def argument(name: str, needed: bool) -> str:
        kind = _TYPES.get(str((definitions.get(name) or {}).get("type", "string")), "string")
        prop: dict[str, Any] = {"type": kind}
        if (definitions.get(name) or {}).get("description"):
            prop["description"] = definitions[name]["description"]
        properties.setdefault(name, prop)
        if needed and name not in required:
            required.append(name)
        return sentinel(name)

    url = str(params.get("url", item, "") or "")
    url = _PLACEHOLDER.sub(lambda m: argument(m.group(1), True), url)
    mapped: dict[str, Any] = {"method": params.get("method", item, "GET"), "url": url, "options": {}}
    for send, source, target, specify in _SECTIONS:
        if not params.get(send, item, False):
            continue
        if params.get(specify, item, "keypair") == "json":
            # {placeholders} in the JSON text are the model's arguments, written into the text.
            text = str(params.get(_JSON[specify], item, "") or "")
            mapped[send] = True
            mapped[specify] = "json"
            mapped[_JSON[specify]] = _PLACEHOLDER.sub(lambda m: argument(m.group(1), True), text)
            continue
        entries = []
        for entry in params.get(f"{source}.values", item, []) or []:
            provider = entry.get("valueProvider", "modelRequired")
            name = str(entry.get("name", ""))
            value = (
                entry.get("value", "")
                if provider == "fieldValue"
                else argument(name, provider == "modelRequired")
            )
            entries.append({"name": name, "value": value})
        mapped[send] = True
        mapped[specify] = "keypair"
        mapped[target] = {"parameters": entries}
    for key in ("authentication", "nodeCredentialType", "genericAuthType"):
        value = params.get(key, item, None)
        if value is not None:
            mapped[key] = value
    optimizer = optimizer_from_parameters(lambda name, default: params.get(name, item, default))
    return ToolSpec(
        node=node.name,
        kind="http",
        name=tool_name_from_node(node.name),
        description=str(params.get("toolDescription", item, "") or ""),
        parameters={"type": "object", "properties": properties, "required": required},
        http_parameters=mapped,
        http_type_version=4.2,
        http_optimize=optimizer.model_dump() if optimizer is not None else None,
        credentials={k: {"id": v.id, "name": v.name} for k, v in node.credentials.items()},
    )


__all__ = ["langchain_http_tool"]
