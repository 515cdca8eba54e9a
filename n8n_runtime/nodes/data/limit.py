"""Limit node (``n8n-nodes-base.limit`` v1): keep the first or last ``maxItems`` items."""

from __future__ import annotations

from n8n_runtime.nodes.base import NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import item_json, new_item, param


def run_limit(run: NodeRun) -> NodeOutput:
    """Keep ``maxItems`` (default 1) items from the start (``firstItems``) or the end (``lastItems``)."""
    items = run.items
    max_items = int(param(run, "maxItems", 0, 1))
    keep = param(run, "keep", 0, "firstItems")
    indexed = list(enumerate(items))
    if max_items < len(items):
        # n8n slices: lastItems keeps items.slice(length - maxItems).
        indexed = indexed[len(items) - max_items :] if keep == "lastItems" else indexed[:max_items]
    return [[{**item, **new_item(item_json(item), index)} for index, item in indexed]]
