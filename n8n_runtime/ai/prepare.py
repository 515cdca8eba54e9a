"""The pure half of an AI root (Basic LLM Chain, AI Agent, Ollama): evaluate, don't call.

Runs as a local activity like every expression-evaluating node. For each input item it
evaluates the root's parameters and its sub-nodes' (model, parser, memory, tools) in the
root's item context and records an `AiInstruction` in the node state under `AI_KEY`; the
workflow pops it and runs the LLM and tool steps durably (`workflows/ai_nodes.py`).
"""

from __future__ import annotations

from typing import Any, Literal

from hive_core.ollama.types import ChatMessage
from n8n_import.ai_agent_types import agent_type, legacy_prompt_default, system_message
from n8n_import.plan import Plan, PlanNode
from n8n_runtime.ai.instruction import (
    AI_KEY,
    AiInstruction,
    ItemCall,
    MemoryKind,
    MemorySpec,
    ModelSpec,
    ParserSpec,
)
from n8n_runtime.ai.models import resolve_model
from n8n_runtime.ai.node_tools import node_host_tool
from n8n_runtime.ai.options import message_options
from n8n_runtime.ai.schema import parse_json_parameter, schema_from_example
from n8n_runtime.ai.sql_agent import sql_prompt, sql_system_message, sql_tools
from n8n_runtime.ai.tools import TOOL_BUILDERS, with_from_ai_marked
from n8n_runtime.ai.vector_store import VECTOR_STORE_NODES, VECTOR_STORES, vector_store_tool
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun, ParameterAccess
from n8n_runtime.params import ExpressionParameters

LANGCHAIN = "@n8n/n8n-nodes-langchain."
CHAIN = LANGCHAIN + "chainLlm"
AGENT = LANGCHAIN + "agent"
OLLAMA = LANGCHAIN + "ollama"
CHAT_MODEL = LANGCHAIN + "lmChatOllama"
WINDOW_MEMORY = LANGCHAIN + "memoryBufferWindow"
POSTGRES_MEMORY = LANGCHAIN + "memoryPostgresChat"
REDIS_MEMORY = LANGCHAIN + "memoryRedisChat"
AUTOFIXING_PARSER = LANGCHAIN + "outputParserAutofixing"
VECTOR_QA_TOOL = LANGCHAIN + "toolVectorStore"
ITEM_LIST_PARSER = LANGCHAIN + "outputParserItemList"

_KINDS = {CHAIN: "chain", AGENT: "agent", OLLAMA: "ollama"}
_MESSAGE_ROLES = {
    "SystemMessagePromptTemplate": "system",
    "AIMessagePromptTemplate": "assistant",
    "HumanMessagePromptTemplate": "user",
}
# The chain's prompt parameter default per version, before `promptType` existed (1.4).
_LEGACY_PROMPT = {1.0: "={{ $json.input }}", 1.1: "={{ $json.chat_input }}", 1.2: "={{ $json.chat_input }}"}
_DEFAULT_EXAMPLE = '{"state": "California", "cities": ["Los Angeles", "San Francisco", "San Diego"]}'
_DEFAULT_SCHEMA = (
    '{"type": "object", "properties": {"state": {"type": "string"}, '
    '"cities": {"type": "array", "items": {"type": "string"}}}}'
)


class _Scope:
    """The root's run: its plan, parameter access per sub-node, and enabled sub-nodes."""

    def __init__(self, run: NodeRun) -> None:
        self.run = run
        self.node = run.node
        self.plan: Plan = run.extras["execution"].plan

    def params_of(self, node: PlanNode) -> ParameterAccess:
        if isinstance(self.run.params, ExpressionParameters):
            return self.run.params.for_node(node)
        return ExpressionParameters(node)

    def subs(self, connection: str) -> list[PlanNode]:
        names = self.node.sub_nodes.get(connection, [])
        return [self.plan.nodes[n] for n in names if n in self.plan.nodes and not self.plan.nodes[n].disabled]


def _chat_input(run: NodeRun, item: int) -> str:
    items = run.items
    value = items[item].get("json", {}).get("chatInput") if item < len(items) else None
    if value is None:
        raise NodeError(
            "No prompt specified",
            description="Expected to find the prompt in an input field called 'chatInput' (this is what "
            "the chat trigger node outputs). To use something else, change the 'Prompt' parameter",
            item_index=item,
        )
    return str(value)


