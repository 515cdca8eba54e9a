"""n8n's ``getNodeParameter(path, itemIndex, fallback)`` for one node execution.

Nodes ask per item, but one call into V8 costs ~0.2 ms, so the first request for a path
evaluates that path for every input item at once and caches the results. Errors are kept per
item and raised only when that item is asked for, which keeps n8n's lazy semantics (a node
that never reads item 5's value never fails on it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hive_core.errors import ExpressionError
from n8n_runtime.expressions._params import collect_slots, rebuild
from n8n_runtime.expressions.context import ExpressionContext
from n8n_runtime.expressions.engine import ExpressionEngine

__all__ = ["NodeParameters"]

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_MISSING = object()


def _lookup(params: Any, path: str) -> Any:
    value = params
    for m in _SEGMENT.finditer(path):
        key, index = m.group(1), m.group(2)
        if index is not None:
            if not isinstance(value, list) or int(index) >= len(value):
                return _MISSING
            value = value[int(index)]
        elif isinstance(value, Mapping) and key in value:
            value = value[key]
        else:
            return _MISSING
    return value


class NodeParameters:
    """Parameter access for node implementations (``n8n_runtime.nodes.base.ParameterAccess``).

    Args:
        engine: The run's engine.
        ctx: The node execution's context.
        parameters: Raw parameters (default: ``ctx.node_parameters``).
    """

    def __init__(
        self, engine: ExpressionEngine, ctx: ExpressionContext, parameters: Mapping[str, Any] | None = None
    ) -> None:
        self._engine = engine
        self._ctx = ctx
        self._params = parameters if parameters is not None else ctx.node_parameters
        self._cache: dict[str, list[Any]] = {}

    def raw(self, path: str, default: Any = None) -> Any:
        """The unevaluated value at ``path`` (``a.b[0].c``), or ``default``."""
        value = _lookup(self._params, path)
        return default if value is _MISSING else value

    def get(self, path: str, item_index: int = 0, default: Any = None) -> Any:
        """The value at ``path`` with its expressions evaluated for ``item_index``."""
        raw = _lookup(self._params, path)
        if raw is _MISSING:
            return default
        if not collect_slots(raw):
            return rebuild(raw, iter(()))
        results = self._cache.get(path)
        if results is None:
            count = max(len(self._ctx.input_items), 1)
            results = self._resolve(raw, path, list(range(count)))
            self._cache[path] = results
        value = (
            results[item_index]
            if 0 <= item_index < len(results)
            else self._resolve(raw, path, [item_index])[0]
        )
        if isinstance(value, ExpressionError):
            raise value
        return value

    def _resolve(self, raw: Any, path: str, items: list[int]) -> list[Any]:
        previous = self._ctx.parameter_path
        self._ctx.parameter_path = path
        try:
            return self._engine.resolve_parameters_each(raw, self._ctx, items)
        finally:
            self._ctx.parameter_path = previous
