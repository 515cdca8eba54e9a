"""How AI roots and their sub-nodes must be wired, checked at compile time.

A root (Basic LLM Chain, AI Agent, Ollama) takes sub-nodes over `ai_*` connections; each
sub-node type plugs into one connection type. Every problem is a diagnostic naming the node:
a root without its model, a sub-node on the wrong connection or attached to nothing, a tool
type Hive cannot run, a parameter shape Hive does not support. Nothing is skipped silently.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from n8n_import._nodes import node_type_label
from n8n_import.ai_agent_types import MAPPED_TYPES, REJECTED_TYPES, SQL_DATA_SOURCES, agent_type
from n8n_import.ai_models import MODEL_NODES
from n8n_import.diagnostics import Diagnostic, error, warning
from n8n_import.graph import Graph
from n8n_import.model import N8nNode
from n8n_import.registry import LANGCHAIN, N8N_BASE, NodeKind, NodeSpec
from n8n_import.tool_variants import tool_variant_base

CHAIN = LANGCHAIN + "chainLlm"
AGENT = LANGCHAIN + "agent"
OLLAMA = LANGCHAIN + "ollama"
CHAT_MODEL = LANGCHAIN + "lmChatOllama"
TEXT_MODEL = LANGCHAIN + "lmOllama"
STRUCTURED_PARSER = LANGCHAIN + "outputParserStructured"
WINDOW_MEMORY = LANGCHAIN + "memoryBufferWindow"
TOOL_CODE = LANGCHAIN + "toolCode"
TOOL_WORKFLOW = LANGCHAIN + "toolWorkflow"
TOOL_HTTP = N8N_BASE + "httpRequestTool"
TOOL_LANGCHAIN_HTTP = LANGCHAIN + "toolHttpRequest"
EMBEDDINGS = LANGCHAIN + "embeddingsOllama"
VECTOR_STORE = LANGCHAIN + "vectorStoreInMemory"
# Vector databases: the same node shape as the Simple Vector Store, a credential of their own.
REMOTE_VECTOR_STORES = frozenset(
    LANGCHAIN + n
    for n in (
        "vectorStoreQdrant",
        "vectorStorePinecone",
        "vectorStoreSupabase",
        "vectorStorePGVector",
        "vectorStoreChromaDB",
    )
)
VECTOR_STORES = frozenset({VECTOR_STORE, *REMOTE_VECTOR_STORES})
DATA_LOADER = LANGCHAIN + "documentDefaultDataLoader"
RECURSIVE_SPLITTER = LANGCHAIN + "textSplitterRecursiveCharacterTextSplitter"
CHARACTER_SPLITTER = LANGCHAIN + "textSplitterCharacterTextSplitter"
TOKEN_SPLITTER = LANGCHAIN + "textSplitterTokenSplitter"
POSTGRES_MEMORY = LANGCHAIN + "memoryPostgresChat"
REDIS_MEMORY = LANGCHAIN + "memoryRedisChat"
CHAT_TRIGGER = LANGCHAIN + "chatTrigger"
MEMORIES = frozenset({WINDOW_MEMORY, POSTGRES_MEMORY, REDIS_MEMORY})

# The connection type each sub-node type plugs into.
SUB_NODE_CONNECTION: Mapping[str, str] = {
    CHAT_MODEL: "ai_languageModel",
    TEXT_MODEL: "ai_languageModel",
    STRUCTURED_PARSER: "ai_outputParser",
    WINDOW_MEMORY: "ai_memory",
    POSTGRES_MEMORY: "ai_memory",
    REDIS_MEMORY: "ai_memory",
    TOOL_CODE: "ai_tool",
    TOOL_WORKFLOW: "ai_tool",
    TOOL_HTTP: "ai_tool",
    TOOL_LANGCHAIN_HTTP: "ai_tool",
    EMBEDDINGS: "ai_embedding",
    DATA_LOADER: "ai_document",
    RECURSIVE_SPLITTER: "ai_textSplitter",
    CHARACTER_SPLITTER: "ai_textSplitter",
    TOKEN_SPLITTER: "ai_textSplitter",
    LANGCHAIN + "documentJsonInputLoader": "ai_document",
    LANGCHAIN + "outputParserAutofixing": "ai_outputParser",
    LANGCHAIN + "outputParserItemList": "ai_outputParser",
    LANGCHAIN + "retrieverVectorStore": "ai_retriever",
    LANGCHAIN + "toolVectorStore": "ai_tool",
    LANGCHAIN + "toolCalculator": "ai_tool",
    LANGCHAIN + "toolThink": "ai_tool",
    LANGCHAIN + "toolWikipedia": "ai_tool",
    LANGCHAIN + "toolSerpApi": "ai_tool",
    LANGCHAIN + "mcpClientTool": "ai_tool",
    # provider models, routed to cluster models by model_aliases
    **{m.type: "ai_embedding" if m.api == "embed" else "ai_languageModel" for m in MODEL_NODES.values()},
}
# Model nodes that only complete text (Ollama's /api/generate): no chat, no tool calls.
TEXT_MODELS = frozenset({TEXT_MODEL, *(m.type for m in MODEL_NODES.values() if m.api == "generate")})
EMBEDDING_MODELS = frozenset({EMBEDDINGS, *(m.type for m in MODEL_NODES.values() if m.api == "embed")})
# The connection types each root accepts; the language model is required where listed first.
ROOT_CONNECTIONS: Mapping[str, tuple[str, ...]] = {
    CHAIN: ("ai_languageModel", "ai_outputParser"),
    AGENT: ("ai_languageModel", "ai_tool", "ai_memory", "ai_outputParser"),
    OLLAMA: ("ai_tool",),
    **dict.fromkeys(VECTOR_STORES, ("ai_embedding", "ai_document")),
    LANGCHAIN + "informationExtractor": ("ai_languageModel",),
    LANGCHAIN + "textClassifier": ("ai_languageModel",),
    LANGCHAIN + "sentimentAnalysis": ("ai_languageModel",),
    # ai_memory: the assistant resource's "Use memory connector".
    LANGCHAIN + "openAi": ("ai_tool", "ai_memory"),
    LANGCHAIN + "openAiAssistant": ("ai_tool", "ai_memory"),
    LANGCHAIN + "chainSummarization": ("ai_languageModel", "ai_document", "ai_textSplitter"),
    LANGCHAIN + "chainRetrievalQa": ("ai_languageModel", "ai_retriever"),
    LANGCHAIN + "memoryManager": ("ai_memory",),
    LANGCHAIN + "mcpTrigger": ("ai_tool",),
    LANGCHAIN + "retrieverVectorStore": ("ai_vectorStore",),
    LANGCHAIN + "toolVectorStore": ("ai_vectorStore", "ai_languageModel"),
    # The auto-fixing parser wraps a parser and has its own model for the fix call.
    LANGCHAIN + "outputParserAutofixing": ("ai_languageModel", "ai_outputParser"),
    # A sub-node with a sub-node of its own: the loader's optional text splitter.
    DATA_LOADER: ("ai_textSplitter",),
    # The Chat Trigger reads its memory to answer loadPreviousSession ("From Memory").
    CHAT_TRIGGER: ("ai_memory",),
    LANGCHAIN + "documentJsonInputLoader": ("ai_textSplitter",),
}
MODEL_REQUIRED = frozenset(
    {
        CHAIN,
        AGENT,
        *(
            LANGCHAIN + n
            for n in (
                "informationExtractor",
                "textClassifier",
                "sentimentAnalysis",
                "outputParserAutofixing",
                "chainSummarization",
                "chainRetrievalQa",
                "toolVectorStore",
            )
        ),
    }
)
VECTOR_STORE_MODES = ("insert", "load", "retrieve-as-tool", "retrieve", "update")
# n8n's stores with the "update" mode (the document with an id replaced).
UPDATABLE_STORES = frozenset({LANGCHAIN + "vectorStoreSupabase", LANGCHAIN + "vectorStoreChromaDB"})


def _where(node: N8nNode) -> dict[str, Any]:
    return {"node": node.name, "node_type": node_type_label(node)}


def check_ai_wiring(nodes: list[N8nNode], specs: Mapping[str, NodeSpec], graph: Graph) -> list[Diagnostic]:
    """Diagnostics for every AI root and sub-node of the workflow (see the module docstring)."""
    by_name = {node.name: node for node in nodes}
    diags: list[Diagnostic] = []
    for node in nodes:
        spec = specs.get(node.name)
        if spec is None:
            continue  # unsupported type or version: already reported
        where = _where(node)
        attached = graph.sub_nodes.get(node.name, {})
        if spec.kind is NodeKind.SUB_NODE:
            diags.extend(_check_sub_node(node, graph, by_name))
        elif node.type not in ROOT_CONNECTIONS and _has_ai_sub_node(attached, specs):
            kinds = ", ".join(sorted(attached))
            diags.append(
                error(f"takes no AI sub-nodes, but has {kinds} connections", field="connections", **where)
            )
        if node.type in ROOT_CONNECTIONS:
            diags.extend(_check_root(node, attached, by_name))
        if node.type == RESPOND_TO_CHAT:
            diags.extend(_check_respond_to_chat(node, by_name, graph))
        if node.type == N8N_BASE + "respondToWebhook":
            diags.extend(_check_respond_to_webhook(node, by_name, graph))
        if node.type in VECTOR_STORES and node.parameters.get("mode", "retrieve") == "retrieve":
            if node.name not in graph.sub_node_of:
                diags.append(
                    error(
                        'operation mode "retrieve" supplies a retriever or tool: connect the store to a '
                        "Vector Store Retriever or Vector Store Question Answer Tool over ai_vectorStore",
                        field="parameters.mode",
                        **where,
                    )
                )
        for field, message in _parameter_findings(node):
            diags.append(error(message, field=field, **where))
        for field, message in _approximations(node):
            diags.append(warning(message, field=field, **where))
    return diags


def _has_ai_sub_node(attached: Mapping[str, list[str]], specs: Mapping[str, NodeSpec]) -> bool:
    # Only AI sub-nodes make a wrong root an error: plain nodes wired over ai_* (as some graph
    # fixtures do) never run as sub-nodes and change nothing at run time.
    return any(
        (spec := specs.get(name)) is not None and spec.kind is NodeKind.SUB_NODE
        for names in attached.values()
        for name in names
    )


def _check_sub_node(node: N8nNode, graph: Graph, by_name: Mapping[str, N8nNode]) -> Iterator[Diagnostic]:
    # n8n runs a sub-node only when its root asks for it: one attached to nothing never runs
    # (the rest of the workflow does), so it is a warning, not an error.
    where = _where(node)
    if node.name in graph.sub_node_of:
        return
    if node.type in EMBEDDING_MODELS:
        expected = "ai_embedding (to a vector store)"
    else:
        expected = SUB_NODE_CONNECTION.get(node.type, "ai_tool" if tool_variant_base(node.type) else "ai_*")
    yield warning(
        f"is a sub-node but is attached to nothing, so it never runs, as in n8n (connect it to an AI "
        f"root over {expected})",
        field="connections",
        **where,
    )


def _check_root(
    node: N8nNode, attached: Mapping[str, list[str]], by_name: Mapping[str, N8nNode]
) -> Iterator[Diagnostic]:
    where = _where(node)
    accepted = ROOT_CONNECTIONS[node.type]
    for connection, names in attached.items():
        for name in names:
            sub = by_name[name]
            expected = SUB_NODE_CONNECTION.get(sub.type)
            if expected is None and tool_variant_base(sub.type) is not None:
                expected = "ai_tool"  # a node's tool variant (compiled only if its base node exists)
            if sub.type in VECTOR_STORES and connection == "ai_vectorStore":  # a retriever's store
                expected = "ai_vectorStore"
                if sub.parameters.get("mode", "retrieve") != "retrieve":
                    yield error(
                        f'"{name}" is attached as a vector store but its operation mode is not "retrieve"',
                        field="connections",
                        **where,
                    )
            elif sub.type in VECTOR_STORES:  # a root that is also a tool in retrieve-as-tool mode
                expected = "ai_tool"
                if connection == "ai_tool" and sub.parameters.get("mode") != "retrieve-as-tool":
                    yield error(
                        f'"{name}" is attached as a tool but its operation mode is not "retrieve-as-tool"',
                        field="connections",
                        **where,
                    )
            if connection not in accepted:
                yield error(
                    f'does not take {connection} inputs (from "{name}")', field="connections", **where
                )
            elif expected is None:
                yield error(
                    f'"{name}" ({node_type_label(sub)}) cannot be used as {connection}: Hive runs '
                    "Ollama and provider models (mapped to cluster models), structured output parsers, "
                    "window buffer memory, Code, Call n8n Workflow and HTTP Request tools and n8n nodes' "
                    "tool variants (<node>Tool)",
                    field="connections",
                    **where,
                )
            elif expected != connection:
                yield error(
                    f'"{name}" ({node_type_label(sub)}) is attached as {connection}; '
                    f"it belongs on {expected}",
                    field="connections",
                    **where,
                )
    if node.type in VECTOR_STORES:
        yield from _check_vector_store(node, attached, where)
    if node.type == CHAT_TRIGGER:
        yield from _check_chat_trigger(node, attached, where)
    models = attached.get("ai_languageModel", [])
    if node.type in MODEL_REQUIRED and not models:
        yield error("needs a language model: connect a chat model over ai_languageModel", **where)
    if node.parameters.get("needsFallback") and node.type != AGENT:
        yield error(
            "a fallback model is not supported here (only on the AI Agent)",
            field="parameters.needsFallback",
            **where,
        )
    elif node.parameters.get("needsFallback"):
        if len(models) != 2:
            yield error(
                f"'Enable Fallback Model' is on: connect two chat models (has {len(models)})",
                field="connections",
                **where,
            )
    elif len(models) > 1:
        yield error(f"has {len(models)} language models; connect one", field="connections", **where)
    kind = agent_type(node.typeVersion, node.parameters) if node.type == AGENT else None
    if kind not in (None, "reActAgent") and any(by_name[m].type in TEXT_MODELS for m in models):
        yield error(f'the agent needs a chat model, not a text completion model ("{models[0]}")', **where)
    if kind in REJECTED_TYPES:
        yield error(
            f'agent type "{kind}" is not supported: {REJECTED_TYPES[kind]}', field="parameters.agent", **where
        )
    elif kind is not None and kind not in MAPPED_TYPES:
        yield error(f'unknown agent type "{kind}"', field="parameters.agent", **where)
    elif kind == "sqlAgent":
        yield from _check_sql_agent(node, where)
    elif kind not in (None, "toolsAgent"):
        yield warning(
            f'agent type "{kind}" runs as a tool-calling agent: the model calls tools natively, with '
            f"{kind}'s system message; its text format for tool calls is not used",
            field="parameters.agent",
            **where,
        )
    parser_switch = node.type == AGENT or (node.type == CHAIN and node.typeVersion >= 1.4)
    if attached.get("ai_outputParser") and parser_switch and not node.parameters.get("hasOutputParser"):
        yield warning(
            "an output parser is connected but 'Require Specific Output Format' is off; "
            "as in n8n, the parser is not used",
            field="parameters.hasOutputParser",
            **where,
        )
    if len(attached.get("ai_outputParser", [])) > 1:
        yield error("has more than one output parser; connect one", field="connections", **where)
    for needs, connection, what in _REQUIRED_INPUTS:
        if node.type == needs and not attached.get(connection):
            yield error(f"needs {what}: connect one over {connection}", **where)
    if node.type == LANGCHAIN + "outputParserAutofixing" and not attached.get("ai_outputParser"):
        yield error("needs the output parser it fixes: connect one over ai_outputParser", **where)
    if len(attached.get("ai_memory", [])) > 1:
        yield error("has more than one memory; connect one", field="connections", **where)


def _check_sql_agent(node: N8nNode, where: dict[str, Any]) -> Iterator[Diagnostic]:
    """The SQL agent's data source must be one Hive connects to; it runs as a tools agent."""
    default = "sqlite" if node.typeVersion < 1.4 else "postgres"
    source = node.parameters.get("dataSource", default)
    if isinstance(source, str) and not source.startswith("=") and source not in SQL_DATA_SOURCES:
        yield error(
            f'the SQL agent\'s data source "{source}" is not supported (use {", ".join(SQL_DATA_SOURCES)})',
            field="parameters.dataSource",
            **where,
        )
        return
    yield warning(
        'agent type "sqlAgent" runs as a tool-calling agent with LangChain\'s SQL tools (list-tables-sql, '
        "info-sql, query-sql; no query-checker), its prefix prompt as system message; the ReAct suffix "
        "prompt is not used; queries run read-only",
        field="parameters.agent",
        **where,
    )