def _legacy_prompt(node: PlanNode) -> str | None:
    """The prompt default of versions before `promptType` (None: the node has `promptType`)."""
    if node.type == CHAIN and node.type_version <= 1.3:
        return _LEGACY_PROMPT.get(float(node.type_version), "={{ $json.chatInput }}")
    if node.type == AGENT:
        return legacy_prompt_default(float(node.type_version))
    return None


def _prompt(scope: _Scope, item: int) -> str:
    node, params = scope.node, scope.run.params
    default = _legacy_prompt(node)
    if default is not None:
        name = "prompt" if node.type == CHAIN else "text"  # the agent's prompt was always `text`
        value = params.get(name, item, None)
        if value is None:
            value = scope.params_of(node.model_copy(update={"parameters": {name: default}})).get(name, item)
        return "" if value is None else str(value)
    if params.get("promptType", item, "auto") == "auto":
        return _chat_input(scope.run, item)
    text = params.get("text", item, "")
    if text is None or str(text) == "":
        raise NodeError("No prompt specified", description="The 'Text' parameter is empty", item_index=item)
    return str(text)


def _model(scope: _Scope, item: int, index: int = 0) -> ModelSpec | None:
    models = scope.subs("ai_languageModel")
    if len(models) <= index:
        return None
    return _model_spec(scope, models[index], item)


def _model_spec(scope: _Scope, model_node: PlanNode, item: int) -> ModelSpec:
    resolved = resolve_model(scope.plan, model_node, scope.params_of(model_node), item)
    route = model_node.route or scope.node.route
    return ModelSpec(
        node=model_node.name,
        model=resolved.model,
        chat=resolved.chat,
        options=resolved.options,
        keep_alive=resolved.keep_alive,
        json_format=resolved.format == "json",
        response_format=resolved.format,
        timeout_s=resolved.timeout_s,
        agent=route.agent if route else None,
        capability=route.capability if route else None,
    )


def _parser(scope: _Scope, item: int) -> ParserSpec | None:
    parsers = scope.subs("ai_outputParser")
    legacy_chain = scope.node.type == CHAIN and scope.node.type_version <= 1.3
    if not parsers or not (legacy_chain or scope.run.params.get("hasOutputParser", item, False)):
        return None
    return _parser_spec(scope, parsers[0], item)


def _sub(scope: _Scope, node: PlanNode, connection: str) -> PlanNode | None:
    names = [n for n in node.sub_nodes.get(connection, []) if n in scope.plan.nodes]
    found = [scope.plan.nodes[n] for n in names if not scope.plan.nodes[n].disabled]
    return found[0] if found else None


def _parser_spec(scope: _Scope, parser: PlanNode, item: int) -> ParserSpec:
    params = scope.params_of(parser)
    if parser.type == AUTOFIXING_PARSER:
        # n8n's output-fixing parser: the inner parser, and one fix call on the fixer's own model.
        inner, model = _sub(scope, parser, "ai_outputParser"), _sub(scope, parser, "ai_languageModel")
        if inner is None or model is None:
            raise NodeError(f"'{parser.name}' needs a model and an output parser", item_index=item)
        template = (params.get("options", item, {}) or {}).get("prompt")
        return _parser_spec(scope, inner, item).model_copy(
            update={"fix_attempts": 1, "fix_model": _model_spec(scope, model, item), "fix_template": template}
        )
    if parser.type == ITEM_LIST_PARSER:
        options = params.get("options", item, {}) or {}
        count = int(options.get("numberOfItems", -1) or -1)
        separator = str(options.get("separator", "\\n"))
        return ParserSpec(
            node=parser.name,
            output_schema={},
            kind="list",
            list_count=count if count > 0 else 3,
            separator="\n" if separator == "\\n" else separator,
            fix_attempts=0,
        )
    if parser.type_version < 1.2:
        schema = parse_json_parameter(params.get("jsonSchema", item, _DEFAULT_SCHEMA), "jsonSchema")
    elif params.get("schemaType", item, "fromJson") == "manual":
        schema = parse_json_parameter(params.get("inputSchema", item, _DEFAULT_SCHEMA), "inputSchema")
    else:
        example = parse_json_parameter(
            params.get("jsonSchemaExample", item, _DEFAULT_EXAMPLE), "jsonSchemaExample"
        )
        schema = schema_from_example(example, all_required=parser.type_version >= 1.3)
    if not isinstance(schema, dict):
        raise NodeError(f"The schema of '{parser.name}' must be a JSON object", item_index=item)
    return ParserSpec(node=parser.name, output_schema=schema)


