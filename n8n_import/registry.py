"""The n8n node types (and typeVersions) Hive can run, as one table.

Adding a node is one line in `_TABLE`. Versions follow what n8n 1.123 declares and what its own
test workflows export (see ../shared/n8n-corpus/manifest.json).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from n8n_import import _ports
from n8n_import._ai_ports import classifier_outputs, sentiment_outputs
from n8n_import._ports import PortRule
from n8n_import.ai_models import MODEL_NODES

N8N_BASE = "n8n-nodes-base."
LANGCHAIN = "@n8n/n8n-nodes-langchain."


class NodeKind(StrEnum):
    """Where a node runs under Temporal."""

    TRIGGER = "trigger"  # starts a run; gets the trigger input
    DATA = "data"  # pure item transform, runs inside the workflow deterministically
    ACTIVITY = "activity"  # side effects: HTTP, child workflow, timers, webhook responses
    CONTROL = "control"  # routing, joining, looping, stopping
    ANNOTATION = "annotation"  # canvas-only (sticky notes); never executed, dropped from the plan
    # Attached to an AI root by an `ai_*` connection (model, tool, memory, parser): never scheduled,
    # its parameters are evaluated with the root's items.
    SUB_NODE = "sub_node"


@dataclass(frozen=True, slots=True)
class NodeSpec:
    """What the compiler knows about one node type."""

    type: str
    versions: tuple[float, ...]
    kind: NodeKind
    outputs: PortRule
    inputs: PortRule
    # Nodes that can end a loop (Split In Batches' "done", a condition's other branch) may
    # close a cycle; a cycle through none of them could only run forever, so it is rejected.
    loop: bool = False

    @property
    def short_name(self) -> str:
        """`n8n-nodes-base.set` → `set`."""
        return self.type.removeprefix(N8N_BASE).removeprefix(LANGCHAIN)

    def supports(self, version: float) -> bool:
        """Whether `version` is one of the supported typeVersions."""
        return float(version) in self.versions

    def output_count(self, version: float, params: Mapping[str, Any]) -> int | None:
        """Main outputs (without n8n's extra error output); None if set by an expression."""
        return self.outputs(version, params)

    def input_count(self, version: float, params: Mapping[str, Any]) -> int | None:
        """Main inputs; None if set by an expression."""
        return self.inputs(version, params)


_ONE = _ports.fixed(1)
_NONE = _ports.fixed(0)
T, D, A, C, N = NodeKind.TRIGGER, NodeKind.DATA, NodeKind.ACTIVITY, NodeKind.CONTROL, NodeKind.ANNOTATION


def _spec(
    name: str,
    versions: tuple[float, ...],
    kind: NodeKind,
    *,
    outputs: PortRule | None = None,
    inputs: PortRule | None = None,
    loop: bool = False,
) -> NodeSpec:
    default_inputs = _NONE if kind in (NodeKind.TRIGGER, NodeKind.ANNOTATION) else _ONE
    default_outputs = _NONE if kind is NodeKind.ANNOTATION else _ONE
    return NodeSpec(
        type=N8N_BASE + name,
        versions=tuple(float(v) for v in versions),
        kind=kind,
        outputs=outputs or default_outputs,
        inputs=inputs or default_inputs,
        loop=loop,
    )


# fmt: off
_TABLE: tuple[NodeSpec, ...] = (
    # triggers
    _spec("manualTrigger", (1,), T),
    _spec("start", (1,), T),  # legacy manual trigger, still in many exports
    _spec("executeWorkflowTrigger", (1, 1.1), T),
    _spec("webhook", (1, 1.1, 2, 2.1), T, outputs=_ports.webhook_outputs),
    _spec("scheduleTrigger", (1, 1.1, 1.2, 1.3), T),
    _spec("cron", (1,), T),
    _spec("interval", (1,), T),  # a Temporal Schedule, as the Schedule Trigger (hive_core.schedules)
    _spec("errorTrigger", (1,), T),
    _spec("formTrigger", (1, 2, 2.1, 2.2, 2.3), T),  # served at /form/<path> (api/forms/)
    # pure data transforms
    _spec("set", (1, 2, 3, 3.1, 3.2, 3.3, 3.4), D),
    _spec("code", (1, 2), D),
    _spec("function", (1,), D),
    _spec("functionItem", (1,), D),
    _spec("filter", (1, 2, 2.1, 2.2, 2.3), D, outputs=_ports.filter_outputs, loop=True),
    _spec("noOp", (1,), D),
    _spec("splitOut", (1,), D),
    _spec("aggregate", (1,), D),
    _spec("limit", (1,), D),
    _spec("sort", (1,), D),
    _spec("removeDuplicates", (1, 1.1, 2), D),
    _spec("summarize", (1, 1.1), D),
    _spec("renameKeys", (1,), D),
    _spec("dateTime", (1, 2), D),
    _spec("itemLists", (1, 2, 2.1, 2.2, 3, 3.1), D),
    _spec("xml", (1,), D),
    _spec("executionData", (1,), D),
    _spec("debugHelper", (1,), D),
    _spec("html", (1, 1.1, 1.2), D),
    _spec("htmlExtract", (1,), D),
    _spec("jwt", (1,), D),
    _spec("markdown", (1,), D),
    _spec("crypto", (1,), D),
    _spec("totp", (1,), D),
    _spec("n8nTrainingCustomerDatastore", (1,), D),
    _spec("n8nTrainingCustomerMessenger", (1,), D),
    _spec("compareDatasets", (1, 2, 2.1, 2.2, 2.3), D, inputs=_ports.fixed(2), outputs=_ports.fixed(4)),
    # file nodes (binary data through the store; always activities, never inline)
    _spec("extractFromFile", (1,), D),
    _spec("convertToFile", (1, 1.1), D),
    _spec("spreadsheetFile", (1, 2), D),
    _spec("moveBinaryData", (1, 1.1), D),
    _spec("compression", (1, 1.1), D),
    _spec("readWriteFile", (1, 1.1), D),
    _spec("readBinaryFile", (1,), D),
    _spec("readBinaryFiles", (1,), D),
    _spec("writeBinaryFile", (1,), D),
    # control flow
    _spec("if", (1, 2, 2.1, 2.2, 2.3), C, outputs=_ports.fixed(2), loop=True),
    _spec("switch", (1, 2, 3, 3.1, 3.2, 3.3), C, outputs=_ports.switch_outputs, loop=True),
    _spec("merge", (1, 2, 2.1, 3, 3.1, 3.2), C, inputs=_ports.merge_inputs),
    _spec("splitInBatches", (1, 2, 3), C, outputs=_ports.split_in_batches_outputs, loop=True),
    _spec("stopAndError", (1,), C, outputs=_NONE),
    # side effects
    _spec("httpRequest", (3, 4, 4.1, 4.2, 4.3, 4.4), A),
    _spec("wait", (1, 1.1), A),
    _spec("executeWorkflow", (1, 1.1, 1.2, 1.3), A),
    _spec("respondToWebhook", (1, 1.1, 1.2, 1.3, 1.4, 1.5), A, outputs=_ports.respond_to_webhook_outputs),
    _spec("form", (1,), A),  # a form page waits for its submission; the ending shows a screen
    # annotations
    _spec("stickyNote", (1,), N),
    # a tool of an AI Agent (sub-node); the HTTP Request node's own implementation
    _spec("httpRequestTool", (4, 4.1, 4.2), NodeKind.SUB_NODE, outputs=_NONE, inputs=_NONE),
)


def _ai_spec(name: str, versions: tuple[float, ...], kind: NodeKind) -> NodeSpec:
    """An `@n8n/n8n-nodes-langchain` node: a root (one main input and output) or a sub-node."""
    ports = _NONE if kind is NodeKind.SUB_NODE else _ONE
    return NodeSpec(
        type=LANGCHAIN + name,
        versions=tuple(float(v) for v in versions),
        kind=kind,
        outputs=ports,
        inputs=ports,
    )


_S = NodeKind.SUB_NODE
# AI nodes (see n8n_import/_ai_checks.py for how roots and sub-nodes must be wired).
_AI_TABLE: tuple[NodeSpec, ...] = (
    # roots
    _ai_spec("chainLlm", (1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9), A),
    _ai_spec("agent", (1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2, 2.1, 2.2, 3, 3.1), A),
    _ai_spec("ollama", (1,), A),
    # Simple Vector Store: a root in its insert and load modes (other modes: compile errors)
    _ai_spec("vectorStoreInMemory", (1, 1.1, 1.2, 1.3), A),
    _ai_spec("vectorStoreQdrant", (1, 1.1, 1.2, 1.3), A),
    _ai_spec("vectorStorePinecone", (1, 1.1, 1.2, 1.3), A),
    _ai_spec("vectorStorePGVector", (1, 1.1, 1.2, 1.3), A),
    _ai_spec("vectorStoreSupabase", (1, 1.1, 1.2, 1.3), A),
    _ai_spec("vectorStoreChromaDB", (1, 1.1, 1.2, 1.3), A),
    # sub-nodes
    _ai_spec("lmChatOllama", (1,), _S),
    _ai_spec("lmOllama", (1,), _S),
    _ai_spec("outputParserStructured", (1, 1.1, 1.2, 1.3), _S),
    _ai_spec("memoryBufferWindow", (1, 1.1, 1.2, 1.3), _S),
    _ai_spec("toolCode", (1, 1.1, 1.2, 1.3), _S),
    _ai_spec("toolWorkflow", (1, 1.1, 1.2, 1.3, 2, 2.1, 2.2), _S),
    _ai_spec("toolHttpRequest", (1, 1.1), _S),
    _ai_spec("embeddingsOllama", (1,), _S),
    _ai_spec("documentDefaultDataLoader", (1, 1.1, 2), _S),
    _ai_spec("textSplitterRecursiveCharacterTextSplitter", (1,), _S),
    _ai_spec("textSplitterCharacterTextSplitter", (1,), _S),
    _ai_spec("textSplitterTokenSplitter", (1,), _S),
    # Chat Trigger: served at /webhook/<webhookId>/chat (api/chat/); its optional ai_memory input
    # only answers the widget's loadPreviousSession. Manual Chat Trigger: runs with given items.
    NodeSpec(LANGCHAIN + "chatTrigger", (1.0, 1.1, 1.2, 1.3, 1.4), T, outputs=_ONE, inputs=_NONE),
    NodeSpec(LANGCHAIN + "manualChatTrigger", (1.0, 1.1), T, outputs=_ONE, inputs=_NONE),
    # MCP Server Trigger: its ai_tool sub-nodes are served as MCP tools at /mcp/<path> (api/mcp/)
    NodeSpec(LANGCHAIN + "mcpTrigger", (1.0, 1.1, 2.0), T, outputs=_NONE, inputs=_NONE),
    # Respond to Chat: a message into the Chat Trigger's session, then (by default) a durable
    # wait for the user's reply, like the Wait node's webhook (n8n_runtime/ai/respond_to_chat.py).
    _ai_spec("chat", (1,), A),
    # chat memories on the user's own Postgres / Redis (LangChain's storage formats)
    _ai_spec("memoryPostgresChat", (1, 1.1, 1.2, 1.3), _S),
    _ai_spec("memoryRedisChat", (1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6), _S),
    # provider chat / LLM / embeddings models, routed to cluster models (n8n_import/ai_models.py)
    *(_ai_spec(m.name, m.versions, _S) for m in MODEL_NODES.values()),
    _ai_spec("toolCalculator", (1,), _S),
    _ai_spec("toolThink", (1, 1.1), _S),
    _ai_spec("toolWikipedia", (1,), _S),
    _ai_spec("toolSerpApi", (1,), _S),
    # MCP Client Tool: the tools of an MCP server, listed when the agent starts (hive_mcp/client/)
    _ai_spec("mcpClientTool", (1, 1.1, 1.2), _S),
    # structured roots: one model call per item with n8n's prompts (n8n_runtime/ai/classifiers.py)
    _ai_spec("informationExtractor", (1, 1.1, 1.2), A),
    NodeSpec(LANGCHAIN + "textClassifier", (1.0, 1.1), A, classifier_outputs, _ONE),
    NodeSpec(LANGCHAIN + "sentimentAnalysis", (1.0, 1.1), A, sentiment_outputs, _ONE),
    # the OpenAI nodes, on the cluster model their model maps to (text operations)
    _ai_spec("openAi", (1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8), A),
    NodeSpec(N8N_BASE + "openAi", (1.0, 1.1), A, _ONE, _ONE),
    _ai_spec("outputParserAutofixing", (1,), _S),
    _ai_spec("outputParserItemList", (1,), _S),
    _ai_spec("chainSummarization", (1, 2, 2.1), A),
    _ai_spec("chainRetrievalQa", (1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6), A),
    _ai_spec("retrieverVectorStore", (1,), _S),
    _ai_spec("toolVectorStore", (1, 1.1), _S),
    _ai_spec("memoryManager", (1, 1.1), A),
    # runs as an agent with the model and instructions of model_aliases.assistants
    _ai_spec("openAiAssistant", (1, 1.1), A),
    # the legacy "Workflow Input to JSON Document" loader: the Default Data Loader's JSON mode
    _ai_spec("documentJsonInputLoader", (1,), _S),
)
# fmt: on

REGISTRY: Mapping[str, NodeSpec] = MappingProxyType({spec.type: spec for spec in _TABLE + _AI_TABLE})


def get_spec(node_type: str) -> NodeSpec | None:
    """The spec of a full node type name (`n8n-nodes-base.set`), or None if unsupported."""
    return REGISTRY.get(node_type)


def supported_types() -> tuple[str, ...]:
    """All supported full node type names, sorted."""
    return tuple(sorted(REGISTRY))


def format_version(version: float) -> str:
    """`3.0` → `3`, `3.4` → `3.4` (the way n8n writes typeVersions)."""
    return str(int(version)) if float(version).is_integer() else str(version)


__all__ = [
    "LANGCHAIN",
    "N8N_BASE",
    "REGISTRY",
    "NodeKind",
    "NodeSpec",
    "format_version",
    "get_spec",
    "supported_types",
]
