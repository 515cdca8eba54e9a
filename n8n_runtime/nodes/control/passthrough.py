"""No Operation and the trigger nodes: their output is their input (the trigger items)."""

from __future__ import annotations

from n8n_runtime.nodes.base import NodeOutput, NodeRun


def run_passthrough(run: NodeRun) -> NodeOutput:
    """No Operation: input 0, unchanged, on output 0."""
    return [list(run.items)]


def run_trigger(run: NodeRun) -> NodeOutput:
    """A trigger outside manual mode passes its data through, one output per input (n8n).

    The scheduler puts the trigger items on the input of the output that fired (a webhook with
    several HTTP methods has one output per method).
    """
    return [list(items) for items in run.inputs] or [[]]


__all__ = ["run_passthrough", "run_trigger"]
