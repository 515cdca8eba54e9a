"""n8n's AI roots under Temporal: Basic LLM Chain, AI Agent (tools agent), OpenAI assistants (as
the agent) and the Ollama node here; the structured roots, OpenAI nodes, Summarization, Q&A chain
and Memory Manager in their own modules (`workflows/ai_*.py`), dispatched from `_RUNNERS`.

Workflow code (deterministic, no I/O). The root's pure step already evaluated every parameter
into an `AiInstruction` (one `ItemCall` per input item); this module runs the effects, each its
own durable step: every LLM call goes through `workflows.ai_dispatch` (an activity on the
agent's, model's or capability's queue), every tool call is an activity or a child workflow,
chat memory is read and written by activities on the central worker. The agent's conversation
lives in workflow state, so a crash resumes the loop where it was.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.ai_memory_stores import ExternalMemoryActivities, ExternalMemoryAppend, ExternalMemoryLoad
    from activities.ai_support import ChatMemoryActivities, MemoryAppendInput, MemoryLoadInput, MemoryMessage
    from hive_core.ollama.types import ChatMessage
    from n8n_runtime.ai.instruction import (
        AiInstruction,
        ItemCall,
        MemorySpec,
        ToolSpec,
    )
    from n8n_runtime.ai.memory import StoredMessage, as_chat, exchange, window
    from n8n_runtime.ai.vector_instruction import VECTOR_STORE_KIND
    from n8n_runtime.engine import NodeFailure
    from workflows.ai_dispatch import activity_message
    from workflows.ai_llm import (
        AiContext,
        AiItemError,
        chat_call,
        complete,
        llm_format,
        parser_instructions,
        structured,
    )
    from workflows.ai_memory_manager import manage_memory
    from workflows.ai_openai import openai_message
    from workflows.ai_retrieval import retrieval_qa, run_vector_qa_tool
    from workflows.ai_structured_roots import Routed, classify, extract, sentiment
    from workflows.ai_summarization import summarize
    from workflows.ai_tools import run_tool
    from workflows.ai_vector_store import run_vector_store, run_vector_tool
    from workflows.mcp_tools import with_mcp_tools
    from workflows.retries import HEARTBEAT_TIMEOUT, infra_retry

Item = dict[str, Any]
MEMORY_TIMEOUT = timedelta(seconds=30)
MAX_ITERATIONS_OUTPUT = "Agent stopped due to max iterations."
# Exchanges an OpenAI assistant's thread keeps in Hive's memory (OpenAI keeps a thread whole).
THREAD_WINDOW = 1000


async def _chain(ctx: AiContext, call: ItemCall) -> Item:
    model = call.model
    assert model is not None  # the compiler requires a model
    prompt = call.prompt
    if call.parser is not None:
        prompt = f"{prompt}\n{parser_instructions(call.parser)}"
    messages = [*call.messages, ChatMessage(role="user", content=prompt)]
    reply = await complete(ctx, model, messages, llm_format(model, call.parser), model.node)
    if call.parser is not None:
        parsed = await structured(ctx, model, call.parser, reply)
        # n8n's chain answers a list (Item List Output Parser) as {data}, an object as {output}.
        return {"data": parsed} if call.parser.kind == "list" else {"output": parsed}
    return {"text": reply.strip()}


def _memory_key(ctx: AiContext) -> str:
    # Conversations are scoped to the workflow (its n8n id, else its name) and the session key.
    return ctx.plan.workflow_id or ctx.plan.name or "workflow"


# The user's own memory servers: a few retries, then the AI node fails with the message.
EXTERNAL_MEMORY_RETRY = RetryPolicy(maximum_attempts=4, initial_interval=timedelta(milliseconds=500))


def _external(call_memory: MemorySpec) -> dict[str, Any]:
    return {
        "kind": call_memory.kind,
        "node": call_memory.node,
        "session_key": call_memory.session_key,
        "credentials": call_memory.credentials,
        "table": call_memory.table,
        "ttl_s": call_memory.ttl_s,
    }


async def _load_memory(ctx: AiContext, call: ItemCall) -> list[StoredMessage]:
    memory = call.memory
    if memory is None or (memory.window is not None and memory.window <= 0):
        return []
    limit = None if memory.window is None else 2 * memory.window
    if memory.kind == "window":
        loaded = await workflow.execute_activity_method(
            ChatMemoryActivities.load_memory,
            MemoryLoadInput(workflow_key=_memory_key(ctx), session_key=memory.session_key, limit=limit or 0),
            start_to_close_timeout=MEMORY_TIMEOUT,
            schedule_to_close_timeout=MEMORY_TIMEOUT,
            heartbeat_timeout=HEARTBEAT_TIMEOUT,
            retry_policy=infra_retry(),
            summary=f"{ctx.node.name}: load memory",
        )
    else:
        loaded = await workflow.execute_activity_method(
            ExternalMemoryActivities.load_external_memory,
            ExternalMemoryLoad(**_external(memory), limit=limit),
            start_to_close_timeout=MEMORY_TIMEOUT,
            retry_policy=EXTERNAL_MEMORY_RETRY,
            summary=f"{ctx.node.name}: load memory ({memory.node})",
        )
    messages = [StoredMessage(role=m.role, content=m.content) for m in loaded.messages]
    return messages if memory.window is None else window(messages, memory.window)


async def _save_memory(ctx: AiContext, call: ItemCall, answer: str) -> None:
    if call.memory is None:
        return
    info = workflow.info()
    messages = [MemoryMessage(role=m.role, content=m.content) for m in exchange(call.prompt, answer)]
    write_id = f"{info.workflow_id}/{info.run_id}/{ctx.node.name}/{ctx.run_index}/{call.item_index}"
    if call.memory.kind != "window":
        await workflow.execute_activity_method(
            ExternalMemoryActivities.append_external_memory,
            ExternalMemoryAppend(**_external(call.memory), messages=messages, write_id=write_id),
            start_to_close_timeout=MEMORY_TIMEOUT,
            retry_policy=EXTERNAL_MEMORY_RETRY,
            summary=f"{ctx.node.name}: save memory ({call.memory.node})",
        )
        return
    await workflow.execute_activity_method(
        ChatMemoryActivities.append_memory,
        MemoryAppendInput(
            workflow_key=_memory_key(ctx),
            session_key=call.memory.session_key,
            messages=messages,
            write_id=write_id,
        ),
        start_to_close_timeout=MEMORY_TIMEOUT,
        schedule_to_close_timeout=MEMORY_TIMEOUT,
        heartbeat_timeout=HEARTBEAT_TIMEOUT,
        retry_policy=infra_retry(),
        summary=f"{ctx.node.name}: save memory",
    )


async def _run_tool(ctx: AiContext, tool: ToolSpec | None, *args: Any, **kwargs: Any) -> str:
    """A tool call: a Simple Vector Store's search, or `run_tool` for every other tool."""
    if tool is not None and tool.kind == "vector_store":
        return await run_vector_tool(ctx, tool, args[1])
    if tool is not None and tool.kind == "vector_qa":
        return await run_vector_qa_tool(ctx, tool, args[1])
    return await run_tool(tool, *args, plan=ctx.plan, **kwargs)


