"""If (v1, v2, v2.1, v2.2, v2.3): route each item to output 0 (true) or 1 (false)."""

from __future__ import annotations

from n8n_runtime.nodes.base import Item, NodeOutput, NodeRun
from n8n_runtime.nodes.control._common import param
from n8n_runtime.nodes.control.conditions import legacy_pass, split_items


def run_if(run: NodeRun) -> NodeOutput:
    """n8n's IfV1 / IfV2 `execute`: `[true items, false items]`."""

    def legacy(index: int, item: Item) -> bool:
        combine = param(run, "combineOperation", index, "all")
        return legacy_pass(run, index, combine == "all")

    return split_items(run, legacy)


__all__ = ["run_if"]
