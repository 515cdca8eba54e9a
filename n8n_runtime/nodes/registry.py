"""Node type → implementation, merged from the control-flow and data-transform tables."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from n8n_runtime.ai.classifiers import STRUCTURED_ROOTS
from n8n_runtime.ai.memory_manager import MEMORY_MANAGER_NODES
from n8n_runtime.ai.openai_node import OPENAI_NODES
from n8n_runtime.ai.prepare import AI_NODES
from n8n_runtime.ai.retrieval import RETRIEVAL_NODES
from n8n_runtime.ai.summarization import SUMMARIZATION_NODES
from n8n_runtime.nodes.base import NodeFunction
from n8n_runtime.nodes.control import CONTROL_NODES
from n8n_runtime.nodes.data import DATA_NODES

NODE_FUNCTIONS: Mapping[str, NodeFunction] = MappingProxyType(
    {
        **CONTROL_NODES,
        **DATA_NODES,
        **AI_NODES,
        **STRUCTURED_ROOTS,
        **OPENAI_NODES,
        **SUMMARIZATION_NODES,
        **RETRIEVAL_NODES,
        **MEMORY_MANAGER_NODES,
    }
)


def node_function(node_type: str) -> NodeFunction | None:
    """The implementation of a full node type name (``n8n-nodes-base.set``), if any."""
    return NODE_FUNCTIONS.get(node_type)