def _tool_definitions(call: ItemCall) -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {"name": t.name, "description": t.description, "parameters": t.parameters},
        }
        for t in call.tools
    ]


async def _agent(ctx: AiContext, call: ItemCall) -> Item:
    """The tools agent: call the model, run the tools it asks for, until it answers."""
    call = await with_mcp_tools(call)
    model = call.model
    assert model is not None
    system = call.system_message or ""
    if call.parser is not None:
        system = f"{system}\n\n{parser_instructions(call.parser)}".strip()
    history = await _load_memory(ctx, call)
    messages: list[ChatMessage] = [
        *([ChatMessage(role="system", content=system)] if system else []),
        *as_chat(history),
        ChatMessage(role="user", content=call.prompt),
    ]
    tools = {t.name: t for t in call.tools}
    definitions = _tool_definitions(call)
    steps: list[dict[str, Any]] = []
    answer: str | None = None
    for iteration in range(max(1, call.max_iterations)):
        # With tools the reply is free text or tool calls; the parser checks the final text.
        fmt = None if definitions else llm_format(model, call.parser)
        try:
            result = await chat_call(ctx, model, messages, fmt, f"{model.node} #{iteration + 1}", definitions)
        except AiItemError:
            if call.fallback_model is None or model is call.fallback_model:
                raise
            workflow.logger.info("%s: model %s failed, using the fallback model", ctx.node.name, model.model)
            model = call.fallback_model
            result = await chat_call(ctx, model, messages, fmt, f"{model.node} #{iteration + 1}", definitions)
        tool_calls = result.tool_calls or result.message.tool_calls or []
        if not tool_calls:
            answer = result.message.content
            break
        messages.append(ChatMessage(role="assistant", content=result.message.content, tool_calls=tool_calls))
        for index, tool_call in enumerate(tool_calls):
            name = tool_call.function.name
            arguments = tool_call.function.arguments
            observation = await _run_tool(
                ctx,
                tools.get(name),
                name,
                arguments,
                child=ctx.child,
                approval=ctx.approval,
                step=f"{ctx.run_index}.{call.item_index}.{iteration}.{index}",
                seed=ctx.seed + iteration,
            )
            messages.append(
                ChatMessage(role="tool", content=observation, tool_name=name, tool_call_id=tool_call.id)
            )
            steps.append({"action": {"tool": name, "toolInput": arguments}, "observation": observation})
    if answer is None:
        output: Any = MAX_ITERATIONS_OUTPUT
    elif call.parser is not None:
        output = await structured(ctx, model, call.parser, answer)
    else:
        output = answer
    await _save_memory(ctx, call, output if isinstance(output, str) else json.dumps(output))
    result_item: Item = {"output": output}
    if call.return_intermediate_steps:
        result_item["intermediateSteps"] = steps
    return result_item