def _check_chat_trigger(
    node: N8nNode, attached: Mapping[str, list[str]], where: dict[str, Any]
) -> Iterator[Diagnostic]:
    options = node.parameters.get("options") or {}
    if not isinstance(options, dict):
        return
    if options.get("loadPreviousSession") == "memory" and not attached.get("ai_memory"):
        yield error(
            'Load Previous Session "From Memory" needs a memory: connect one over ai_memory',
            field="options.loadPreviousSession",
            **where,
        )


RESPOND_TO_CHAT = LANGCHAIN + "chat"


def _chat_triggers_upstream(node: N8nNode, nodes: Mapping[str, N8nNode], graph: Graph) -> list[N8nNode]:
    seen, todo = {node.name}, [node.name]
    triggers: list[N8nNode] = []
    while todo:
        for parent in graph.parents.get(todo.pop(), []):
            if parent in seen or parent not in nodes:
                continue
            seen.add(parent)
            todo.append(parent)
            if nodes[parent].type == CHAT_TRIGGER and not nodes[parent].disabled:
                triggers.append(nodes[parent])
    return triggers


def _answers_by_response_nodes(trigger: N8nNode) -> bool:
    options = trigger.parameters.get("options") or {}
    return isinstance(options, dict) and options.get("responseMode") == "responseNodes"


