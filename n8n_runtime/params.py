"""`ExpressionParameters`: n8n's `getNodeParameter` over a plan node's raw parameters.

A dot path (`conditions.string`, `rules.values[0].conditions`) selects part of the parameters.
Literal subtrees (no string starting with `=`) are detected once and returned without touching the
JavaScript engine. A path with expressions is resolved for *all* input items in one call to the
resolver (one V8 round trip per path instead of one per item) and cached; an item whose evaluation
failed raises only when that item is asked for, as n8n evaluates lazily. Values are handed out as
copies, so a node that changes what it got cannot alter the plan or another item's value.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from n8n_import.plan import PlanNode
from n8n_runtime.nodes.base import NodeError

_PART = re.compile(r"[^.[\]]+|\[(\d+)\]")
_MISSING = object()


class ParameterResolver(Protocol):
    """Evaluates the expressions in a parameter value (the expression engine, for one node run)."""

    def resolve_each(self, value: Any, path: str, item_indices: Sequence[int]) -> list[Any]:
        """`value` with its expressions evaluated per item; a failed item yields its exception."""
        ...


def json_copy(value: Any) -> Any:
    """A deep copy of JSON-like data (much faster than `copy.deepcopy`)."""
    if isinstance(value, dict):
        return {k: json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_copy(v) for v in value]
    return value


class ExpressionParameters:
    """n8n's `this.getNodeParameter(path, itemIndex, fallback)` for one node run."""

    def __init__(
        self, node: PlanNode, resolver: ParameterResolver | None = None, item_count: int = 1
    ) -> None:
        """Read `node.parameters`.

        Args:
            node: the running node.
            resolver: evaluates expressions (None: only literal values can be resolved).
            item_count: input items of this run (a path is resolved for all of them at once).
        """
        self._parameters: Mapping[str, Any] = node.parameters
        self._resolver = resolver
        self._item_count = max(1, item_count)
        self._lookups: dict[str, Any] = {}
        self._has_expressions: dict[int, bool] = {}
        self._resolved: dict[str, list[Any]] = {}

    def for_node(self, node: PlanNode) -> ExpressionParameters:
        """`node`'s parameters evaluated in this run's item context.

        n8n evaluates an AI root's sub-nodes (model, tools, memory, parser) with the root's
        input items, so they share the root's expression scope.
        """
        return ExpressionParameters(node, self._resolver, self._item_count)

    def raw(self, path: str, default: Any = None) -> Any:
        """The unevaluated parameter value at `path` (a copy), or `default` when absent."""
        value = self._lookup(path)
        return default if value is _MISSING else copy.deepcopy(value)

    def get(self, path: str, item_index: int = 0, default: Any = None) -> Any:
        """The parameter at `path` with every expression in it evaluated for `item_index`."""
        value = self._lookup(path)
        if value is _MISSING:
            return default
        if not self._contains_expression(value):
            return json_copy(value)
        if self._resolver is None:
            return self._literal(value, path)
        results = self._resolved.get(path)
        if results is None:
            results = self._resolver.resolve_each(value, path, range(self._item_count))
            self._resolved[path] = results
        if 0 <= item_index < len(results):
            result = results[item_index]
        else:
            result = self._resolver.resolve_each(value, path, [item_index])[0]
        if isinstance(result, Exception):
            raise result
        return json_copy(result)

    def _lookup(self, path: str) -> Any:
        cached = self._lookups.get(path, _MISSING)
        if cached is not _MISSING:
            return cached
        current: Any = self._parameters
        for match in _PART.finditer(path):
            index, key = match.group(1), match.group(0)
            if index is not None and isinstance(current, list):
                position = int(index)
                current = current[position] if position < len(current) else _MISSING
            elif isinstance(current, Mapping) and key in current:
                current = current[key]
            else:
                current = _MISSING
            if current is _MISSING:
                break
        self._lookups[path] = current
        return current

    def _contains_expression(self, value: Any) -> bool:
        if isinstance(value, str):
            return value.startswith("=")
        if not isinstance(value, dict | list):
            return False
        key = id(value)
        known = self._has_expressions.get(key)
        if known is None:
            children = value.values() if isinstance(value, dict) else value
            known = any(self._contains_expression(child) for child in children)
            self._has_expressions[key] = known
        return known

    def _literal(self, value: Any, path: str) -> Any:
        """Without an engine only `=text` values without `{{ }}` can be resolved."""
        if isinstance(value, str):
            if value.startswith("=") and "{{" in value:
                raise NodeError(
                    f"Cannot evaluate the expression in parameter '{path}'",
                    description="No expression engine is configured for this run",
                )
            return value[1:] if value.startswith("=") else value
        if isinstance(value, dict):
            return {k: self._literal(v, f"{path}.{k}" if path else k) for k, v in value.items()}
        if isinstance(value, list):
            return [self._literal(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return value


__all__ = ["ExpressionParameters", "ParameterResolver", "json_copy"]