async def _assistant(ctx: AiContext, call: ItemCall) -> Item:
    """An OpenAI assistant run as the tools agent, answered in n8n's shape (with its thread id)."""
    routing = call.routing or {}
    # OpenAI gives every run a thread; a new one gets its id here (deterministic: workflow.uuid4).
    thread = routing.get("thread_id") or f"thread_{workflow.uuid4().hex[:24]}"
    if routing.get("thread_memory"):
        memory = MemorySpec(node=ctx.node.name, session_key=f"openai-thread:{thread}", window=THREAD_WINDOW)
        call = call.model_copy(update={"memory": memory})
    output = (await _agent(ctx, call))["output"]
    if routing.get("legacy"):  # the OpenAI Assistant node returns LangChain's whole chain values
        timeout = routing.get("timeout_ms", 10000)
        return {"content": call.prompt, "timeout": timeout, "output": output, "threadId": thread}
    return {"output": output, "threadId": thread}


async def _ollama_message(ctx: AiContext, call: ItemCall) -> Item:
    """The Ollama node's text/message: one chat, plus one round of tool calls if asked."""
    call = await with_mcp_tools(call)
    model = call.model
    assert model is not None
    messages = list(call.messages)
    definitions = _tool_definitions(call)
    fmt = "json" if model.json_format else None

    result = await chat_call(ctx, model, messages, fmt, "message", definitions)
    tool_calls = result.tool_calls or result.message.tool_calls or []
    if definitions and tool_calls:
        messages.append(ChatMessage(role="assistant", content=result.message.content, tool_calls=tool_calls))
        tools = {t.name: t for t in call.tools}
        for index, tool_call in enumerate(tool_calls):
            name = tool_call.function.name
            observation = await _run_tool(
                ctx,
                tools.get(name),
                name,
                tool_call.function.arguments,
                child=ctx.child,
                approval=ctx.approval,
                step=f"{ctx.run_index}.{call.item_index}.0.{index}",
                seed=ctx.seed,
            )
            messages.append(ChatMessage(role="tool", content=observation, tool_name=name))
        result = await chat_call(ctx, model, messages, fmt, "message after tools", definitions)
    if call.simplify:
        return {"content": result.message.content}
    return {
        "model": result.model,
        "message": result.message.model_dump(mode="json", exclude_none=True),
        "done": True,
        "done_reason": result.done_reason,
        "total_duration": result.total_duration_ns,
        "load_duration": result.load_duration_ns,
        "prompt_eval_count": result.prompt_eval_count,
        "prompt_eval_duration": result.prompt_eval_duration_ns,
        "eval_count": result.eval_count,
        "eval_duration": result.eval_duration_ns,
    }