def _check_respond_to_webhook(
    node: N8nNode, nodes: Mapping[str, N8nNode], graph: Graph
) -> Iterator[Diagnostic]:
    """n8n turns a Respond to Webhook under a "Using Response Nodes" chat into a chat message."""
    for trigger in _chat_triggers_upstream(node, nodes, graph):
        if _answers_by_response_nodes(trigger):
            yield error(
                f'answers the chat of "{trigger.name}" ("Using Response Nodes"), which Hive does not '
                "do with Respond to Webhook yet: use a Respond to Chat node",
                field="connections",
                **_where(node),
            )


def _check_respond_to_chat(node: N8nNode, nodes: Mapping[str, N8nNode], graph: Graph) -> Iterator[Diagnostic]:
    """Respond to Chat needs a Chat Trigger upstream whose answers come from response nodes."""
    where = _where(node)
    triggers = _chat_triggers_upstream(node, nodes, graph)
    if not triggers:
        yield error("Workflow must be started from a chat trigger node", field="connections", **where)
        return
    for trigger in triggers:
        if not _answers_by_response_nodes(trigger):
            yield error(
                f'sends into the chat of "{trigger.name}", whose response mode is not "Using Response '
                'Nodes": set that option on the Chat Trigger (typeVersion 1.3+)',
                field="connections",
                **where,
            )
    options = node.parameters.get("options") or {}
    if isinstance(options, dict) and options.get("memoryConnection"):
        yield error(
            '"Add Memory Input Connection" is not supported yet',
            field="parameters.options.memoryConnection",
            **where,
        )


