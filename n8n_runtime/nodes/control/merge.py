"""Merge: dispatch to the implementation of the node's typeVersion."""

from __future__ import annotations

from n8n_runtime.nodes.base import NodeOutput, NodeRun
from n8n_runtime.nodes.control.merge_v1 import run_merge_v1
from n8n_runtime.nodes.control.merge_v2 import run_merge_v2
from n8n_runtime.nodes.control.merge_v3 import run_merge_v3


def run_merge(run: NodeRun) -> NodeOutput:
    """Merge v1 (legacy), v2/v2.1, v3/v3.1/v3.2."""
    version = run.node.type_version
    if version < 2:
        return run_merge_v1(run)
    if version < 3:
        return run_merge_v2(run)
    return run_merge_v3(run)


__all__ = ["run_merge"]
