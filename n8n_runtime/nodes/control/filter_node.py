"""Filter (v1, v2–v2.3): keep the items that pass; v2+ also returns the discarded ones."""

from __future__ import annotations

from n8n_runtime.nodes.base import Item, NodeOutput, NodeRun
from n8n_runtime.nodes.control._common import param
from n8n_runtime.nodes.control.conditions import legacy_pass, split_items


def run_filter(run: NodeRun) -> NodeOutput:
    """n8n's FilterV1 / FilterV2 `execute`: `[kept, discarded]` (only `kept` is wired in the editor)."""

    def legacy(index: int, item: Item) -> bool:
        combine = param(run, "combineConditions", index, "AND")
        if "pairedItem" not in item:
            item["pairedItem"] = [{"item": index}]
        return legacy_pass(run, index, combine == "AND")

    return split_items(run, legacy)


__all__ = ["run_filter"]
