"""Main outputs of AI roots whose outputs depend on their parameters (as n8n computes them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SENTIMENT_CATEGORIES = "Positive, Neutral, Negative"


def classifier_outputs(version: float, params: Mapping[str, Any]) -> int | None:
    """Text Classifier: one output per category, plus "Other" when fallback = other."""
    collection = params.get("categories") or {}
    categories = collection.get("categories") if isinstance(collection, dict) else None
    options = params.get("options") or {}
    if categories is None:
        categories = []
    if not isinstance(categories, list) or not isinstance(options, dict):
        return None
    return max(1, len(categories) + (1 if options.get("fallback") == "other" else 0))


def sentiment_outputs(version: float, params: Mapping[str, Any]) -> int | None:
    """Sentiment Analysis: one output per comma-separated category."""
    options = params.get("options") or {}
    categories = options.get("categories", SENTIMENT_CATEGORIES) if isinstance(options, dict) else None
    if not isinstance(categories, str) or categories.startswith("="):
        return None
    return max(1, len(categories.split(",")))


__all__ = ["classifier_outputs", "sentiment_outputs"]
