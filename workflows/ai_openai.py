"""n8n's OpenAI nodes on the cluster (workflow code): one chat per item, connected tools run
while the model calls them (up to "Max Tool Calling Iterations"), the answer in OpenAI's
chat-completion shape (`choices[0]` when simplified), as n8n's nodes return it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.ai_web_tools import ImageFetchInput, ImageFetchOutput, WebToolActivities
    from hive_core.ollama.types import ChatMessage, ChatResult
    from n8n_runtime.ai.instruction import ItemCall
    from workflows.ai_llm import AiContext, AiItemError, chat_call
    from workflows.ai_retrieval import run_vector_qa_tool
    from workflows.ai_tools import run_tool
    from workflows.ai_vector_store import run_vector_tool

Item = dict[str, Any]
IMAGE_TIMEOUT = timedelta(minutes=5)


def _definitions(call: ItemCall) -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {"name": t.name, "description": t.description, "parameters": t.parameters},
        }
        for t in call.tools
    ]


def _finish_reason(result: ChatResult) -> str:
    return "length" if result.done_reason == "length" else "stop"


async def _with_tools(ctx: AiContext, call: ItemCall, limit: int) -> ChatResult:
    model = call.model
    assert model is not None
    messages = list(call.messages)
    definitions = _definitions(call)
    fmt = model.response_format
    result = await chat_call(ctx, model, messages, fmt, "message", definitions)
    tools = {t.name: t for t in call.tools}
    for iteration in range(limit if definitions else 0):
        tool_calls = result.tool_calls or result.message.tool_calls or []
        if not tool_calls:
            break
        messages.append(ChatMessage(role="assistant", content=result.message.content, tool_calls=tool_calls))
        for index, tool_call in enumerate(tool_calls):
            tool = tools.get(tool_call.function.name)
            arguments = tool_call.function.arguments
            if tool is not None and tool.kind == "vector_store":
                observation = await run_vector_tool(ctx, tool, arguments)
            elif tool is not None and tool.kind == "vector_qa":
                observation = await run_vector_qa_tool(ctx, tool, arguments)
            else:
                observation = await run_tool(
                    tool,
                    tool_call.function.name,
                    arguments,
                    child=ctx.child,
                    approval=ctx.approval,
                    step=f"{ctx.run_index}.{call.item_index}.{iteration}.{index}",
                    seed=ctx.seed + iteration,
                    plan=ctx.plan,
                )
            messages.append(ChatMessage(role="tool", content=observation, tool_call_id=tool_call.id))
        result = await chat_call(
            ctx, model, messages, fmt, f"message after tools ({iteration + 1})", definitions
        )
    return result


async def _with_images(ctx: AiContext, call: ItemCall, urls: list[str]) -> ItemCall:
    """`call` with the images its URLs name, downloaded by an activity."""
    fetched: ImageFetchOutput = await workflow.execute_activity_method(
        WebToolActivities.fetch_images,
        ImageFetchInput(node=ctx.node.name, urls=urls),
        start_to_close_timeout=IMAGE_TIMEOUT,
        # A server that stays down fails the item after a few tries, as a tool call does.
        retry_policy=RetryPolicy(maximum_attempts=3, initial_interval=timedelta(milliseconds=200)),
        summary=f"{ctx.node.name}: fetch images",
    )
    if fetched.error is not None:
        raise AiItemError(fetched.error)
    first = call.messages[0].model_copy(update={"images": fetched.images})
    return call.model_copy(update={"messages": [first, *call.messages[1:]]})


async def openai_message(ctx: AiContext, call: ItemCall) -> Item:
    """One item of an OpenAI node: the choice (simplified) or the whole chat completion."""
    routing = call.routing or {}
    if routing.get("image_urls"):
        call = await _with_images(ctx, call, list(routing["image_urls"]))
    result = await _with_tools(ctx, call, int(routing.get("max_tool_iterations", 0)))
    content: Any = result.message.content
    if routing.get("json_output"):
        try:
            content = json.loads(content)
        except json.JSONDecodeError:
            pass  # n8n keeps the text when it is not JSON
    completion = routing.get("api") == "completion"
    finish = _finish_reason(result)
    if routing.get("api") == "edit":
        return _edit_response(result, content, call.simplify)
    if completion:
        choice: Item = {
            "text": content,
            "index": 0,
            "logprobs": None,
            "finish_reason": finish,
        }
    else:
        choice = {
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": None, "annotations": []},
            "logprobs": None,
            "finish_reason": finish,
        }
    if routing.get("api") == "vision" and call.simplify:
        return {"content": content}  # image/analyze simplifies to the text alone
    if call.simplify:
        return choice
    prompt, generated = result.prompt_eval_count or 0, result.eval_count or 0
    return {
        "id": f"{'cmpl' if completion else 'chatcmpl'}-{workflow.uuid4().hex[:24]}",
        "object": "text_completion" if completion else "chat.completion",
        "created": int(workflow.now().timestamp()),
        "model": result.model,
        "choices": [choice],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": generated,
            "total_tokens": prompt + generated,
        },
    }


def _edit_response(result: ChatResult, content: Any, simplify: bool) -> Item:
    """OpenAI's /v1/edits answer; simplified as n8n's text/edit: the choice, its text trimmed."""
    if simplify:
        return {"text": str(content).strip(), "index": 0}
    prompt, generated = result.prompt_eval_count or 0, result.eval_count or 0
    return {
        "object": "edit",
        "created": int(workflow.now().timestamp()),
        "choices": [{"text": content, "index": 0}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": generated,
            "total_tokens": prompt + generated,
        },
    }


__all__ = ["openai_message"]
