"""The few node-type facts n8n's scheduler reads from node descriptions."""

from __future__ import annotations

from n8n_import.plan import PlanNode

_BASE = "n8n-nodes-base."

# Nodes n8n runs through their `trigger`/`poll`/`webhook` method: they need no input items.
_SOURCE_ONLY = frozenset(
    _BASE + name
    for name in ("manualTrigger", "scheduleTrigger", "cron", "interval", "webhook", "formTrigger")
)


def needs_input(node: PlanNode) -> bool:
    """False for trigger-style nodes, which run even when their input is empty."""
    return node.type not in _SOURCE_ONLY


def required_inputs(node: PlanNode) -> int | list[int] | None:
    """n8n's `description.requiredInputs` (v1 order only): which inputs must have data.

    Merge v2+ declares `$parameter["mode"] === "chooseBranch" ? [0, 1] : 1`; v1 declares nothing.
    Compare Datasets declares 1 in every version.
    """
    if node.type == _BASE + "compareDatasets":
        return 1
    if node.type != _BASE + "merge" or node.type_version < 2:
        return None
    return [0, 1] if node.parameters.get("mode", "append") == "chooseBranch" else 1


def declared_input_count(node: PlanNode) -> int | None:
    """`description.inputs.length` when inputs are a fixed list; None when n8n computes them.

    Merge v3 declares its inputs as an expression string, so n8n's length comparison never matches.
    """
    if node.type == _BASE + "merge" and node.type_version >= 3:
        return None
    return node.input_count


__all__ = ["declared_input_count", "needs_input", "required_inputs"]
