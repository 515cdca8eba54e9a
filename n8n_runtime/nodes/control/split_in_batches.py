"""Split In Batches v1/v2 and Loop Over Items (v3): hand out the input in batches across runs.

The queue of remaining items lives in the node context (`run.state`, n8n's `getContext('node')`),
which survives between runs of the node in one execution. v1 has one output and returns n8n's
`null` (here: no outputs at all) when done; v2 outputs [loop, done]; v3 outputs [done, loop].
"""

from __future__ import annotations

import copy
import math
from typing import Any

from n8n_runtime.jsvalues import to_number
from n8n_runtime.nodes.base import Item, NodeOutput, NodeRun
from n8n_runtime.nodes.control._common import param


def _with_source(paired: Any, source: Any) -> Any:
    if isinstance(paired, int) and not isinstance(paired, bool):
        return {"item": paired, "sourceOverwrite": source}
    return {**paired, "sourceOverwrite": source} if isinstance(paired, dict) else paired


def _overwrite_paired(item: Item, source: Any) -> Item:
    paired = item.get("pairedItem")
    if paired is None:
        new: Any = {"item": 0, "sourceOverwrite": source}
    elif isinstance(paired, list):
        new = [_with_source(p, source) for p in paired]
    else:
        new = _with_source(paired, source)
    return {**item, "pairedItem": new}


def run_split_in_batches(run: NodeRun) -> NodeOutput:
    """n8n's SplitInBatchesV1/V2/V3 `execute`."""
    version = run.node.type_version
    items = list(run.items)
    context = run.state
    batch_size = int(to_number(param(run, "batchSize", 0, 1 if version >= 3 else 10)))
    options = param(run, "options", 0, {}) or {}
    source = (run.extras.get("source") or [None])[0]
    batch: list[Item]
    if "items" not in context or options.get("reset") is True:
        context["currentRunIndex"] = 0
        context["maxRunIndex"] = math.ceil(len(items) / batch_size) if batch_size else 0
        context["sourceData"] = copy.deepcopy(source)
        batch = items[:batch_size]
        context["items"] = items[batch_size:]
        if version >= 2:
            context["processedItems"] = []
    else:
        context["currentRunIndex"] = context.get("currentRunIndex", 0) + 1
        remaining = list(context.get("items") or [])
        batch = [_overwrite_paired(item, context.get("sourceData")) for item in remaining[:batch_size]]
        context["items"] = remaining[batch_size:]
        if version >= 2:
            returned = [
                {**item, "pairedItem": {"sourceOverwrite": source, "item": i}} for i, item in enumerate(items)
            ]
            context["processedItems"] = [*(context.get("processedItems") or []), *returned]
    context["noItemsLeft"] = len(context["items"]) == 0
    if version < 2:
        # v1 returns null when the queue is empty: the branch ends without a run.
        return [batch] if batch else []
    if not batch:
        context["done"] = True
        processed = list(context.get("processedItems") or [])
        return [processed, []] if version >= 3 else [[], processed]
    context["done"] = False
    return [[], batch] if version >= 3 else [batch, []]


__all__ = ["run_split_in_batches"]
