"""Helpers shared by the expression tests."""

from __future__ import annotations

from typing import Any

from n8n_runtime.expressions import ExpressionContext, ExpressionEngine

# 2023-11-14T22:13:20Z — a Tuesday; 17:13:20 in New York (EST, UTC-5).
NOW_MS = 1_700_000_000_000


def make_ctx(items: list[dict[str, Any]] | None = None, **kwargs: Any) -> ExpressionContext:
    """A context for node "Node" with ``items`` (plain json dicts are wrapped) as input 0."""
    wrapped = [i if "json" in i else {"json": i} for i in (items if items is not None else [{}])]
    kwargs.setdefault("node_name", "Node")
    kwargs.setdefault("now_ms", NOW_MS)
    return ExpressionContext(inputs=[wrapped], **kwargs)


def ev(
    engine: ExpressionEngine, template: str, items: list[dict[str, Any]] | None = None, **kwargs: Any
) -> Any:
    """Evaluate one template for item ``item_index`` (default 0)."""
    item_index = kwargs.pop("item_index", 0)
    ctx = make_ctx(items, **kwargs)
    ctx.item_index = item_index
    return engine.evaluate(template, ctx)
