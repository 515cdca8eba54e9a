"""The pure half of an OpenAI assistant (OpenAI Assistant node, OpenAI's assistant/message).

An assistant's instructions live on OpenAI's servers, so Hive runs it as a tools agent: the
cluster model and system message that hive.yaml's `model_aliases.assistants` maps its id to
(or, for the OpenAI Assistant node in mode "new", the node's own instructions and model), with
the node's tools and memory. "Use thread ID" (OpenAI node 1.6+) keeps the thread's conversation
in Hive's chat memory under the thread id; the workflow gives a new thread its id
(`workflows/ai_nodes.py`).
"""

from __future__ import annotations

from typing import Any

from hive_core.config.model_aliases import DEFAULT_MODEL_ALIASES
from n8n_import.ai_models import ASSISTANT_NODE, existing_assistant, model_name
from n8n_runtime.ai.instruction import AI_KEY, AiInstruction, ItemCall, ModelSpec
from n8n_runtime.ai.prepare import _chat_input, _memory, _Scope, _tools
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun

# LangChain's AgentExecutor default, which n8n's assistant runs keep.
MAX_ITERATIONS = 15
# The OpenAI Assistant node's `text` default per version.
_LEGACY_TEXT = {1.0: "={{ $json.chat_input }}"}
_LEGACY_TEXT_DEFAULT = "={{ $json.chatInput }}"


def _prompt(scope: _Scope, item: int) -> str:
    node, params = scope.node, scope.run.params
    if node.type == ASSISTANT_NODE:
        value = params.get("text", item, None)
        if value is None:
            default = _LEGACY_TEXT.get(float(node.type_version), _LEGACY_TEXT_DEFAULT)
            defaults = node.model_copy(update={"parameters": {"text": default}})
            value = scope.params_of(defaults).get("text", item)
        if value is None:
            raise NodeError("The ‘text‘ parameter is empty.", item_index=item)
        return str(value)
    if params.get("prompt", item, "auto") == "auto":
        return _chat_input(scope.run, item)
    value = params.get("text", item, "")
    if value is None:
        raise NodeError("No prompt specified", item_index=item)
    return str(value)


def _spec(scope: _Scope, model: str) -> ModelSpec:
    route = scope.node.route
    return ModelSpec(
        node=scope.node.name,
        model=model,
        agent=route.agent if route else None,
        capability=route.capability if route else None,
    )


def _model_and_instructions(scope: _Scope, item: int) -> tuple[ModelSpec, str]:
    node, params = scope.node, scope.run.params
    aliases = scope.plan.model_aliases or DEFAULT_MODEL_ALIASES
    if not existing_assistant(node.type, node.parameters):
        provider_model = model_name(params.get("model", item, "gpt-3.5-turbo-1106"))
        match = aliases.resolve("openai", "chat", provider_model)
        if match is None:
            raise NodeError(
                f'model "{provider_model}" (openai) is not mapped to a cluster model',
                description="Add it to model_aliases in hive.yaml, e.g. "
                + aliases.suggestion("chat", provider_model),
                item_index=item,
            )
        return _spec(scope, match.cluster_model), str(params.get("instructions", item, "") or "")
    assistant_id = model_name(params.get("assistantId", item, ""))
    if not assistant_id:
        raise NodeError("No assistant selected in 'assistantId'", item_index=item)
    found = aliases.resolve_assistant(assistant_id)
    if found is None:
        raise NodeError(
            f'OpenAI assistant "{assistant_id}" is not mapped to a cluster model',
            description="Add it to hive.yaml, e.g. " + aliases.assistant_suggestion(assistant_id),
            item_index=item,
        )
    return _spec(scope, found.cluster_model), found.instructions


def _assistant_call(scope: _Scope, item: int) -> ItemCall:
    node, params = scope.node, scope.run.params
    model, instructions = _model_and_instructions(scope, item)
    thread_memory = (
        node.type != ASSISTANT_NODE
        and node.type_version >= 1.6
        and params.get("memory", item, "connector") == "threadId"
    )
    call = ItemCall(
        item_index=item,
        model=model,
        prompt=_prompt(scope, item),
        system_message=instructions or None,
        max_iterations=MAX_ITERATIONS,
        tools=_tools(scope, item),
        memory=None if thread_memory else _memory(scope, item),
        routing={"legacy": node.type == ASSISTANT_NODE, "thread_memory": thread_memory},
    )
    if thread_memory:
        thread = params.get("threadId", item, "")
        call.routing = {**(call.routing or {}), "thread_id": str(thread) if thread else None}
    options: dict[str, Any] = params.get("options", item, {}) or {}
    call.routing = {**(call.routing or {}), "timeout_ms": int(options.get("timeout", 10000) or 10000)}
    return call


def run_assistant(run: NodeRun) -> NodeOutput:
    """Record one agent call per item (an item whose parameters fail carries its error)."""
    scope = _Scope(run)
    calls: list[ItemCall] = []
    for item in range(len(run.items)):
        try:
            calls.append(_assistant_call(scope, item))
        except Exception as error:  # noqa: BLE001 - every failure becomes that item's error
            calls.append(ItemCall(item_index=item, error=str(getattr(error, "message", None) or error)))
    instruction = AiInstruction(kind="assistant", type_version=float(run.node.type_version), items=calls)
    run.state[AI_KEY] = instruction.model_dump(mode="json")
    return [list(run.items)]


__all__ = ["run_assistant"]
