"""Evaluating pagination parameters with n8n's extra variables `$response`, `$request`,
`$pageCount` and `$version`, which Hive's expression engine does not define itself."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from n8n_runtime.expressions import ExpressionContext, ExpressionEngine

if TYPE_CHECKING:
    from n8n_runtime.engine.expressions import ExpressionRuntime
    from n8n_runtime.engine.types import NodeRequest

_VARIABLE = re.compile(r"(?<![\w$])\$(response|request|pageCount|version)(?![\w$])")


class PageExpressions(Protocol):
    """Evaluates pagination parameters with n8n's extra pagination variables."""

    def resolve(self, value: Any, item_index: int, variables: Mapping[str, Any]) -> Any:
        """`value` with every `=` expression in it evaluated for `item_index`; `variables` maps
        `$response`, `$request`, `$pageCount`, `$version` to their JSON values."""
        ...


class EngineExpressions:
    """`PageExpressions` over Hive's expression engine: the pagination variables are written
    into the expression as JSON literals (their values are plain JSON, so reading them is exact)."""

    def __init__(self, engine: ExpressionEngine, context: ExpressionContext) -> None:
        """Args:
        engine: the run's expression engine.
        context: the node run's context (`ExpressionRuntime.context(request)`).
        """
        self._engine = engine
        self._context = context

    @classmethod
    def for_request(cls, runtime: ExpressionRuntime, request: NodeRequest) -> EngineExpressions:
        """The evaluator for one node run of an `ExpressionRuntime`."""
        return cls(runtime.engine, runtime.context(request))

    def resolve(self, value: Any, item_index: int, variables: Mapping[str, Any]) -> Any:
        """See `PageExpressions.resolve`."""
        literals = {name.lstrip("$"): _js_literal(v) for name, v in variables.items()}
        substituted = _substitute(value, literals)
        previous = self._context.parameter_path
        self._context.parameter_path = "options.pagination.pagination"
        try:
            result = self._engine.resolve_parameters_each(substituted, self._context, [item_index])[0]
        finally:
            self._context.parameter_path = previous
        if isinstance(result, Exception):
            raise result
        return result


def _substitute(value: Any, literals: Mapping[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("="):
        return _VARIABLE.sub(lambda m: literals.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {k: _substitute(v, literals) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, literals) for v in value]
    return value


def _js_literal(value: Any) -> str:
    """A JS expression for a JSON value, free of `{`/`}` so template splitting is unaffected."""
    text = json.dumps(json.dumps(value, ensure_ascii=False))
    return "(JSON.parse(" + text.replace("{", "\\u007b").replace("}", "\\u007d") + "))"


__all__ = ["EngineExpressions", "PageExpressions"]
