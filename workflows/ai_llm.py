"""One LLM call of an AI root as a durable step: the shared helpers of every AI node runner.

Workflow code (deterministic, no I/O). Each call goes through `workflows.ai_dispatch` (an
activity on the agent's, model's or capability's queue). A failed call raises `AiItemError`
naming what went wrong; a structured reply that does not parse is sent back to the model with
LangChain's fix prompt a bounded number of times (n8n's output-fixing parser).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from hive_core.approvals.models import ApprovalPolicy
    from hive_core.ollama.types import ChatMessage, ChatRequest, ChatResult, GenerateRequest
    from n8n_import.plan import Plan, PlanNode
    from n8n_runtime.ai.instruction import ModelSpec, ParserSpec
    from n8n_runtime.ai.structured import (
        FIX_PROMPT,
        OutputParseError,
        fix_prompt,
        format_instructions,
        list_instructions,
        parse_list,
        parse_structured,
        raw_format_instructions,
        wrapped_schema,
    )
    from workflows.ai_dispatch import AiRoute, chat, generate
    from workflows.n8n_subworkflows import ChildRun

# Attempts per LLM call before the node (or item) fails; the node's retryOnFail retries more.
LLM_ATTEMPTS = 3


class AiItemError(Exception):
    """One item's AI call failed; the message names what went wrong."""


@dataclass
class AiContext:
    """What the AI steps of one root run need from the interpreter."""

    node: PlanNode
    plan: Plan
    child: ChildRun
    run_index: int
    seed: int
    # The run's approval policy, handed to workflow tools' sub-workflows.
    approval: ApprovalPolicy


def _route(model: ModelSpec) -> AiRoute:
    return AiRoute(agent=model.agent, capability=model.capability)


def llm_format(model: ModelSpec, parser: ParserSpec | None) -> Any:
    if parser is not None and parser.kind == "list":
        return None
    if parser is not None:
        return wrapped_schema(parser.output_schema) if parser.wrapped else parser.output_schema
    if model.response_format is not None:
        return model.response_format
    return "json" if model.json_format else None


def _timeout(model: ModelSpec) -> timedelta | None:
    return timedelta(seconds=model.timeout_s) if model.timeout_s else None


async def chat_call(
    ctx: AiContext,
    model: ModelSpec,
    messages: list[ChatMessage],
    fmt: Any,
    label: str,
    tools: list[dict[str, Any]] | None = None,
) -> ChatResult:
    """One chat call of the node's model (with `tools` offered, if any)."""
    request = ChatRequest(
        model=model.model,
        messages=messages,
        options=model.options,
        keep_alive=model.keep_alive,
        tools=tools or [],
        format=fmt,
    )
    try:
        return await chat(
            request,
            _route(model),
            summary=f"{ctx.node.name}: {label}",
            attempts=LLM_ATTEMPTS,
            timeout=_timeout(model),
        )
    except ApplicationError as exc:
        raise AiItemError(exc.message) from None


async def complete(
    ctx: AiContext, model: ModelSpec, messages: list[ChatMessage], fmt: Any, label: str
) -> str:
    """One LLM call (chat, or generate for a text model); the reply's text."""
    if model.chat:
        return (await chat_call(ctx, model, messages, fmt, label)).message.content
    try:
        system = "\n\n".join(m.content for m in messages if m.role == "system") or None
        prompt = "\n\n".join(m.content for m in messages if m.role != "system")
        generated = await generate(
            GenerateRequest(
                model=model.model,
                prompt=prompt,
                system=system,
                options=model.options,
                keep_alive=model.keep_alive,
                format=fmt,
            ),
            _route(model),
            summary=f"{ctx.node.name}: {label}",
            attempts=LLM_ATTEMPTS,
            timeout=_timeout(model),
        )
        return generated.response
    except ApplicationError as exc:
        raise AiItemError(exc.message) from None


def parser_instructions(parser: ParserSpec) -> str:
    """What the model is told about the shape of its answer, per parser."""
    if parser.kind == "list":
        return list_instructions(parser.list_count, parser.separator)
    return (
        format_instructions(parser.output_schema)
        if parser.wrapped
        else raw_format_instructions(parser.output_schema)
    )


def _parse(parser: ParserSpec, reply: str) -> Any:
    if parser.kind == "list":
        return parse_list(reply, parser.list_count, parser.separator)
    return parse_structured(reply, parser.output_schema, wrapped=parser.wrapped)


def _fix_messages(parser: ParserSpec, reply: str, problem: str) -> list[ChatMessage]:
    if parser.fix_template:  # the Auto-fixing Output Parser's own prompt
        prompt = (
            parser.fix_template.replace("{instructions}", parser_instructions(parser))
            .replace("{completion}", reply)
            .replace("{error}", problem)
        )
    elif parser.kind == "list":
        prompt = FIX_PROMPT.format(instructions=parser_instructions(parser), completion=reply, error=problem)
    else:
        prompt = fix_prompt(parser.output_schema, reply, problem, wrapped=parser.wrapped)
    return [ChatMessage(role="user", content=prompt)]


async def structured(ctx: AiContext, model: ModelSpec, parser: ParserSpec, reply: str) -> Any:
    """Parse and validate `reply`; ask the model (or the auto-fixing parser's model) to fix it a
    bounded number of times."""
    fixer = parser.fix_model or model
    for attempt in range(parser.fix_attempts + 1):
        try:
            return _parse(parser, reply)
        except OutputParseError as exc:
            problem = str(exc)
            if attempt == parser.fix_attempts:
                raise AiItemError(
                    parser.failure_message
                    or f"The model's reply does not fit the output parser '{parser.node}' after "
                    f"{parser.fix_attempts + 1} attempts: {problem}"
                ) from None
            fix = _fix_messages(parser, reply, problem)
            reply = await complete(ctx, fixer, fix, llm_format(fixer, parser), f"fix output ({attempt + 1})")
    raise AssertionError("unreachable")  # pragma: no cover


__all__ = [
    "LLM_ATTEMPTS",
    "AiContext",
    "AiItemError",
    "chat_call",
    "complete",
    "llm_format",
    "parser_instructions",
    "structured",
]
