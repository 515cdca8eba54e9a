"""Walking node parameters: find the `=` templates, then put evaluated values back."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from n8n_runtime.expressions._template import TemplateCompileError, compile_template

__all__ = ["collect_slots", "rebuild", "templates_in"]


def _is_js(template: str) -> bool:
    try:
        return compile_template(template).source is not None
    except TemplateCompileError:
        return True  # evaluated anyway, so the error names its parameter


def collect_slots(value: Any, path: str = "") -> list[tuple[str, str]]:
    """``(parameter path, template)`` for every `=` string that needs JavaScript, in walk order.

    Paths look like n8n's: ``assignments.assignments[0].value``.
    """
    out: list[tuple[str, str]] = []

    def walk(v: Any, p: str) -> None:
        if isinstance(v, str):
            if v.startswith("=") and _is_js(v):
                out.append((p, v))
        elif isinstance(v, Mapping):
            for k, x in v.items():
                walk(x, f"{p}.{k}" if p else str(k))
        elif isinstance(v, list | tuple):
            for i, x in enumerate(v):
                walk(x, f"{p}[{i}]")

    walk(value, path)
    return out


def rebuild(value: Any, values: Iterator[Any]) -> Any:
    """A copy of ``value`` with each template replaced (same walk order as collect_slots)."""
    if isinstance(value, str):
        if not value.startswith("="):
            return value
        if not _is_js(value):
            literal = compile_template(value).literal
            return literal if literal is not None else ""
        return next(values)
    if isinstance(value, Mapping):
        return {k: rebuild(x, values) for k, x in value.items()}
    if isinstance(value, list | tuple):
        return [rebuild(x, values) for x in value]
    return value


def templates_in(value: Any) -> list[str]:
    """All JS templates in a parameter tree (for ``$parameter`` and ``$node[…].parameter``)."""
    return [t for _, t in collect_slots(value)]
