"""n8n forms checked at compile time (Form Trigger, Form pages and endings).

What Hive cannot run is named here, not discovered by the person filling the form: file fields
on Form pages (the Form Trigger's go to the binary store), a "Return Binary File" ending, a Form
node with no Form Trigger, and Respond to Webhook downstream of a Form Trigger from 2.2 on (n8n itself
refuses that; a Respond to Webhook that only another trigger reaches is fine, as in n8n).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from n8n_import._nodes import node_type_label
from n8n_import.diagnostics import Diagnostic, error
from n8n_import.graph import Graph
from n8n_import.model import N8nNode
from n8n_import.registry import N8N_BASE

FORM_TRIGGER = N8N_BASE + "formTrigger"
FORM = N8N_BASE + "form"
RESPOND_TO_WEBHOOK = N8N_BASE + "respondToWebhook"


def _fields(node: N8nNode) -> list[Any]:
    fields = (node.parameters.get("formFields") or {}).get("values") or []
    return fields if isinstance(fields, list) else []


def _check(node: N8nNode, has_trigger: bool, has_respond: bool) -> Iterator[tuple[str, str]]:
    for index, field in enumerate(_fields(node)):
        if node.type == FORM and isinstance(field, dict) and field.get("fieldType") == "file":
            label = field.get("fieldLabel") or f"#{index}"
            yield (
                f"parameters.formFields.values[{index}]",
                f"file field '{label}' on a Form page is not supported yet (only on the Form Trigger)",
            )
    if node.type == FORM and not has_trigger:
        yield "type", "Form Trigger node must be set before this node"
    if node.type == FORM and node.parameters.get("respondWith") == "returnBinary":
        yield "parameters.respondWith", 'the form ending "Return Binary File" is not supported yet'
    if node.type == FORM_TRIGGER and has_respond and node.typeVersion > 2.1:
        yield (
            "type",
            'The "Respond to Webhook" node is not supported in workflows initiated by the "n8n Form '
            'Trigger": add an "n8n Form" node and set the "Page Type" to "Form Ending"',
        )


def _responds_below(graph: Graph, start: str, types: dict[str, str]) -> bool:
    """Whether a Respond to Webhook node is among `start`'s main descendants (n8n's getChildNodes)."""
    seen: set[str] = set()
    stack = [start]
    while stack:
        for child in graph.children(stack.pop()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return any(types.get(name) == RESPOND_TO_WEBHOOK for name in seen)


def check_forms(nodes: list[N8nNode], graph: Graph) -> list[Diagnostic]:
    """Diagnostics for every form node of the workflow (see the module docstring)."""
    enabled = [n for n in nodes if not n.disabled]
    has_trigger = any(n.type == FORM_TRIGGER for n in enabled)
    types = {n.name: n.type for n in enabled}
    diags: list[Diagnostic] = []
    for node in enabled:
        if node.type not in (FORM_TRIGGER, FORM):
            continue
        where = {"node": node.name, "node_type": node_type_label(node)}
        diags.extend(
            error(message, field=field, **where)
            for field, message in _check(node, has_trigger, _responds_below(graph, node.name, types))
        )
    return diags


__all__ = ["check_forms"]
