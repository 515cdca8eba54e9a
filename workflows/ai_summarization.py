"""The Summarization Chain under Temporal (workflow code): LangChain's three chains, each model
call a durable step.

    stuff       one call: the prompt with every document joined by blank lines
    map_reduce  one call per document (the map prompt), then one over the summaries (combine)
    refine      the first document with the question prompt, then each next one refines it
"""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from hive_core.ollama.types import ChatMessage
    from n8n_runtime.ai.instruction import ItemCall, ModelSpec
    from workflows.ai_llm import AiContext, complete

Item = dict[str, Any]


async def _ask(ctx: AiContext, model: ModelSpec, prompt: str, label: str) -> str:
    return (await complete(ctx, model, [ChatMessage(role="user", content=prompt)], None, label)).strip()


async def summarize(ctx: AiContext, call: ItemCall) -> Item:
    """One item's summary: `{response: {output_text}}`."""
    model = call.model
    assert model is not None  # the compiler requires a model
    routing = call.routing or {}
    method, prompts = routing.get("method", "map_reduce"), routing.get("prompts", {})
    documents: list[str] = routing.get("documents", [])
    if method == "stuff":
        text = await _ask(ctx, model, prompts["stuff"].replace("{text}", "\n\n".join(documents)), "summarize")
    elif method == "refine":
        text = ""
        for index, document in enumerate(documents or [""]):
            if index == 0:
                prompt = prompts["question"].replace("{text}", document)
            else:
                prompt = prompts["refine"].replace("{existing_answer}", text).replace("{text}", document)
            text = await _ask(ctx, model, prompt, f"refine {index + 1}/{len(documents)}")
    else:
        summaries = [
            await _ask(ctx, model, prompts["map"].replace("{text}", d), f"map {i + 1}/{len(documents)}")
            for i, d in enumerate(documents)
        ]
        text = await _ask(ctx, model, prompts["combine"].replace("{text}", "\n\n".join(summaries)), "combine")
    return {"response": {"output_text": text}}


__all__ = ["summarize"]
