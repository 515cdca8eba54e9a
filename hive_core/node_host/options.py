"""hive.yaml as the compiler's options: the `node_host:` section and the model aliases."""

from __future__ import annotations

from hive_core.config import ClusterConfig
from hive_core.node_host.process import unavailable_reason
from n8n_import import CompileOptions

N8N_BASE = "n8n-nodes-base."


def full_type(name: str) -> str:
    """`markdown` → `n8n-nodes-base.markdown` (full names pass unchanged)."""
    return name if "." in name else N8N_BASE + name


def compile_options(cluster: ClusterConfig, *, check_local_node: bool = False) -> CompileOptions:
    """Compiler options from the cluster description.

    `check_local_node`: node-host nodes are compile errors when this machine has no Node.js >= 20
    (for `hive compile` / `hive run` on a machine that would run the node host itself).
    """
    config = cluster.node_host
    return CompileOptions(
        node_host=config.enabled,
        force_types=frozenset(full_type(t) for t in config.force_types),
        enable_types=frozenset(full_type(t) for t in config.enable_types),
        node_host_queue=config.task_queue,
        node_host_unavailable=unavailable_reason() if check_local_node and config.enabled else None,
        aliases=cluster.aliases,
    )


__all__ = ["compile_options", "full_type"]
