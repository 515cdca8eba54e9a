"""The "AI instruction": what an AI root's pure step hands to the workflow, per input item.

The pure step (a local activity) evaluates the root's and its sub-nodes' parameters in the
root's item context and records one `ItemCall` per item. The workflow then runs the LLM and
tool steps (`workflows/ai_nodes.py`) from these plain, JSON-serialisable models: no expression
is evaluated in workflow code.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from hive_core.ollama.types import ChatMessage

# Key of the instruction in the root's node state (popped by the executor, like RESUME_KEY).
AI_KEY = "hive_ai"

ToolKind = Literal[
    "code",
    "workflow",
    "http",
    "vector_store",
    "calculator",
    "think",
    "web",
    "vector_qa",
    "node_host",
    # An MCP Client Tool node (expanded into its server's tools when the agent starts) and one of them.
    "mcp_server",
    "mcp",
    # One of the SQL agent's database tools (`n8n_runtime.ai.sql_agent`).
    "sql",
]


class ModelSpec(BaseModel):
    """An Ollama model sub-node (or the plain Ollama node's own model), evaluated."""

    node: str
    model: str
    # lmChatOllama → /api/chat; lmOllama → /api/generate (prompt text only).
    chat: bool = True
    options: dict[str, Any] = Field(default_factory=dict)
    keep_alive: str | float | None = None
    # The model's "Output Format: JSON" option.
    json_format: bool = False
    # A provider node's response format: "json" or a JSON schema (Ollama's `format`).
    response_format: Any = None
    # A provider node's timeout: the longest one call may take.
    timeout_s: float | None = None
    agent: str | None = None
    capability: str | None = None


class ParserSpec(BaseModel):
    """A Structured Output Parser: the JSON schema the reply's `output` must satisfy."""

    node: str
    output_schema: dict[str, Any]
    # Extra model calls that ask the model to fix a reply that did not parse or validate.
    fix_attempts: int = 2
    # True: the reply is `{"output": <value>}` (Structured Output Parser 1.1+); False: the value
    # itself (Information Extractor, Text Classifier, Sentiment Analysis).
    wrapped: bool = True
    # The error once every attempt failed (None: name the parser and the problem).
    failure_message: str | None = None
    # "json": a JSON value matching `output_schema`; "list": Item List Output Parser (text split
    # by `separator` into at least `list_count` items, then cut to that many).
    kind: Literal["json", "list"] = "json"
    list_count: int = 3
    separator: str = "\n"
    # Auto-fixing Output Parser: the model that fixes a bad reply, and its prompt template.
    fix_model: ModelSpec | None = None
    fix_template: str | None = None


MemoryKind = Literal["window", "postgres", "redis"]


class MemorySpec(BaseModel):
    """A chat memory: where it lives, the conversation key and how many exchanges to keep.

    `window` (Window Buffer Memory) lives in Hive's database; `postgres` and `redis` in the
    user's own servers, in LangChain's formats, reached with the node's credential reference
    (resolved by the activity, never carried with secrets).
    """

    node: str
    session_key: str
    # Exchanges to keep; None: the whole conversation (n8n's BufferMemory, older versions).
    window: int | None = 5
    kind: MemoryKind = "window"
    credentials: dict[str, dict[str, str | None]] = Field(default_factory=dict)
    # Postgres: the table (n8n's default `n8n_chat_histories`).
    table: str | None = None
    # Redis: seconds the conversation lives after each write (0: forever).
    ttl_s: int = 0


class ToolSpec(BaseModel):
    """One tool of an agent, as the model sees it, plus what it takes to run it."""

    node: str
    kind: ToolKind
    name: str
    description: str
    # JSON schema of the tool's arguments (Ollama's `function.parameters`).
    parameters: dict[str, Any]
    # Code tool: its code ("javaScript" or "python", n8n's Pyodide API), and whether `query` is
    # the whole arguments object.
    code: str | None = None
    code_language: str = "javaScript"
    structured_input: bool = False
    # Workflow tool: {"workflow_id"} or {"plan_json"}, the inputs (with $fromAI placeholders)
    # and which field of the sub-workflow's result is the answer.
    workflow: dict[str, Any] | None = None
    workflow_inputs: dict[str, Any] | None = None
    response_property: str | None = None
    # HTTP tool: the evaluated node parameters (with $fromAI placeholders) and its node.
    http_parameters: dict[str, Any] | None = None
    http_type_version: float | None = None
    # toolHttpRequest's "Optimize Response" (`n8n_runtime.ai.http_tool_response.ResponseOptimizer`).
    http_optimize: dict[str, Any] | None = None
    credentials: dict[str, dict[str, str | None]] = Field(default_factory=dict)
    # Simple Vector Store as a tool: its evaluated search (a `VectorStoreCall` without prompt).
    vector_store: dict[str, Any] | None = None
    # Wikipedia / SerpAPI tool: {"service": "wikipedia" | "serpapi", "options": {...}}.
    web: dict[str, Any] | None = None
    # Vector Store Question Answer Tool: the model that answers from the found documents.
    qa_model: ModelSpec | None = None
    # A node's tool variant (postgresTool...): {"type": base node, "type_version", "parameters"}.
    node_host: dict[str, Any] | None = None
    # MCP: {"server": McpServerRef fields, "include", "include_tools", "exclude_tools"}; a listed
    # tool also has "tool" (its name on the server).
    mcp: dict[str, Any] | None = None
    # SQL agent tool: `activities.sql_agent.SqlDatabaseRef` fields and "tool" (list, info, query).
    sql: dict[str, Any] | None = None


class ItemCall(BaseModel):
    """Everything one input item's LLM call (or agent loop) needs."""

    item_index: int
    # An item whose parameters did not evaluate fails alone (continueOnFail) or fails the node.
    error: str | None = None
    model: ModelSpec | None = None
    # The agent's fallback model: used once the model's call fails (n8n's "Enable Fallback Model").
    fallback_model: ModelSpec | None = None
    prompt: str = ""
    # Messages before the prompt (chain message templates, the Ollama node's messages).
    messages: list[ChatMessage] = Field(default_factory=list)
    system_message: str | None = None
    max_iterations: int = 10
    parser: ParserSpec | None = None
    memory: MemorySpec | None = None
    tools: list[ToolSpec] = Field(default_factory=list)
    # Plain Ollama node: return the whole response instead of {"content"}.
    simplify: bool = True
    return_intermediate_steps: bool = False
    # Classifier roots: the input item (routed to outputs) and how to route it.
    input_item: dict[str, Any] | None = None
    routing: dict[str, Any] | None = None


class AiInstruction(BaseModel):
    """The AI work of one root run: which flavour of node, and one call per item."""

    kind: Literal[
        "chain",
        "agent",
        "ollama",
        "extract",
        "classify",
        "sentiment",
        "openai",
        "summarize",
        "retrieval_qa",
        "memory_manager",
        "assistant",
    ]
    type_version: float
    items: list[ItemCall]
    # Main outputs of the node (Text Classifier and Sentiment Analysis: one per category).
    output_count: int = 1


__all__ = [
    "AI_KEY",
    "AiInstruction",
    "ItemCall",
    "MemoryKind",
    "MemorySpec",
    "ModelSpec",
    "ParserSpec",
    "ToolKind",
    "ToolSpec",
]
