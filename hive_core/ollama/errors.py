"""Ollama-specific errors, placed in Hive's error tree (see ``hive_core.errors``)."""

from __future__ import annotations

from typing import Any

from hive_core.errors import NotFoundError


class ModelNotFoundError(NotFoundError):
    """A model the Ollama host (or the agent's config) does not serve: a user error, never retried."""

    def __init__(self, model: str, where: str, **details: Any) -> None:
        super().__init__(f"model {model!r} not found on {where}", model=model, **details)
        self.model = model


__all__ = ["ModelNotFoundError"]
