"""Information Extractor, Text Classifier and Sentiment Analysis under Temporal (workflow code).

The pure step built each item's messages and JSON schema (`n8n_runtime/ai/classifiers.py`);
here the model is called (one durable step), its reply parsed against the schema, fixed by the
model where n8n's output-fixing parser would, and the item routed to its outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from n8n_runtime.ai.instruction import ItemCall
    from workflows.ai_llm import AiContext, complete, llm_format, structured

Item = dict[str, Any]


@dataclass
class Routed:
    """Items for given outputs: [(output index, item)]."""

    items: list[tuple[int, Item]] = field(default_factory=list)


async def _parsed(ctx: AiContext, call: ItemCall) -> Any:
    model, parser = call.model, call.parser
    assert model is not None and parser is not None  # the compiler requires a model
    reply = await complete(ctx, model, list(call.messages), llm_format(model, parser), model.node)
    return await structured(ctx, model, parser, reply)


async def extract(ctx: AiContext, call: ItemCall) -> Item:
    """Information Extractor: `{output: <object>}`."""
    return {"output": await _parsed(ctx, call)}


def _input(call: ItemCall) -> Item:
    item = dict(call.input_item or {"json": {}})
    item["pairedItem"] = {"item": call.item_index}
    return item


async def classify(ctx: AiContext, call: ItemCall) -> Routed:
    """Text Classifier: the item on every category's output whose flag is true."""
    output = await _parsed(ctx, call)
    routing = call.routing or {}
    categories: list[str] = routing.get("categories", [])
    routed = Routed()
    for index, category in enumerate(categories):
        if isinstance(output, dict) and output.get(category):
            routed.items.append((index, _input(call)))
    if routing.get("other") and isinstance(output, dict) and output.get("fallback"):
        routed.items.append((len(categories), _input(call)))
    return routed


async def sentiment(ctx: AiContext, call: ItemCall) -> Routed:
    """Sentiment Analysis: the item plus `sentimentAnalysis` on its category's output."""
    output = await _parsed(ctx, call)
    routing = call.routing or {}
    categories: list[str] = routing.get("categories", [])
    found = str(output.get("sentiment", "")) if isinstance(output, dict) else ""
    index = next((i for i, c in enumerate(categories) if c.lower() == found.lower()), -1)
    if index < 0:
        return Routed()
    analysis: dict[str, Any] = {"category": output["sentiment"]}
    if routing.get("detailed"):
        analysis["strength"] = output.get("strength")
        analysis["confidence"] = output.get("confidence")
    item = _input(call)
    item["json"] = {**item.get("json", {}), "sentimentAnalysis": analysis}
    return Routed(items=[(index, item)])


__all__ = ["Routed", "classify", "extract", "sentiment"]
