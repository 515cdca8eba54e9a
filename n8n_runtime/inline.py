"""Which nodes may run inline in the workflow instead of as a local activity.

A node qualifies when its output is a plain Python function of its (already checkpointed)
input: a trigger pass-through, No Op, or a list transform (Merge, Limit, Sort, ...) whose
parameters hold no expression. Recomputing such a node on replay costs microseconds, while a
local activity costs a few milliseconds; anything that evaluates JavaScript, reads the clock or
has an effect always runs as an activity.
"""

from __future__ import annotations

from n8n_import.plan import PlanNode
from n8n_runtime._param_strings import has_expression

_BASE = "n8n-nodes-base."
INLINE_TYPES = frozenset(
    _BASE + name
    for name in (
        "manualTrigger", "start", "executeWorkflowTrigger", "webhook", "scheduleTrigger", "cron", "interval",
        "errorTrigger", "noOp", "merge", "limit", "splitOut", "aggregate", "renameKeys",
        "removeDuplicates", "summarize", "sort", "itemLists", "compareDatasets",
    )
)  # fmt: skip


def runs_inline(node: PlanNode) -> bool:
    """True when the node is deterministic, JavaScript-free and cheap enough to recompute."""
    if node.type not in INLINE_TYPES or has_expression(node.parameters):
        return False
    if node.type == _BASE + "sort" and node.parameters.get("type", "simple") != "simple":
        return False  # code / random modes
    if (
        node.type == _BASE + "itemLists"
        and node.parameters.get("operation") == "sort"
        and node.parameters.get("type", "simple") != "simple"
    ):
        return False
    if node.type == _BASE + "merge" and node.parameters.get("mode") == "combineBySql":
        return False
    return True