_STORE = "a vector store (mode Retrieve)"
_REQUIRED_INPUTS = (
    (LANGCHAIN + "memoryManager", "ai_memory", "a memory (Simple Memory)"),
    (LANGCHAIN + "chainRetrievalQa", "ai_retriever", "a retriever (Vector Store Retriever)"),
    (LANGCHAIN + "retrieverVectorStore", "ai_vectorStore", _STORE),
    (LANGCHAIN + "toolVectorStore", "ai_vectorStore", _STORE),
)


def _check_vector_store(
    node: N8nNode, attached: Mapping[str, list[str]], where: dict[str, Any]
) -> Iterator[Diagnostic]:
    mode = node.parameters.get("mode", "retrieve")
    if mode == "update" and node.type not in UPDATABLE_STORES:
        yield error(
            'operation mode "update" is not implemented for this vector store in n8n (only Supabase '
            "and Chroma replace a document by its id)",
            field="parameters.mode",
            **where,
        )
        return
    if mode == "update" and not node.parameters.get("id"):
        yield error('update mode needs the "ID" of the document to replace', field="parameters.id", **where)
        return
    if isinstance(mode, str) and not mode.startswith("=") and mode not in VECTOR_STORE_MODES:
        yield error(
            f'operation mode "{mode}" is not supported: Hive runs vector stores in '
            '"insert", "load" (Get Many), "retrieve-as-tool" and (Supabase, Chroma) "update" modes',
            field="parameters.mode",
            **where,
        )
        return
    embeddings = attached.get("ai_embedding", [])
    if not embeddings:
        yield error("needs an embeddings model: connect an Embeddings Ollama over ai_embedding", **where)
    elif len(embeddings) > 1:
        yield error(f"has {len(embeddings)} embeddings models; connect one", field="connections", **where)
    loaders = attached.get("ai_document", [])
    if mode == "insert" and not loaders:
        yield error("needs a document loader: connect a Default Data Loader over ai_document", **where)
    elif len(loaders) > 1:
        yield error(f"has {len(loaders)} document loaders; connect one", field="connections", **where)
    if node.parameters.get("useReranker"):
        yield error("reranking results is not supported", field="parameters.useReranker", **where)


