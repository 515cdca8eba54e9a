"""The pure half of n8n's two OpenAI nodes, run on the cluster model their model maps to.

    @n8n/n8n-nodes-langchain.openAi   text/message: messages (+ connected tools, looped while the
                                      model calls them), "Output Content as JSON", simplify
    n8n-nodes-base.openAi             chat/complete (messages), text/complete (one prompt) and
                                      text/edit (/v1/edits, gone from OpenAI: approximated by a
                                      chat call that applies the instruction to the input)

Each item becomes one `ItemCall`; the workflow answers in OpenAI's response shape
(`workflows/ai_openai.py`). Assistants run as agents (`n8n_runtime/ai/assistant.py`); other
operations (image generation, audio, files, moderation) are compile errors (n8n_import/_ai_checks.py).
"""

from __future__ import annotations

import base64
import re
from typing import Any

from hive_core.config.model_aliases import DEFAULT_MODEL_ALIASES
from hive_core.ollama.types import ChatMessage
from n8n_import.ai_models import (
    ASSISTANT_NODE,
    BASE_OPENAI_NODE,
    OPENAI_NODE,
    is_assistant,
    model_name,
    model_parameter,
    self_model_node,
    translate_options,
)
from n8n_runtime.ai.assistant import run_assistant
from n8n_runtime.ai.instruction import AI_KEY, AiInstruction, ItemCall, ModelSpec
from n8n_runtime.ai.prepare import _Scope, _tools
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.files._binary import binary_handle

JSON_SYSTEM_MESSAGE = "You are a helpful assistant designed to output JSON."
# n8n's default of "Max Tool Calling Iterations" (the loop runs until the model stops otherwise).
MAX_TOOL_ITERATIONS = 15
_ROLES = ("user", "assistant", "system")
_URL_SPLIT = re.compile(r",\s*(?=(?:https?|data):)")
# n8n's default model of text/edit (its model list offers only the two *-edit-001 models).
EDIT_MODEL = "text-davinci-edit-001"
EDIT_SYSTEM_MESSAGE = (
    "Edit the text the user gives according to the instruction. Reply with the edited text only, "
    "without any explanation."
)


def _model(scope: _Scope, item: int, fixed: str | None = None) -> ModelSpec:
    node, params = scope.node, scope.run.params
    spec = self_model_node(node.type)
    assert spec is not None
    name, default = model_parameter(spec, node.parameters)
    provider_model = fixed or model_name(params.get(name, item, default))
    if not provider_model:
        raise NodeError(f"No model given in '{name}'", item_index=item)
    aliases = scope.plan.model_aliases or DEFAULT_MODEL_ALIASES
    match = aliases.resolve(spec.provider, "chat", provider_model)
    if match is None:
        raise NodeError(
            f'model "{provider_model}" (openai) is not mapped to a cluster model',
            description="Add it to model_aliases in hive.yaml, e.g. "
            + aliases.suggestion("chat", provider_model),
            item_index=item,
        )
    translated = translate_options(params.get("options", item, {}) or {})
    route = node.route
    return ModelSpec(
        node=node.name,
        model=match.cluster_model,
        options=translated.options,
        timeout_s=translated.timeout_s,
        agent=route.agent if route else None,
        capability=route.capability if route else None,
    )


def _messages(values: list[dict[str, Any]], item: int) -> list[ChatMessage]:
    messages = []
    for value in values:
        role = value.get("role", "user")
        if role not in _ROLES:
            raise NodeError(f"Invalid message role '{role}'", item_index=item)
        messages.append(ChatMessage(role=role, content=str(value.get("content", "") or "")))
    return messages


def _langchain_call(scope: _Scope, item: int) -> ItemCall:
    params = scope.run.params
    messages = _messages(params.get("messages.values", item, [{"content": ""}]) or [], item)
    json_output = bool(params.get("jsonOutput", item, False))
    if json_output:
        messages.insert(0, ChatMessage(role="system", content=JSON_SYSTEM_MESSAGE))
    options = params.get("options", item, {}) or {}
    model = _model(scope, item)
    if json_output:
        model.response_format = "json"
    return ItemCall(
        item_index=item,
        model=model,
        messages=messages,
        tools=[] if params.get("hideTools", item, "") == "hide" else _tools(scope, item),
        simplify=bool(params.get("simplify", item, True)),
        routing={
            "api": "chat",
            "json_output": json_output,
            "max_tool_iterations": int(options.get("maxToolsIterations", MAX_TOOL_ITERATIONS) or 0),
        },
    )