def _memory(scope: _Scope, item: int) -> MemorySpec | None:
    memories = scope.subs("ai_memory")
    if not memories:
        return None
    return memory_spec(memories[0], scope.params_of(memories[0]), scope.run.items, item)


_MEMORY_KINDS: dict[str, MemoryKind] = {
    WINDOW_MEMORY: "window",
    POSTGRES_MEMORY: "postgres",
    REDIS_MEMORY: "redis",
}


def _session_key(memory: PlanNode, params: ParameterAccess, items: list[Any], item: int) -> str:
    if memory.type_version >= 1.2 and params.get("sessionIdType", item, "fromInput") == "fromInput":
        key = items[item].get("json", {}).get("sessionId") if item < len(items) else None
        if key is None:
            raise NodeError(
                "No session ID found",
                description="Expected to find the session ID in an input field called 'sessionId' (this "
                "is what the chat trigger node outputs). To use something else, change the 'Session ID' "
                "parameter",
                item_index=item,
            )
        return str(key)
    key = params.get("sessionKey", item, None)
    if key is None and memory.type_version < 1.1:
        key = "chat_history"
    elif key is None and memory.type_version < 1.2 and memory.type != WINDOW_MEMORY:
        # Postgres/Redis 1.1 default to `{{ $json.sessionId }}` (Window Buffer 1.1 has no default).
        key = items[item].get("json", {}).get("sessionId") if item < len(items) else None
    if key is None or str(key) == "":
        raise NodeError(f"Key parameter is empty in '{memory.name}'", item_index=item)
    return str(key)


def memory_spec(memory: PlanNode, params: ParameterAccess, items: list[Any], item: int) -> MemorySpec:
    """A memory sub-node evaluated for one item (also used by the Chat Trigger's history)."""
    kind = _MEMORY_KINDS[memory.type]
    version = memory.type_version
    # Window Buffer Memory always windows; Postgres from 1.1 and Redis from 1.3 (before: all).
    windowed = kind == "window" or (kind == "postgres" and version >= 1.1) or version >= 1.3
    spec = MemorySpec(
        node=memory.name,
        session_key=_session_key(memory, params, items, item),
        window=int(params.get("contextWindowLength", item, 5)) if windowed else None,
        kind=kind,
        credentials={k: ref.model_dump() for k, ref in memory.credentials.items()},
    )
    if kind == "postgres":
        spec.table = str(params.get("tableName", item, "n8n_chat_histories") or "n8n_chat_histories")
    if kind == "redis":
        spec.ttl_s = int(params.get("sessionTTL", item, 0) or 0)
    return spec


def _chain_messages(scope: _Scope, item: int, chat: bool) -> list[ChatMessage]:
    templates = scope.run.params.get("messages.messageValues", item, []) or []
    if not chat:
        return []  # n8n applies message templates to chat models only
    messages: list[ChatMessage] = []
    for template in templates:
        kind = template.get("type", "SystemMessagePromptTemplate")
        if template.get("messageType", "text") != "text":
            raise NodeError("Image messages are not supported by Hive yet", item_index=item)
        if kind not in _MESSAGE_ROLES:
            raise NodeError(f"Invalid message type '{kind}'", item_index=item)
        messages.append(
            ChatMessage(role=_MESSAGE_ROLES[kind], content=str(template.get("message", "") or ""))
        )
    return messages


def _role(value: Any) -> Literal["user", "assistant", "system"]:
    if value in ("user", "assistant", "system"):
        return value  # type: ignore[no-any-return]
    raise NodeError(f"Invalid message role '{value}' (use user or assistant)")


