"""Execution Data node (``n8n-nodes-base.executionData`` v1): save fields to the run's custom data.

n8n's `$execution.customData.setAll` stores each value as a string; the items pass through.
"""

from __future__ import annotations

from typing import Any

from n8n_runtime.jsvalues import to_string
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import param


def run_execution_data(run: NodeRun) -> NodeOutput:
    """``save`` (the only operation): write `dataToSave.values` per item, return the input."""
    operation = param(run, "operation", 0, "save")
    if operation != "save":
        raise NodeError(f"The operation '{operation}' is not supported")
    custom: dict[str, Any] = run.extras.get("custom_data", {})
    for index in range(len(run.items)):
        for entry in param(run, "dataToSave.values", index, []) or []:
            custom[to_string(entry.get("key", ""))] = to_string(entry.get("value", ""))
    return [list(run.items)]


__all__ = ["run_execution_data"]
