"""Node type → implementation, merged from the control-flow and data-transform tables."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from n8n_runtime.ai.classifiers import STRUCTURED_ROOTS
from n8n_runtime.ai.memory_manager import MEMORY_MANAGER_NODES
from n8n_runtime.ai.openai_node import OPENAI_NODES
from n8n_runtime.ai.prepare import AI_NODES
from n8n_runtime.ai.respond_to_chat import CHAT_NODES
from n8n_runtime.ai.retrieval import RETRIEVAL_NODES
from n8n_runtime.ai.summarization import SUMMARIZATION_NODES
from n8n_runtime.nodes.base import NodeFunction
from n8n_runtime.nodes.control import CONTROL_NODES
from n8n_runtime.nodes.control.form_node import run_form
from n8n_runtime.nodes.control.passthrough import run_trigger
from n8n_runtime.nodes.data import DATA_NODES
from n8n_runtime.nodes.files import FILE_NODES

# The Chat Triggers pass the chat request's item on, like every trigger (served by api/chat/).
_CHAT_TRIGGERS = {
    "@n8n/n8n-nodes-langchain.chatTrigger": run_trigger,
    "@n8n/n8n-nodes-langchain.manualChatTrigger": run_trigger,
    # The Form Trigger's item is built by the API (api/forms/); Form pages wait for theirs.
    "n8n-nodes-base.formTrigger": run_trigger,
    "n8n-nodes-base.form": run_form,
}
NODE_FUNCTIONS: Mapping[str, NodeFunction] = MappingProxyType(
    {
        **CONTROL_NODES,
        **DATA_NODES,
        **FILE_NODES,
        **AI_NODES,
        **_CHAT_TRIGGERS,
        **STRUCTURED_ROOTS,
        **OPENAI_NODES,
        **SUMMARIZATION_NODES,
        **RETRIEVAL_NODES,
        **MEMORY_MANAGER_NODES,
        **CHAT_NODES,
    }
)


def node_function(node_type: str) -> NodeFunction | None:
    """The implementation of a full node type name (``n8n-nodes-base.set``), if any."""
    return NODE_FUNCTIONS.get(node_type)