# n8n's default operation per resource of the OpenAI node.
_OPENAI_DEFAULT_OPERATION = {
    "image": "generate",
    "audio": "generate",
    "file": "upload",
    "assistant": "message",
}
_NO_OLLAMA_EQUIVALENT = "has no equivalent on the cluster (its Ollama hosts serve chat and embeddings)"


def _openai_findings(node: N8nNode) -> Iterator[tuple[str, str]]:
    params = node.parameters
    if node.type == LANGCHAIN + "openAiAssistant":
        return  # runs as an agent (n8n_import/_ai_model_checks.py says with which mapping)
    if node.type == LANGCHAIN + "openAi" and params.get("resource") == "assistant":
        operation = params.get("operation", "message")
        if operation != "message":
            yield (
                "parameters.operation",
                f"assistant/{operation} manages assistants stored on OpenAI's servers, which the cluster "
                "does not have; Hive runs assistant/message (as an agent, see model_aliases.assistants)",
            )
    elif node.type == LANGCHAIN + "openAi":
        resource = params.get("resource", "text")
        operation = params.get("operation", _OPENAI_DEFAULT_OPERATION.get(str(resource), "message"))
        if (resource, operation) not in (("text", "message"), ("image", "analyze")):
            yield (
                "parameters.operation",
                f"{resource}/{operation} {_NO_OLLAMA_EQUIVALENT}; Hive runs text/message and image/analyze",
            )
    else:
        resource = params.get("resource", "text")
        operation = params.get("operation", "complete")
        if (resource, operation) not in (("chat", "complete"), ("text", "complete"), ("text", "edit")):
            yield (
                "parameters.operation",
                f"{resource}/{operation} {_NO_OLLAMA_EQUIVALENT}; Hive runs chat/complete, text/complete "
                "and text/edit",
            )