def _base_call(scope: _Scope, item: int) -> ItemCall:
    params = scope.run.params
    resource = params.get("resource", item, "text")
    fixed: str | None = None
    if resource == "chat":
        messages = _messages(params.get("prompt.messages", item, []) or [], item)
        api = "chat"
    elif params.get("operation", item, "complete") == "edit":
        # /v1/edits took `instruction` + `input` and answered the edited text.
        instruction = str(params.get("instruction", item, "") or "")
        text = str(params.get("input", item, "") or "")
        messages = [
            ChatMessage(role="system", content=EDIT_SYSTEM_MESSAGE),
            ChatMessage(role="user", content=f"Instruction: {instruction}\n\nText:\n{text}"),
        ]
        api = "edit"
        fixed = model_name(params.get("model", item, EDIT_MODEL)) or EDIT_MODEL
    else:
        messages = [ChatMessage(role="user", content=str(params.get("prompt", item, "") or ""))]
        api = "completion"
    return ItemCall(
        item_index=item,
        model=_model(scope, item, fixed),
        messages=messages,
        simplify=bool(params.get("simplifyOutput", item, True)),
        routing={"api": api, "json_output": False, "max_tool_iterations": 0},
    )


def _images(run: NodeRun, item: int) -> list[str]:
    """Base64 of the item's binary properties named by `binaryPropertyName`."""
    names = str(run.params.get("binaryPropertyName", item, "data") or "data")
    binary = run.items[item].get("binary") or {}
    images = []
    for name in (n.strip() for n in names.split(",")):
        data = binary.get(name)
        if not isinstance(data, dict):
            raise NodeError(f"This operation expects the node's input data to contain a binary file '{name}'")
        # Ollama takes images as base64 in the request: a stored file is read from the store here.
        if data.get("id"):
            images.append(base64.b64encode(binary_handle(run).get_bytes(dict(data))).decode())
        elif data.get("data") in (None, "", "filesystem-v2"):
            raise NodeError(f"The binary file '{name}' has no data")
        else:
            images.append(str(data["data"]))
    return images


def _vision_call(scope: _Scope, item: int) -> ItemCall:
    params = scope.run.params
    model = _model(scope, item, "gpt-4-vision-preview" if scope.node.type_version < 1.4 else None)
    options = params.get("options", item, {}) or {}
    model.options["num_predict"] = int(options.get("maxTokens") or 300)
    message = ChatMessage(role="user", content=str(params.get("text", item, "") or ""))
    routing: dict[str, Any] = {"api": "vision", "max_tool_iterations": 0}
    if params.get("inputType", item, "url") == "url":
        urls = str(params.get("imageUrls", item, "") or "")
        # Comma-separated as in n8n, but a data: URL's own comma does not split it.
        routing["image_urls"] = [u.strip() for u in _URL_SPLIT.split(urls) if u.strip()]
    else:
        message.images = _images(scope.run, item)
    return ItemCall(
        item_index=item,
        model=model,
        messages=[message],
        simplify=bool(params.get("simplify", item, True)),
        routing=routing,
    )


def run_openai_node(run: NodeRun) -> NodeOutput:
    """Record one call per item (an item whose parameters fail carries its error)."""
    if is_assistant(run.node.type, run.node.parameters):
        return run_assistant(run)
    scope = _Scope(run)
    build = _langchain_call if run.node.type == OPENAI_NODE else _base_call
    if run.node.type == OPENAI_NODE and run.params.get("resource", 0, "text") == "image":
        build = _vision_call
    calls: list[ItemCall] = []
    for item in range(len(run.items)):
        try:
            calls.append(build(scope, item))
        except Exception as error:  # noqa: BLE001 - every failure becomes that item's error
            calls.append(ItemCall(item_index=item, error=str(getattr(error, "message", None) or error)))
    instruction = AiInstruction(kind="openai", type_version=float(run.node.type_version), items=calls)
    run.state[AI_KEY] = instruction.model_dump(mode="json")
    return [list(run.items)]


OPENAI_NODES: dict[str, Any] = {
    OPENAI_NODE: run_openai_node,
    BASE_OPENAI_NODE: run_openai_node,
    ASSISTANT_NODE: run_openai_node,
}

__all__ = ["OPENAI_NODES", "run_openai_node"]