_RUNNERS: dict[str, Any] = {
    "chain": _chain,
    "agent": _agent,
    "ollama": _ollama_message,
    "extract": extract,
    "classify": classify,
    "sentiment": sentiment,
    "openai": openai_message,
    "summarize": summarize,
    "retrieval_qa": retrieval_qa,
    "memory_manager": manage_memory,
    "assistant": _assistant,
}


async def run_ai_instruction(
    ctx: AiContext, instruction_data: dict[str, Any]
) -> tuple[list[list[Item] | None] | None, NodeFailure | None]:
    """Run every item's AI call; the node's outputs, or its failure.

    With onError continue*, a failed item becomes `{"json": {"error": message}}` and the
    others go on, as in n8n's AI nodes; otherwise the first failure fails the node.
    """
    if instruction_data.get("kind") == VECTOR_STORE_KIND:
        return await run_vector_store(ctx, instruction_data)
    instruction = AiInstruction.model_validate(instruction_data)
    runner = _RUNNERS[instruction.kind]
    continue_on_fail = ctx.node.settings.on_error != "stopWorkflow"
    outputs: list[list[Item]] = [[] for _ in range(max(1, instruction.output_count))]
    for call in instruction.items:
        try:
            if call.error is not None:
                raise AiItemError(call.error)
            data = await runner(ctx, call)
        except (AiItemError, ActivityError) as exc:
            message = str(exc) if isinstance(exc, AiItemError) else activity_message(exc)
            if not continue_on_fail:
                return None, NodeFailure(message, item_index=call.item_index)
            data = {"error": message}
        if isinstance(data, Routed):  # classifiers: the item goes to its category's outputs
            for index, item in data.items:
                outputs[index].append(item)
        else:
            outputs[0].append({"json": data, "pairedItem": {"item": call.item_index}})
    return list(outputs), None


async def run_ai_node(
    ctx: AiContext, instruction_data: dict[str, Any]
) -> tuple[list[list[Item] | None] | None, NodeFailure | None]:
    """`run_ai_instruction` with the node's Retry On Fail: the whole node runs again after
    `waitBetweenTries`, up to `maxTries` attempts, as n8n retries a failed node."""
    settings = ctx.node.settings
    attempts = max(1, settings.max_tries if settings.retry_on_fail else 1)
    for attempt in range(1, attempts + 1):
        outputs, failure = await run_ai_instruction(ctx, instruction_data)
        if failure is None or attempt == attempts:
            return outputs, failure
        if settings.wait_between_tries_ms > 0:
            await workflow.sleep(
                timedelta(milliseconds=settings.wait_between_tries_ms), summary=f"{ctx.node.name}: retry wait"
            )
    raise AssertionError("unreachable")  # pragma: no cover


__all__ = ["AiContext", "run_ai_instruction", "run_ai_node"]