def _approximations(node: N8nNode) -> Iterator[tuple[str, str]]:
    """Operations Hive runs close to, not exactly as, n8n (compile warnings)."""
    params = node.parameters
    if node.type == N8N_BASE + "openAi" and (params.get("resource", "text"), params.get("operation")) == (
        "text",
        "edit",
    ):
        yield (
            "parameters.operation",
            "text/edit is approximated: OpenAI's /v1/edits is gone, so the cluster chat model applies the "
            "instruction to the input and its reply is the edited text",
        )


def _parameter_findings(node: N8nNode) -> Iterator[tuple[str, str]]:
    params = node.parameters
    if node.type in (LANGCHAIN + "openAi", N8N_BASE + "openAi", LANGCHAIN + "openAiAssistant"):
        yield from _openai_findings(node)
    elif node.type == OLLAMA:
        resource = params.get("resource", "text")
        operation = params.get("operation", "message")
        if (resource, operation) != ("text", "message"):
            yield "parameters.operation", f"{resource}/{operation} is not supported (only text/message)"
    elif node.type == TOOL_CODE and params.get("language", "javaScript") not in ("javaScript", "python"):
        yield (
            "parameters.language",
            f'language "{params.get("language")}" is not supported (only javaScript and python)',
        )
    elif node.type == TOOL_WORKFLOW and params.get("source", "database") not in ("database", "parameter"):
        yield (
            "parameters.source",
            f'source "{params.get("source")}" is not supported (use database or parameter)',
        )
    elif node.type == TOOL_HTTP:
        options = params.get("options") or {}
        if isinstance(options, dict) and options.get("pagination"):
            yield "parameters.options.pagination", "pagination is not supported in an HTTP Request tool"
    elif node.type == TOOL_LANGCHAIN_HTTP:
        for send, specify in (
            ("sendQuery", "specifyQuery"),
            ("sendHeaders", "specifyHeaders"),
            ("sendBody", "specifyBody"),
        ):
            mode = params.get(specify, "keypair")
            if params.get(send) and mode not in ("keypair", "json"):
                yield f"parameters.{specify}", f'"{mode}" is not supported here (use fields or JSON)'
        response_type = params.get("responseType", "json")
        if params.get("optimizeResponse") and response_type not in ("json", "html", "text"):
            yield "parameters.responseType", f'response type "{response_type}" is not supported'
    elif node.type == STRUCTURED_PARSER and params.get("schemaType", "fromJson") not in (
        "fromJson",
        "manual",
    ):
        yield "parameters.schemaType", f'schema type "{params.get("schemaType")}" is not supported'
    elif node.type in MEMORIES and params.get("sessionIdType", "fromInput") not in (
        "fromInput",
        "customKey",
    ):
        yield "parameters.sessionIdType", f'session ID type "{params.get("sessionIdType")}" is not supported'
    elif node.type == DATA_LOADER and params.get("dataType", "json") not in ("json", "binary"):
        yield (
            "parameters.dataType",
            f'type of data "{params.get("dataType")}" is not supported (JSON or binary)',
        )
    elif node.type == RECURSIVE_SPLITTER and (params.get("options") or {}).get("splitCode"):
        yield "parameters.options.splitCode", "splitting code by language is not supported"


__all__ = [
    "AGENT",
    "CHAIN",
    "CHARACTER_SPLITTER",
    "CHAT_TRIGGER",
    "CHAT_MODEL",
    "DATA_LOADER",
    "EMBEDDINGS",
    "MEMORIES",
    "OLLAMA",
    "POSTGRES_MEMORY",
    "RECURSIVE_SPLITTER",
    "REDIS_MEMORY",
    "ROOT_CONNECTIONS",
    "STRUCTURED_PARSER",
    "SUB_NODE_CONNECTION",
    "TEXT_MODEL",
    "TOOL_CODE",
    "TOOL_HTTP",
    "TOOL_LANGCHAIN_HTTP",
    "TOKEN_SPLITTER",
    "TOOL_WORKFLOW",
    "VECTOR_STORE",
    "VECTOR_STORES",
    "WINDOW_MEMORY",
    "EMBEDDING_MODELS",
    "TEXT_MODELS",
    "check_ai_wiring",
]