def _ollama_node_call(scope: _Scope, item: int) -> ItemCall:
    params = scope.run.params
    model = params.get("modelId", item, "")
    if isinstance(model, dict):
        model = model.get("value", "")
    if not model:
        raise NodeError("No model given in 'modelId'", item_index=item)
    options, keep_alive, json_format = message_options(dict(params.get("options", item, {}) or {}))
    messages = [
        ChatMessage(role=_role(m.get("role", "user")), content=str(m.get("content", "") or ""))
        for m in params.get("messages.values", item, [{"content": "", "role": "user"}]) or []
    ]
    system = (params.get("options", item, {}) or {}).get("system")
    if system:
        messages.insert(0, ChatMessage(role="system", content=str(system)))
    route = scope.node.route
    spec = ModelSpec(
        node=scope.node.name,
        model=str(model),
        options=options,
        keep_alive=keep_alive,
        json_format=json_format,
        agent=route.agent if route else None,
        capability=route.capability if route else None,
    )
    return ItemCall(
        item_index=item,
        model=spec,
        messages=messages,
        tools=_tools(scope, item),
        simplify=bool(params.get("simplify", item, True)),
    )


def _tools(scope: _Scope, item: int) -> list[Any]:
    tools = []
    for tool in scope.subs("ai_tool"):
        if tool.type in VECTOR_STORES:  # a vector store in retrieve-as-tool mode
            tools.append(vector_store_tool(scope.run, tool, item))
            continue
        if tool.type == VECTOR_QA_TOOL:
            # Imported here: n8n_runtime.ai.retrieval builds on this module.
            from n8n_runtime.ai.retrieval import vector_qa_tool

            tools.append(vector_qa_tool(scope, tool, item))
            continue
        # Any other tool compiled as a node's tool variant, run on the node host.
        build = TOOL_BUILDERS.get(tool.type, node_host_tool)
        marked = with_from_ai_marked(tool)
        # The raw node gives the $fromAI schema; the marked one evaluates around the placeholders.
        tools.append(build(tool, scope.params_of(marked), item))
    names = [t.name for t in tools]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise NodeError(
            f"Several tools are named {', '.join(duplicates)}; tool names must be unique", item_index=item
        )
    return tools


def _item_call(scope: _Scope, kind: str, item: int) -> ItemCall:
    if kind == "ollama":
        return _ollama_node_call(scope, item)
    params = scope.run.params
    model = _model(scope, item)
    kind_of_agent = (
        agent_type(float(scope.node.type_version), scope.node.parameters) if kind == "agent" else ""
    )
    prompt = sql_prompt(scope.node, params, item) if kind_of_agent == "sqlAgent" else None
    if prompt is None:
        prompt = _prompt(scope, item)
    call = ItemCall(item_index=item, model=model, prompt=prompt, parser=_parser(scope, item))
    if kind == "chain":
        call.messages = _chain_messages(scope, item, model.chat if model else True)
        return call
    options = params.get("options", item, {}) or {}
    call.system_message = system_message(kind_of_agent, options)
    call.max_iterations = int(options.get("maxIterations", 10))
    call.return_intermediate_steps = bool(options.get("returnIntermediateSteps", False))
    call.memory = _memory(scope, item)
    if kind_of_agent == "sqlAgent":  # LangChain's SQL toolkit on the node's database, no tool nodes
        call.tools, dialect = sql_tools(scope.node, params, list(scope.run.items), item)
        call.system_message = sql_system_message(options, dialect)
    else:
        call.tools = _tools(scope, item)
    if params.get("needsFallback", item, False):
        call.fallback_model = _model(scope, item, index=1)
    return call


def _message(error: Exception) -> str:
    message = getattr(error, "message", None)
    return message if isinstance(message, str) and message else str(error)


def run_ai_root(run: NodeRun) -> NodeOutput:
    """Record the AI instruction for every input item; pass the items on unchanged.

    An item whose parameters fail to evaluate is recorded with its error, so the workflow can
    apply the node's onError setting per item, as n8n's AI nodes do.
    """
    scope = _Scope(run)
    kind: Literal["chain", "agent", "ollama"] = _KINDS[run.node.type]  # type: ignore[assignment]
    calls: list[ItemCall] = []
    for item in range(len(run.items)):
        try:
            calls.append(_item_call(scope, kind, item))
        except Exception as error:  # noqa: BLE001 - every failure becomes that item's error
            calls.append(ItemCall(item_index=item, error=_message(error)))
    instruction = AiInstruction(kind=kind, type_version=float(run.node.type_version), items=calls)
    run.state[AI_KEY] = instruction.model_dump(mode="json")
    return [list(run.items)]


AI_NODES = {CHAIN: run_ai_root, AGENT: run_ai_root, OLLAMA: run_ai_root, **VECTOR_STORE_NODES}

__all__ = ["AI_NODES", "memory_spec", "run_ai_root"]
